// Authentication and authorization of the API (DESIGN §3).
//
// Who is calling (RequestContext::principal) comes from, in this order:
//   1. X-API-Key: "pdex_<id>_<secret>" (store/api_key_repository.h). The key's stored row is read by id
//      and cached in memory for `ttl` (PDEX_KEY_CACHE_TTL_MS, default 2 s): each request costs one SHA-256
//      and a constant-time compare, not a database query, and a revocation takes effect on every replica
//      within `ttl`. While the database cannot be read, a cached row is trusted for `stale_grace` (60 s)
//      more; past that the request is answered 503 (never let in without a check).
//   2. Cookie pdex_session (the web app): an opaque token "<id>.<expiry>.<hmac>" issued by
//      POST /api/v1/session, signed with HMAC-SHA256 (PDEX_SESSION_SECRET, or a random per-process secret),
//      HttpOnly, SameSite=Strict, Path=/, Secure when configured. Sessions carry `read` and `predict` and are
//      rate-limited like keys (principal key_id "session:<id>"). Signed rather than stored: nothing to keep
//      in memory or in the database, and replicas sharing the secret accept each other's sessions. A session
//      cannot be revoked individually; it expires (PDEX_SESSION_TTL_S), or every session ends when the
//      secret changes. For unsafe methods (POST...), a session-authenticated request must also look
//      same-origin: Sec-Fetch-Site, when sent, must be "same-origin", and Origin, when sent, must name this
//      Host (CSRF defence in depth on top of SameSite=Strict). API-key requests are exempt (a browser cannot
//      attach a custom header cross-origin without a CORS preflight).
//
// Policy, from the matched route's scope (router.h): "public" routes (/health, /ready, /openapi.json,
// /docs, /redoc, /, static files) are open; /metrics follows PDEX_METRICS_ACCESS (public, loopback only,
// or the admin scope); any other route needs a principal (401 problem+json with WWW-Authenticate:
// "missing X-API-Key", "invalid API key", "API key revoked") holding the route's scope (403 naming it).
// Unmatched requests (404/405) pass through. Requests refused by the transport (ctx.rejected) pass through.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "service/metrics.h"
#include "service/middleware.h"
#include "service/router.h"
#include "service/security_options.h"
#include "store/api_key_repository.h"
#include "store/database.h"

namespace pdex::service {

// Where stored keys come from. Implementations must be thread-safe.
class KeyStore {
 public:
  virtual ~KeyStore() = default;
  // nullopt: no key with this id. Throws (store::DatabaseError) when the store cannot answer.
  virtual std::optional<store::StoredApiKey> find(const std::string& id) = 0;
  // Records last_used_at; may throw.
  virtual void touch(const std::vector<std::pair<std::string, std::string>>& used) = 0;
};

// The database (PDEX_DATABASE_URL): one connection, opened (and migrated) on first use, reopened after a
// failure; lookups are serialized (they are rare: once per key per cache TTL).
class DatabaseKeyStore : public KeyStore {
 public:
  explicit DatabaseKeyStore(std::string url) : url_(std::move(url)) {}
  std::optional<store::StoredApiKey> find(const std::string& id) override;
  void touch(const std::vector<std::pair<std::string, std::string>>& used) override;

 private:
  soci::session& session();  // precondition: mutex_ held
  std::string url_;
  std::mutex mutex_;
  std::unique_ptr<store::Database> db_;
};

struct KeyVerification {
  enum class Status { Ok, Missing, Invalid, Revoked, Unavailable };
  Status status = Status::Invalid;
  std::string key_id;  // when the format was valid
  std::set<std::string> scopes;
};

class KeyVerifier {
 public:
  KeyVerifier(std::shared_ptr<KeyStore> store, std::chrono::milliseconds ttl,
              std::chrono::milliseconds stale_grace = std::chrono::seconds(60), std::size_t max_cached = 10'000);
  // Thread-safe.
  KeyVerification verify(std::string_view presented);
  // Writes last_used_at (to the second at which a key was last verified) for keys used since the previous
  // call; called periodically by a background thread (see SecurityLayer). Returns how many keys were
  // updated; store errors are returned in `error` and retried next time.
  std::size_t flush_last_used(std::string* error = nullptr);
  // Store lookups made so far (tests, metrics).
  std::uint64_t store_lookups() const { return lookups_.load(); }

 private:
  struct Usage {
    std::atomic<std::int64_t> last_used_ms{0};
    std::atomic<std::int64_t> flushed_ms{0};
  };
  struct Entry {
    std::optional<store::StoredApiKey> key;  // nullopt: no such id (negative cache)
    std::chrono::steady_clock::time_point fetched;
    std::shared_ptr<Usage> usage;
  };
  std::shared_ptr<KeyStore> store_;
  std::chrono::milliseconds ttl_, stale_grace_;
  std::size_t max_cached_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Entry>> cache_;  // shared: no copy per request
  std::atomic<std::uint64_t> lookups_{0};
};

// Signs and checks web session tokens (see the top of this file).
class SessionSigner {
 public:
  // `secret` empty: 32 random bytes. Throws std::invalid_argument for a non-empty secret under 32 bytes.
  SessionSigner(std::string secret, std::chrono::seconds ttl);
  struct Issued {
    std::string token;
    std::string id;  // 32 hex digits
    std::chrono::system_clock::time_point expires;
  };
  Issued issue(std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;
  // The session id when `token` is authentic and unexpired.
  std::optional<std::string> verify(std::string_view token,
                                    std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  std::string mac(std::string_view payload) const;
  std::string secret_;
  std::chrono::seconds ttl_;
};

inline constexpr const char* kSessionCookie = "pdex_session";
inline const std::set<std::string>& web_session_scopes() {
  static const std::set<std::string> scopes{"predict", "read"};
  return scopes;
}

// Value of cookie `name` in a Cookie header ("a=1; pdex_session=x"); nullopt when absent.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);
// True when the request's Sec-Fetch-Site / Origin headers (when present) say it comes from this origin.
bool looks_same_origin(const Request& req);
// 127.0.0.0/8, ::1, ::ffff:127.x.
bool is_loopback_address(std::string_view address);

struct AuthMetrics {
  explicit AuthMetrics(MetricsRegistry& registry);
  CounterFamily& failures;  // pdex_auth_failures_total{reason}
};

class AuthMiddleware : public Middleware {
 public:
  // `sessions` may be null (web sessions off). `metrics` may be null.
  AuthMiddleware(std::shared_ptr<KeyVerifier> keys, std::shared_ptr<const SessionSigner> sessions,
                 MetricsAccess metrics_access, AuthMetrics* metrics);
  std::string_view name() const override { return "auth"; }
  Response handle(const Request& req, RequestContext& ctx, const Next& next) override;

 private:
  Response refuse(const Request& req, const RequestContext& ctx, int status, const std::string& reason,
                  std::string detail) const;
  std::shared_ptr<KeyVerifier> keys_;
  std::shared_ptr<const SessionSigner> sessions_;
  MetricsAccess metrics_access_;
  AuthMetrics* metrics_;
};

// POST /api/v1/session (public): a same-origin request gets a fresh session cookie and
// {"scopes":["predict","read"],"expires_at":"..."}; a cross-site one 403. DELETE /api/v1/session clears the
// cookie. `signer` must outlive the router.
void register_session_routes(Router& router, const SessionSigner& signer, bool secure_cookie);

}  // namespace pdex::service
