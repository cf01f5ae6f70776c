// A small Prometheus registry rendering text exposition format 0.0.4 (what GET /metrics serves).
//
// Families are created once (at start-up) and kept by reference; updating a child is a shared-lock lookup
// plus atomic adds, so request threads do not contend. Adding a metric elsewhere (predictions, drift):
//
//   auto& predictions = registry.counter("pdex_predictions_total", "Predictions served.", {"model_version", "winner"});
//   predictions.inc({"v3", "1"});
//   auto& confidence = registry.histogram("pdex_prediction_confidence", "...", {}, {0.5, 0.6, 0.7, 0.8, 0.9, 1});
//   confidence.observe({}, 0.87);
//   registry.gauge_callback("pdex_feature_drift_psi", "...", {"feature"}, [] { return std::vector<...>{...}; });
//
// Names must match [a-zA-Z_:][a-zA-Z0-9_:]*; counters should end in _total (promtool's rule). Label values are
// escaped on output. Registering the same name twice throws std::invalid_argument.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pdex::service {

using LabelValues = std::vector<std::string>;

class MetricFamily {
 public:
  MetricFamily(std::string name, std::string help, std::vector<std::string> label_names);
  virtual ~MetricFamily() = default;
  const std::string& name() const { return name_; }
  virtual void render(std::string& out) const = 0;

 protected:
  // `{a="x",b="y"}` (empty string for no labels), plus `extra` (e.g. le="0.1") appended.
  std::string label_text(const LabelValues& values, const std::string& extra = "") const;
  void check_arity(const LabelValues& values) const;
  std::string name_, help_;
  std::vector<std::string> label_names_;
};

class CounterFamily : public MetricFamily {
 public:
  using MetricFamily::MetricFamily;
  // Precondition: delta >= 0; values.size() == number of label names (else std::invalid_argument).
  void inc(const LabelValues& values, double delta = 1);
  double value(const LabelValues& values) const;  // 0 if never incremented
  void render(std::string& out) const override;

 private:
  mutable std::shared_mutex mutex_;
  std::map<LabelValues, std::unique_ptr<std::atomic<double>>> cells_;
};

class GaugeFamily : public MetricFamily {
 public:
  using MetricFamily::MetricFamily;
  void set(const LabelValues& values, double v);
  void add(const LabelValues& values, double delta);
  double value(const LabelValues& values) const;
  void render(std::string& out) const override;

 private:
  mutable std::shared_mutex mutex_;
  std::map<LabelValues, std::unique_ptr<std::atomic<double>>> cells_;
};

class HistogramFamily : public MetricFamily {
 public:
  // `bounds`: upper bounds, strictly increasing (+Inf is implicit).
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> bounds);
  void observe(const LabelValues& values, double v);
  std::uint64_t count(const LabelValues& values) const;
  void render(std::string& out) const override;

 private:
  struct Cell {
    explicit Cell(std::size_t n) : buckets(n) {}
    std::vector<std::atomic<std::uint64_t>> buckets;  // per bound, not cumulative
    std::atomic<double> sum{0};
    std::atomic<std::uint64_t> count{0};
  };
  std::vector<double> bounds_;
  mutable std::shared_mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Cell>> cells_;
};

// A gauge (or counter, when `type` is "counter") computed at scrape time.
class CallbackGaugeFamily : public MetricFamily {
 public:
  using Sample = std::pair<LabelValues, double>;
  CallbackGaugeFamily(std::string name, std::string help, std::vector<std::string> label_names,
                      std::function<std::vector<Sample>()> collect, std::string type = "gauge");
  void render(std::string& out) const override;

 private:
  std::function<std::vector<Sample>()> collect_;
  std::string type_;
};

class MetricsRegistry {
 public:
  CounterFamily& counter(std::string name, std::string help, std::vector<std::string> label_names = {});
  GaugeFamily& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  HistogramFamily& histogram(std::string name, std::string help, std::vector<std::string> label_names,
                             std::vector<double> bounds);
  CallbackGaugeFamily& gauge_callback(std::string name, std::string help, std::vector<std::string> label_names,
                                      std::function<std::vector<CallbackGaugeFamily::Sample>()> collect);
  CallbackGaugeFamily& counter_callback(std::string name, std::string help, std::vector<std::string> label_names,
                                        std::function<std::vector<CallbackGaugeFamily::Sample>()> collect);
  // Families in registration order, each with # HELP and # TYPE lines.
  std::string render() const;

 private:
  template <typename F>
  F& add(std::unique_ptr<F> family);
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<MetricFamily>> families_;
};

// Prometheus float text: integers without a fraction, "+Inf", "NaN", else shortest round-trip.
std::string format_metric_value(double v);
// Escapes \ " and newline for a label value.
std::string escape_label_value(const std::string& v);

// Adds process_resident_memory_bytes, process_virtual_memory_bytes, process_open_fds,
// process_start_time_seconds and process_cpu_seconds_total, read from /proc at scrape time.
void register_process_metrics(MetricsRegistry& registry);

}  // namespace pdex::service
