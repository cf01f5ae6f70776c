// Online drift detection: how far the inputs (and outputs) of recent predictions have moved from the
// rows a model was validated on. One implementation, used by the server (a sliding window fed from the
// prediction path) and by `pdex monitor drift` (rows read back from the prediction log).
//
// Per feature: the population stability index of the window against the bundle's reference quantile bins,
// and the two-sample Kolmogorov-Smirnov test of the window against the bundle's reference sample. The
// p-values are corrected for testing every feature at once (Benjamini-Hochberg by default, or Bonferroni).
// A feature drifts when its corrected KS p-value is below ks_alpha or its PSI reaches psi_alert; the
// dataset drifts when at least dataset_drift_share of the features drift (Evidently's convention). The
// predicted probabilities get a PSI against the bundle's reference prediction bins.
//
// Cost: observe() copies one feature row into a ring buffer under a mutex (no allocation); the statistics
// are computed only by report(), O(features * (window + sample) * log), meant for scrapes and API calls.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ml/drift_stats.h"

namespace pdex::ml {

enum class MultipleTestingCorrection { kBenjaminiHochberg, kBonferroni };

// "bh" | "benjamini-hochberg" | "bonferroni"; throws std::invalid_argument otherwise.
MultipleTestingCorrection parse_multiple_testing_correction(const std::string& text);
const char* to_string(MultipleTestingCorrection c);  // "benjamini-hochberg" | "bonferroni"

struct DriftThresholds {
  double psi_warning = 0.1;  // "moderate shift"
  double psi_alert = 0.2;    // a feature (or the predictions) drifted
  double ks_alpha = 0.05;    // on the corrected p-value
  MultipleTestingCorrection correction = MultipleTestingCorrection::kBenjaminiHochberg;
  double dataset_drift_share = 0.5;  // share of drifting features that makes the dataset drift

  // Throws std::invalid_argument naming the field when out of range (0 < warning <= alert, 0 < alpha < 1,
  // 0 < share <= 1).
  void validate() const;
  nlohmann::ordered_json to_json() const;
};

// The `reference` object of bundle.json (docs/model-bundle.md): per feature its name, quantile bin edges
// and reference fractions, a sample of feature rows, and the prediction distribution's edges and fractions.
struct DriftReference {
  struct Feature {
    std::string name;
    std::vector<double> edges;
    std::vector<double> fractions;  // edges.size() + 2 entries (value bins, then missing)
    std::vector<double> sample;     // this feature's column of the reference sample
  };
  std::vector<Feature> features;
  std::vector<double> prediction_edges;
  std::vector<double> prediction_fractions;  // empty: no prediction reference

  // Throws std::invalid_argument naming the field ("reference.features[3].fractions: ...") when malformed.
  static DriftReference from_json(const nlohmann::json& reference);
};

struct FeatureDrift {
  std::string name;
  double psi = 0;
  KsResult ks;
  double ks_p_adjusted = 1;
  bool drifted = false;  // ks_p_adjusted < ks_alpha || psi >= psi_alert
};

struct DriftReport {
  std::size_t count = 0;  // rows compared
  std::vector<FeatureDrift> features;
  std::optional<double> prediction_psi;  // absent without predictions or a prediction reference
  std::size_t drifted_features = 0;
  double drifted_share = 0;
  bool dataset_drift = false;
  bool prediction_drift = false;  // prediction_psi >= psi_alert
  DriftThresholds thresholds;

  // "ok" | "warning" | "alert" for a PSI value under `thresholds`.
  const char* psi_level(double psi) const;
  // {count, dataset_drift, drifted_features, drifted_share, prediction_psi, prediction_drift, thresholds,
  //  features: [{name, psi, psi_level, ks_statistic, ks_p_value, ks_p_adjusted, drifted}]}
  nlohmann::ordered_json to_json() const;
};

// Compares `count` rows (row-major, reference.features.size() columns) and their predicted probabilities
// (empty, or `count` values) with the reference. Throws std::invalid_argument when count is 0 or sizes
// disagree.
DriftReport compute_drift(const DriftReference& reference, std::span<const float> rows, std::size_t count,
                          std::span<const double> predictions, const DriftThresholds& thresholds);

struct DriftWindowOptions {
  std::size_t capacity = 1000;         // the most recent predictions kept
  std::chrono::seconds max_age{3600};  // older ones no longer count
  std::size_t min_samples = 100;       // report() gives nothing below this (too noisy to judge)

  void validate() const;  // capacity 10..1000000, max_age >= 1 s, 1 <= min_samples <= capacity
};

// A sliding window of recent predictions for one model's reference. Thread-safe.
class DriftMonitor {
 public:
  using Clock = std::chrono::steady_clock;

  DriftMonitor(DriftReference reference, DriftWindowOptions window, DriftThresholds thresholds);

  // Records one prediction. A row of the wrong width is ignored (and counted in rejected()).
  void observe(std::span<const float> features, double p1_probability, Clock::time_point now = Clock::now());
  // Rows in the window that are not older than max_age at `now`.
  std::size_t window_size(Clock::time_point now = Clock::now()) const;
  // nullopt while the window holds fewer than min_samples rows.
  std::optional<DriftReport> report(Clock::time_point now = Clock::now()) const;

  std::size_t rejected() const;
  const DriftReference& reference() const { return reference_; }
  const DriftWindowOptions& window_options() const { return window_; }
  const DriftThresholds& thresholds() const { return thresholds_; }

 private:
  // Copies the live rows (oldest first) out of the ring; returns how many. Caller holds mutex_.
  std::size_t live_rows(Clock::time_point now, std::vector<float>* rows, std::vector<double>* predictions) const;

  const DriftReference reference_;
  const DriftWindowOptions window_;
  const DriftThresholds thresholds_;
  const std::size_t width_;
  mutable std::mutex mutex_;
  std::vector<float> rows_;  // capacity * width_
  std::vector<double> predictions_;
  std::vector<Clock::time_point> times_;
  std::size_t next_ = 0;  // ring position of the next write
  std::size_t size_ = 0;
  std::size_t rejected_ = 0;
};

}  // namespace pdex::ml
