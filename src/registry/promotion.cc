#include "registry/promotion.h"

#include "ml/dataset.h"
#include "ml/evaluation.h"
#include "ml/predictor.h"
#include "registry/artifact_store.h"

namespace pdex::registry {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

double non_negative(const json& j, const char* key) {
  if (!j.contains(key)) return 0.0;
  const json& v = j.at(key);
  if (!v.is_number() || v.get<double>() < 0) {
    throw std::invalid_argument(std::string("champion_challenger.") + key + ": expected a number >= 0, got " +
                                v.dump());
  }
  return v.get<double>();
}

ml::Dataset load_dataset_for(const store::ModelVersion& v, const fs::path& datasets_dir, std::string* dir_out) {
  if (v.dataset_sha256.size() < 16) {
    throw PromotionError(v.model_name + " version " + std::to_string(v.version) + " records no dataset hash");
  }
  std::vector<fs::path> candidates = {datasets_dir / v.dataset_sha256.substr(0, 16)};
  if (v.lineage.contains("dataset_dir") && v.lineage["dataset_dir"].is_string()) {
    candidates.emplace_back(v.lineage["dataset_dir"].get<std::string>());
  }
  std::string tried;
  for (const fs::path& dir : candidates) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      tried += (tried.empty() ? "" : ", ") + dir.string() + " (missing)";
      continue;
    }
    try {
      ml::Dataset ds = ml::read_dataset(dir);
      if (ds.content_sha256 == v.dataset_sha256) {
        *dir_out = dir.string();
        return ds;
      }
      tried += (tried.empty() ? "" : ", ") + dir.string() + " (holds " + ds.content_sha256.substr(0, 16) + ")";
    } catch (const std::exception& e) {
      tried += (tried.empty() ? "" : ", ") + dir.string() + " (" + e.what() + ")";
    }
  }
  throw PromotionError("the test split cannot be rebuilt: dataset " + v.dataset_sha256 + " not found (tried " + tried +
                       "); rebuild it with `pdex dataset build` and the same config");
}

ml::Predictor load_version(const store::ModelVersion& v) {
  const std::string label = v.model_name + " version " + std::to_string(v.version);
  try {
    verify_artifact(v.artifact_path, v.artifact_sha256);
    return ml::Predictor::load(v.artifact_path);
  } catch (const std::exception& e) {
    throw PromotionError(label + ": " + e.what());
  }
}

double figure(const json& figures, const char* key) {
  const json& m = figures.at("metrics");
  return m.at(key).get<double>();
}

}  // namespace

PromotionPolicy PromotionPolicy::from_json(const json& doc) {
  PromotionPolicy p;
  if (!doc.is_object()) throw std::invalid_argument("gates config: expected an object");
  p.gates = ml::GateConfig::from_json(doc.contains("gates") ? doc.at("gates") : json::object());
  if (doc.contains("champion_challenger")) {
    const json& cc = doc.at("champion_challenger");
    if (!cc.is_object()) throw std::invalid_argument("champion_challenger: expected an object");
    for (const auto& [key, v] : cc.items()) {
      if (key.starts_with("_") || key == "max_accuracy_drop" || key == "max_log_loss_increase") continue;
      throw std::invalid_argument("champion_challenger." + key + ": unknown key");
    }
    p.max_accuracy_drop = non_negative(cc, "max_accuracy_drop");
    p.max_log_loss_increase = non_negative(cc, "max_log_loss_increase");
  }
  return p;
}

bool PromotionReport::allowed() const {
  for (const auto& c : checks) {
    if (!c.passed) return false;
  }
  return true;
}

std::string PromotionReport::failed_checks() const {
  std::string out;
  for (const auto& c : checks) {
    if (!c.passed) out += (out.empty() ? "" : ", ") + c.name;
  }
  return out;
}

json PromotionReport::to_json() const {
  json checks_json = json::array();
  for (const auto& c : checks) {
    checks_json.push_back(
        {{"name", c.name}, {"passed", c.passed}, {"value", c.value}, {"threshold", c.threshold}, {"detail", c.detail}});
  }
  return {{"model", model_name},
          {"challenger_version", challenger_version},
          {"champion_version", champion_version ? json(*champion_version) : json(nullptr)},
          {"dataset_sha256", dataset_sha256},
          {"dataset_dir", dataset_dir},
          {"split", "test"},
          {"rows", rows},
          {"allowed", allowed()},
          {"failed", failed_checks()},
          {"checks", checks_json},
          {"challenger", challenger_figures.is_null() ? json(nullptr) : challenger_figures["metrics"]},
          {"champion", champion_figures.is_null() ? json(nullptr) : champion_figures["metrics"]}};
}

PromotionReport assess_promotion(store::RegistryRepository& repo, const store::ModelVersion& challenger,
                                 const fs::path& datasets_dir, const PromotionPolicy& policy) {
  PromotionReport report;
  report.model_name = challenger.model_name;
  report.challenger_version = challenger.version;
  report.dataset_sha256 = challenger.dataset_sha256;
  const ml::Dataset ds = load_dataset_for(challenger, datasets_dir, &report.dataset_dir);
  const ml::Predictor challenger_model = load_version(challenger);
  json challenger_eval;
  try {
    challenger_eval = ml::evaluate_model(ds, challenger_model, ml::Split::Test);
  } catch (const std::exception& e) {
    throw PromotionError("cannot evaluate the challenger: " + std::string(e.what()));
  }
  report.rows = challenger_eval.value("rows", std::size_t{0});
  report.challenger_figures = challenger_eval["test"];
  try {
    for (const ml::GateResult& g : ml::check_gates(challenger_eval, policy.gates)) {
      report.checks.push_back({"gate:" + g.name, g.passed, g.value, g.threshold, "quality gate on the test split"});
    }
  } catch (const std::invalid_argument& e) {
    throw PromotionError(e.what());
  }
  const auto champion = repo.production(challenger.model_name);
  if (champion && champion->version != challenger.version) {
    report.champion_version = champion->version;
    const ml::Predictor champion_model = load_version(*champion);
    json champion_eval;
    try {
      champion_eval = ml::evaluate_model(ds, champion_model, ml::Split::Test);
    } catch (const std::exception& e) {
      throw PromotionError("cannot evaluate the champion (version " + std::to_string(champion->version) +
                           "): " + e.what());
    }
    report.champion_figures = champion_eval["test"];
    const double acc_delta =
        figure(report.challenger_figures, "accuracy") - figure(report.champion_figures, "accuracy");
    const double ll_delta = figure(report.challenger_figures, "log_loss") - figure(report.champion_figures, "log_loss");
    const std::string vs = "challenger v" + std::to_string(challenger.version) + " − champion v" +
                           std::to_string(champion->version) + " on the same test rows";
    report.checks.push_back({"champion_challenger:accuracy", acc_delta >= -policy.max_accuracy_drop, acc_delta,
                             -policy.max_accuracy_drop, "accuracy " + vs});
    report.checks.push_back({"champion_challenger:log_loss", ll_delta <= policy.max_log_loss_increase, ll_delta,
                             policy.max_log_loss_increase, "log-loss " + vs});
  }
  return report;
}

PromotionOutcome promote_if_allowed(store::RegistryRepository& repo, const std::string& name, int version,
                                    const std::string& actor, const std::string& reason, const fs::path& datasets_dir,
                                    const PromotionPolicy& policy) {
  const auto challenger = repo.find_version(name, version);
  if (!challenger) {
    throw store::RegistryError(store::RegistryError::Kind::NotFound,
                               "no " + name + " version " + std::to_string(version));
  }
  if (challenger->stage == "production") {
    throw store::RegistryError(store::RegistryError::Kind::Conflict,
                               name + " version " + std::to_string(version) + " is already in production");
  }
  PromotionOutcome out{assess_promotion(repo, *challenger, datasets_dir, policy), std::nullopt};
  if (out.report.allowed()) {
    // The champion may have changed while we evaluated: promote() archives whatever is in production
    // then, and the audit row records the report we decided on.
    out.promoted = repo.promote(name, version, actor, reason, out.report.to_json());
  }
  return out;
}

}  // namespace pdex::registry
