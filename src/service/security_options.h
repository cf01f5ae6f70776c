// Settings of authentication, rate limiting and the prediction log (DESIGN §3, §6), read from PDEX_*
// environment variables; every one has a default that works on one machine.
//
//   PDEX_AUTH                  on | off (default on). off: no authentication at all, every route is open;
//                              for local experiments only, logged as a warning at start.
//   PDEX_KEY_CACHE_TTL_MS      how long a key read from the database is trusted before it is read again
//                              (default 2000, 0..60000): a revoked key stops working within this delay.
//   PDEX_SESSION_TTL_S         lifetime of a web session cookie (default 28800 = 8 h, 60..604800)
//   PDEX_SESSION_SECRET        HMAC key signing session cookies, at least 32 bytes. Default: random per
//                              process, so sessions end at restart and are valid on one replica only;
//                              set the same secret on every replica behind a load balancer.
//   PDEX_SESSION_COOKIE_SECURE true | false (default false): add `Secure` (set true behind HTTPS)
//   PDEX_WEB_SESSIONS          on | off (default on): POST /api/v1/session issues sessions
//   PDEX_METRICS_ACCESS        public | loopback | admin (default public): who may GET /metrics
//   PDEX_RATE_LIMIT_RPS        tokens per second per API key or session (default 20; 0 disables limits)
//   PDEX_RATE_LIMIT_BURST      bucket size per key or session (default 40)
//   PDEX_RATE_LIMIT_ANON_RPS   per client IP for unauthenticated requests (default 20; 0: unlimited)
//   PDEX_RATE_LIMIT_ANON_BURST (default 100: a web page loads many static files at once)
//   PDEX_PREDICTION_LOG        on | off (default on): record every prediction in the database
//   PDEX_PREDICTION_LOG_QUEUE  records buffered in memory while the database is slow or down (default
//                              100000, 1..10000000); beyond that records are dropped and counted
//   PDEX_PREDICTION_LOG_BATCH  records per transaction (default 64, 1..100000)
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

namespace pdex::service {

enum class MetricsAccess { Public, Loopback, Admin };

struct SecurityOptions {
  bool auth_enabled = true;
  std::chrono::milliseconds key_cache_ttl{2000};
  std::chrono::seconds session_ttl{8 * 3600};
  std::string session_secret;  // empty: random per process
  bool session_cookie_secure = false;
  bool web_sessions = true;
  MetricsAccess metrics_access = MetricsAccess::Public;
  double rate_limit_rps = 20;
  double rate_limit_burst = 40;
  double anon_rate_limit_rps = 20;
  double anon_rate_limit_burst = 100;
  bool prediction_log = true;
  std::size_t prediction_log_queue = 100'000;
  std::size_t prediction_log_batch = 64;

  // Throws std::invalid_argument naming the variable when a value is malformed or out of range.
  static SecurityOptions from_environment();
  // For the start-up log; the session secret is masked.
  std::map<std::string, std::string> describe() const;
};

}  // namespace pdex::service
