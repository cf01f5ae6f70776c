#include "ml/drift_monitor.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pdex::ml {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::vector<double> read_numbers(const json& parent, const char* key, const std::string& where) {
  if (!parent.contains(key) || !parent[key].is_array()) {
    throw std::invalid_argument(where + "." + key + ": missing or not an array");
  }
  std::vector<double> out;
  out.reserve(parent[key].size());
  for (std::size_t i = 0; i < parent[key].size(); ++i) {
    const json& v = parent[key][i];
    if (!v.is_number()) {
      throw std::invalid_argument(where + "." + key + "[" + std::to_string(i) + "]: not a number");
    }
    out.push_back(v.get<double>());
  }
  return out;
}

void check_fractions(const std::vector<double>& edges, const std::vector<double>& fractions, const std::string& where) {
  if (fractions.size() != edges.size() + 2) {
    throw std::invalid_argument(where + ".fractions: " + std::to_string(fractions.size()) + " entries, expected " +
                                std::to_string(edges.size() + 2) + " (edges + 2)");
  }
  if (!std::is_sorted(edges.begin(), edges.end())) throw std::invalid_argument(where + ".edges: not increasing");
}

// JSON has no NaN/Inf: such statistics are written as null.
json number_or_null(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

template <typename T>
T validated(T options) {
  options.validate();
  return options;
}

}  // namespace

MultipleTestingCorrection parse_multiple_testing_correction(const std::string& text) {
  if (text == "bh" || text == "benjamini-hochberg") return MultipleTestingCorrection::kBenjaminiHochberg;
  if (text == "bonferroni") return MultipleTestingCorrection::kBonferroni;
  throw std::invalid_argument("multiple-testing correction '" + text + "': expected bh or bonferroni");
}

const char* to_string(MultipleTestingCorrection c) {
  return c == MultipleTestingCorrection::kBonferroni ? "bonferroni" : "benjamini-hochberg";
}

void DriftThresholds::validate() const {
  if (!(psi_warning > 0)) throw std::invalid_argument("psi_warning: must be > 0");
  if (!(psi_alert >= psi_warning)) throw std::invalid_argument("psi_alert: must be >= psi_warning");
  if (!(ks_alpha > 0 && ks_alpha < 1)) throw std::invalid_argument("ks_alpha: must be in (0, 1)");
  if (!(dataset_drift_share > 0 && dataset_drift_share <= 1)) {
    throw std::invalid_argument("dataset_drift_share: must be in (0, 1]");
  }
}

ordered_json DriftThresholds::to_json() const {
  return {{"psi_warning", psi_warning},
          {"psi_alert", psi_alert},
          {"ks_alpha", ks_alpha},
          {"correction", to_string(correction)},
          {"dataset_drift_share", dataset_drift_share}};
}

DriftReference DriftReference::from_json(const json& reference) {
  if (!reference.is_object()) throw std::invalid_argument("reference: missing or not an object");
  if (!reference.contains("features") || !reference["features"].is_array() || reference["features"].empty()) {
    throw std::invalid_argument("reference.features: missing, empty or not an array");
  }
  DriftReference out;
  const json& features = reference["features"];
  for (std::size_t i = 0; i < features.size(); ++i) {
    const std::string where = "reference.features[" + std::to_string(i) + "]";
    const json& f = features[i];
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string()) {
      throw std::invalid_argument(where + ".name: missing or not a string");
    }
    Feature feature;
    feature.name = f["name"].get<std::string>();
    feature.edges = read_numbers(f, "edges", where);
    feature.fractions = read_numbers(f, "fractions", where);
    check_fractions(feature.edges, feature.fractions, where);
    out.features.push_back(std::move(feature));
  }
  if (!reference.contains("sample") || !reference["sample"].is_array() || reference["sample"].empty()) {
    throw std::invalid_argument("reference.sample: missing, empty or not an array");
  }
  const json& sample = reference["sample"];
  for (auto& f : out.features) f.sample.reserve(sample.size());
  for (std::size_t r = 0; r < sample.size(); ++r) {
    const std::string where = "reference.sample[" + std::to_string(r) + "]";
    if (!sample[r].is_array() || sample[r].size() != out.features.size()) {
      throw std::invalid_argument(where + ": expected an array of " + std::to_string(out.features.size()) + " numbers");
    }
    for (std::size_t c = 0; c < out.features.size(); ++c) {
      const json& v = sample[r][c];
      // NaN (missing) is written as null by nlohmann::json.
      if (v.is_null()) {
        out.features[c].sample.push_back(std::nan(""));
      } else if (v.is_number()) {
        out.features[c].sample.push_back(v.get<double>());
      } else {
        throw std::invalid_argument(where + "[" + std::to_string(c) + "]: not a number");
      }
    }
  }
  if (reference.contains("prediction")) {
    const json& p = reference["prediction"];
    if (!p.is_object()) throw std::invalid_argument("reference.prediction: not an object");
    out.prediction_edges = read_numbers(p, "edges", "reference.prediction");
    out.prediction_fractions = read_numbers(p, "fractions", "reference.prediction");
    check_fractions(out.prediction_edges, out.prediction_fractions, "reference.prediction");
  }
  return out;
}

const char* DriftReport::psi_level(double psi) const {
  if (psi >= thresholds.psi_alert) return "alert";
  if (psi >= thresholds.psi_warning) return "warning";
  return "ok";
}

ordered_json DriftReport::to_json() const {
  ordered_json fs = ordered_json::array();
  for (const FeatureDrift& f : features) {
    fs.push_back({{"name", f.name},
                  {"psi", number_or_null(f.psi)},
                  {"psi_level", psi_level(f.psi)},
                  {"ks_statistic", number_or_null(f.ks.statistic)},
                  {"ks_p_value", number_or_null(f.ks.p_value)},
                  {"ks_p_adjusted", number_or_null(f.ks_p_adjusted)},
                  {"drifted", f.drifted}});
  }
  ordered_json out = {{"count", count},
                      {"dataset_drift", dataset_drift},
                      {"drifted_features", drifted_features},
                      {"drifted_share", drifted_share},
                      {"prediction_psi", prediction_psi ? number_or_null(*prediction_psi) : json(nullptr)},
                      {"prediction_drift", prediction_drift},
                      {"thresholds", thresholds.to_json()},
                      {"features", std::move(fs)}};
  return out;
}

DriftReport compute_drift(const DriftReference& reference, std::span<const float> rows, std::size_t count,
                          std::span<const double> predictions, const DriftThresholds& thresholds) {
  const std::size_t width = reference.features.size();
  if (count == 0) throw std::invalid_argument("compute_drift: no rows to compare");
  if (rows.size() != count * width) {
    throw std::invalid_argument("compute_drift: " + std::to_string(rows.size()) + " values for " +
                                std::to_string(count) + " rows of " + std::to_string(width) + " features");
  }
  if (!predictions.empty() && predictions.size() != count) {
    throw std::invalid_argument("compute_drift: " + std::to_string(predictions.size()) + " predictions for " +
                                std::to_string(count) + " rows");
  }
  DriftReport report;
  report.count = count;
  report.thresholds = thresholds;
  report.features.resize(width);
  std::vector<double> column(count);
  std::vector<double> p_values(width, 1.0);
  for (std::size_t c = 0; c < width; ++c) {
    const DriftReference::Feature& ref = reference.features[c];
    for (std::size_t r = 0; r < count; ++r) column[r] = rows[r * width + c];
    FeatureDrift& f = report.features[c];
    f.name = ref.name;
    f.psi = population_stability_index(ref.fractions, bin_fractions(ref.edges, column));
    // A side with only missing values has no distribution to compare: PSI (missing bin) still sees it.
    const bool current_present = std::any_of(column.begin(), column.end(), [](double x) { return !std::isnan(x); });
    const bool reference_present =
        std::any_of(ref.sample.begin(), ref.sample.end(), [](double x) { return !std::isnan(x); });
    if (current_present && reference_present) f.ks = ks_two_sample(ref.sample, column);
    p_values[c] = f.ks.p_value;
  }
  const std::vector<double> adjusted = thresholds.correction == MultipleTestingCorrection::kBonferroni
                                           ? bonferroni_adjust(p_values)
                                           : benjamini_hochberg_adjust(p_values);
  for (std::size_t c = 0; c < width; ++c) {
    FeatureDrift& f = report.features[c];
    f.ks_p_adjusted = adjusted[c];
    f.drifted = f.ks_p_adjusted < thresholds.ks_alpha || f.psi >= thresholds.psi_alert;
    if (f.drifted) ++report.drifted_features;
  }
  report.drifted_share = width == 0 ? 0.0 : static_cast<double>(report.drifted_features) / static_cast<double>(width);
  report.dataset_drift = width > 0 && report.drifted_share >= thresholds.dataset_drift_share;
  if (!predictions.empty() && !reference.prediction_fractions.empty()) {
    report.prediction_psi = population_stability_index(reference.prediction_fractions,
                                                       bin_fractions(reference.prediction_edges, predictions));
    report.prediction_drift = *report.prediction_psi >= thresholds.psi_alert;
  }
  return report;
}

void DriftWindowOptions::validate() const {
  if (capacity < 10 || capacity > 1'000'000) throw std::invalid_argument("drift window: must be 10..1000000");
  if (max_age.count() < 1) throw std::invalid_argument("drift max age: must be >= 1 second");
  if (min_samples < 1 || min_samples > capacity) {
    throw std::invalid_argument("drift min samples: must be 1..window (" + std::to_string(capacity) + ")");
  }
}

DriftMonitor::DriftMonitor(DriftReference reference, DriftWindowOptions window, DriftThresholds thresholds)
    : reference_(std::move(reference)),
      window_(validated(window)),
      thresholds_(validated(thresholds)),
      width_(reference_.features.size()),
      rows_(window.capacity * width_),
      predictions_(window.capacity),
      times_(window.capacity) {}

void DriftMonitor::observe(std::span<const float> features, double p1_probability, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (features.size() != width_) {
    ++rejected_;
    return;
  }
  std::copy(features.begin(), features.end(), rows_.begin() + static_cast<std::ptrdiff_t>(next_ * width_));
  predictions_[next_] = p1_probability;
  times_[next_] = now;
  next_ = (next_ + 1) % window_.capacity;
  size_ = std::min(size_ + 1, window_.capacity);
}

std::size_t DriftMonitor::live_rows(Clock::time_point now, std::vector<float>* rows,
                                    std::vector<double>* predictions) const {
  const Clock::time_point oldest = now - window_.max_age;
  const std::size_t start = (next_ + window_.capacity - size_) % window_.capacity;
  std::size_t n = 0;
  for (std::size_t k = 0; k < size_; ++k) {
    const std::size_t i = (start + k) % window_.capacity;
    if (times_[i] < oldest) continue;
    ++n;
    if (rows) {
      const auto first = rows_.begin() + static_cast<std::ptrdiff_t>(i * width_);
      rows->insert(rows->end(), first, first + static_cast<std::ptrdiff_t>(width_));
    }
    if (predictions) predictions->push_back(predictions_[i]);
  }
  return n;
}

std::size_t DriftMonitor::window_size(Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  return live_rows(now, nullptr, nullptr);
}

std::optional<DriftReport> DriftMonitor::report(Clock::time_point now) const {
  std::vector<float> rows;
  std::vector<double> predictions;
  std::size_t n;
  {
    std::lock_guard lock(mutex_);
    rows.reserve(size_ * width_);
    predictions.reserve(size_);
    n = live_rows(now, &rows, &predictions);
  }
  if (n < window_.min_samples) return std::nullopt;
  return compute_drift(reference_, rows, n, predictions, thresholds_);
}

std::size_t DriftMonitor::rejected() const {
  std::lock_guard lock(mutex_);
  return rejected_;
}

}  // namespace pdex::ml
