#include "service/auth_middleware.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <stdexcept>

#include "common/secure_random.h"
#include "service/handler_support.h"
#include "service/problem.h"
#include "store/migrations.h"

namespace pdex::service {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso8601_ms(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::string header(const Request& req, std::string_view name) {
  const auto it = req.find(boost::beast::string_view(name.data(), name.size()));
  return it == req.end() ? std::string() : std::string(it->value());
}

bool is_safe_method(http::verb v) {
  return v == http::verb::get || v == http::verb::head || v == http::verb::options;
}

}  // namespace

// ---- DatabaseKeyStore ----

soci::session& DatabaseKeyStore::session() {
  if (!db_) {
    auto db = std::make_unique<store::Database>(url_);
    store::migrate(db->session());
    db_ = std::move(db);
  }
  return db_->session();
}

std::optional<store::StoredApiKey> DatabaseKeyStore::find(const std::string& id) {
  std::lock_guard lock(mutex_);
  try {
    store::ApiKeyRepository repo(session());
    return repo.find(id);
  } catch (...) {
    db_.reset();  // reconnect next time
    throw;
  }
}

void DatabaseKeyStore::touch(const std::vector<std::pair<std::string, std::string>>& used) {
  std::lock_guard lock(mutex_);
  try {
    store::ApiKeyRepository repo(session());
    repo.touch(used);
  } catch (...) {
    db_.reset();
    throw;
  }
}

// ---- KeyVerifier ----

KeyVerifier::KeyVerifier(std::shared_ptr<KeyStore> store, std::chrono::milliseconds ttl,
                         std::chrono::milliseconds stale_grace, std::size_t max_cached)
    : store_(std::move(store)), ttl_(ttl), stale_grace_(stale_grace), max_cached_(max_cached) {}

KeyVerification KeyVerifier::verify(std::string_view presented) {
  KeyVerification out;
  const auto parts = store::parse_api_key(presented);
  if (!parts) {
    out.status = KeyVerification::Status::Invalid;
    return out;
  }
  out.key_id = parts->id;
  const auto now = std::chrono::steady_clock::now();

  std::shared_ptr<const Entry> entry;
  {
    std::shared_lock lock(mutex_);
    const auto it = cache_.find(parts->id);
    if (it != cache_.end()) entry = it->second;
  }
  if (!entry || now - entry->fetched >= ttl_) {
    try {
      ++lookups_;
      auto fresh = std::make_shared<const Entry>(
          Entry{store_->find(parts->id), now, entry ? entry->usage : std::make_shared<Usage>()});
      std::unique_lock lock(mutex_);
      if (cache_.size() >= max_cached_ && cache_.find(parts->id) == cache_.end()) {
        // Bounded memory under a flood of made-up ids: drop what has expired, else start over.
        std::erase_if(cache_, [&](const auto& kv) { return now - kv.second->fetched >= ttl_; });
        if (cache_.size() >= max_cached_) cache_.clear();
      }
      cache_[parts->id] = fresh;
      entry = std::move(fresh);
    } catch (const std::exception&) {
      if (!entry || now - entry->fetched >= ttl_ + stale_grace_) {
        out.status = KeyVerification::Status::Unavailable;
        return out;
      }
      // Database unreachable: the cached row (younger than ttl + stale_grace) still decides.
    }
  }
  const store::StoredApiKey* stored = entry->key ? &*entry->key : nullptr;
  switch (store::check_api_key(presented, stored)) {
    case store::KeyCheck::Ok:
      out.status = KeyVerification::Status::Ok;
      out.scopes = stored->record.scopes;
      entry->usage->last_used_ms.store(now_ms(), std::memory_order_relaxed);
      return out;
    case store::KeyCheck::Revoked:
      out.status = KeyVerification::Status::Revoked;
      return out;
    default:
      out.status = KeyVerification::Status::Invalid;
      return out;
  }
}

std::size_t KeyVerifier::flush_last_used(std::string* error) {
  std::vector<std::pair<std::string, std::string>> used;
  std::vector<std::pair<std::shared_ptr<Usage>, std::int64_t>> marks;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [id, e] : cache_) {
      const std::int64_t last = e->usage->last_used_ms.load(std::memory_order_relaxed);
      if (last > e->usage->flushed_ms.load(std::memory_order_relaxed)) {
        used.emplace_back(id, iso8601_ms(last));
        marks.emplace_back(e->usage, last);
      }
    }
  }
  if (used.empty()) return 0;
  try {
    store_->touch(used);
  } catch (const std::exception& e) {
    if (error != nullptr) *error = e.what();
    return 0;
  }
  for (auto& [usage, last] : marks) usage->flushed_ms.store(last, std::memory_order_relaxed);
  return used.size();
}

// ---- SessionSigner ----

SessionSigner::SessionSigner(std::string secret, std::chrono::seconds ttl) : secret_(std::move(secret)), ttl_(ttl) {
  if (secret_.empty()) {
    secret_ = random_hex(32);
  } else if (secret_.size() < 32) {
    throw std::invalid_argument("session secret: at least 32 bytes required");
  }
}

std::string SessionSigner::mac(std::string_view payload) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
           reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), out, &len) == nullptr) {
    throw std::runtime_error("OpenSSL HMAC failed");
  }
  return to_hex(out, len);
}

SessionSigner::Issued SessionSigner::issue(std::chrono::system_clock::time_point now) const {
  Issued s;
  s.id = random_hex(16);
  s.expires = now + ttl_;
  const auto exp = std::chrono::duration_cast<std::chrono::seconds>(s.expires.time_since_epoch()).count();
  const std::string payload = s.id + "." + std::to_string(exp);
  s.token = payload + "." + mac(payload);
  return s;
}

std::optional<std::string> SessionSigner::verify(std::string_view token,
                                                 std::chrono::system_clock::time_point now) const {
  if (token.size() > 200) return std::nullopt;
  const auto last_dot = token.rfind('.');
  if (last_dot == std::string_view::npos) return std::nullopt;
  const std::string_view payload = token.substr(0, last_dot);
  const std::string_view given_mac = token.substr(last_dot + 1);
  if (!store::constant_time_equal(mac(payload), given_mac)) return std::nullopt;
  const auto dot = payload.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view id = payload.substr(0, dot);
  const std::string_view exp_text = payload.substr(dot + 1);
  long long exp = 0;
  const auto res = std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  if (res.ec != std::errc() || res.ptr != exp_text.data() + exp_text.size()) return std::nullopt;
  if (std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() >= exp) return std::nullopt;
  return std::string(id);
}

// ---- helpers ----

std::optional<std::string> cookie_value(std::string_view header_value, std::string_view name) {
  while (!header_value.empty()) {
    const auto semi = header_value.find(';');
    std::string_view pair = header_value.substr(0, semi);
    header_value = semi == std::string_view::npos ? std::string_view() : header_value.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (pair.substr(0, eq) == name) {
      std::string_view v = pair.substr(eq + 1);
      while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
  }
  return std::nullopt;
}

bool looks_same_origin(const Request& req) {
  const std::string site = header(req, "Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin") return false;
  const std::string origin = header(req, "Origin");
  if (!origin.empty()) {
    const std::string host = header(req, "Host");
    if (host.empty()) return false;
    if (origin != "http://" + host && origin != "https://" + host) return false;
  }
  return true;
}

bool is_loopback_address(std::string_view a) {
  if (a.substr(0, 7) == "::ffff:") a.remove_prefix(7);
  return a == "::1" || a.substr(0, 4) == "127.";
}

AuthMetrics::AuthMetrics(MetricsRegistry& registry)
    : failures(registry.counter("pdex_auth_failures_total",
                                "Requests refused by authentication or authorization, by reason.", {"reason"})) {}

// ---- AuthMiddleware ----

AuthMiddleware::AuthMiddleware(std::shared_ptr<KeyVerifier> keys, std::shared_ptr<const SessionSigner> sessions,
                               MetricsAccess metrics_access, AuthMetrics* metrics)
    : keys_(std::move(keys)), sessions_(std::move(sessions)), metrics_access_(metrics_access), metrics_(metrics) {}

Response AuthMiddleware::refuse(const Request& req, const RequestContext& ctx, int status, const std::string& reason,
                                std::string detail) const {
  if (metrics_ != nullptr) metrics_->failures.inc({reason});
  Problem p = make_problem(status, std::move(detail));
  p.instance = ctx.path.substr(0, 200);
  Response res = problem_response(p, req.version());
  if (status == 401) res.set(http::field::www_authenticate, R"(ApiKey realm="pdex", header="X-API-Key")");
  if (status == 503) res.set(http::field::retry_after, "5");
  return res;
}

Response AuthMiddleware::handle(const Request& req, RequestContext& ctx, const Next& next) {
  if (ctx.rejected) return next();

  // Who is calling.
  std::optional<KeyVerification> key_result;
  bool session_auth = false;
  const auto key_field = req.find("X-API-Key");
  if (key_field != req.end()) {
    const std::string_view presented(key_field->value().data(), key_field->value().size());
    key_result = keys_->verify(presented);
    if (key_result->status == KeyVerification::Status::Ok) {
      ctx.principal.authenticated = true;
      ctx.principal.key_id = key_result->key_id;
      ctx.principal.scopes = key_result->scopes;
    }
  } else if (sessions_) {
    const auto cookie_field = req.find(http::field::cookie);
    if (cookie_field != req.end()) {
      const auto token =
          cookie_value(std::string_view(cookie_field->value().data(), cookie_field->value().size()), kSessionCookie);
      if (token) {
        if (auto id = sessions_->verify(*token)) {
          ctx.principal.authenticated = true;
          ctx.principal.key_id = "session:" + *id;
          ctx.principal.scopes = web_session_scopes();
          session_auth = true;
        }
      }
    }
  }

  if (ctx.route == nullptr) return next();  // 404/405 answered by the router
  std::string scope = ctx.route->scope;
  if (ctx.route->pattern == "/metrics") {
    if (metrics_access_ == MetricsAccess::Public) return next();
    if (metrics_access_ == MetricsAccess::Loopback) {
      if (is_loopback_address(ctx.peer.address)) return next();
      return refuse(req, ctx, 403, "metrics_not_loopback", "/metrics is served to loopback clients only");
    }
    scope = "admin";
  }
  if (scope == "public") return next();

  if (!ctx.principal.authenticated) {
    if (!key_result) return refuse(req, ctx, 401, "missing", "missing X-API-Key header (or web session cookie)");
    switch (key_result->status) {
      case KeyVerification::Status::Revoked:
        return refuse(req, ctx, 401, "revoked", "API key " + key_result->key_id + " has been revoked");
      case KeyVerification::Status::Unavailable:
        return refuse(req, ctx, 503, "unavailable", "cannot verify the API key now: key store unavailable");
      default:
        return refuse(req, ctx, 401, "invalid", "invalid API key");
    }
  }
  if (session_auth && !is_safe_method(req.method()) && !looks_same_origin(req)) {
    return refuse(req, ctx, 403, "cross_site", "cross-site request refused for a session-authenticated call");
  }
  if (!ctx.principal.has_scope(scope)) {
    return refuse(req, ctx, 403, "forbidden",
                  "this route requires the '" + scope + "' scope, which " +
                      (session_auth ? std::string("a web session") : "API key " + ctx.principal.key_id) +
                      " does not have");
  }
  return next();
}

// ---- session routes ----

void register_session_routes(Router& router, const SessionSigner& signer, bool secure_cookie) {
  const std::string attributes = std::string("; Path=/; HttpOnly; SameSite=Strict") + (secure_cookie ? "; Secure" : "");
  router.add(
      http::verb::post, "/api/v1/session", "public", [&signer, attributes](const Request& req, RequestContext& ctx) {
        if (!looks_same_origin(req)) {
          return problem_for(ctx, make_problem(403, "sessions are issued to same-origin requests only"));
        }
        const auto s = signer.issue();
        const auto exp_ms = std::chrono::duration_cast<std::chrono::milliseconds>(s.expires.time_since_epoch()).count();
        nlohmann::ordered_json body = {{"scopes", {"predict", "read"}}, {"expires_at", iso8601_ms(exp_ms)}};
        Response res = json_response(body, 201);
        res.set(http::field::set_cookie, std::string(kSessionCookie) + "=" + s.token +
                                             "; Max-Age=" + std::to_string(signer.ttl().count()) + attributes);
        ctx.log_fields["session_id"] = s.id;
        return res;
      });
  router.add(http::verb::delete_, "/api/v1/session", "public", [attributes](const Request&, RequestContext&) {
    Response res{http::status::no_content, 11};
    res.set(http::field::set_cookie, std::string(kSessionCookie) + "=; Max-Age=0" + attributes);
    return res;
  });
}

}  // namespace pdex::service
