// Rate limiting (DESIGN §3): a token bucket per caller, answered 429 problem+json with Retry-After.
//
// Callers: an authenticated principal by its key id (API key id, or "session:<id>" for a web session:
// rate-limited like any key), everyone else by client IP address ("ip:<address>", its own, usually looser
// limits) except the probe routes /health, /ready and /metrics, which are never limited. The web app's files (/,
// /docs, /redoc and the static fallback: static_files.h) are never limited for anyone. Behind a reverse proxy every
// anonymous client shares the proxy's address: the proxy should limit them itself.
//
// Memory is bounded: buckets live in 32 mutex-protected shards holding at most max_buckets in all; a bucket
// that has been idle long enough to refill completely is indistinguishable from a new one and is evicted
// first, then the least recently used.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "service/metrics.h"
#include "service/middleware.h"

namespace pdex::service {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // `rate` tokens per second (> 0), `burst` bucket size (>= 1).
  RateLimiter(double rate, double burst, std::size_t max_buckets = 100'000);

  struct Decision {
    bool allowed = true;
    double retry_after_s = 0;  // when refused: seconds until one token is available
    double remaining = 0;      // tokens left after this request
  };
  // Takes one token from `key`'s bucket (created full). Thread-safe.
  Decision take(const std::string& key, Clock::time_point now = Clock::now());
  std::size_t bucket_count() const;
  double rate() const { return rate_; }
  double burst() const { return burst_; }

 private:
  static constexpr std::size_t kShards = 32;
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
  };
  void evict(Shard& shard, Clock::time_point now);
  double rate_, burst_;
  std::size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

class RateLimitMiddleware : public Middleware {
 public:
  // Either limiter may be null (that kind of caller is not limited). `limited` (pdex_rate_limited_total{kind})
  // may be null.
  RateLimitMiddleware(std::shared_ptr<RateLimiter> per_key, std::shared_ptr<RateLimiter> per_ip,
                      CounterFamily* limited);
  std::string_view name() const override { return "rate-limit"; }
  Response handle(const Request& req, RequestContext& ctx, const Next& next) override;

 private:
  std::shared_ptr<RateLimiter> per_key_, per_ip_;
  CounterFamily* limited_;
};

}  // namespace pdex::service
