// Per-record cost of the prediction log's background writer (service/prediction_log.h), which shares the
// server's CPU with the request threads: to_record() (inputs JSON, features JSON, SHA-256 digest) and
// PredictionLogRepository::insert_batch into a fresh SQLite file (WAL, synchronous=NORMAL, as served).
//   prediction_log_bench [benchmark flags]      (Release build; writes temporary files under $TMPDIR)
// BM_InsertBatch/ordered_ids:1 vs :0: prediction ids that grow with time append to the primary-key
// index, random ones land all over it (more pages dirtied and written to the WAL per transaction).
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "service/prediction_log.h"
#include "service/standard_middleware.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/prediction_log_repository.h"

namespace {

using namespace pdex;

constexpr std::size_t kBatch = 64;  // PredictionLogOptions::max_batch
// A /predict/battle record's outputs (prediction_response.h, battle_prediction_log_outputs).
constexpr std::size_t kOutputs = 330;
constexpr std::size_t kFeatures = 109;  // ml::feature_spec().size() of the current spec

// Like a real vector: mostly whole numbers (flags, counts, levels, stats), one value in twelve fractional
// (expected damages and their ratios).
std::vector<float> sample_features(std::mt19937& rng) {
  std::uniform_real_distribution<float> d(0, 300);
  std::vector<float> f(kFeatures);
  for (std::size_t i = 0; i < f.size(); ++i) f[i] = i % 12 == 0 ? d(rng) : std::floor(d(rng));
  return f;
}

service::PendingPrediction sample_pending(std::mt19937& rng) {
  service::PendingPrediction p;
  p.record.created_at = "2026-12-04T21:00:00.000Z";
  p.record.route = "/api/v1/predict/battle";
  p.record.outputs = std::string(kOutputs, 'x');
  p.record.model_version = "battle_winner_model/3";
  p.record.latency_us = 40;
  p.inputs = nlohmann::json{{"pokemon_1_id", 25}, {"pokemon_2_id", 6}};
  p.features = sample_features(rng);
  return p;
}

void BM_ToRecord(benchmark::State& state) {
  std::mt19937 rng(1);
  const service::PendingPrediction pending = sample_pending(rng);
  for (auto _ : state) benchmark::DoNotOptimize(service::to_record(pending));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ToRecord);

// state.range(0): 1 = the server's ids (service::generate_prediction_id, led by the time), 0 = random ids of the
// same width (service::generate_request_id, how prediction ids were made before).
void BM_InsertBatch(benchmark::State& state) {
  const bool ordered = state.range(0) == 1;
  const auto dir = std::filesystem::temp_directory_path() / ("pdex_log_bench_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  store::Database db("sqlite://" + (dir / "log.sqlite").string());
  store::migrate(db.session());
  store::PredictionLogRepository repo(db.session());
  std::mt19937 rng(7);
  std::vector<store::PredictionRecord> batch;
  for (std::size_t i = 0; i < kBatch; ++i) batch.push_back(service::to_record(sample_pending(rng)));
  for (auto _ : state) {
    state.PauseTiming();
    for (auto& r : batch) r.id = ordered ? service::generate_prediction_id() : service::generate_request_id();
    state.ResumeTiming();
    repo.insert_batch(batch);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_InsertBatch)->ArgName("ordered_ids")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
