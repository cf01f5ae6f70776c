// Inference latency of a 200-tree, depth-8 model on synthetic data: the XGBoost C API paths
// (DMatrix per call, in-place without and with a reused proxy DMatrix) against the flattened
// evaluator; and batch throughput. (XGProxyDMatrixSetDataDense + XGBoosterPredictFromDMatrix is not
// a route in 1.7: the CPU predictor asks the proxy for a gradient index, "Not implemented".)
// Build in Release, run from anywhere:
//   ml_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

#include "ml/synthetic_data.h"
#include "ml/tree_evaluator.h"
#include "ml/xgb_booster.h"

namespace pdex::ml {
namespace {

constexpr std::size_t kFeatures = 40;

struct Fixture {
  SyntheticData data = make_synthetic_data(4000, kFeatures, 99, 0.02);
  XgbBooster booster = train_model();
  TreeEvaluator evaluator = TreeEvaluator::from_booster(booster);

  XgbBooster train_model() const {
    XgbTrainConfig c;
    c.num_boost_round = 200;
    c.max_depth = 8;
    c.eta = 0.05;
    c.subsample = 0.8;
    c.colsample_bytree = 0.8;
    c.min_child_weight = 0;
    c.nthread = 2;
    // Serve as a server would: load from JSON, one OpenMP thread.
    return XgbBooster::load_json_buffer(XgbBooster::train(c, data.labeled(), nullptr).save_json_buffer(), "bench", 1);
  }
};

Fixture& fixture() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    std::fprintf(stderr, "model: %zu trees, %zu nodes, max |evaluator - xgboost| over %zu rows = %.3g\n",
                 fx->evaluator.num_trees(), fx->evaluator.num_nodes(), fx->data.rows,
                 fx->evaluator.max_abs_diff_against(fx->booster, fx->data.dense()));
    return fx;
  }();
  return *f;
}

template <typename Predict>
void run_rows(benchmark::State& state, Predict predict) {
  Fixture& f = fixture();
  std::size_t r = 0;
  double sink = 0;
  for (auto _ : state) {
    sink += predict(f, f.data.dense().row(r));
    if (++r == f.data.rows) r = 0;
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}

void BM_Row_CApi_DMatrix(benchmark::State& s) {
  run_rows(s, [](Fixture& f, std::span<const float> row) { return f.booster.predict_row_dmatrix(row); });
}
void BM_Row_CApi_InplaceNoProxy(benchmark::State& s) {
  run_rows(s, [](Fixture& f, std::span<const float> row) { return f.booster.predict_row_inplace_no_proxy(row); });
}
void BM_Row_CApi_InplaceProxy(benchmark::State& s) {
  run_rows(s, [](Fixture& f, std::span<const float> row) { return f.booster.predict_row(row); });
}
void BM_Row_FlatEvaluator(benchmark::State& s) {
  run_rows(s, [](Fixture& f, std::span<const float> row) { return f.evaluator.predict(row); });
}

void BM_Batch1000_CApi_DMatrix(benchmark::State& s) {
  Fixture& f = fixture();
  const DenseRows rows{f.data.dense().values.subspan(0, 1000 * kFeatures), 1000, kFeatures};
  for (auto _ : s) benchmark::DoNotOptimize(f.booster.predict_batch(rows));
  s.SetItemsProcessed(s.iterations() * 1000);
}
void BM_Batch1000_FlatEvaluator(benchmark::State& s) {
  Fixture& f = fixture();
  const DenseRows rows{f.data.dense().values.subspan(0, 1000 * kFeatures), 1000, kFeatures};
  for (auto _ : s) benchmark::DoNotOptimize(f.evaluator.predict_batch(rows));
  s.SetItemsProcessed(s.iterations() * 1000);
}

BENCHMARK(BM_Row_CApi_DMatrix);
BENCHMARK(BM_Row_CApi_InplaceNoProxy);
BENCHMARK(BM_Row_CApi_InplaceProxy);
BENCHMARK(BM_Row_FlatEvaluator);
BENCHMARK(BM_Batch1000_CApi_DMatrix);
BENCHMARK(BM_Batch1000_FlatEvaluator);

}  // namespace
}  // namespace pdex::ml

BENCHMARK_MAIN();
