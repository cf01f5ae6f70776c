// The real server on 127.0.0.1 (in-process, any free port), driven over TCP: every route's success and
// error paths, headers, limits, keep-alive, pipelining, connection limit and graceful stop.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <future>
#include <set>
#include <sstream>

#include "battle/move_support.h"
#include "service/service_test_support.h"

namespace pdex::service::testing {
namespace {

using nlohmann::json;

class HttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  unsigned short port() const { return server_->port(); }
  static TestServer* server_;
};
TestServer* HttpTest::server_ = nullptr;

std::string raw_post(const std::string& target, const std::string& body) {
  return "POST " + target +
         " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

void expect_security_headers(const HttpResult& r) {
  EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.header("x-frame-options"), "DENY");
  EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_FALSE(r.header("x-request-id").empty());
  EXPECT_EQ(r.header("server"), "");
}

void expect_problem(const HttpResult& r, int status, const std::string& field = "") {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  const json j = json::parse(r.body);
  EXPECT_EQ(j["status"], status);
  for (const char* k : {"type", "title", "detail", "instance"}) EXPECT_TRUE(j[k].is_string()) << k << " in " << r.body;
  if (!field.empty()) {
    bool found = false;
    for (const auto& e : j.value("errors", json::array())) found = found || e["field"] == field;
    EXPECT_TRUE(found) << "no error for field " << field << " in " << r.body;
  }
  expect_security_headers(r);
}

TEST_F(HttpTest, Health) {
  const auto r = get(port(), "/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  const json j = r.json();
  EXPECT_EQ(j["status"], "ok");
  EXPECT_TRUE(j["version"].is_string());
  EXPECT_TRUE(j["git_hash"].is_string());
  EXPECT_TRUE(j["uptime_s"].is_number());
  expect_security_headers(r);
}

TEST_F(HttpTest, ReadyFollowsModelAndDatabase) {
  server_->state().models.set(nullptr);
  auto r = get(port(), "/ready");
  expect_problem(r, 503, "model");
  EXPECT_EQ(r.json()["checks"]["model"]["ok"], false);
  EXPECT_EQ(r.json()["readiness"], "unavailable") << "no model: nothing is predicted";

  server_->state().models.set(std::make_shared<ConstantModel>(0.7));
  r = get(port(), "/ready");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["checks"]["model"]["version"], "test-1");

  server_->set_database_down(true);
  r = get(port(), "/ready");
  expect_problem(r, 503, "database");
  EXPECT_EQ(r.json()["readiness"], "degraded") << "the model still answers while the database is down";
  server_->set_database_down(false);
  server_->state().models.set(nullptr);
}

TEST_F(HttpTest, MetricsCountRequestsByRouteTemplate) {
  get(port(), "/api/v1/pokemon/25");
  get(port(), "/api/no/such/path");
  const auto r = get(port(), "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find(R"(pdex_http_requests_total{route="/api/v1/pokemon/{id}",method="GET",status="200"})"),
            std::string::npos);
  EXPECT_NE(r.body.find(R"(pdex_http_requests_total{route="unmatched",method="GET",status="404"})"), std::string::npos);
  EXPECT_NE(r.body.find("# TYPE pdex_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(r.body.find("pdex_http_connections_active "), std::string::npos);
  for (const char* name : {"process_resident_memory_bytes ", "process_open_fds ", "process_start_time_seconds "}) {
    EXPECT_NE(r.body.find(name), std::string::npos) << name;
  }
  expect_security_headers(r);
}

TEST_F(HttpTest, OpenApiIsTheRepositoryDocument) {
  const auto r = get(port(), "/openapi.json");
  EXPECT_EQ(r.status, 200);
  std::ifstream in("docs/openapi.json");
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(json::parse(r.body), json::parse(file.str()));
}

TEST_F(HttpTest, PokemonListFiltersAndPaginates) {
  auto j = get(port(), "/api/v1/pokemon").json();
  EXPECT_EQ(j["total"], 188);
  EXPECT_EQ(j["limit"], 50);
  EXPECT_EQ(j["items"].size(), 50u);
  j = get(port(), "/api/v1/pokemon?limit=10&offset=180").json();
  EXPECT_EQ(j["items"].size(), 8u);
  j = get(port(), "/api/v1/pokemon?is_mega=true&limit=200").json();
  EXPECT_EQ(j["total"], 15);
  j = get(port(), "/api/v1/pokemon?is_alola=true&limit=200").json();
  EXPECT_EQ(j["total"], 18);
  j = get(port(), "/api/v1/pokemon?q=CHAR&type=fire").json();
  std::set<std::string> names;
  for (const auto& p : j["items"]) names.insert(p["name"]);
  EXPECT_TRUE(names.count("Charizard"));
  EXPECT_TRUE(names.count("Charmander"));
  for (const auto& p : j["items"]) EXPECT_NE(p["types"].dump().find("Fire"), std::string::npos);
  j = get(port(), "/api/v1/pokemon?q=mr%20mime").json();
  EXPECT_GE(j["total"], 1);

  expect_problem(get(port(), "/api/v1/pokemon?limit=0"), 422, "limit");
  expect_problem(get(port(), "/api/v1/pokemon?limit=201"), 422, "limit");
  expect_problem(get(port(), "/api/v1/pokemon?offset=-1"), 422, "offset");
  expect_problem(get(port(), "/api/v1/pokemon?type=Shadow"), 422, "type");
  expect_problem(get(port(), "/api/v1/pokemon?is_mega=yes"), 422, "is_mega");
  expect_problem(get(port(), "/api/v1/pokemon?colour=red"), 422, "colour");
  expect_problem(get(port(), "/api/v1/pokemon?limit=1&limit=2"), 400);
  expect_problem(get(port(), "/api/v1/pokemon?q=%zz"), 400);
}

TEST_F(HttpTest, PokemonDetail) {
  const auto r = get(port(), "/api/v1/pokemon/6");
  ASSERT_EQ(r.status, 200);
  const json j = r.json();
  EXPECT_EQ(j["name"], "Charizard");
  EXPECT_EQ(j["stats"]["level"], 50);
  EXPECT_EQ(j["stats"]["base"]["hp"], 78);
  EXPECT_EQ(j["stats"]["computed"]["hp"], 153);  // ⌊(156+31)·50/100⌋ + 50 + 10
  bool rock_x4 = false;
  for (const auto& w : j["type_matchups"]["weaknesses"])
    rock_x4 = rock_x4 || (w["type"] == "Rock" && w["multiplier"] == 4.0);
  EXPECT_TRUE(rock_x4);
  bool ground_immune = false;
  for (const auto& w : j["type_matchups"]["immunities"]) ground_immune = ground_immune || w["type"] == "Ground";
  EXPECT_TRUE(ground_immune);
  EXPECT_EQ(j["mega_evolutions"].size(), 2u);
  EXPECT_FALSE(j["learnset"].empty());
  EXPECT_TRUE(j["learnset"][0]["move"]["name"].is_string());
  EXPECT_EQ(j["prevo"]["name"], "Charmeleon");

  EXPECT_EQ(get(port(), "/api/v1/pokemon/pikachu").json()["id"], 25);
  EXPECT_EQ(get(port(), "/api/v1/pokemon/Raichu-Alola").json()["showdown_id"], "raichualola");
  EXPECT_EQ(get(port(), "/api/v1/pokemon/raichu%20alola").json()["showdown_id"], "raichualola");
  EXPECT_EQ(get(port(), "/api/v1/pokemon/25?level=100").json()["stats"]["level"], 100);
  EXPECT_EQ(get(port(), "/api/v1/pokemon/1").json()["evolutions"][0]["name"], "Ivysaur");

  expect_problem(get(port(), "/api/v1/pokemon/9999"), 404);
  expect_problem(get(port(), "/api/v1/pokemon/agumon"), 404);
  expect_problem(get(port(), "/api/v1/pokemon/-1"), 404);
  expect_problem(get(port(), "/api/v1/pokemon/25?level=0"), 422, "level");
  expect_problem(get(port(), "/api/v1/pokemon/25?level=abc"), 422, "level");
}

TEST_F(HttpTest, Moves) {
  auto j = get(port(), "/api/v1/moves?limit=200").json();
  EXPECT_GE(j["total"], 200);
  j = get(port(), "/api/v1/moves?type=Electric&category=special").json();
  for (const auto& m : j["items"]) {
    EXPECT_EQ(m["type"], "Electric");
    EXPECT_EQ(m["category"], "Special");
  }
  EXPECT_GE(j["total"], 2);
  j = get(port(), "/api/v1/moves?q=thunder").json();
  EXPECT_GE(j["total"], 3);

  const auto r = get(port(), "/api/v1/moves/thunderbolt");
  ASSERT_EQ(r.status, 200);
  j = r.json();
  EXPECT_EQ(j["power"], 90);
  EXPECT_EQ(j["engine_supported"], true);
  bool pikachu = false;
  for (const auto& s : j["learned_by"]) pikachu = pikachu || s["name"] == "Pikachu";
  EXPECT_TRUE(pikachu);
  EXPECT_EQ(get(port(), "/api/v1/moves/85").json()["name"], "Thunderbolt");

  expect_problem(get(port(), "/api/v1/moves/hyperdrive"), 404);
  expect_problem(get(port(), "/api/v1/moves?category=Weird"), 422, "category");
  expect_problem(get(port(), "/api/v1/moves/85?x=1"), 422, "x");
}

TEST_F(HttpTest, Types) {
  auto j = get(port(), "/api/v1/types").json();
  EXPECT_EQ(j["items"].size(), 18u);
  EXPECT_EQ(j["items"][1]["name"], "Fire");
  j = get(port(), "/api/v1/types/effectiveness?attacking=Fire&defending=Grass,Steel").json();
  EXPECT_EQ(j["multiplier"], 4.0);
  j = get(port(), "/api/v1/types/effectiveness?attacking=ground&defending=flying").json();
  EXPECT_EQ(j["multiplier"], 0.0);
  j = get(port(), "/api/v1/types/effectiveness?attacking=Water").json();
  EXPECT_EQ(j["against"]["Fire"], 2.0);
  j = get(port(), "/api/v1/types/effectiveness?defending=Dragon").json();
  EXPECT_EQ(j["from"]["Fairy"], 2.0);
  j = get(port(), "/api/v1/types/effectiveness").json();
  EXPECT_EQ(j["matrix"].size(), 18u);
  int super = 0, resisted = 0, immune = 0;
  for (const auto& row : j["matrix"]) {
    for (const auto& v : row) {
      super += v == 2.0;
      resisted += v == 0.5;
      immune += v == 0.0;
    }
  }
  EXPECT_EQ(super, 51);
  EXPECT_EQ(resisted, 61);
  EXPECT_EQ(immune, 8);

  expect_problem(get(port(), "/api/v1/types/effectiveness?attacking=Wood"), 422, "attacking");
  expect_problem(get(port(), "/api/v1/types/effectiveness?defending=Fire,Water,Grass"), 422, "defending");
  expect_problem(get(port(), "/api/v1/types/effectiveness?defending=Fire,Fire"), 422, "defending");
}

// A move that some species can learn but the engine does not implement, if the data has one.
std::optional<std::pair<std::string, std::string>> learnable_unsupported_move() {
  const auto dex = test_dex();
  for (const dex::Species& s : dex->all_species()) {
    for (int move_id : dex->usable_moves(s.id)) {
      const dex::Move* m = dex->move_by_id(move_id);
      if (m && battle::classify_move(*m).unsupported) return std::make_pair(s.showdown_id, m->showdown_id);
    }
  }
  return std::nullopt;
}

TEST_F(HttpTest, SimulateBattle) {
  const std::string body =
      R"({"pokemon_1_id":25,"pokemon_2_id":"charizard","pokemon_1_moves":["thunderbolt","quickattack"],"seed":7})";
  const auto a = post(port(), "/api/v1/simulate/battle", body);
  ASSERT_EQ(a.status, 200) << a.body;
  const json j = a.json();
  EXPECT_TRUE(j["winner"] == 1 || j["winner"] == 2);
  EXPECT_EQ(j["seed"], 7);
  EXPECT_FALSE(j["events"].empty());
  EXPECT_EQ(j["events"][0]["kind"], "turn");
  EXPECT_EQ(j["pokemon_1"]["moves_chosen_by"], "request");
  EXPECT_EQ(j["pokemon_2"]["moves_chosen_by"], "server");
  EXPECT_GE(j["pokemon_2"]["moves"].size(), 1u);
  EXPECT_LE(j["pokemon_2"]["moves"].size(), 4u);
  EXPECT_EQ(j["events"].back()["kind"], "win");
  // Same seed, same battle.
  EXPECT_EQ(post(port(), "/api/v1/simulate/battle", body).json(), j);
  // No seed: a random one, echoed.
  EXPECT_TRUE(
      post(port(), "/api/v1/simulate/battle", R"({"pokemon_1_id":1,"pokemon_2_id":4})").json()["seed"].is_number());

  expect_problem(post(port(), "/api/v1/simulate/battle", R"({"pokemon_2_id":4})"), 422, "pokemon_1_id");
  expect_problem(post(port(), "/api/v1/simulate/battle", R"({"pokemon_1_id":25,"pokemon_2_id":4,"level_1":101})"), 422,
                 "level_1");
  expect_problem(post(port(), "/api/v1/simulate/battle", R"({"pokemon_1_id":25,"pokemon_2_id":4,"levl_1":10})"), 422,
                 "levl_1");
  expect_problem(post(port(), "/api/v1/simulate/battle",
                      R"({"pokemon_1_id":25,"pokemon_2_id":4,"pokemon_1_moves":["flamethrower"]})"),
                 422, "pokemon_1_moves[0]");
  expect_problem(post(port(), "/api/v1/simulate/battle",
                      R"({"pokemon_1_id":25,"pokemon_2_id":4,"pokemon_1_moves":["thunderbolt","thunderbolt"]})"),
                 422, "pokemon_1_moves[1]");
  expect_problem(post(port(), "/api/v1/simulate/battle", R"({"pokemon_1_id":25,"pokemon_2_id":"digimon"})"), 404,
                 "pokemon_2_id");
  expect_problem(
      post(port(), "/api/v1/simulate/battle", R"({"pokemon_1_id":25,"pokemon_2_id":4,"pokemon_2_moves":["notamove"]})"),
      404, "pokemon_2_moves[0]");
  expect_problem(post(port(), "/api/v1/simulate/battle", R"({"pokemon_1_id":25,"pokemon_2_id":4,"ivs_1":{"hp":40}})"),
                 422, "ivs_1.hp");
  expect_problem(post(port(), "/api/v1/simulate/battle", R"({"pokemon_1_id":25,"pokemon_2_id":4,"nature_2":"Grumpy"})"),
                 422, "nature_2");
  expect_problem(post(port(), "/api/v1/simulate/battle", R"({"pokemon_1_id":25,"pokemon_2_id":4,"policy_1":"smart"})"),
                 422, "policy_1");
  if (auto pair = learnable_unsupported_move()) {
    const auto r =
        post(port(), "/api/v1/simulate/battle",
             json{{"pokemon_1_id", pair->first}, {"pokemon_2_id", 4}, {"pokemon_1_moves", {pair->second}}}.dump());
    expect_problem(r, 422, "pokemon_1_moves[0]");
    EXPECT_NE(r.body.find("not implemented by the battle engine"), std::string::npos) << r.body;
  }
}

TEST_F(HttpTest, SimulateOdds) {
  auto r =
      post(port(), "/api/v1/simulate/odds",
           R"({"pokemon_1_id":"bulbasaur","pokemon_2_id":7,"pokemon_1_moves":["tackle"],"pokemon_2_moves":["tackle"],
                    "policy_1":"fixed","policy_2":"fixed","method":"exact"})");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["method"], "exact");
  EXPECT_EQ(j["n"], 0);
  EXPECT_GT(j["states"], 0);
  EXPECT_NEAR(j["pokemon_1_win_probability"].get<double>() + j["pokemon_2_win_probability"].get<double>() +
                  j["draw_probability"].get<double>(),
              1.0, 1e-9);

  r = post(port(), "/api/v1/simulate/odds", R"({"pokemon_1_id":25,"pokemon_2_id":6,"method":"mc","n":2000,"seed":3})");
  ASSERT_EQ(r.status, 200) << r.body;
  j = r.json();
  EXPECT_EQ(j["method"], "mc");
  EXPECT_EQ(j["n"], 2000);
  EXPECT_LE(j["ci"]["low"].get<double>(), j["pokemon_1_win_probability"].get<double>());
  EXPECT_GE(j["ci"]["high"].get<double>(), j["pokemon_1_win_probability"].get<double>());

  expect_problem(post(port(), "/api/v1/simulate/odds", R"({"pokemon_1_id":25,"pokemon_2_id":6,"n":200001})"), 422, "n");
  expect_problem(post(port(), "/api/v1/simulate/odds", R"({"pokemon_1_id":25,"pokemon_2_id":6,"method":"guess"})"), 422,
                 "method");
  // Greedy over several moves with status effects: not solvable exactly.
  expect_problem(
      post(port(), "/api/v1/simulate/odds",
           R"({"pokemon_1_id":25,"pokemon_2_id":6,"pokemon_1_moves":["thunderwave","thunderbolt"],"method":"exact"})"),
      422, "method");
}

TEST_F(HttpTest, PredictNeedsAModel) {
  server_->state().models.set(nullptr);
  const std::string body = R"({"pokemon_1_id":25,"pokemon_2_id":6})";
  expect_problem(post(port(), "/api/v1/predict/battle", body), 503);
  EXPECT_NE(post(port(), "/api/v1/predict/battle", body).body.find("model not loaded"), std::string::npos);
  expect_problem(get(port(), "/api/v1/model"), 503);
  // Client mistakes are reported whether or not a model is loaded.
  expect_problem(post(port(), "/api/v1/predict/battle", R"({"pokemon_1_id":25})"), 422, "pokemon_2_id");

  server_->state().models.set(std::make_shared<ConstantModel>(0.25, "v7"));
  const auto r = post(port(), "/api/v1/predict/battle", body);
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = r.json();
  EXPECT_EQ(j["winner"], 2);
  EXPECT_EQ(j["winner_name"], "Charizard");
  EXPECT_DOUBLE_EQ(j["confidence"].get<double>(), 0.75);
  EXPECT_EQ(j["model_version"], "v7");
  EXPECT_FALSE(j["prediction_id"].get<std::string>().empty());
  EXPECT_EQ(j["pokemon_1"]["moves"].size(), 1u);  // the recommended move
  EXPECT_EQ(get(port(), "/api/v1/model").json()["version"], "v7");
  server_->state().models.set(nullptr);
}

// A model whose answer depends on the moves it is given: side 1 wins most with the move of the highest id.
class MoveIdModel : public ServedModel {
 public:
  std::string version() const override { return "move-id-1"; }
  nlohmann::json card() const override { return {{"version", version()}}; }
  double predict_p1_win(const dex::Dex&, const battle::BattleConfig& config) const override {
    return std::min(0.99, config.side[0].moves.front()->id / 1000.0);
  }
};

TEST_F(HttpTest, PredictBestMove) {
  const std::string body = R"({"pokemon_a_id":25,"pokemon_b_id":"squirtle","available_moves":[85,"quickattack"]})";
  server_->state().models.set(nullptr);
  expect_problem(post(port(), "/api/v1/predict/best-move", body), 503);

  server_->state().models.set(std::make_shared<MoveIdModel>());
  auto r = post(port(), "/api/v1/predict/best-move", body);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  // Thunderbolt (85) beats Quick Attack (98)? No: the model prefers the higher id, so Quick Attack comes first.
  ASSERT_EQ(j["move_rankings"].size(), 2u);
  EXPECT_EQ(j["recommended_move"], "Quick Attack");
  EXPECT_EQ(j["recommended_move_id"], 98);
  EXPECT_DOUBLE_EQ(j["win_probability"].get<double>(), 0.098);
  EXPECT_EQ(j["predicted_winner"], "B");
  EXPECT_EQ(j["model_version"], "move-id-1");
  EXPECT_FALSE(j["prediction_id"].get<std::string>().empty());
  const json& tb = j["move_rankings"][1];
  EXPECT_EQ(tb["move"], "Thunderbolt");
  EXPECT_EQ(tb["move_id"], 85);
  EXPECT_EQ(tb["type"], "Electric");
  EXPECT_EQ(tb["category"], "Special");
  EXPECT_EQ(tb["power"], 90);
  EXPECT_EQ(tb["stab"], true);
  EXPECT_DOUBLE_EQ(tb["type_multiplier"].get<double>(), 2.0);  // Electric vs Water
  EXPECT_EQ(tb["priority"], 0);
  EXPECT_EQ(tb["rank"], 2);
  EXPECT_EQ(j["move_rankings"][0]["priority"], 1);
  EXPECT_EQ(j["move_rankings"][0]["stab"], false);
  EXPECT_EQ(j["pokemon_b"]["moves_chosen_by"], "server");
  EXPECT_EQ(j["pokemon_b"]["moves"].size(), 1u);
  EXPECT_EQ(j["pokemon_a"]["level"], 50);

  // Absent available_moves: every usable, engine-supported move of A, best first.
  r = post(port(), "/api/v1/predict/best-move",
           R"({"pokemon_a_id":"pikachu","pokemon_b_id":7,"available_moves_b":["tackle"],"level_a":30,"level_b":70})");
  ASSERT_EQ(r.status, 200) << r.body;
  j = r.json();
  EXPECT_GT(j["move_rankings"].size(), 5u);
  EXPECT_EQ(j["pokemon_a"]["candidates_chosen_by"], "server");
  EXPECT_EQ(j["pokemon_a"]["level"], 30);
  EXPECT_EQ(j["pokemon_b"]["level"], 70);
  EXPECT_EQ(j["pokemon_b"]["moves"][0]["name"], "Tackle");
  for (std::size_t i = 1; i < j["move_rankings"].size(); ++i) {
    EXPECT_GE(j["move_rankings"][i - 1]["win_probability"].get<double>(),
              j["move_rankings"][i]["win_probability"].get<double>());
  }
  EXPECT_EQ(j["recommended_move"], j["move_rankings"][0]["move"]);

  const std::string url = "/api/v1/predict/best-move";
  expect_problem(post(port(), url, R"({"pokemon_a_id":25})"), 422, "pokemon_b_id");
  expect_problem(post(port(), url, R"({"pokemon_a_id":25,"pokemon_b_id":"agumon"})"), 404, "pokemon_b_id");
  expect_problem(post(port(), url, R"({"pokemon_a_id":25,"pokemon_b_id":7,"available_moves":["thunderbolt","nope"]})"),
                 404, "available_moves[1]");
  expect_problem(post(port(), url, R"({"pokemon_a_id":25,"pokemon_b_id":7,"available_moves":["flamethrower"]})"), 422,
                 "available_moves[0]");
  expect_problem(post(port(), url, R"({"pokemon_a_id":25,"pokemon_b_id":7,"available_moves":[85,"thunderbolt"]})"), 422,
                 "available_moves[1]");
  expect_problem(post(port(), url, R"({"pokemon_a_id":25,"pokemon_b_id":7,"available_moves":[]})"), 422,
                 "available_moves");
  expect_problem(
      post(port(), url, R"({"pokemon_a_id":25,"pokemon_b_id":7,"available_moves_b":["tackle","a","b","c","d"]})"), 422,
      "available_moves_b");
  expect_problem(post(port(), url, R"({"pokemon_a_id":25,"pokemon_b_id":7,"available_moves_b":["thunderbolt"]})"), 422,
                 "available_moves_b[0]");
  expect_problem(post(port(), url, R"({"pokemon_a_id":25,"pokemon_b_id":7,"level_a":0})"), 422, "level_a");
  expect_problem(post(port(), url, R"({"pokemon_a_id":25,"pokemon_b_id":7,"level":50})"), 422, "level");
  expect_problem(post(port(), url, R"({"pokemon_a_id":25,"pokemon_b_id":7)"), 400);
  server_->state().models.set(nullptr);
}

TEST(StaticFiles, ServesTheWebRoot) {
  TestServer server([](ServiceConfig& c) { c.web_root = fixture_web_root(); });
  const unsigned short port = server.port();
  auto r = get(port, "/");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("PredictionDex"), std::string::npos);
  EXPECT_EQ(r.header("cache-control"), "no-cache");
  EXPECT_EQ(r.header("content-security-policy"), SecurityHeadersMiddleware::kContentSecurityPolicy);
  EXPECT_EQ(r.header("x-frame-options"), "DENY");

  r = get(port, "/assets/app-3f2a.js");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(r.body, "console.log('app');");
  r = get(port, "/assets/style-9c1d.css");
  EXPECT_EQ(r.header("content-type"), "text/css; charset=utf-8");
  r = get(port, "/favicon.svg");
  EXPECT_EQ(r.header("content-type"), "image/svg+xml");
  EXPECT_EQ(r.header("cache-control"), "public, max-age=3600");

  // Client-side routes of the single-page app load index.html; missing files and assets are 404.
  for (const char* route : {"/pokedex", "/pokedex/25", "/battle/pikachu-vs-charizard"}) {
    r = get(port, route);
    EXPECT_EQ(r.status, 200) << route;
    EXPECT_NE(r.body.find("PredictionDex"), std::string::npos) << route;
  }
  expect_problem(get(port, "/assets/missing-1234.js"), 404);
  expect_problem(get(port, "/missing.png"), 404);
  // Unknown API paths stay problem+json.
  expect_problem(get(port, "/api/v1/nothing"), 404);
  expect_problem(get(port, "/api"), 404);
  // Traversal and dotfiles are refused.
  for (const char* bad :
       {"/../etc/passwd", "/assets/../../etc/passwd", "/%2e%2e/etc/passwd", "/assets/%2e%2e/index.html", "/.git/config",
        "/assets%2f..%2f..%2fetc%2fpasswd", "/a%00b", "/a%5c..%5cetc"}) {
    Client c(port);
    c.write_raw(std::string("GET ") + bad + " HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto res = c.read();
    ASSERT_TRUE(res) << bad;
    EXPECT_TRUE(res->status == 404 || res->status == 400) << bad << " -> " << res->status;
    EXPECT_EQ(res->body.find("root:"), std::string::npos) << bad;
  }
  // A link out of the root is not followed.
  std::error_code ec;
  std::filesystem::create_symlink("/etc/hostname", fixture_web_root() / "link.txt", ec);
  if (!ec) expect_problem(get(port, "/link.txt"), 404);

  // HEAD: the headers of GET, no body.
  Client c(port);
  const auto head = c.request(http::verb::head, "/assets/app-3f2a.js");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-length"), "19");
  EXPECT_TRUE(head->body.empty());
  // POST to a static path is not a route.
  expect_problem(post(port, "/pokedex", "{}"), 404);

  // Swagger UI and ReDoc, with their own CSP (inline styles, blob: workers) and nothing from other origins.
  for (const char* page : {"/docs", "/docs/", "/redoc"}) {
    r = get(port, page);
    ASSERT_EQ(r.status, 200) << page;
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
    const std::string csp = r.header("content-security-policy");
    EXPECT_NE(csp.find("style-src 'self' 'unsafe-inline'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("worker-src 'self' blob:"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("http"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  }
  EXPECT_NE(get(port, "/docs").body.find("Swagger UI"), std::string::npos);
  EXPECT_NE(get(port, "/redoc").body.find("ReDoc"), std::string::npos);
  EXPECT_EQ(get(port, "/docs/init.js").header("content-type"), "text/javascript; charset=utf-8");
}

TEST(StaticFiles, WithoutAWebRootPagesAre404Problems) {
  TestServer server;  // web root missing
  expect_problem(get(server.port(), "/"), 404);
  expect_problem(get(server.port(), "/docs"), 404);
  expect_problem(get(server.port(), "/pokedex"), 404);
  EXPECT_EQ(get(server.port(), "/health").status, 200);
}

TEST_F(HttpTest, UnknownRouteAndMethod) {
  expect_problem(get(port(), "/api/v2/pokemon"), 404);
  expect_problem(get(port(), "/api/v1/pokemon/25/extra"), 404);
  const auto r = call(port(), http::verb::delete_, "/api/v1/pokemon/25");
  expect_problem(r, 405);
  EXPECT_EQ(r.header("allow"), "GET");
  const auto p = call(port(), http::verb::get, "/api/v1/simulate/odds");
  expect_problem(p, 405);
  EXPECT_EQ(p.header("allow"), "POST");
}

TEST_F(HttpTest, BodyErrors) {
  expect_problem(call(port(), http::verb::post, "/api/v1/simulate/odds", "{}", {}, "text/plain"), 415);
  expect_problem(call(port(), http::verb::post, "/api/v1/simulate/odds", "{}", {}, ""), 415);
  expect_problem(call(port(), http::verb::post, "/api/v1/simulate/odds", "{}", {}, "application/json; charset=latin1"),
                 415);
  EXPECT_EQ(call(port(), http::verb::post, "/api/v1/simulate/odds", R"({"pokemon_1_id":25,"pokemon_2_id":7,"n":10})",
                 {}, "application/json; charset=UTF-8")
                .status,
            200);
  expect_problem(post(port(), "/api/v1/simulate/odds", R"({"pokemon_1_id":25,)"), 400);
  expect_problem(post(port(), "/api/v1/simulate/odds", R"({"a":1,"a":2})"), 400);
  expect_problem(post(port(), "/api/v1/simulate/odds", std::string(40, '[') + std::string(40, ']')), 400);
  expect_problem(post(port(), "/api/v1/simulate/odds", "{\"pokemon_1_id\":\"\xff\"}"), 400);
  expect_problem(post(port(), "/api/v1/simulate/odds", "[1,2]"), 422, "(body)");
  const auto bad = post(port(), "/api/v1/simulate/odds", R"({"pokemon_1_id":25,)");
  EXPECT_NE(bad.body.find("at byte"), std::string::npos) << bad.body;
}

TEST_F(HttpTest, OversizedBodyAndHeadersAreAnswered) {
  const std::string big(70 * 1024, 'x');
  expect_problem(post(port(), "/api/v1/simulate/odds", big), 413);
  // Chunked, no Content-Length: the limit applies while reading.
  Client c(port());
  std::string raw =
      "POST /api/v1/simulate/odds HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) raw += "1000\r\n" + std::string(0x1000, 'a') + "\r\n";
  raw += "0\r\n\r\n";
  c.write_raw(raw);
  const auto r = c.read();
  ASSERT_TRUE(r);
  expect_problem(*r, 413);
  EXPECT_FALSE(r->keep_alive);

  expect_problem(call(port(), http::verb::get, "/health", "", {{"X-Filler", std::string(20000, 'h')}}), 431);
}

TEST_F(HttpTest, MalformedRequestLineIs400) {
  Client c(port());
  c.write_raw("GARBAGE\r\n\r\n");
  const auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(HttpTest, RequestIdEchoedOrGenerated) {
  auto r = call(port(), http::verb::get, "/health", "", {{"X-Request-Id", "abc.DEF_123-x"}});
  EXPECT_EQ(r.header("x-request-id"), "abc.DEF_123-x");
  r = call(port(), http::verb::get, "/health", "", {{"X-Request-Id", "bad id!"}});
  EXPECT_EQ(r.header("x-request-id").size(), 32u);
  r = call(port(), http::verb::get, "/health", "", {{"X-Request-Id", std::string(129, 'a')}});
  EXPECT_EQ(r.header("x-request-id").size(), 32u);
  EXPECT_NE(get(port(), "/health").header("x-request-id"), get(port(), "/health").header("x-request-id"));
}

TEST_F(HttpTest, KeepAliveAndPipelining) {
  Client c(port());
  for (int i = 0; i < 3; ++i) {
    const auto r = c.request(http::verb::get, "/health");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(r->keep_alive);
  }
  // Three requests in one write; a slow one first: answers must come back in order.
  c.write_raw(
      raw_post("/api/v1/simulate/odds", R"({"pokemon_1_id":25,"pokemon_2_id":6,"method":"mc","n":20000,"s":1})") +
      "GET /api/v1/types HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto a = c.read(), b = c.read(), d = c.read();
  ASSERT_TRUE(a && b && d);
  EXPECT_EQ(a->status, 422);  // unknown field "s"
  EXPECT_NE(a->body.find("\"s\""), std::string::npos);
  EXPECT_EQ(b->status, 200);
  EXPECT_EQ(b->json()["items"].size(), 18u);
  EXPECT_EQ(d->status, 404);
  // HTTP/1.0 without keep-alive: closed after the answer.
  Client old(port());
  old.write_raw("GET /health HTTP/1.0\r\n\r\n");
  const auto r = old.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(old.closed_by_peer(std::chrono::seconds(5)));
}

TEST(HttpServerLimits, ConnectionsBeyondTheLimitGet503) {
  TestServer server([](ServiceConfig& c) { c.server.max_connections = 2; });
  Client a(server.port()), b(server.port());
  ASSERT_TRUE(a.request(http::verb::get, "/health"));
  ASSERT_TRUE(b.request(http::verb::get, "/health"));
  Client c(server.port());
  const auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->header("content-type"), "application/problem+json");
  EXPECT_EQ(r->header("x-frame-options"), "DENY");
  EXPECT_FALSE(r->keep_alive);
  EXPECT_EQ(a.request(http::verb::get, "/health")->status, 200);
}

TEST(HttpServerLimits, IdleConnectionsTimeOut) {
  TestServer server([](ServiceConfig& c) { c.server.idle_timeout = std::chrono::milliseconds(200); });
  Client a(server.port());
  ASSERT_TRUE(a.request(http::verb::get, "/health"));
  EXPECT_TRUE(a.closed_by_peer(std::chrono::seconds(5)));
}

TEST(HttpServerLimits, CorsAllowList) {
  TestServer server([](ServiceConfig& c) { c.cors_origins = {"https://app.example"}; });
  auto r = call(server.port(), http::verb::get, "/health", "", {{"Origin", "https://app.example"}});
  EXPECT_EQ(r.header("access-control-allow-origin"), "https://app.example");
  r = call(server.port(), http::verb::get, "/health", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.header("access-control-allow-origin"), "");
  r = call(server.port(), http::verb::options, "/api/v1/simulate/odds", "",
           {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_NE(r.header("access-control-allow-methods").find("POST"), std::string::npos);
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  // Off by default.
  TestServer plain;
  r = call(plain.port(), http::verb::get, "/health", "", {{"Origin", "https://app.example"}});
  EXPECT_EQ(r.header("access-control-allow-origin"), "");
}

// A model whose prediction blocks until released, so a request is provably in flight when the stop begins
// (a slow real request would race with the stop on a fast machine).
class GatedModel : public ServedModel {
 public:
  std::string version() const override { return "gated-test"; }
  nlohmann::json card() const override { return {{"version", version()}}; }
  double predict_p1_win(const dex::Dex&, const battle::BattleConfig&) const override {
    entered.set_value();
    release.wait();
    return 0.75;
  }
  mutable std::promise<void> entered;
  std::shared_future<void> release;
};

TEST(HttpServerStop, FinishesInFlightClosesIdleAndReturns) {
  TestServer server;
  std::promise<void> release;
  auto model = std::make_shared<GatedModel>();
  model->release = release.get_future().share();
  auto entered = model->entered.get_future();
  server.state().models.set(model);
  Client idle(server.port());
  ASSERT_TRUE(idle.request(http::verb::get, "/health"));
  Client busy(server.port());
  busy.write_raw(raw_post("/api/v1/predict/battle", R"({"pokemon_1_id":149,"pokemon_2_id":6})"));
  ASSERT_EQ(entered.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  const auto t0 = std::chrono::steady_clock::now();
  auto stopped = std::async(std::launch::async, [&] { server.stop_and_join(); });
  // The stop has begun and cannot finish while the request is in flight.
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  release.set_value();
  const auto r = busy.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_FALSE(r->keep_alive);  // Connection: close while stopping
  EXPECT_TRUE(idle.closed_by_peer(std::chrono::seconds(5)));
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
  // No longer accepting.
  net::io_context ioc;
  tcp::socket s(ioc);
  beast::error_code ec;
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()), ec);
  EXPECT_TRUE(ec);
}

// Blocks every prediction until released; counts the predictions that started.
class HoldingModel : public ServedModel {
 public:
  std::string version() const override { return "holding"; }
  nlohmann::json card() const override { return {{"version", version()}}; }
  double predict_p1_win(const dex::Dex&, const battle::BattleConfig&) const override {
    ++started;
    release.wait();
    return 0.6;
  }
  mutable std::atomic<int> started{0};
  std::shared_future<void> release;
};

TEST(HttpServerWorkers, FullQueueIs503WhileHealthStaysOnTheIoThreads) {
  TestServer server([](ServiceConfig& c) {
    c.worker_threads = 1;
    c.worker_queue = 1;
  });
  std::promise<void> release;
  auto model = std::make_shared<HoldingModel>();
  model->release = release.get_future().share();
  server.state().models.set(model);
  const std::string body = R"({"pokemon_1_id":25,"pokemon_2_id":6})";
  Client running(server.port()), queued(server.port());
  running.write_raw(raw_post("/api/v1/predict/battle", body));
  for (int i = 0; i < 2000 && model->started.load() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(model->started.load(), 1);
  queued.write_raw(raw_post("/api/v1/predict/battle", body));
  // The queued request is waiting: wait until the pool reports it.
  for (int i = 0; i < 2000 && server.api().workers().queued() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(server.api().workers().queued(), 1u);
  const auto busy = post(server.port(), "/api/v1/predict/battle", body);
  expect_problem(busy, 503);
  EXPECT_EQ(busy.header("retry-after"), "1");
  EXPECT_NE(busy.body.find("busy"), std::string::npos) << busy.body;
  // /health never waits for a worker.
  EXPECT_EQ(get(server.port(), "/health").status, 200);
  EXPECT_NE(get(server.port(), "/metrics").status, 200);  // /metrics runs on the (busy) pool: refused too
  release.set_value();
  const auto a = running.read(), b = queued.read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, 200) << a->body;
  EXPECT_EQ(b->status, 200) << b->body;
  EXPECT_NE(get(server.port(), "/metrics").body.find("pdex_http_worker_rejected_total 2"), std::string::npos);
}

// Pipelined requests on one connection, alternating worker and inline routes: answered in order.
TEST(HttpServerWorkers, PipelinedMixOfWorkerAndInlineRoutesStaysInOrder) {
  TestServer server;
  server.state().models.set(std::make_shared<ConstantModel>(0.3, "v-order"));
  Client c(server.port());
  std::string batch;
  for (int i = 0; i < 10; ++i) {
    batch += raw_post("/api/v1/predict/battle", R"({"pokemon_1_id":25,"pokemon_2_id":6})");
    batch += "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    batch += "GET /api/v1/pokemon/" + std::to_string(i + 1) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  c.write_raw(batch);
  for (int i = 0; i < 10; ++i) {
    const auto p = c.read(), h = c.read(), d = c.read();
    ASSERT_TRUE(p && h && d);
    EXPECT_EQ(p->json()["model_version"], "v-order");
    EXPECT_EQ(h->json()["status"], "ok");
    EXPECT_EQ(d->json()["id"], i + 1);
  }
}

}  // namespace
}  // namespace pdex::service::testing
