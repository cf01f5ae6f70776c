#include "service/rate_limit_middleware.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "service/problem.h"
#include "service/router.h"

namespace pdex::service {

RateLimiter::RateLimiter(double rate, double burst, std::size_t max_buckets)
    : rate_(rate), burst_(burst), max_per_shard_(std::max<std::size_t>(1, max_buckets / kShards)) {
  if (!(rate > 0) || !(burst >= 1)) throw std::invalid_argument("rate limiter: rate must be > 0 and burst >= 1");
}

void RateLimiter::evict(Shard& shard, Clock::time_point now) {
  const auto refill = std::chrono::duration<double>(burst_ / rate_);
  std::erase_if(shard.buckets, [&](const auto& kv) { return now - kv.second.updated >= refill; });
  if (shard.buckets.size() < max_per_shard_) return;
  auto oldest = std::min_element(shard.buckets.begin(), shard.buckets.end(),
                                 [](const auto& a, const auto& b) { return a.second.updated < b.second.updated; });
  shard.buckets.erase(oldest);
}

RateLimiter::Decision RateLimiter::take(const std::string& key, Clock::time_point now) {
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_per_shard_) evict(shard, now);
    it = shard.buckets.emplace(key, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::max(0.0, std::chrono::duration<double>(now - b.updated).count());
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
  b.updated = std::max(b.updated, now);
  Decision d;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    d.allowed = true;
    d.remaining = b.tokens;
  } else {
    d.allowed = false;
    d.retry_after_s = (1 - b.tokens) / rate_;
    d.remaining = b.tokens;
  }
  return d;
}

std::size_t RateLimiter::bucket_count() const {
  std::size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.buckets.size();
  }
  return n;
}

RateLimitMiddleware::RateLimitMiddleware(std::shared_ptr<RateLimiter> per_key, std::shared_ptr<RateLimiter> per_ip,
                                         CounterFamily* limited)
    : per_key_(std::move(per_key)), per_ip_(std::move(per_ip)), limited_(limited) {}

Response RateLimitMiddleware::handle(const Request& req, RequestContext& ctx, const Next& next) {
  if (ctx.rejected) return next();
  // The web app's files are not limited, with or without a session: a Pokédex page loads hundreds of sprites.
  const std::string route = ctx.route != nullptr ? ctx.route->pattern : "";
  if (route == "static" || route == "/" || route == "/docs" || route == "/redoc") return next();
  RateLimiter* limiter = nullptr;
  std::string bucket, kind;
  if (ctx.principal.authenticated) {
    limiter = per_key_.get();
    bucket = ctx.principal.key_id;
    kind = ctx.principal.key_id.rfind("session:", 0) == 0 ? "session" : "key";
  } else {
    const std::string& p = ctx.path;
    if (p == "/health" || p == "/ready" || p == "/metrics") return next();
    limiter = per_ip_.get();
    bucket = "ip:" + ctx.peer.address;
    kind = "ip";
  }
  if (limiter == nullptr) return next();
  const auto d = limiter->take(bucket);
  if (d.allowed) return next();

  if (limited_ != nullptr) limited_->inc({kind});
  const long long retry = std::max(1LL, static_cast<long long>(std::ceil(d.retry_after_s)));
  char rate[64];
  std::snprintf(rate, sizeof rate, "%g requests/s, burst %g", limiter->rate(), limiter->burst());
  Problem p = make_problem(429, std::string("rate limit exceeded (") + rate + " per " +
                                    (kind == "ip"        ? "client address"
                                     : kind == "session" ? "session"
                                                         : "API key") +
                                    "); retry after " + std::to_string(retry) + " s");
  p.instance = ctx.path.substr(0, 200);
  Response res = problem_response(p, req.version());
  res.set(http::field::retry_after, std::to_string(retry));
  ctx.log_fields["rate_limited"] = kind;
  return res;
}

}  // namespace pdex::service
