// Units of the security layer: key verification and its cache, session tokens, cookies, same-origin checks,
// the token bucket.
#include <gtest/gtest.h>

#include <thread>

#include "service/auth_middleware.h"
#include "service/rate_limit_middleware.h"
#include "service/security_options.h"

namespace pdex::service {
namespace {

using namespace std::chrono_literals;

// An in-memory KeyStore that counts lookups and can be switched off.
class FakeKeyStore : public KeyStore {
 public:
  std::optional<store::StoredApiKey> find(const std::string& id) override {
    std::lock_guard lock(mutex);
    ++finds;
    if (down) throw store::DatabaseError("database down");
    const auto it = keys.find(id);
    if (it == keys.end()) return std::nullopt;
    return it->second;
  }
  void touch(const std::vector<std::pair<std::string, std::string>>& used) override {
    std::lock_guard lock(mutex);
    for (const auto& [id, at] : used) touched[id] = at;
  }
  // Adds a key with `scopes`; returns the full key.
  std::string add(const std::string& id, std::set<std::string> scopes) {
    const std::string key = "pdex_" + id + "_" + std::string(64, 'c');
    store::StoredApiKey k;
    k.record.id = id;
    k.record.scopes = std::move(scopes);
    k.key_hash = store::hash_api_key(key);
    std::lock_guard lock(mutex);
    keys[id] = k;
    return key;
  }
  void revoke(const std::string& id) {
    std::lock_guard lock(mutex);
    keys[id].record.revoked_at = "2024-01-01T00:00:00.000Z";
  }
  std::mutex mutex;
  std::map<std::string, store::StoredApiKey> keys;
  std::map<std::string, std::string> touched;
  int finds = 0;
  bool down = false;
};

using Status = KeyVerification::Status;

TEST(KeyVerifier, VerifiesCachesAndSeesRevocationAfterTtl) {
  auto store = std::make_shared<FakeKeyStore>();
  const std::string key = store->add("aaaaaaaaaaaa", {"read"});
  KeyVerifier v(store, 150ms);
  auto r = v.verify(key);
  EXPECT_EQ(r.status, Status::Ok);
  EXPECT_EQ(r.key_id, "aaaaaaaaaaaa");
  EXPECT_EQ(r.scopes, (std::set<std::string>{"read"}));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(v.verify(key).status, Status::Ok);
  EXPECT_EQ(store->finds, 1) << "verified keys must come from the cache within the TTL";

  store->revoke("aaaaaaaaaaaa");
  EXPECT_EQ(v.verify(key).status, Status::Ok) << "cached until the TTL";
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(v.verify(key).status, Status::Revoked);
  EXPECT_EQ(store->finds, 2);
}

TEST(KeyVerifier, InvalidKeysAndNegativeCache) {
  auto store = std::make_shared<FakeKeyStore>();
  const std::string key = store->add("bbbbbbbbbbbb", {"read"});
  KeyVerifier v(store, 10s);
  EXPECT_EQ(v.verify("").status, Status::Invalid);
  EXPECT_EQ(v.verify("hello").status, Status::Invalid);
  EXPECT_EQ(store->finds, 0) << "malformed keys never reach the store";
  std::string wrong = key;
  wrong.back() = 'd';
  EXPECT_EQ(v.verify(wrong).status, Status::Invalid);
  const std::string unknown = "pdex_cccccccccccc_" + std::string(64, 'c');
  EXPECT_EQ(v.verify(unknown).status, Status::Invalid);
  EXPECT_EQ(v.verify(unknown).status, Status::Invalid);
  EXPECT_EQ(store->finds, 2) << "unknown ids are cached too";
  EXPECT_EQ(v.verify(key).status, Status::Ok);
}

TEST(KeyVerifier, StoreDownUsesRecentCacheThenRefuses) {
  auto store = std::make_shared<FakeKeyStore>();
  const std::string key = store->add("dddddddddddd", {"read"});
  KeyVerifier v(store, 50ms, /*stale_grace=*/150ms);
  EXPECT_EQ(v.verify(key).status, Status::Ok);
  store->down = true;
  std::this_thread::sleep_for(80ms);
  EXPECT_EQ(v.verify(key).status, Status::Ok) << "within ttl + grace";
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(v.verify(key).status, Status::Unavailable);
  const std::string other = store->add("eeeeeeeeeeee", {"read"});
  EXPECT_EQ(v.verify(other).status, Status::Unavailable) << "never accepted without a check";
  store->down = false;
  EXPECT_EQ(v.verify(other).status, Status::Ok);
}

TEST(KeyVerifier, CacheIsBounded) {
  auto store = std::make_shared<FakeKeyStore>();
  KeyVerifier v(store, 10s, 60s, /*max_cached=*/100);
  char id[13];
  for (int i = 0; i < 1000; ++i) {
    std::snprintf(id, sizeof id, "%012x", i);
    EXPECT_EQ(v.verify("pdex_" + std::string(id) + "_" + std::string(64, 'c')).status, Status::Invalid);
  }
  // Still works (and still looks up) after many evictions.
  const std::string key = store->add("ffffffffffff", {"admin"});
  EXPECT_EQ(v.verify(key).status, Status::Ok);
}

TEST(KeyVerifier, FlushWritesLastUsedOnce) {
  auto store = std::make_shared<FakeKeyStore>();
  const std::string key = store->add("aaaaaaaaaaa1", {"read"});
  KeyVerifier v(store, 10s);
  EXPECT_EQ(v.flush_last_used(), 0u);
  v.verify(key);
  EXPECT_EQ(v.flush_last_used(), 1u);
  EXPECT_EQ(store->touched.count("aaaaaaaaaaa1"), 1u);
  EXPECT_EQ(v.flush_last_used(), 0u) << "nothing new since the last flush";
}

TEST(SessionSigner, IssuesVerifiableTokensThatExpireAndResistTampering) {
  SessionSigner signer("", 60s);
  const auto now = std::chrono::system_clock::now();
  const auto s = signer.issue(now);
  EXPECT_EQ(s.id.size(), 32u);
  EXPECT_EQ(signer.verify(s.token, now).value_or(""), s.id);
  EXPECT_FALSE(signer.verify(s.token, now + 61s)) << "expired";
  std::string tampered = s.token;
  tampered[0] = tampered[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(signer.verify(tampered, now));
  // Extending the expiry invalidates the MAC.
  const auto dot = s.token.find('.');
  const auto dot2 = s.token.find('.', dot + 1);
  std::string extended = s.token.substr(0, dot + 1) + "99999999999" + s.token.substr(dot2);
  EXPECT_FALSE(signer.verify(extended, now));
  EXPECT_FALSE(signer.verify("", now));
  EXPECT_FALSE(signer.verify("a.b.c", now));
  EXPECT_FALSE(SessionSigner("", 60s).verify(s.token, now)) << "another secret";
  const std::string secret(40, 'k');
  EXPECT_EQ(SessionSigner(secret, 60s).verify(SessionSigner(secret, 60s).issue(now).token, now).has_value(), true)
      << "replicas sharing a secret accept each other's sessions";
  EXPECT_THROW(SessionSigner("short", 60s), std::invalid_argument);
}

TEST(Cookies, ValueByName) {
  EXPECT_EQ(cookie_value("a=1; pdex_session=xyz; b=2", "pdex_session").value_or(""), "xyz");
  EXPECT_EQ(cookie_value("pdex_session=\"q\"", "pdex_session").value_or(""), "q");
  EXPECT_FALSE(cookie_value("xpdex_session=1; other", "pdex_session"));
  EXPECT_FALSE(cookie_value("", "pdex_session"));
}

TEST(SameOrigin, FromFetchMetadataAndOrigin) {
  Request req{http::verb::post, "/api/v1/predict/battle", 11};
  req.set(http::field::host, "pdex.example:8000");
  EXPECT_TRUE(looks_same_origin(req)) << "no headers: not a browser cross-site request";
  req.set("Sec-Fetch-Site", "same-origin");
  req.set(http::field::origin, "http://pdex.example:8000");
  EXPECT_TRUE(looks_same_origin(req));
  req.set(http::field::origin, "https://pdex.example:8000");
  EXPECT_TRUE(looks_same_origin(req));
  req.set(http::field::origin, "https://evil.example");
  EXPECT_FALSE(looks_same_origin(req));
  req.set(http::field::origin, "http://pdex.example:8000");
  req.set("Sec-Fetch-Site", "cross-site");
  EXPECT_FALSE(looks_same_origin(req));
  req.set("Sec-Fetch-Site", "same-site");
  EXPECT_FALSE(looks_same_origin(req));
}

TEST(Loopback, Addresses) {
  EXPECT_TRUE(is_loopback_address("127.0.0.1"));
  EXPECT_TRUE(is_loopback_address("127.1.2.3"));
  EXPECT_TRUE(is_loopback_address("::1"));
  EXPECT_TRUE(is_loopback_address("::ffff:127.0.0.1"));
  EXPECT_FALSE(is_loopback_address("10.0.0.1"));
  EXPECT_FALSE(is_loopback_address("::2"));
}

TEST(RateLimiter, BurstThenRateWithRetryAfter) {
  RateLimiter limiter(/*rate=*/2, /*burst=*/3);
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("k", t0).allowed) << i;
  auto d = limiter.take("k", t0);
  EXPECT_FALSE(d.allowed);
  EXPECT_NEAR(d.retry_after_s, 0.5, 1e-9);
  EXPECT_TRUE(limiter.take("other", t0).allowed) << "buckets are per key";
  EXPECT_FALSE(limiter.take("k", t0 + 400ms).allowed);
  EXPECT_TRUE(limiter.take("k", t0 + 500ms).allowed);
  EXPECT_FALSE(limiter.take("k", t0 + 500ms).allowed);
  // Refills to the burst, not beyond.
  const auto later = t0 + 100s;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("k", later).allowed) << i;
  EXPECT_FALSE(limiter.take("k", later).allowed);
}

TEST(RateLimiter, MemoryIsBounded) {
  RateLimiter limiter(1, 5, /*max_buckets=*/320);
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 10'000; ++i) limiter.take("ip:" + std::to_string(i), t0);
  EXPECT_LE(limiter.bucket_count(), 320u);
  // A client hammering its own bucket keeps its limit while others come and go.
  for (int i = 0; i < 5; ++i) limiter.take("hot", t0);
  EXPECT_FALSE(limiter.take("hot", t0).allowed);
}

TEST(RateLimiter, ConcurrentTakesNeverExceedTheBurst) {
  RateLimiter limiter(0.001, 100);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) allowed += limiter.take("shared").allowed ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 100);
}

TEST(SecurityOptions, EnvironmentIsValidated) {
  ::setenv("PDEX_RATE_LIMIT_RPS", "abc", 1);
  try {
    SecurityOptions::from_environment();
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("PDEX_RATE_LIMIT_RPS"), std::string::npos);
  }
  ::setenv("PDEX_RATE_LIMIT_RPS", "7.5", 1);
  ::setenv("PDEX_METRICS_ACCESS", "loopback", 1);
  ::setenv("PDEX_SESSION_SECRET", std::string(40, 's').c_str(), 1);
  const auto o = SecurityOptions::from_environment();
  EXPECT_DOUBLE_EQ(o.rate_limit_rps, 7.5);
  EXPECT_EQ(o.metrics_access, MetricsAccess::Loopback);
  EXPECT_EQ(o.describe().at("PDEX_SESSION_SECRET"), "***");
  ::setenv("PDEX_METRICS_ACCESS", "everyone", 1);
  EXPECT_THROW(SecurityOptions::from_environment(), std::invalid_argument);
  ::setenv("PDEX_SESSION_SECRET", "short", 1);
  ::unsetenv("PDEX_METRICS_ACCESS");
  EXPECT_THROW(SecurityOptions::from_environment(), std::invalid_argument);
  ::unsetenv("PDEX_SESSION_SECRET");
  ::unsetenv("PDEX_RATE_LIMIT_RPS");
}

}  // namespace
}  // namespace pdex::service

namespace pdex::service {
namespace {

// Not a pass/fail check of speed (shared machines): prints the per-request cost of the checks.
TEST(SecurityFigures, CostPerRequest) {
  auto store = std::make_shared<FakeKeyStore>();
  const std::string key = store->add("abcabcabcabc", {"read"});
  KeyVerifier v(store, std::chrono::seconds(60));
  RateLimiter limiter(1e9, 1e9);
  SessionSigner signer("", std::chrono::seconds(60));
  const auto token = signer.issue().token;
  constexpr int kN = 20'000;
  auto time_us = [](auto&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kN; ++i) f();
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / kN;
  };
  const double verify = time_us([&] { ASSERT_EQ(v.verify(key).status, KeyVerification::Status::Ok); });
  const double take = time_us([&] { ASSERT_TRUE(limiter.take("k").allowed); });
  const double session = time_us([&] { ASSERT_TRUE(signer.verify(token)); });
  std::printf("[figures] per request: cached key verify %.2f us, rate-limit take %.2f us, session verify %.2f us\n",
              verify, take, session);
  EXPECT_EQ(store->finds, 1);
}

}  // namespace
}  // namespace pdex::service
