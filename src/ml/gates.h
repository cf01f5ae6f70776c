// Quality gates (configs/gates.json): a model becomes a candidate only when every configured gate
// passes on its test-split evaluation. Absent keys are not checked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pdex::ml {

struct GateConfig {
  std::optional<double> max_gap_to_bayes_ceiling;  // Bayes ceiling (realized) − accuracy, in accuracy units
  std::optional<double> max_ece;
  std::optional<double> min_accuracy;
  std::optional<double> min_roc_auc;
  std::optional<double> max_log_loss;
  std::optional<double> max_mean_abs_prob_error;  // mean |model − engine probability|

  // Reads the "gates" object (or the whole document). Unknown keys throw std::invalid_argument.
  static GateConfig from_json(const nlohmann::json& j);
};

struct GateResult {
  std::string name;
  bool passed = false;
  double value = 0;
  double threshold = 0;
};

// Reads the figures from an evaluation report (evaluation.h: "test" section). Throws
// std::invalid_argument when the report lacks a figure a gate needs.
std::vector<GateResult> check_gates(const nlohmann::json& report, const GateConfig& gates);
bool gates_passed(const std::vector<GateResult>& results);
nlohmann::json to_json(const std::vector<GateResult>& results);

}  // namespace pdex::ml
