// The model registry routes against the real server over TCP, with authentication on: listing, history,
// promotion refused with the failing check named (409), promotion allowed, rollback, admin scope, and
// the registry watcher serving the production version and following promotions.
#include <gtest/gtest.h>

#include "service/ml_served_model.h"
#include "service/registry_model_watcher.h"
#include "service/registry_test_fixture.h"
#include "service/security_layer.h"
#include "service/service_test_support.h"
#include "store/api_key_repository.h"

namespace pdex::service::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class RegistryServer {
 public:
  explicit RegistryServer(const std::filesystem::path& gates) : fixture_(make_registry_fixture()) {
    state_ = std::make_shared<ServiceState>();
    state_->config.server.port = 0;
    state_->config.server.threads = 2;
    state_->config.database_url = fixture_.database_url;
    state_->config.data_dir = fixture_.data_dir;
    state_->config.gates_file = gates.empty() ? fixture_.strict_gates : gates;
    state_->config.ready_cache = 0ms;
    state_->config.web_root = "/nonexistent/pdex-test-web-root";
    state_->database_check = [] { return std::optional<std::string>(); };
    state_->dex = test_dex();
    state_->dex_source = "file data/lgpe-dex.json";
    api_ = std::make_unique<ApiServer>(state_, nullptr);
    SecurityOptions o = test_security_options();
    o.prediction_log = false;
    security_ = std::make_unique<SecurityLayer>(*api_, o);
    api_->listen();
    thread_ = std::thread([this] { api_->run(false); });
    store::Database db(fixture_.database_url);
    admin_ = store::ApiKeyRepository(db.session()).create("admin", {"admin", "read"}).key;
    reader_ = store::ApiKeyRepository(db.session()).create("reader", {"read"}).key;
  }
  ~RegistryServer() {
    api_->stop();
    if (thread_.joinable()) thread_.join();
    security_->stop();
  }
  HttpResult as(const std::string& key, http::verb method, const std::string& target, const std::string& body = "") {
    return call(api_->port(), method, target, body, {{"X-API-Key", key}});
  }
  const std::string& admin() const { return admin_; }
  const std::string& reader() const { return reader_; }
  ServiceState& state() { return *state_; }
  const RegistryFixture& fixture() const { return fixture_; }

 private:
  RegistryFixture fixture_;
  std::shared_ptr<ServiceState> state_;
  std::unique_ptr<ApiServer> api_;
  std::unique_ptr<SecurityLayer> security_;
  std::thread thread_;
  std::string admin_, reader_;
};

TEST(RegistryHttp, ListAndHistory) {
  RegistryServer s({});
  const HttpResult list = s.as(s.reader(), http::verb::get, "/api/v1/models");
  ASSERT_EQ(list.status, 200) << list.body;
  const json models = list.json()["models"];
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0]["name"], "battle_winner_model");
  EXPECT_EQ(models[0]["aliases"]["production"], 2);
  EXPECT_EQ(models[0]["aliases"]["candidate"], 3);
  EXPECT_EQ(models[0]["versions"].size(), 3u);
  EXPECT_FALSE(models[0]["versions"][0].contains("artifact_path"));  // no server paths
  const HttpResult one = s.as(s.reader(), http::verb::get, "/api/v1/models/battle_winner_model");
  ASSERT_EQ(one.status, 200);
  EXPECT_GE(one.json()["history"].size(), 5u);  // 3 registrations, 2 promotions, 1 archive
  EXPECT_EQ(s.as(s.reader(), http::verb::get, "/api/v1/models/nope").status, 404);
  EXPECT_EQ(s.as("", http::verb::get, "/api/v1/models").status, 401);
}

TEST(RegistryHttp, PromotionOfAWorseModelIsRefusedNamingTheCheck) {
  RegistryServer s({});
  const std::string target = "/api/v1/models/battle_winner_model/versions/3/promote";
  EXPECT_EQ(s.as(s.reader(), http::verb::post, target, R"({"reason":"x"})").status, 403);  // admin only
  const HttpResult refused = s.as(s.admin(), http::verb::post, target, R"({"reason":"try the stump"})");
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.header("content-type"), "application/problem+json");
  const json p = refused.json();
  EXPECT_EQ(p["type"], "urn:pdex:problem:promotion-refused");
  EXPECT_NE(p["detail"].get<std::string>().find("champion_challenger:"), std::string::npos) << p.dump();
  EXPECT_FALSE(p["failed"].empty());
  EXPECT_EQ(p["report"]["champion_version"], 2);
  const HttpResult no_reason = s.as(s.admin(), http::verb::post, target, "{}");
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(
      s.as(s.admin(), http::verb::post, "/api/v1/models/battle_winner_model/versions/x/promote", R"({"reason":"r"})")
          .status,
      422);
  EXPECT_EQ(
      s.as(s.admin(), http::verb::post, "/api/v1/models/battle_winner_model/versions/9/promote", R"({"reason":"r"})")
          .status,
      404);
  EXPECT_EQ(s.as(s.reader(), http::verb::get, "/api/v1/models").json()["models"][0]["aliases"]["production"], 2);
}

TEST(RegistryHttp, RollbackAndPromoteAreAuditedWithTheKeyId) {
  RegistryServer s({});
  EXPECT_EQ(s.as(s.reader(), http::verb::post, "/api/v1/models/battle_winner_model/rollback").status, 403);
  const HttpResult rb =
      s.as(s.admin(), http::verb::post, "/api/v1/models/battle_winner_model/rollback", R"({"reason":"incident"})");
  ASSERT_EQ(rb.status, 200) << rb.body;
  EXPECT_EQ(rb.json()["from_version"], 2);
  EXPECT_EQ(rb.json()["version"]["version"], 1);
  // v1 replaced nothing: a second rollback is a conflict.
  EXPECT_EQ(s.as(s.admin(), http::verb::post, "/api/v1/models/battle_winner_model/rollback").status, 409);
  const json history = s.as(s.reader(), http::verb::get, "/api/v1/models/battle_winner_model").json()["history"];
  const json last = history.back();
  EXPECT_EQ(last["action"], "rollback");
  EXPECT_EQ(last["reason"], "incident");
  EXPECT_EQ(last["actor"].get<std::string>().rfind("apikey:", 0), 0u) << last.dump();
}

TEST(RegistryHttp, AllowedPromotionAndTheWatcherFollowsIt) {
  RegistryServer s(make_registry_fixture().loose_gates);
  install_ml_model_loader();
  RegistryModelWatcher watcher(s.fixture().database_url, store::kDefaultModelName);
  EXPECT_EQ(watcher.poll(s.state()).kind, WatchOutcome::Kind::Loaded);
  EXPECT_EQ(s.state().models.current()->version(), "battle_winner_model/2");
  EXPECT_EQ(watcher.poll(s.state()).kind, WatchOutcome::Kind::Unchanged);
  const json card = s.as(s.reader(), http::verb::get, "/api/v1/model").json();
  EXPECT_EQ(card["registry"]["version"], 2);
  EXPECT_EQ(card["registry"]["aliases"]["production"], 2);

  const HttpResult ok = s.as(s.admin(), http::verb::post, "/api/v1/models/battle_winner_model/versions/3/promote",
                             R"({"reason":"loose gates"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["version"]["stage"], "production");
  EXPECT_EQ(watcher.poll(s.state()).kind, WatchOutcome::Kind::Loaded);
  EXPECT_EQ(s.state().models.current()->version(), "battle_winner_model/3");

  // An altered artifact is refused and the current model keeps serving.
  const auto v2 = [&] {
    store::Database db(s.fixture().database_url);
    return *store::RegistryRepository(db.session()).find_version(store::kDefaultModelName, 2);
  }();
  std::ofstream(std::filesystem::path(v2.artifact_path) / "extra.txt") << "tampered";
  ASSERT_EQ(s.as(s.admin(), http::verb::post, "/api/v1/models/battle_winner_model/rollback").status, 200);
  const WatchOutcome refused = watcher.poll(s.state());
  std::filesystem::remove(std::filesystem::path(v2.artifact_path) / "extra.txt");
  EXPECT_EQ(refused.kind, WatchOutcome::Kind::Failed);
  EXPECT_NE(refused.error.find("sha256"), std::string::npos) << refused.error;
  EXPECT_EQ(s.state().models.current()->version(), "battle_winner_model/3");
}

}  // namespace
}  // namespace pdex::service::testing
