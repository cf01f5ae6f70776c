// Cost of online drift tracking (src/ml/drift_monitor.h, src/service/prediction_monitor.h):
//   BM_DriftObserve          what the request path adds for drift: one row copied into the window
//   BM_RecordPrediction      everything the predict handler adds for monitoring (counters, confidence
//                            histogram, drift window), 1 and 4 threads
//   BM_DriftReport           computing every statistic over a full window (what a scrape costs, at most
//                            once per PDEX_DRIFT_REFRESH_MS)
// With the production shape: 109 features, a 500-row reference sample, 10 quantile bins, window 1000.
#include <benchmark/benchmark.h>

#include <random>

#include "ml/drift_monitor.h"
#include "service/prediction_monitor.h"

namespace {

using nlohmann::json;
constexpr std::size_t kFeatures = 109;

json synthetic_reference() {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal;
  std::vector<std::vector<double>> columns(kFeatures, std::vector<double>(1000));
  for (auto& c : columns)
    for (double& x : c) x = normal(rng);
  json features = json::array();
  for (std::size_t f = 0; f < kFeatures; ++f) {
    const auto edges = pdex::ml::quantile_bin_edges(columns[f], 10);
    features.push_back({{"name", "f" + std::to_string(f)},
                        {"edges", edges},
                        {"fractions", pdex::ml::bin_fractions(edges, columns[f])}});
  }
  json sample = json::array();
  for (std::size_t r = 0; r < 500; ++r) {
    json row = json::array();
    for (std::size_t f = 0; f < kFeatures; ++f) row.push_back(columns[f][r]);
    sample.push_back(row);
  }
  const auto pedges = pdex::ml::quantile_bin_edges(columns[0], 10);
  return {{"features", features},
          {"sample", sample},
          {"prediction", {{"edges", pedges}, {"fractions", pdex::ml::bin_fractions(pedges, columns[0])}}}};
}

const json& reference_json() {
  static const json r = synthetic_reference();
  return r;
}

std::vector<float> row(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.3f, 1.0f);
  std::vector<float> out(kFeatures);
  for (float& x : out) x = normal(rng);
  return out;
}

// A served model for the monitor: the reference and a version; prediction itself is not measured here.
class ReferenceOnlyModel : public pdex::service::ServedModel {
 public:
  std::string version() const override { return "bench-000000000000"; }
  json card() const override { return json::object(); }
  double predict_p1_win(const pdex::dex::Dex&, const pdex::battle::BattleConfig&) const override { return 0.5; }
  const json* drift_reference() const override { return &reference_json(); }
};

void BM_DriftObserve(benchmark::State& state) {
  pdex::ml::DriftMonitor monitor(pdex::ml::DriftReference::from_json(reference_json()), {}, {});
  const std::vector<float> x = row(1);
  for (auto _ : state) monitor.observe(x, 0.7);
}
BENCHMARK(BM_DriftObserve);

void BM_RecordPrediction(benchmark::State& state) {
  static pdex::service::MetricsRegistry* registry = nullptr;
  static pdex::service::ModelProvider* models = nullptr;
  static pdex::service::PredictionMonitor* monitor = nullptr;
  static std::shared_ptr<ReferenceOnlyModel> model;
  if (state.thread_index() == 0 && !monitor) {
    registry = new pdex::service::MetricsRegistry;
    models = new pdex::service::ModelProvider;
    model = std::make_shared<ReferenceOnlyModel>();
    models->set(model);
    monitor = new pdex::service::PredictionMonitor(*registry, *models, pdex::service::DriftSettings{});
  }
  const std::vector<float> x = row(2 + state.thread_index());
  for (auto _ : state) monitor->record_prediction(*model, x, 0.7, 1);
}
BENCHMARK(BM_RecordPrediction)->Threads(1)->Threads(4)->UseRealTime();

void BM_DriftReport(benchmark::State& state) {
  pdex::ml::DriftMonitor monitor(pdex::ml::DriftReference::from_json(reference_json()), {}, {});
  for (std::uint64_t i = 0; i < 1000; ++i) monitor.observe(row(i), 0.6);
  for (auto _ : state) benchmark::DoNotOptimize(monitor.report());
}
BENCHMARK(BM_DriftReport)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
