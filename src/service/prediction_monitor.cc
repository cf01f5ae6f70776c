#include "service/prediction_monitor.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "service/standard_middleware.h"

namespace pdex::service {
namespace {

using Sample = CallbackGaugeFamily::Sample;
using Samples = std::vector<Sample>;

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

long long env_integer(const char* name, long long fallback, long long lo, long long hi) {
  const char* v = env(name);
  if (!v) return fallback;
  char* end = nullptr;
  errno = 0;
  const long long x = std::strtoll(v, &end, 10);
  if (errno != 0 || *end != '\0' || x < lo || x > hi) {
    throw std::invalid_argument(std::string(name) + ": '" + v + "' is not an integer in " + std::to_string(lo) + ".." +
                                std::to_string(hi));
  }
  return x;
}

double env_number(const char* name, double fallback, double lo, double hi) {
  const char* v = env(name);
  if (!v) return fallback;
  char* end = nullptr;
  errno = 0;
  const double x = std::strtod(v, &end);
  if (errno != 0 || *end != '\0' || !(x >= lo && x <= hi)) {
    throw std::invalid_argument(std::string(name) + ": '" + v + "' is not a number in [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + "]");
  }
  return x;
}

std::string number_text(double v) {
  return format_metric_value(v);
}

}  // namespace

DriftSettings DriftSettings::from_environment() {
  DriftSettings s;
  s.window.capacity = static_cast<std::size_t>(env_integer("PDEX_DRIFT_WINDOW", 1000, 10, 1'000'000));
  s.window.max_age = std::chrono::seconds(env_integer("PDEX_DRIFT_MAX_AGE_S", 3600, 1, 30L * 24 * 3600));
  s.window.min_samples = static_cast<std::size_t>(env_integer("PDEX_DRIFT_MIN_SAMPLES", 100, 1, 1'000'000));
  if (s.window.min_samples > s.window.capacity) {
    throw std::invalid_argument("PDEX_DRIFT_MIN_SAMPLES: must not exceed PDEX_DRIFT_WINDOW (" +
                                std::to_string(s.window.capacity) + ")");
  }
  s.thresholds.psi_warning = env_number("PDEX_DRIFT_PSI_WARNING", 0.1, 1e-6, 100);
  s.thresholds.psi_alert = env_number("PDEX_DRIFT_PSI_ALERT", 0.2, 1e-6, 100);
  if (s.thresholds.psi_alert < s.thresholds.psi_warning) {
    throw std::invalid_argument("PDEX_DRIFT_PSI_ALERT: must be >= PDEX_DRIFT_PSI_WARNING");
  }
  s.thresholds.ks_alpha = env_number("PDEX_DRIFT_KS_ALPHA", 0.05, 1e-12, 0.5);
  if (const char* c = env("PDEX_DRIFT_CORRECTION")) {
    try {
      s.thresholds.correction = ml::parse_multiple_testing_correction(c);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("PDEX_DRIFT_CORRECTION: ") + e.what());
    }
  }
  s.thresholds.dataset_drift_share = env_number("PDEX_DRIFT_DATASET_SHARE", 0.5, 0.01, 1);
  s.refresh = std::chrono::milliseconds(env_integer("PDEX_DRIFT_REFRESH_MS", 1000, 0, 3'600'000));
  return s;
}

std::map<std::string, std::string> DriftSettings::describe() const {
  return {{"drift_window", std::to_string(window.capacity)},
          {"drift_max_age_s", std::to_string(window.max_age.count())},
          {"drift_min_samples", std::to_string(window.min_samples)},
          {"drift_psi_warning", number_text(thresholds.psi_warning)},
          {"drift_psi_alert", number_text(thresholds.psi_alert)},
          {"drift_ks_alpha", number_text(thresholds.ks_alpha)},
          {"drift_correction", ml::to_string(thresholds.correction)},
          {"drift_dataset_share", number_text(thresholds.dataset_drift_share)},
          {"drift_refresh_ms", std::to_string(refresh.count())}};
}

PredictionMonitor::PredictionMonitor(MetricsRegistry& registry, const ModelProvider& models, DriftSettings settings)
    : models_(models),
      settings_(settings),
      predictions_(registry.counter("pdex_predictions_total", "Predictions answered, by model version and winner side.",
                                    {"model_version", "winner"})),
      confidence_(registry.histogram("pdex_prediction_confidence",
                                     "Probability of the predicted winner (0.5 to 1) of each prediction.", {},
                                     {0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99, 1})),
      reloads_(registry.counter("pdex_model_reloads_total", "Model loads at run time (SIGHUP, promotion), by result.",
                                {"result"})) {
  settings_.window.validate();
  settings_.thresholds.validate();
  // Both series exist from the start, so rate() and alerts see the first failure.
  reloads_.inc({"success"}, 0);
  reloads_.inc({"failure"}, 0);

  registry.gauge_callback("pdex_model_loaded", "1 when a model is loaded and predictions are served, else 0.", {},
                          [this] {
                            return Samples{{{}, models_.current() ? 1.0 : 0.0}};
                          });
  registry.gauge_callback("pdex_drift_window_predictions",
                          "Predictions in the drift window of the current model (recent, not older than the max age).",
                          {}, [this] {
                            auto s = snapshot();
                            return s ? Samples{{{}, static_cast<double>(s->window)}} : Samples{};
                          });
  // The drift statistics: no samples until the window holds min_samples predictions.
  auto per_feature = [this](auto field) {
    return [this, field] {
      Samples out;
      auto s = snapshot();
      if (!s || !s->report) return out;
      for (const ml::FeatureDrift& f : s->report->features) {
        const double v = field(f);
        if (!std::isnan(v)) out.push_back({{f.name}, v});
      }
      return out;
    };
  };
  registry.gauge_callback("pdex_feature_drift_psi",
                          "Population stability index of each feature over the drift window against the model's "
                          "reference quantile bins (0.1 warning, 0.2 alert).",
                          {"feature"}, per_feature([](const ml::FeatureDrift& f) { return f.psi; }));
  registry.gauge_callback("pdex_feature_drift_ks_statistic",
                          "Two-sample Kolmogorov-Smirnov statistic of each feature, drift window against the "
                          "model's reference sample.",
                          {"feature"}, per_feature([](const ml::FeatureDrift& f) { return f.ks.statistic; }));
  registry.gauge_callback("pdex_feature_drift_ks_pvalue",
                          "Two-sample Kolmogorov-Smirnov p-value of each feature (uncorrected).", {"feature"},
                          per_feature([](const ml::FeatureDrift& f) { return f.ks.p_value; }));
  registry.gauge_callback("pdex_feature_drift_ks_pvalue_adjusted",
                          "Kolmogorov-Smirnov p-value of each feature after the multiple-testing correction "
                          "(compared with the KS alpha).",
                          {"feature"}, per_feature([](const ml::FeatureDrift& f) { return f.ks_p_adjusted; }));
  auto scalar = [this](auto field) {
    return [this, field] {
      auto s = snapshot();
      if (!s || !s->report) return Samples{};
      const std::optional<double> v = field(*s->report);
      return v ? Samples{{{}, *v}} : Samples{};
    };
  };
  registry.gauge_callback(
      "pdex_prediction_drift_psi",
      "Population stability index of the predicted P(side 1 wins) over the drift window against the reference.", {},
      scalar([](const ml::DriftReport& r) { return r.prediction_psi; }));
  registry.gauge_callback(
      "pdex_drift_drifted_features",
      "Features whose corrected KS p-value is below alpha or whose PSI reaches the alert level.", {},
      scalar([](const ml::DriftReport& r) { return std::optional<double>(static_cast<double>(r.drifted_features)); }));
  registry.gauge_callback(
      "pdex_dataset_drift", "1 when at least the configured share (default half) of the features drift, else 0.", {},
      scalar([](const ml::DriftReport& r) { return std::optional<double>(r.dataset_drift ? 1.0 : 0.0); }));
}

std::shared_ptr<const PredictionMonitor::Tracker> PredictionMonitor::tracker_for(const ServedModel& model) {
  auto t = tracker_.load(std::memory_order_acquire);
  const std::string version = model.version();
  if (t && t->version == version) return t;
  // A request still finishing with a model that was just replaced must not reset the new model's window.
  const auto current = models_.current();
  if (current.get() != &model) return nullptr;
  std::lock_guard lock(switch_mutex_);
  t = tracker_.load(std::memory_order_acquire);
  if (t && t->version == version) return t;
  auto fresh = std::make_shared<Tracker>();
  fresh->version = version;
  const nlohmann::json* reference = model.drift_reference();
  if (!reference) {
    fresh->unavailable = "the model bundle has no drift reference";
  } else {
    try {
      fresh->monitor = std::make_shared<ml::DriftMonitor>(ml::DriftReference::from_json(*reference), settings_.window,
                                                          settings_.thresholds);
    } catch (const std::exception& e) {
      fresh->unavailable = std::string("the model bundle's drift reference is unusable: ") + e.what();
    }
  }
  tracker_.store(fresh, std::memory_order_release);
  return fresh;
}

void PredictionMonitor::record_prediction(const ServedModel& model, std::span<const float> features, double p1,
                                          int winner) {
  const std::string version = model.version();
  predictions_.inc({version, winner == 1 ? "1" : "2"});
  confidence_.observe({}, winner == 1 ? p1 : 1 - p1);
  if (features.empty()) return;
  if (auto t = tracker_for(model); t && t->monitor) t->monitor->observe(features, p1);
}

void PredictionMonitor::record_model_reload(bool ok) {
  reloads_.inc({ok ? "success" : "failure"});
}

std::shared_ptr<const PredictionMonitor::Snapshot> PredictionMonitor::snapshot() {
  const auto model = models_.current();
  if (!model) return nullptr;
  const auto t = tracker_for(*model);
  if (!t || !t->monitor) return nullptr;
  std::lock_guard lock(snapshot_mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (snapshot_ && snapshot_->version == t->version && now - snapshot_->at < settings_.refresh) return snapshot_;
  auto s = std::make_shared<Snapshot>();
  s->version = t->version;
  s->at = now;
  s->computed_at = utc_timestamp_now();
  s->window = t->monitor->window_size(now);
  s->report = t->monitor->report(now);
  snapshot_ = s;
  return s;
}

nlohmann::ordered_json PredictionMonitor::drift_json(const std::shared_ptr<const ServedModel>& current) {
  nlohmann::ordered_json out;
  if (!current) return out;
  out["model_version"] = current->version();
  const auto t = tracker_for(*current);
  const auto s = snapshot();
  nlohmann::ordered_json window = {{"predictions", s ? s->window : 0},
                                   {"capacity", settings_.window.capacity},
                                   {"max_age_seconds", settings_.window.max_age.count()},
                                   {"min_samples", settings_.window.min_samples}};
  if (!t || !t->monitor || !s || s->version != out["model_version"].get<std::string>()) {
    out["status"] = "no_reference";
    out["reason"] = t ? t->unavailable : "the model changed while computing; retry";
    out["window"] = window;
    out["thresholds"] = settings_.thresholds.to_json();
    return out;
  }
  out["status"] = s->report ? "ok" : "insufficient_data";
  if (!s->report) {
    out["reason"] = "the drift window holds " + std::to_string(s->window) + " predictions; statistics need " +
                    std::to_string(settings_.window.min_samples);
  }
  out["computed_at"] = s->computed_at;
  out["window"] = window;
  if (s->report) {
    const nlohmann::ordered_json report = s->report->to_json();
    for (auto& [k, v] : report.items()) out[k] = v;
  } else {
    out["thresholds"] = settings_.thresholds.to_json();
  }
  return out;
}

}  // namespace pdex::service
