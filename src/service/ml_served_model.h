// The served model backed by a model bundle (src/ml/predictor.h): what `pdex serve --model PATH` loads.
//
// load_ml_served_model refuses any bundle ml::Predictor::load refuses (missing directory, bundle.json,
// model.json, checksum, feature spec, evaluator parity) with std::runtime_error naming the path and the
// reason. install_ml_model_loader registers it with set_model_loader (model_provider.h).
//
// Thread safety: immutable after load; every const member may run concurrently.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ml/predictor.h"
#include "service/model_provider.h"

namespace pdex::service {

class MlServedModel : public ServedModel {
 public:
  // `evaluation`: the bundle's evaluation/evaluation.json when it has one (null otherwise); its feature
  // importance goes into the card.
  explicit MlServedModel(ml::Predictor predictor, const nlohmann::json& evaluation = nullptr);

  // The bundle's version as written by write_bundle: "<name>-<first 12 hex of model.json sha256>".
  std::string version() const override;
  // version, name, kind, metrics, features (names, hash), trained_at, lineage, gates when evaluated,
  // feature_importance [{name, total_gain, share}] when the bundle was evaluated.
  nlohmann::json card() const override;
  double predict_p1_win(const dex::Dex& dex, const battle::BattleConfig& config) const override;
  // Fills `features` with the feature vector of the battle as seen from side 1 (feature-spec order).
  double predict_p1_win_with_features(const dex::Dex& dex, const battle::BattleConfig& config,
                                      std::vector<float>& features) const override;
  // bundle.json's `reference`, nullptr when the bundle has none.
  const nlohmann::json* drift_reference() const override;

  const ml::Predictor& predictor() const { return predictor_; }

 private:
  ml::Predictor predictor_;
  nlohmann::json card_;
};

// Loads the bundle in `dir`. Throws std::runtime_error("model bundle <dir>: <reason>").
std::shared_ptr<const ServedModel> load_ml_served_model(const std::filesystem::path& dir, const dex::Dex& dex);

// set_model_loader(load_ml_served_model). Idempotent.
void install_ml_model_loader();

}  // namespace pdex::service
