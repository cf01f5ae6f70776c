// Everything `pdex serve` adds for security and traceability, installed on an ApiServer in one call:
// the auth middleware and session routes (auth_middleware.h), the rate-limit middleware
// (rate_limit_middleware.h), the prediction log (prediction_log.h, in ServiceState::prediction_log) and a
// background thread writing API keys' last_used_at every 10 s.
//
//   ApiServer api(state, logger);
//   SecurityLayer security(api, SecurityOptions::from_environment());   // before api.listen()
//   api.listen(); api.run(true);                                        // until SIGTERM
//   auto s = security.stop();                                           // drains the prediction log
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "service/api_server.h"
#include "service/auth_middleware.h"
#include "service/prediction_log.h"
#include "service/rate_limit_middleware.h"
#include "service/security_options.h"

namespace pdex::service {

// Replaceable parts (tests); empty members take the defaults built from the ServiceState's database URL.
struct SecurityDependencies {
  std::shared_ptr<KeyStore> key_store;
  std::unique_ptr<PredictionLogWriter> prediction_log_writer;
  std::optional<PredictionLogOptions> prediction_log_options;
  std::chrono::milliseconds key_usage_flush_interval{10'000};
};

class SecurityLayer {
 public:
  // Precondition: `api` has not started listening. With options.auth_enabled false no auth or session
  // middleware/routes are installed (rate limiting per IP and the prediction log still are). Without a
  // database URL in the state, API keys cannot be verified (503) and there is no prediction log.
  SecurityLayer(ApiServer& api, const SecurityOptions& options, SecurityDependencies deps = {});
  ~SecurityLayer();
  SecurityLayer(const SecurityLayer&) = delete;
  SecurityLayer& operator=(const SecurityLayer&) = delete;

  // Drains the prediction log (see PredictionLog::stop) and writes pending last_used_at. Idempotent.
  // Call after the HTTP server has stopped. Returns the log's final statistics (zeros without a log).
  PredictionLogStats stop();

  KeyVerifier* key_verifier() { return keys_.get(); }
  RateLimiter* key_rate_limiter() { return per_key_.get(); }
  PredictionLog* prediction_log() { return log_.get(); }

 private:
  ServiceState& state_;
  std::shared_ptr<KeyVerifier> keys_;
  std::shared_ptr<SessionSigner> sessions_;
  std::shared_ptr<RateLimiter> per_key_, per_ip_;
  std::unique_ptr<AuthMetrics> auth_metrics_;
  std::shared_ptr<PredictionLog> log_;
  std::chrono::milliseconds flush_interval_;
  std::mutex flush_mutex_;
  std::condition_variable flush_wake_;
  bool stopped_ = false;
  std::thread flusher_;
};

}  // namespace pdex::service
