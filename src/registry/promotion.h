// Whether a registered version may go to production, and promoting it when it may.
//
// Two kinds of checks, all on the same rows: the test split of the dataset the challenger was trained on
// (found by its dataset hash: <datasets_dir>/<first 16 hex>/, else the lineage's dataset_dir; the
// dataset's own content hash must match).
//   1. Quality gates (configs/gates.json "gates", ml/gates.h) on a fresh evaluation of the challenger.
//   2. Champion/challenger (configs/gates.json "champion_challenger"): the current production version
//      is evaluated on the same rows, and the challenger is refused when its accuracy is lower than the
//      champion's by more than max_accuracy_drop, or its log-loss higher by more than
//      max_log_loss_increase. Skipped when there is no production version.
// Each check is named ("gate:max_ece", "champion_challenger:accuracy", ...) so a refusal says which one
// failed. Both datasets share the split assignment only when they share the dataset seed (splits are by
// hashed species pair), which the pipeline guarantees by training every version on its configured seed.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ml/gates.h"
#include "store/registry_repository.h"

namespace pdex::registry {

struct PromotionPolicy {
  ml::GateConfig gates;
  double max_accuracy_drop = 0.0;
  double max_log_loss_increase = 0.0;

  // The whole configs/gates.json document: "gates" and "champion_challenger" ({"max_accuracy_drop",
  // "max_log_loss_increase"}, both >= 0; absent: 0). Throws std::invalid_argument naming the field.
  static PromotionPolicy from_json(const nlohmann::json& doc);
};

struct PromotionCheck {
  std::string name;
  bool passed = false;
  double value = 0;      // the challenger's figure (champion/challenger: challenger − champion)
  double threshold = 0;  // the limit it was held to
  std::string detail;
};

struct PromotionReport {
  std::string model_name;
  int challenger_version = 0;
  std::optional<int> champion_version;
  std::string dataset_sha256;
  std::string dataset_dir;
  std::size_t rows = 0;
  nlohmann::json challenger_figures, champion_figures;  // evaluation "test" sections
  std::vector<PromotionCheck> checks;

  bool allowed() const;
  // Names of the failed checks, comma-separated ("" when allowed).
  std::string failed_checks() const;
  nlohmann::json to_json() const;
};

// A promotion that could not even be assessed (dataset missing, artifact altered, bundle unloadable).
class PromotionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Evaluates `challenger` (and the current production version, if any and different) as described above.
// Throws PromotionError.
PromotionReport assess_promotion(store::RegistryRepository& repo, const store::ModelVersion& challenger,
                                 const std::filesystem::path& datasets_dir, const PromotionPolicy& policy);

struct PromotionOutcome {
  PromotionReport report;
  std::optional<store::ModelVersion> promoted;  // set when allowed (and then recorded in the audit trail)
};

// assess_promotion, then RegistryRepository::promote with the report as the audit row's details when
// every check passed. Throws store::RegistryError (unknown version, already in production),
// PromotionError, store::DatabaseError.
PromotionOutcome promote_if_allowed(store::RegistryRepository& repo, const std::string& name, int version,
                                    const std::string& actor, const std::string& reason,
                                    const std::filesystem::path& datasets_dir, const PromotionPolicy& policy);

}  // namespace pdex::registry
