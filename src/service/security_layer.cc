#include "service/security_layer.h"

#include "common/thread_name.h"

namespace pdex::service {
namespace {

// An always-failing store for a server without a database: keys cannot be checked (503), never accepted.
class NoKeyStore : public KeyStore {
 public:
  std::optional<store::StoredApiKey> find(const std::string&) override {
    throw store::DatabaseError("no database configured");
  }
  void touch(const std::vector<std::pair<std::string, std::string>>&) override {}
};

}  // namespace

SecurityLayer::SecurityLayer(ApiServer& api, const SecurityOptions& options, SecurityDependencies deps)
    : state_(api.state()), flush_interval_(deps.key_usage_flush_interval) {
  const std::string& url = state_.config.database_url;
  MetricsRegistry& registry = state_.metrics;

  if (options.auth_enabled) {
    std::shared_ptr<KeyStore> store = deps.key_store;
    if (!store)
      store = url.empty() ? std::shared_ptr<KeyStore>(std::make_shared<NoKeyStore>())
                          : std::make_shared<DatabaseKeyStore>(url);
    keys_ = std::make_shared<KeyVerifier>(store, options.key_cache_ttl);
    if (options.web_sessions) {
      sessions_ = std::make_shared<SessionSigner>(options.session_secret, options.session_ttl);
      register_session_routes(api.router(), *sessions_, options.session_cookie_secure);
    }
    auth_metrics_ = std::make_unique<AuthMetrics>(registry);
    api.add_middleware(std::make_unique<AuthMiddleware>(keys_, sessions_, options.metrics_access, auth_metrics_.get()));
  }

  if (options.rate_limit_rps > 0) {
    per_key_ = std::make_shared<RateLimiter>(options.rate_limit_rps, options.rate_limit_burst);
  }
  if (options.anon_rate_limit_rps > 0) {
    per_ip_ = std::make_shared<RateLimiter>(options.anon_rate_limit_rps, options.anon_rate_limit_burst);
  }
  auto& limited = registry.counter("pdex_rate_limited_total", "Requests answered 429, by kind of caller.", {"kind"});
  api.add_middleware(std::make_unique<RateLimitMiddleware>(per_key_, per_ip_, &limited));

  if (options.prediction_log && (!url.empty() || deps.prediction_log_writer)) {
    std::unique_ptr<PredictionLogWriter> writer = std::move(deps.prediction_log_writer);
    if (!writer) writer = std::make_unique<DatabasePredictionLogWriter>(url);
    PredictionLogOptions log_options;
    log_options.capacity = options.prediction_log_queue;
    log_options.max_batch = options.prediction_log_batch;
    if (deps.prediction_log_options) log_options = *deps.prediction_log_options;
    log_ = std::make_shared<PredictionLog>(std::move(writer), log_options);
    state_.prediction_log = log_;
    register_prediction_log_metrics(registry, log_);
  }

  if (keys_) {
    flusher_ = std::thread([this] {
      set_thread_name("pdex-key-flush");
      std::unique_lock lock(flush_mutex_);
      while (!stopped_) {
        flush_wake_.wait_for(lock, flush_interval_, [this] { return stopped_; });
        lock.unlock();
        keys_->flush_last_used();
        lock.lock();
      }
    });
  }
}

SecurityLayer::~SecurityLayer() {
  stop();
}

PredictionLogStats SecurityLayer::stop() {
  {
    std::lock_guard lock(flush_mutex_);
    stopped_ = true;
  }
  flush_wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  if (!log_) return {};
  log_->stop();
  return log_->stats();
}

}  // namespace pdex::service
