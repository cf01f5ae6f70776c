// The prediction log's write path (traceability; the table is store/prediction_log_repository.h).
//
// Request threads only enqueue() into a bounded in-memory queue; one background thread drains it in
// batched transactions (up to max_batch records, at least every flush_interval), off the request path. The
// costly text of a record (its inputs as JSON, its feature vector as JSON and SHA-256 digest) is made by that
// thread too (PendingPrediction).
// - Database slow or down: records stay queued (bounded by `capacity`) and the failed batch is retried with
//   exponential backoff (initial_backoff doubling to max_backoff). A retried batch never duplicates rows.
// - Queue full: the record is dropped (enqueue returns false) and counted; the prediction itself is still
//   answered. Drops, depth and failures show in /metrics (pdex_prediction_log_queue_depth,
//   pdex_prediction_log_dropped_total, pdex_prediction_log_written_total,
//   pdex_prediction_log_write_failures_total) and in GET /ready ("degraded", still 200).
// - stop() (the server's graceful stop, after the HTTP server has finished its in-flight requests): refuses
//   new records, then writes everything queued, retrying a failing database until drain_timeout; records
//   still unwritten then are counted in lost_at_stop (and logged by the caller). So every record enqueue()
//   accepted is written unless the database stays unavailable for the whole drain_timeout.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/metrics.h"
#include "service/request_context.h"
#include "store/database.h"
#include "store/prediction_log_repository.h"

namespace pdex::service {

// Where batches go. write() is called from the single writer thread only; it throws on failure.
class PredictionLogWriter {
 public:
  virtual ~PredictionLogWriter() = default;
  virtual void write(std::span<const store::PredictionRecord> batch) = 0;
};

// PDEX_DATABASE_URL: the connection is opened (and the schema migrated) on first use and reopened after any
// failure, so a database that comes back is picked up by the next retry.
class DatabasePredictionLogWriter : public PredictionLogWriter {
 public:
  explicit DatabasePredictionLogWriter(std::string url) : url_(std::move(url)) {}
  void write(std::span<const store::PredictionRecord> batch) override;

 private:
  std::string url_;
  std::unique_ptr<store::Database> db_;
};

struct PredictionLogOptions {
  std::size_t capacity = 100'000;  // queued + being written
  // Small batches keep each transaction short: the writer shares a core with the request threads, and the
  // p99 at half load grew with the batch (docs/performance.md: 500 rows 4.3 ms, 64 about 3 ms), for about 3 us
  // more writer CPU per row (more transactions; bench/prediction_log_bench).
  std::size_t max_batch = 64;
  std::chrono::milliseconds flush_interval{100};
  std::chrono::milliseconds initial_backoff{50};
  std::chrono::milliseconds max_backoff{5000};
  std::chrono::milliseconds drain_timeout{30'000};
};

struct PredictionLogStats {
  std::size_t queue_depth = 0;  // queued + in the batch being written
  std::size_t capacity = 0;
  std::uint64_t written = 0;
  std::uint64_t dropped = 0;
  std::uint64_t write_failures = 0;
  std::uint64_t batches = 0;
  std::uint64_t lost_at_stop = 0;
  bool failing = false;  // the last write attempt failed
  std::string last_error;
  std::chrono::steady_clock::time_point last_drop{};
};

// A prediction as the request path hands it over: `record` complete except for what to_record() derives on
// the writer thread: record.inputs from `inputs` (when set), record.features and record.feature_digest from
// `features` (when not empty).
struct PendingPrediction {
  store::PredictionRecord record;
  std::optional<nlohmann::json> inputs;
  std::vector<float> features;
};
store::PredictionRecord to_record(PendingPrediction pending);

class PredictionLog {
 public:
  PredictionLog(std::unique_ptr<PredictionLogWriter> writer, PredictionLogOptions options);
  ~PredictionLog();  // stop()
  PredictionLog(const PredictionLog&) = delete;
  PredictionLog& operator=(const PredictionLog&) = delete;

  // Thread-safe, never blocks on the database. False when the queue is full (counted as dropped) or the
  // log is stopped.
  bool enqueue(PendingPrediction pending);
  bool enqueue(store::PredictionRecord record) { return enqueue(PendingPrediction{std::move(record), {}, {}}); }
  // Idempotent; blocks until drained or drain_timeout (see above).
  void stop();
  PredictionLogStats stats() const;
  // Degraded: the last write failed, a record was dropped in the last minute, or the queue is 90 % full.
  bool degraded() const;
  // {"ok", "queue_depth", "capacity", "written", "dropped", "last_error"?} for GET /ready.
  nlohmann::ordered_json ready_check() const;

 private:
  void run();
  std::unique_ptr<PredictionLogWriter> writer_;
  PredictionLogOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<PendingPrediction> queue_;
  std::size_t in_flight_ = 0;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point drain_deadline_{};
  PredictionLogStats stats_;
  std::mutex stop_mutex_;
  std::thread thread_;
};

// The metrics above, read at scrape time (the log is held weakly: nothing is reported once it is gone).
void register_prediction_log_metrics(MetricsRegistry& registry, const std::shared_ptr<PredictionLog>& log);

// A new prediction_id: 32 lowercase hex digits, the first 12 the Unix time in milliseconds and the other 20
// random. Ids that grow with time append to the primary-key index of `predictions` instead of landing all over
// it, which halves the writer's cost per row (bench/prediction_log_bench, BM_InsertBatch); the 80 random bits
// keep ids unguessable and unique across replicas writing to one database.
std::string generate_prediction_id();

// A record for a prediction answered now: created_at now, key_id from the principal (none when anonymous),
// route from the context, latency since ctx.start, `outputs` what the route answered as JSON text (for
// /predict/battle battle_prediction_log_outputs, prediction_response.h), features (may be empty: no digest then).
PendingPrediction make_prediction_record(const RequestContext& ctx, std::string prediction_id, nlohmann::json inputs,
                                         std::string outputs, std::string model_version, std::vector<float> features);

}  // namespace pdex::service
