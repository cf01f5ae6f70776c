// The security layer on the real server (127.0.0.1, any free port) with a real SQLite database: API keys
// and scopes, revocation, web sessions and their cookie, CSRF checks, rate limits, /metrics access, and the
// prediction log end to end (predict over HTTP, stop, count rows).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "service/security_layer.h"
#include "service/service_test_support.h"
#include "store/api_key_repository.h"
#include "store/migrations.h"
#include "store/prediction_log_repository.h"

namespace pdex::service::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class SecureServer {
 public:
  explicit SecureServer(SecurityOptions options = test_security_options(), SecurityDependencies deps = {}) {
    static std::atomic<int> n{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("pdex-security-http-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(dir_);
    url_ = "sqlite://" + (dir_ / "pdex.sqlite").string();
    {
      store::Database db(url_);
      store::migrate(db.session());
    }
    state_ = std::make_shared<ServiceState>();
    state_->config.server.port = 0;
    state_->config.server.threads = 2;
    state_->config.database_url = url_;
    state_->config.ready_cache = 0ms;
    state_->database_check = [] { return std::optional<std::string>(); };
    state_->dex = test_dex();
    state_->dex_source = "file data/lgpe-dex.json";
    state_->config.web_root = fixture_web_root();
    api_ = std::make_unique<ApiServer>(state_, nullptr);
    if (!deps.prediction_log_options) {
      PredictionLogOptions lo;
      lo.flush_interval = 20ms;
      deps.prediction_log_options = lo;
    }
    security_ = std::make_unique<SecurityLayer>(*api_, options, std::move(deps));
    api_->listen();
    thread_ = std::thread([this] { api_->run(false); });
  }
  ~SecureServer() {
    stop();
    std::filesystem::remove_all(dir_);
  }
  // Stops HTTP, then drains the prediction log (the order of `pdex serve`).
  PredictionLogStats stop() {
    api_->stop();
    if (thread_.joinable()) thread_.join();
    return security_->stop();
  }
  unsigned short port() const { return api_->port(); }
  ServiceState& state() { return *state_; }
  const std::string& url() const { return url_; }
  store::CreatedApiKey create_key(std::set<std::string> scopes) {
    store::Database db(url_);
    return store::ApiKeyRepository(db.session()).create("test", scopes);
  }
  void revoke(const std::string& id) {
    store::Database db(url_);
    store::ApiKeyRepository(db.session()).revoke(id);
  }

 private:
  std::filesystem::path dir_;
  std::string url_;
  std::shared_ptr<ServiceState> state_;
  std::unique_ptr<ApiServer> api_;
  std::unique_ptr<SecurityLayer> security_;
  std::thread thread_;
};

HttpResult with_key(unsigned short port, http::verb method, const std::string& target, const std::string& key,
                    const std::string& body = "", std::map<std::string, std::string> headers = {}) {
  headers["X-API-Key"] = key;
  return call(port, method, target, body, headers);
}

void expect_problem(const HttpResult& r, int status, const std::string& detail_part) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  const json j = json::parse(r.body, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.body;
  EXPECT_EQ(j["status"], status);
  EXPECT_NE(j.value("detail", "").find(detail_part), std::string::npos) << j.dump();
  EXPECT_FALSE(r.header("x-request-id").empty());
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << "security headers on refusals too";
}

const std::string kBattle = R"({"pokemon_1_id": 25, "pokemon_2_id": 6})";

TEST(SecurityHttp, PublicRoutesNeedNoKey) {
  SecureServer s;
  EXPECT_EQ(get(s.port(), "/health").status, 200);
  EXPECT_EQ(get(s.port(), "/openapi.json").status, 200);
  EXPECT_EQ(get(s.port(), "/metrics").status, 200);
  EXPECT_EQ(get(s.port(), "/api/no/such/route").status, 404);  // outside /api: the web app
  // A bad key on a public route is ignored, not refused.
  EXPECT_EQ(with_key(s.port(), http::verb::get, "/health", "garbage").status, 200);
}

TEST(SecurityHttp, MissingInvalidAndForbidden) {
  SecureServer s;
  auto r = get(s.port(), "/api/v1/pokemon/25");
  expect_problem(r, 401, "missing X-API-Key");
  EXPECT_NE(r.header("www-authenticate").find("X-API-Key"), std::string::npos);
  r = with_key(s.port(), http::verb::get, "/api/v1/pokemon/25", "pdex_0123456789ab_" + std::string(64, '0'));
  expect_problem(r, 401, "invalid API key");
  r = with_key(s.port(), http::verb::get, "/api/v1/pokemon/25", "not-a-key");
  expect_problem(r, 401, "invalid API key");

  const auto read = s.create_key({"read"});
  r = with_key(s.port(), http::verb::get, "/api/v1/pokemon/25", read.key);
  EXPECT_EQ(r.status, 200) << r.body;
  std::string wrong = read.key;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  expect_problem(with_key(s.port(), http::verb::get, "/api/v1/pokemon/25", wrong), 401, "invalid API key");

  r = with_key(s.port(), http::verb::post, "/api/v1/predict/battle", read.key, kBattle);
  expect_problem(r, 403, "'predict' scope");
  EXPECT_NE(r.json()["detail"].get<std::string>().find(read.record.id), std::string::npos);

  const auto predict = s.create_key({"predict"});
  r = with_key(s.port(), http::verb::post, "/api/v1/simulate/odds", predict.key,
               R"({"pokemon_1_id": 25, "pokemon_2_id": 6, "method": "monte_carlo", "n": 100})");
  EXPECT_NE(r.status, 401);
  EXPECT_NE(r.status, 403);
  expect_problem(with_key(s.port(), http::verb::get, "/api/v1/types", predict.key), 403, "'read' scope");
}

TEST(SecurityHttp, RevokedKeyStopsWorkingWithinTheCacheTtl) {
  SecureServer s;  // key cache TTL 100 ms
  const auto k = s.create_key({"read"});
  EXPECT_EQ(with_key(s.port(), http::verb::get, "/api/v1/types", k.key).status, 200);
  s.revoke(k.record.id);
  const auto t0 = std::chrono::steady_clock::now();
  HttpResult r;
  do {
    r = with_key(s.port(), http::verb::get, "/api/v1/types", k.key);
  } while (r.status == 200 && std::chrono::steady_clock::now() - t0 < 5s);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  expect_problem(r, 401, "revoked");
  EXPECT_LT(ms, 1000);
  std::printf("[figures] revocation effective after %.0f ms (key cache TTL 100 ms)\n", ms);
}

TEST(SecurityHttp, LastUsedIsRecordedInTheBackground) {
  SecurityDependencies deps;
  deps.key_usage_flush_interval = 50ms;
  SecureServer s(test_security_options(), std::move(deps));
  const auto k = s.create_key({"read"});
  EXPECT_EQ(with_key(s.port(), http::verb::get, "/api/v1/types", k.key).status, 200);
  std::optional<std::string> last;
  for (int i = 0; i < 100 && !last; ++i) {
    std::this_thread::sleep_for(20ms);
    store::Database db(s.url());
    last = store::ApiKeyRepository(db.session()).find(k.record.id)->record.last_used_at;
  }
  EXPECT_TRUE(last.has_value());
}

std::string session_cookie(const HttpResult& r) {
  const std::string set = r.header("set-cookie");
  const auto semi = set.find(';');
  return set.substr(0, semi);  // "pdex_session=..."
}

TEST(SecurityHttp, WebSessionCookieAndCsrfDefence) {
  SecureServer s;
  s.state().models.set(std::make_shared<ConstantModel>(0.8));
  // The test client sends Host: 127.0.0.1.
  auto r = call(s.port(), http::verb::post, "/api/v1/session", "", {{"Origin", "http://127.0.0.1"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string set = r.header("set-cookie");
  EXPECT_EQ(set.rfind("pdex_session=", 0), 0u) << set;
  for (const char* attr : {"; HttpOnly", "; SameSite=Strict", "; Path=/", "; Max-Age="}) {
    EXPECT_NE(set.find(attr), std::string::npos) << attr << " in " << set;
  }
  EXPECT_EQ(set.find("Secure"), std::string::npos) << "not configured";
  EXPECT_EQ(r.json()["scopes"], json({"predict", "read"}));
  const std::string cookie = session_cookie(r);

  EXPECT_EQ(call(s.port(), http::verb::get, "/api/v1/pokemon/25", "", {{"Cookie", cookie}}).status, 200);
  r = call(s.port(), http::verb::post, "/api/v1/predict/battle", kBattle,
           {{"Cookie", cookie}, {"Origin", "http://127.0.0.1"}, {"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(r.status, 200) << r.body;
  r = call(s.port(), http::verb::post, "/api/v1/predict/battle", kBattle,
           {{"Cookie", cookie}, {"Origin", "https://evil.example"}});
  expect_problem(r, 403, "cross-site");
  r = call(s.port(), http::verb::post, "/api/v1/predict/battle", kBattle,
           {{"Cookie", cookie}, {"Sec-Fetch-Site", "cross-site"}});
  expect_problem(r, 403, "cross-site");

  // Tampered or absent cookie.
  std::string bad = cookie;
  bad.back() = bad.back() == '0' ? '1' : '0';
  expect_problem(call(s.port(), http::verb::get, "/api/v1/types", "", {{"Cookie", bad}}), 401, "missing");
  // Sessions are not issued to other sites.
  expect_problem(call(s.port(), http::verb::post, "/api/v1/session", "", {{"Origin", "https://evil.example"}}), 403,
                 "same-origin");
  // Logout clears the cookie.
  r = call(s.port(), http::verb::delete_, "/api/v1/session", "", {{"Cookie", cookie}});
  EXPECT_EQ(r.status, 204);
  EXPECT_NE(r.header("set-cookie").find("Max-Age=0"), std::string::npos);
}

TEST(SecurityHttp, SecureCookieWhenConfiguredAndSessionsLackAdmin) {
  auto o = test_security_options();
  o.session_cookie_secure = true;
  o.metrics_access = MetricsAccess::Admin;
  SecureServer s(o);
  auto r = call(s.port(), http::verb::post, "/api/v1/session", "");
  ASSERT_EQ(r.status, 201);
  EXPECT_NE(r.header("set-cookie").find("; Secure"), std::string::npos);
  // /metrics in admin mode: a session (read+predict) is forbidden, an admin key is let in.
  expect_problem(call(s.port(), http::verb::get, "/metrics", "", {{"Cookie", session_cookie(r)}}), 403,
                 "'admin' scope");
  expect_problem(get(s.port(), "/metrics"), 401, "missing");
  const auto admin = s.create_key({"admin"});
  EXPECT_EQ(with_key(s.port(), http::verb::get, "/metrics", admin.key).status, 200);
}

TEST(SecurityHttp, MetricsOnLoopbackOnly) {
  auto o = test_security_options();
  o.metrics_access = MetricsAccess::Loopback;
  SecureServer s(o);
  EXPECT_EQ(get(s.port(), "/metrics").status, 200) << "the test client is on 127.0.0.1";
}

TEST(SecurityHttp, RateLimitPerKeyWithRetryAfter) {
  auto o = test_security_options();
  o.rate_limit_rps = 1;
  o.rate_limit_burst = 3;
  SecureServer s(o);
  const auto a = s.create_key({"read"});
  const auto b = s.create_key({"read"});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(with_key(s.port(), http::verb::get, "/api/v1/types", a.key).status, 200) << i;
  auto r = with_key(s.port(), http::verb::get, "/api/v1/types", a.key);
  expect_problem(r, 429, "rate limit exceeded");
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_EQ(with_key(s.port(), http::verb::get, "/api/v1/types", b.key).status, 200) << "per key";
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(with_key(s.port(), http::verb::get, "/api/v1/types", a.key).status, 200) << "refilled";
  const std::string metrics = get(s.port(), "/metrics").body;
  EXPECT_NE(metrics.find(R"(pdex_rate_limited_total{kind="key"} 1)"), std::string::npos);
  EXPECT_NE(metrics.find(R"(pdex_auth_failures_total)"), std::string::npos);
}

TEST(SecurityHttp, AnonymousRateLimitPerAddressSparesProbes) {
  auto o = test_security_options();
  o.anon_rate_limit_rps = 0.5;
  o.anon_rate_limit_burst = 2;
  SecureServer s(o);
  EXPECT_EQ(get(s.port(), "/openapi.json").status, 200);
  EXPECT_EQ(get(s.port(), "/openapi.json").status, 200);
  auto r = get(s.port(), "/openapi.json");
  expect_problem(r, 429, "client address");
  EXPECT_EQ(r.header("retry-after"), "2");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(get(s.port(), "/health").status, 200) << "probes are never limited";
}

TEST(SecurityHttp, WebAppFilesAreNeitherAuthenticatedNorRateLimited) {
  auto o = test_security_options();
  o.anon_rate_limit_rps = 0.5;
  o.anon_rate_limit_burst = 2;
  SecureServer s(o);
  for (int i = 0; i < 10; ++i) {
    for (const char* path : {"/", "/assets/app-3f2a.js", "/pokedex/25", "/docs", "/redoc"}) {
      EXPECT_EQ(get(s.port(), path).status, 200) << path << " #" << i;
    }
  }
  // The API still is.
  EXPECT_EQ(get(s.port(), "/api/v1/types").status, 401);
}

TEST(SecurityHttp, PredictionsAreLoggedAndDrainedOnStop) {
  SecureServer s;
  s.state().models.set(std::make_shared<ConstantModel>(0.3, "battle-winner/7"));
  const auto k = s.create_key({"predict"});
  const int n = 60;
  std::vector<std::string> ids;
  Client c(s.port());
  for (int i = 0; i < n; ++i) {
    auto r = c.request(http::verb::post, "/api/v1/predict/battle", kBattle, {{"X-API-Key", k.key}});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    ids.push_back(r->json()["prediction_id"]);
  }
  auto ready = get(s.port(), "/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_TRUE(ready.json()["checks"]["prediction_log"]["ok"].get<bool>()) << ready.body;
  const std::string metrics = get(s.port(), "/metrics").body;
  for (const char* name : {"pdex_prediction_log_queue_depth ", "pdex_prediction_log_dropped_total 0",
                           "pdex_prediction_log_written_total ", "# TYPE pdex_prediction_log_dropped_total counter"}) {
    EXPECT_NE(metrics.find(name), std::string::npos) << name;
  }
  const auto stats = s.stop();
  EXPECT_EQ(stats.written, static_cast<std::uint64_t>(n));
  EXPECT_EQ(stats.dropped, 0u);

  store::Database db(s.url());
  store::PredictionLogRepository repo(db.session());
  EXPECT_EQ(repo.count(), n);
  const auto row = repo.find(ids.front());
  ASSERT_TRUE(row);
  EXPECT_EQ(row->key_id.value_or(""), k.record.id);
  EXPECT_EQ(row->route, "/api/v1/predict/battle");
  EXPECT_EQ(row->model_version, "battle-winner/7");
  EXPECT_EQ(json::parse(row->inputs)["pokemon_1_id"], 25);
  const json out = json::parse(row->outputs);
  EXPECT_EQ(out["winner"], 2);
  EXPECT_EQ(out["prediction_id"], ids.front());
  EXPECT_DOUBLE_EQ(out["pokemon_1_win_probability"].get<double>(), 0.3);
  ASSERT_TRUE(out["pokemon_1_moves"].is_array()) << row->outputs;
  EXPECT_FALSE(out["pokemon_1_moves"].empty()) << "the server's recommended move is recorded";
  ASSERT_TRUE(out["pokemon_2_moves"].is_array()) << row->outputs;
  EXPECT_FALSE(out.contains("pokemon_1")) << "the sides' species data is not repeated: " << row->outputs;
  EXPECT_GE(row->latency_us, 0);
  EXPECT_FALSE(row->feature_digest) << "ConstantModel exposes no features";
}

// A model exposing its features: the log carries them and their digest.
class FeatureModel : public ConstantModel {
 public:
  FeatureModel() : ConstantModel(0.6, "features-1") {}
  double predict_p1_win_with_features(const dex::Dex& d, const battle::BattleConfig& c,
                                      std::vector<float>& features) const override {
    features = {1.0f, 0.5f, -3.0f};
    return predict_p1_win(d, c);
  }
};

TEST(SecurityHttp, FeatureDigestIsLoggedWhenTheModelGivesFeatures) {
  SecureServer s;
  s.state().models.set(std::make_shared<FeatureModel>());
  const auto k = s.create_key({"predict"});
  auto r = with_key(s.port(), http::verb::post, "/api/v1/predict/battle", k.key, kBattle);
  ASSERT_EQ(r.status, 200) << r.body;
  s.stop();
  store::Database db(s.url());
  const auto row = store::PredictionLogRepository(db.session()).find(r.json()["prediction_id"]);
  ASSERT_TRUE(row);
  const std::vector<float> x{1.0f, 0.5f, -3.0f};
  EXPECT_EQ(row->feature_digest.value_or(""), store::feature_digest(x));
  EXPECT_EQ(row->features.value_or(""), "[1,0.5,-3]");
}

TEST(SecurityHttp, AuthOffLeavesRoutesOpen) {
  auto o = test_security_options();
  o.auth_enabled = false;
  SecureServer s(o);
  EXPECT_EQ(get(s.port(), "/api/v1/types").status, 200);
  EXPECT_EQ(post(s.port(), "/api/v1/session", "").status, 404) << "no sessions without auth";
}

}  // namespace
}  // namespace pdex::service::testing
