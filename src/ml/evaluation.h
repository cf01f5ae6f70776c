// Evaluation of a model on a dataset split (`pdex model evaluate`): the classification and probability
// metrics (metrics.h) on the sampled winners, the Bayes ceiling from the engine's probabilities and the
// model's gap to it, mean |model − engine probability|, per scenario; the baseline on the same rows;
// feature importance; SVG plots for the web app.
//
// Report layout (evaluation.json): {"split", "rows", "test": {"metrics": BinaryReport,
// "bayes_ceiling": {"expected_accuracy", "realized_accuracy"}, "gap_to_bayes_ceiling" (realized ceiling −
// accuracy), "expected_calibration_error", "mean_abs_prob_error", "draws_excluded"},
// "per_scenario": {name: same figures}, "baseline": {same figures}, "feature_importance": [{"name",
// "total_gain", "share"}], "model": {"name", "version"}, "seconds"}.
#pragma once

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "ml/dataset.h"
#include "ml/predictor.h"

namespace pdex::ml {

// Figures for one set of rows: labels (0/1 sampled winners), model probabilities, engine probabilities.
nlohmann::json evaluation_figures(std::span<const float> labels, std::span<const float> probs,
                                  std::span<const float> engine_probs);

nlohmann::json evaluate_model(const Dataset& dataset, const Predictor& predictor, Split split = Split::Test);

// reliability.svg, confusion.svg, importance.svg into `dir` from an evaluate_model report.
void write_evaluation_plots(const nlohmann::json& report, const std::filesystem::path& dir);

}  // namespace pdex::ml
