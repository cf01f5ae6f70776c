// Quality metrics for the binary "does side 1 win" classifier. The positive class is 1 (side 1
// wins); `probs` are predicted probabilities of class 1.
//
// Inputs: `labels` are 0/1 for the classification metrics and AUC; log-loss and Brier also accept
// soft labels in [0,1] (e.g. the exact win probability). Size mismatches, empty inputs, labels or
// probabilities outside [0,1] (or NaN) throw std::invalid_argument naming the argument and index.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pdex::ml {

struct ConfusionMatrix {
  std::size_t true_positive = 0;
  std::size_t false_positive = 0;
  std::size_t true_negative = 0;
  std::size_t false_negative = 0;

  std::size_t total() const { return true_positive + false_positive + true_negative + false_negative; }
  double accuracy() const;
  double precision() const;  // 0 when nothing is predicted positive
  double recall() const;     // 0 when there are no positives
  double f1() const;         // 0 when precision + recall is 0
};

// Predicts class 1 when prob >= threshold.
ConfusionMatrix confusion_matrix(std::span<const float> labels, std::span<const float> probs, double threshold = 0.5);

// Area under the ROC curve as the Mann-Whitney U statistic with average ranks for tied scores
// (a tie between a positive and a negative counts 1/2). Throws when either class is absent.
double roc_auc(std::span<const float> labels, std::span<const float> probs);

// Mean of -(y log p + (1-y) log(1-p)), with p clipped to [eps, 1-eps].
double log_loss(std::span<const float> labels, std::span<const float> probs, double eps = 1e-15);

// Mean of (p - y)^2.
double brier_score(std::span<const float> labels, std::span<const float> probs);

struct ReliabilityBin {
  double lower = 0;  // bin covers [lower, upper); the last bin includes 1
  double upper = 0;
  std::size_t count = 0;
  double mean_predicted = 0;      // 0 when count == 0
  double observed_frequency = 0;  // mean label; 0 when count == 0
};

struct Calibration {
  std::vector<ReliabilityBin> bins;
  // Expected calibration error: sum over bins of count/N * |mean_predicted - observed_frequency|.
  double expected_calibration_error = 0;
  // Largest |mean_predicted - observed_frequency| over non-empty bins.
  double max_calibration_error = 0;
};

// Equal-width bins over [0,1]. Labels may be soft (then "observed frequency" is the mean label).
Calibration calibration(std::span<const float> labels, std::span<const float> probs, int num_bins = 10);

// Mean |p - q| between two probability vectors (e.g. model vs exact win probability).
double mean_abs_diff(std::span<const float> p, std::span<const float> q);

// The best any model can do when labels are drawn from true probabilities q: predict argmax(q)
// (class 1 when q >= 0.5).
struct BayesCeiling {
  double expected_accuracy = 0;  // mean of max(q, 1-q)
  double realized_accuracy = 0;  // accuracy of argmax(q) against the sampled labels
};
BayesCeiling bayes_ceiling(std::span<const float> true_probs, std::span<const float> labels);

// Everything above for one evaluation set.
struct BinaryReport {
  std::size_t count = 0;
  ConfusionMatrix confusion;
  double accuracy = 0, precision = 0, recall = 0, f1 = 0;
  double roc_auc = 0;  // NaN when one class is absent
  double log_loss = 0;
  double brier = 0;
  Calibration calibration;
};
BinaryReport evaluate_binary(std::span<const float> labels, std::span<const float> probs);
// NaN (AUC with one class) is written as null.
nlohmann::json to_json(const BinaryReport& report);

}  // namespace pdex::ml
