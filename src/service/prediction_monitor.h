// What the server knows about the predictions it makes (DESIGN §6): counts by model and winner, the
// confidence distribution, model reloads, and online drift of the inputs and outputs against the served
// model's reference (ml/drift_monitor.h), all exposed in /metrics and GET /api/v1/monitoring/drift.
//
// The drift window belongs to one model: when the current model's version changes (promotion, rollback,
// SIGHUP reload) the next prediction starts a new window against the new bundle's reference. A model
// without a usable reference (ServedModel::drift_reference() null or malformed) is served normally and
// reported as "no_reference".
//
// Cost on the request path (measured in bench/drift_bench.cc): two atomic counter updates, one histogram
// observation and DriftMonitor::observe (a row copy under a mutex). The statistics are computed at most
// once per `refresh` interval, when /metrics or the drift route asks.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "ml/drift_monitor.h"
#include "service/metrics.h"
#include "service/model_provider.h"

namespace pdex::service {

struct DriftSettings {
  ml::DriftWindowOptions window;
  ml::DriftThresholds thresholds;
  std::chrono::milliseconds refresh{1000};  // how long a computed report is reused

  // PDEX_DRIFT_WINDOW (1000), PDEX_DRIFT_MAX_AGE_S (3600), PDEX_DRIFT_MIN_SAMPLES (100),
  // PDEX_DRIFT_PSI_WARNING (0.1), PDEX_DRIFT_PSI_ALERT (0.2), PDEX_DRIFT_KS_ALPHA (0.05),
  // PDEX_DRIFT_CORRECTION (bh|bonferroni), PDEX_DRIFT_DATASET_SHARE (0.5), PDEX_DRIFT_REFRESH_MS (1000).
  // Throws std::invalid_argument naming the variable when malformed or out of range.
  static DriftSettings from_environment();
  std::map<std::string, std::string> describe() const;
};

class PredictionMonitor {
 public:
  // Registers the metrics in `registry`; `models` is read at scrape time. Both outlive the monitor.
  PredictionMonitor(MetricsRegistry& registry, const ModelProvider& models, DriftSettings settings);

  // One answered prediction by `model`: features in feature-spec order (may be empty: no drift input),
  // p1 = P(side 1 wins), winner = "1" | "2". Thread-safe, cheap.
  void record_prediction(const ServedModel& model, std::span<const float> features, double p1, int winner);
  // A model (re)load attempt at run time: pdex_model_reloads_total{result="success"|"failure"}.
  void record_model_reload(bool ok);

  // The body of GET /api/v1/monitoring/drift for the current model (null: none loaded):
  // {model_version, status: "ok"|"insufficient_data"|"no_reference", reason?, window: {predictions,
  //  capacity, max_age_seconds, min_samples}, computed_at, ...DriftReport::to_json() when status is "ok"}.
  nlohmann::ordered_json drift_json(const std::shared_ptr<const ServedModel>& current);

  const DriftSettings& settings() const { return settings_; }

 private:
  struct Tracker {
    std::string version;
    std::shared_ptr<ml::DriftMonitor> monitor;  // null: no usable reference
    std::string unavailable;                    // why monitor is null
  };
  struct Snapshot {
    std::string version;
    std::chrono::steady_clock::time_point at;
    std::string computed_at;  // UTC ISO 8601
    std::size_t window = 0;
    std::optional<ml::DriftReport> report;
  };

  std::shared_ptr<const Tracker> tracker_for(const ServedModel& model);
  // The cached report for the current model's tracker (null without a model or a drift monitor).
  std::shared_ptr<const Snapshot> snapshot();

  const ModelProvider& models_;
  DriftSettings settings_;
  CounterFamily& predictions_;
  HistogramFamily& confidence_;
  CounterFamily& reloads_;
  std::atomic<std::shared_ptr<const Tracker>> tracker_;
  std::mutex switch_mutex_;
  std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace pdex::service
