#include "ml/gates.h"

#include <stdexcept>

namespace pdex::ml {

using nlohmann::json;

GateConfig GateConfig::from_json(const json& doc) {
  const json& j = doc.contains("gates") ? doc.at("gates") : doc;
  if (!j.is_object()) throw std::invalid_argument("gates: expected an object");
  GateConfig g;
  for (const auto& [key, v] : j.items()) {
    if (key.starts_with("_")) continue;
    if (!v.is_number()) throw std::invalid_argument("gates." + key + ": expected a number, got " + v.dump());
    const double x = v.get<double>();
    if (key == "max_gap_to_bayes_ceiling")
      g.max_gap_to_bayes_ceiling = x;
    else if (key == "max_ece")
      g.max_ece = x;
    else if (key == "min_accuracy")
      g.min_accuracy = x;
    else if (key == "min_roc_auc")
      g.min_roc_auc = x;
    else if (key == "max_log_loss")
      g.max_log_loss = x;
    else if (key == "max_mean_abs_prob_error")
      g.max_mean_abs_prob_error = x;
    else
      throw std::invalid_argument("gates." + key + ": unknown gate");
  }
  return g;
}

std::vector<GateResult> check_gates(const json& report, const GateConfig& g) {
  const json& t = report.contains("test") ? report.at("test") : report;
  auto figure = [&](const char* path1, const char* path2) -> double {
    const json* node = &t;
    for (const char* key : {path1, path2}) {
      if (key == nullptr) break;
      if (!node->is_object() || !node->contains(key) || node->at(key).is_null()) {
        throw std::invalid_argument(std::string("evaluation report: missing ") + path1 +
                                    (path2 ? std::string(".") + path2 : "") + " needed by a gate");
      }
      node = &node->at(key);
    }
    return node->get<double>();
  };
  std::vector<GateResult> out;
  if (g.max_gap_to_bayes_ceiling) {
    const double v = figure("gap_to_bayes_ceiling", nullptr);
    out.push_back({"max_gap_to_bayes_ceiling", v <= *g.max_gap_to_bayes_ceiling, v, *g.max_gap_to_bayes_ceiling});
  }
  if (g.max_ece) {
    const double v = figure("expected_calibration_error", nullptr);
    out.push_back({"max_ece", v <= *g.max_ece, v, *g.max_ece});
  }
  if (g.min_accuracy) {
    const double v = figure("metrics", "accuracy");
    out.push_back({"min_accuracy", v >= *g.min_accuracy, v, *g.min_accuracy});
  }
  if (g.min_roc_auc) {
    const double v = figure("metrics", "roc_auc");
    out.push_back({"min_roc_auc", v >= *g.min_roc_auc, v, *g.min_roc_auc});
  }
  if (g.max_log_loss) {
    const double v = figure("metrics", "log_loss");
    out.push_back({"max_log_loss", v <= *g.max_log_loss, v, *g.max_log_loss});
  }
  if (g.max_mean_abs_prob_error) {
    const double v = figure("mean_abs_prob_error", nullptr);
    out.push_back({"max_mean_abs_prob_error", v <= *g.max_mean_abs_prob_error, v, *g.max_mean_abs_prob_error});
  }
  return out;
}

bool gates_passed(const std::vector<GateResult>& results) {
  for (const GateResult& r : results) {
    if (!r.passed) return false;
  }
  return true;
}

json to_json(const std::vector<GateResult>& results) {
  json gates = json::array();
  for (const GateResult& r : results) {
    gates.push_back({{"name", r.name}, {"passed", r.passed}, {"value", r.value}, {"threshold", r.threshold}});
  }
  return {{"passed", gates_passed(results)}, {"gates", gates}};
}

}  // namespace pdex::ml
