#include "service/ml_served_model.h"

#include <fstream>
#include <stdexcept>
#include <system_error>

#include "ml/bundle.h"
#include "ml/features.h"

namespace pdex::service {
namespace {

using nlohmann::json;

json value_or_null(const json& meta, const char* key) {
  const auto it = meta.find(key);
  return it == meta.end() ? json(nullptr) : *it;
}

json make_card(const ml::Predictor& p, const json& evaluation) {
  const json& meta = p.meta();
  json lineage = value_or_null(meta, "lineage");
  json trained_at = lineage.is_object() ? value_or_null(lineage, "trained_at") : json(nullptr);
  json card = {{"version", p.version()},
               {"name", p.name()},
               {"kind", value_or_null(meta, "kind")},
               {"metrics", value_or_null(meta, "metrics")},
               {"features",
                {{"names", meta["feature_spec"]["names"]},
                 {"count", meta["feature_spec"]["names"].size()},
                 {"hash", meta["feature_spec"]["hash"]}}},
               {"trained_at", std::move(trained_at)},
               {"lineage", std::move(lineage)},
               {"model_sha256", value_or_null(meta, "model_sha256")},
               {"evaluator_max_abs_diff", p.evaluator_max_diff()}};
  if (meta.contains("gates")) card["gates"] = meta["gates"];
  if (evaluation.is_object()) {
    const auto it = evaluation.find("feature_importance");
    if (it != evaluation.end() && it->is_array()) card["feature_importance"] = *it;
  }
  return card;
}

}  // namespace

MlServedModel::MlServedModel(ml::Predictor predictor, const json& evaluation)
    : predictor_(std::move(predictor)), card_(make_card(predictor_, evaluation)) {}

std::string MlServedModel::version() const {
  return predictor_.version();
}

json MlServedModel::card() const {
  return card_;
}

double MlServedModel::predict_p1_win(const dex::Dex& dex, const battle::BattleConfig& config) const {
  return predictor_.predict(dex, config);
}

double MlServedModel::predict_p1_win_with_features(const dex::Dex& dex, const battle::BattleConfig& config,
                                                   std::vector<float>& features) const {
  // Same computation as Predictor::predict, keeping the side-1 features for the prediction log.
  features = ml::compute_features(dex, config);
  return predictor_.predict_features(features);
}

const nlohmann::json* MlServedModel::drift_reference() const {
  const nlohmann::json& meta = predictor_.meta();
  const auto it = meta.find("reference");
  return it == meta.end() ? nullptr : &*it;
}

std::shared_ptr<const ServedModel> load_ml_served_model(const std::filesystem::path& dir, const dex::Dex&) {
  const std::string where = "model bundle " + dir.string() + ": ";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw std::runtime_error(where + "no such directory");
  try {
    ml::Predictor predictor = ml::Predictor::load(dir);
    // The evaluation report is optional (an unevaluated bundle serves fine); an unreadable one only costs
    // the card its feature importance.
    json evaluation = nullptr;
    std::ifstream in(dir / "evaluation" / "evaluation.json");
    if (in) evaluation = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (evaluation.is_discarded()) evaluation = nullptr;
    return std::make_shared<MlServedModel>(std::move(predictor), evaluation);
  } catch (const std::exception& e) {
    throw std::runtime_error(where + e.what());
  }
}

void install_ml_model_loader() {
  set_model_loader(&load_ml_served_model);
}

}  // namespace pdex::service
