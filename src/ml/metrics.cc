#include "ml/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>
#include <string>

namespace pdex::ml {
namespace {

void check_sizes(std::span<const float> a, std::span<const float> b, const char* what_a, const char* what_b) {
  if (a.size() != b.size()) {
    throw std::invalid_argument(std::string(what_a) + " has " + std::to_string(a.size()) + " entries, " + what_b + " " +
                                std::to_string(b.size()));
  }
  if (a.empty()) throw std::invalid_argument(std::string(what_a) + " is empty");
}

void check_probabilities(std::span<const float> v, const char* what) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!(v[i] >= 0.0f && v[i] <= 1.0f)) {
      throw std::invalid_argument(std::string(what) + "[" + std::to_string(i) + "] = " + std::to_string(v[i]) +
                                  " is not in [0,1]");
    }
  }
}

void check_binary(std::span<const float> v, const char* what) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != 0.0f && v[i] != 1.0f) {
      throw std::invalid_argument(std::string(what) + "[" + std::to_string(i) + "] = " + std::to_string(v[i]) +
                                  " is not 0 or 1");
    }
  }
}

double ratio(double num, double den) {
  return den == 0 ? 0.0 : num / den;
}

nlohmann::json number_or_null(double v) {
  return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

}  // namespace

double ConfusionMatrix::accuracy() const {
  return ratio(static_cast<double>(true_positive + true_negative), static_cast<double>(total()));
}
double ConfusionMatrix::precision() const {
  return ratio(static_cast<double>(true_positive), static_cast<double>(true_positive + false_positive));
}
double ConfusionMatrix::recall() const {
  return ratio(static_cast<double>(true_positive), static_cast<double>(true_positive + false_negative));
}
double ConfusionMatrix::f1() const {
  const double p = precision(), r = recall();
  return ratio(2 * p * r, p + r);
}

ConfusionMatrix confusion_matrix(std::span<const float> labels, std::span<const float> probs, double threshold) {
  check_sizes(labels, probs, "labels", "probs");
  check_binary(labels, "labels");
  check_probabilities(probs, "probs");
  ConfusionMatrix m;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const bool predicted = probs[i] >= threshold;
    const bool actual = labels[i] == 1.0f;
    if (predicted && actual)
      ++m.true_positive;
    else if (predicted)
      ++m.false_positive;
    else if (actual)
      ++m.false_negative;
    else
      ++m.true_negative;
  }
  return m;
}

double roc_auc(std::span<const float> labels, std::span<const float> probs) {
  check_sizes(labels, probs, "labels", "probs");
  check_binary(labels, "labels");
  check_probabilities(probs, "probs");
  std::vector<std::size_t> order(labels.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return probs[a] < probs[b]; });
  double positive_rank_sum = 0;
  std::size_t positives = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && probs[order[j]] == probs[order[i]]) ++j;
    const double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;  // 1-based
    for (std::size_t k = i; k < j; ++k) {
      if (labels[order[k]] == 1.0f) {
        positive_rank_sum += average_rank;
        ++positives;
      }
    }
    i = j;
  }
  const std::size_t negatives = labels.size() - positives;
  if (positives == 0 || negatives == 0) {
    throw std::invalid_argument("roc_auc: labels contain only one class");
  }
  const double np = static_cast<double>(positives), nn = static_cast<double>(negatives);
  return (positive_rank_sum - np * (np + 1) / 2.0) / (np * nn);
}

double log_loss(std::span<const float> labels, std::span<const float> probs, double eps) {
  check_sizes(labels, probs, "labels", "probs");
  check_probabilities(labels, "labels");
  check_probabilities(probs, "probs");
  double sum = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double p = std::clamp(static_cast<double>(probs[i]), eps, 1.0 - eps);
    const double y = labels[i];
    sum -= y * std::log(p) + (1.0 - y) * std::log(1.0 - p);
  }
  return sum / static_cast<double>(labels.size());
}

double brier_score(std::span<const float> labels, std::span<const float> probs) {
  check_sizes(labels, probs, "labels", "probs");
  check_probabilities(labels, "labels");
  check_probabilities(probs, "probs");
  double sum = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double d = static_cast<double>(probs[i]) - labels[i];
    sum += d * d;
  }
  return sum / static_cast<double>(labels.size());
}

Calibration calibration(std::span<const float> labels, std::span<const float> probs, int num_bins) {
  check_sizes(labels, probs, "labels", "probs");
  check_probabilities(labels, "labels");
  check_probabilities(probs, "probs");
  if (num_bins < 1) throw std::invalid_argument("calibration: num_bins must be >= 1");
  Calibration c;
  c.bins.resize(static_cast<std::size_t>(num_bins));
  std::vector<double> sum_p(c.bins.size(), 0.0), sum_y(c.bins.size(), 0.0);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto b = std::min(static_cast<std::size_t>(static_cast<double>(probs[i]) * num_bins), c.bins.size() - 1);
    ++c.bins[b].count;
    sum_p[b] += probs[i];
    sum_y[b] += labels[i];
  }
  const double n = static_cast<double>(labels.size());
  for (std::size_t b = 0; b < c.bins.size(); ++b) {
    ReliabilityBin& bin = c.bins[b];
    bin.lower = static_cast<double>(b) / num_bins;
    bin.upper = static_cast<double>(b + 1) / num_bins;
    if (bin.count == 0) continue;
    bin.mean_predicted = sum_p[b] / static_cast<double>(bin.count);
    bin.observed_frequency = sum_y[b] / static_cast<double>(bin.count);
    const double gap = std::abs(bin.mean_predicted - bin.observed_frequency);
    c.expected_calibration_error += static_cast<double>(bin.count) / n * gap;
    c.max_calibration_error = std::max(c.max_calibration_error, gap);
  }
  return c;
}

double mean_abs_diff(std::span<const float> p, std::span<const float> q) {
  check_sizes(p, q, "p", "q");
  check_probabilities(p, "p");
  check_probabilities(q, "q");
  double sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) sum += std::abs(static_cast<double>(p[i]) - q[i]);
  return sum / static_cast<double>(p.size());
}

BayesCeiling bayes_ceiling(std::span<const float> true_probs, std::span<const float> labels) {
  check_sizes(true_probs, labels, "true_probs", "labels");
  check_probabilities(true_probs, "true_probs");
  check_binary(labels, "labels");
  BayesCeiling b;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double q = true_probs[i];
    b.expected_accuracy += std::max(q, 1.0 - q);
    const bool predicted = q >= 0.5;
    if (predicted == (labels[i] == 1.0f)) ++correct;
  }
  const double n = static_cast<double>(labels.size());
  b.expected_accuracy /= n;
  b.realized_accuracy = static_cast<double>(correct) / n;
  return b;
}

BinaryReport evaluate_binary(std::span<const float> labels, std::span<const float> probs) {
  BinaryReport r;
  r.confusion = confusion_matrix(labels, probs);
  r.count = labels.size();
  r.accuracy = r.confusion.accuracy();
  r.precision = r.confusion.precision();
  r.recall = r.confusion.recall();
  r.f1 = r.confusion.f1();
  const bool both_classes = r.confusion.true_positive + r.confusion.false_negative > 0 &&
                            r.confusion.true_negative + r.confusion.false_positive > 0;
  r.roc_auc = both_classes ? roc_auc(labels, probs) : std::numeric_limits<double>::quiet_NaN();
  r.log_loss = log_loss(labels, probs);
  r.brier = brier_score(labels, probs);
  r.calibration = calibration(labels, probs);
  return r;
}

nlohmann::json to_json(const BinaryReport& r) {
  nlohmann::json bins = nlohmann::json::array();
  for (const ReliabilityBin& b : r.calibration.bins) {
    bins.push_back({{"lower", b.lower},
                    {"upper", b.upper},
                    {"count", b.count},
                    {"mean_predicted", b.mean_predicted},
                    {"observed_frequency", b.observed_frequency}});
  }
  return {{"count", r.count},
          {"confusion",
           {{"tp", r.confusion.true_positive},
            {"fp", r.confusion.false_positive},
            {"tn", r.confusion.true_negative},
            {"fn", r.confusion.false_negative}}},
          {"accuracy", r.accuracy},
          {"precision", r.precision},
          {"recall", r.recall},
          {"f1", r.f1},
          {"roc_auc", number_or_null(r.roc_auc)},
          {"log_loss", r.log_loss},
          {"brier", r.brier},
          {"ece", r.calibration.expected_calibration_error},
          {"mce", r.calibration.max_calibration_error},
          {"reliability", bins}};
}

}  // namespace pdex::ml
