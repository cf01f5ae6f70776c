// What the route handlers share: the Dex, the model, configuration, metrics. Built once by ApiServer;
// read-only after start except ModelProvider (atomic swap) and the metric cells (atomics).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dex/dex.h"
#include "service/http_server.h"
#include "service/metrics.h"
#include "service/model_provider.h"
#include "service/prediction_monitor.h"

namespace pdex::service {

class PredictionLog;  // service/prediction_log.h

struct ServiceConfig {
  ServerOptions server;
  std::vector<std::string> cors_origins;                     // empty: CORS off
  std::filesystem::path openapi_file = "docs/openapi.json";  // served by GET /openapi.json
  std::int64_t max_odds_n = 200'000;                         // cap of "n" in POST /api/v1/simulate/odds
  std::string database_url;                                  // checked by GET /ready; empty: no database
  std::chrono::milliseconds ready_cache{2000};               // how long a database check result is reused
  DriftSettings drift;                                       // online drift window and thresholds
  // Model registry routes (handlers_models.cc): promotion re-evaluates on <data_dir>/datasets/<hash16> under
  // the gates and champion/challenger margins of gates_file (registry/promotion.h).
  std::filesystem::path data_dir = "var";
  std::filesystem::path gates_file = "configs/gates.json";
  // The web app (static_files.h): GET /, /docs, /redoc and non-API paths. A missing directory is not an error
  // (those paths answer 404 until it is built).
  std::filesystem::path web_root = "web/dist";
  // The worker pool running every route not marked Execution::Inline (router.h, worker_pool.h): threads (0: one
  // per core) and queued requests beyond which requests are answered 503 + Retry-After.
  int worker_threads = 0;
  std::size_t worker_queue = 4096;
};

struct ServiceState {
  ServiceConfig config;
  std::shared_ptr<const dex::Dex> dex;
  std::string dex_source;  // for /ready and the start-up log
  ModelProvider models;
  MetricsRegistry metrics;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  // Database reachability (nullopt = reachable); defaults to check_database(config.database_url), replaceable
  // in tests. Called at most once per ready_cache period.
  std::function<std::optional<std::string>()> database_check;
  // Where predict handlers record what they answered (traceability); nullptr: not recorded. Set by
  // SecurityLayer (service/security_layer.h) before the server starts.
  std::shared_ptr<PredictionLog> prediction_log;
  // Prediction counts, confidence, model reloads and online drift (service/prediction_monitor.h); created by
  // ApiServer from config.drift. Predict handlers call monitor->record_prediction after answering.
  std::shared_ptr<PredictionMonitor> monitor;

  // Cached database check for /ready.
  std::optional<std::string> database_status();

 private:
  std::mutex ready_mutex_;
  std::chrono::steady_clock::time_point checked_at_{};
  bool checked_ = false;
  std::optional<std::string> last_status_;
};

}  // namespace pdex::service
