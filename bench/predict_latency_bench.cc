// End-to-end serving latency of the battle model: Predictor::predict (feature function + symmetrised
// flattened evaluator) per request, p50/p99 over real dataset configurations, and batch throughput of
// predict_features. Usage (Release build, from the repo root):
//   predict_latency_bench MODEL_DIR DATASET_DIR [requests]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "dex/dex_json.h"
#include "ml/dataset.h"
#include "ml/predictor.h"

int main(int argc, char** argv) {
  using namespace pdex;
  using clock = std::chrono::steady_clock;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MODEL_DIR DATASET_DIR [requests]\n", argv[0]);
    return 2;
  }
  const std::size_t requests = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 20000;
  const dex::Dex dex(dex::load_dex_json("data/lgpe-dex.json"));
  const ml::Predictor predictor = ml::Predictor::load(argv[1]);
  const ml::Dataset ds = ml::read_dataset(argv[2]);
  std::vector<battle::BattleConfig> configs;
  for (const ml::DatasetRow& r : ds.rows) {
    if (r.split == ml::Split::Test) configs.push_back(ml::row_battle_config(dex, r, ds.config.turn_limit));
  }
  std::vector<double> us;
  us.reserve(requests);
  double sink = 0;
  for (std::size_t i = 0; i < requests; ++i) {
    const auto t0 = clock::now();
    sink += predictor.predict(dex, configs[i % configs.size()]);
    us.push_back(std::chrono::duration<double, std::micro>(clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  std::printf(
      "single request (features + symmetrised evaluator), %zu requests: p50 %.2f us  p99 %.2f us  max %.2f us\n",
      requests, us[us.size() / 2], us[us.size() * 99 / 100], us.back());
  // Batch: precomputed features, the model alone.
  const std::size_t n = ds.rows.size();
  const auto t0 = clock::now();
  for (std::size_t r = 0; r < n; ++r) sink += predictor.predict_features(ds.row_features(r));
  const double s = std::chrono::duration<double>(clock::now() - t0).count();
  std::printf("batch predict_features over %zu rows: %.0f rows/s (one thread)  [checksum %.3f]\n", n, n / s, sink);
  return 0;
}
