// A generated corpus of bad input (malformed and truncated JSON, wrong types, huge and negative numbers, deep
// nesting, invalid UTF-8, large bodies, missing or wrong Content-Type, duplicate keys, unknown or unlearnable
// Pokémon and moves, odd paths and queries) against the real server: never a 5xx, always a problem+json for
// errors, and the server still healthy afterwards.
#include <gtest/gtest.h>

#include "service/service_test_support.h"

namespace pdex::service::testing {
namespace {

using nlohmann::json;

struct Case {
  http::verb method;
  std::string target;
  std::string body;
  std::string content_type = "application/json";
};

std::vector<Case> corpus() {
  std::vector<Case> cases;
  const std::vector<std::string> posts = {"/api/v1/simulate/battle", "/api/v1/simulate/odds", "/api/v1/predict/battle"};
  const json valid = {{"pokemon_1_id", 25}, {"pokemon_2_id", "charizard"}, {"pokemon_1_moves", {"thunderbolt"}}};
  const std::string text = valid.dump();

  // Truncated JSON at every position.
  for (std::size_t i = 0; i < text.size(); i += 2) cases.push_back({http::verb::post, posts[i % 3], text.substr(0, i)});
  // Malformed JSON.
  for (const std::string& bad : std::vector<std::string>{"{",
                                                         "}",
                                                         "[",
                                                         "nul",
                                                         "{\"a\"}",
                                                         "{\"a\":}",
                                                         "{'a':1}",
                                                         "{\"a\":1,}",
                                                         "{\"a\":01}",
                                                         "{\"a\":1e99999}",
                                                         "{\"a\":\"\\u12\"}",
                                                         "{\"a\":\"\\ud800\"}",
                                                         "\"str\"",
                                                         "42",
                                                         "true",
                                                         "null",
                                                         "[]",
                                                         "{\"a\":NaN}",
                                                         "{\"a\":Infinity}",
                                                         "{\"a\":1}{\"b\":2}",
                                                         "{\"a\":\"tab\there\"}",
                                                         "/* c */ {}",
                                                         std::string("\x00{}", 3)}) {
    for (const auto& p : posts) cases.push_back({http::verb::post, p, bad});
  }
  // Wrong types and values for every field.
  const std::vector<std::string> fields = {
      "pokemon_1_id", "pokemon_2_id", "pokemon_1_moves", "pokemon_2_moves", "level_1", "level_2", "ivs_1",
      "avs_2",        "nature_1",     "policy_2",        "turn_limit",      "seed",    "method",  "n"};
  const std::vector<json> values = {nullptr,
                                    true,
                                    -1,
                                    1e308,
                                    1.5,
                                    "x",
                                    json::array(),
                                    json::object(),
                                    std::string(1000, 'a'),
                                    json::parse("18446744073709551615"),
                                    json::array({1, 2, 3, 4, 5}),
                                    json::array({nullptr}),
                                    -9223372036854775807LL,
                                    0};
  int k = 0;
  for (const auto& f : fields) {
    for (const auto& v : values) {
      json body = valid;
      body[f] = v;
      cases.push_back({http::verb::post, posts[k++ % 3], body.dump()});
    }
  }
  // Unknown, negative, unlearnable, unsupported, duplicate.
  for (const json& body :
       {json{{"pokemon_1_id", -25}, {"pokemon_2_id", 6}}, json{{"pokemon_1_id", 0}, {"pokemon_2_id", 6}},
        json{{"pokemon_1_id", 99999999}, {"pokemon_2_id", 6}}, json{{"pokemon_1_id", "missingno"}, {"pokemon_2_id", 6}},
        json{{"pokemon_1_id", 25}, {"pokemon_2_id", 6}, {"pokemon_1_moves", {"surf"}}},
        json{{"pokemon_1_id", 25}, {"pokemon_2_id", 6}, {"pokemon_1_moves", {"metronome"}}},
        json{{"pokemon_1_id", 25}, {"pokemon_2_id", 6}, {"pokemon_1_moves", {"zzz", "yyy"}}},
        json{{"pokemon_1_id", 25}, {"pokemon_2_id", 6}, {"pokemon_1_moves", {85, 85}}},
        json{{"pokemon_1_id", 25}, {"pokemon_2_id", 6}, {"ivs_1", {{"speed", 3}}}},
        json{{"pokemon_1_id", 25}, {"pokemon_2_id", 6}, {"method", "exact"}},
        json{{"pokemon_1_id", 132}, {"pokemon_2_id", 132}},
        json{{"pokemon_1_id", "Pikachu-Starter"}, {"pokemon_2_id", "eeveestarter"}, {"n", 1}},
        json{{"pokemon_1_id", 25}, {"pokemon_2_id", 6}, {"unknown_field", 1}}}) {
    for (const auto& p : posts) cases.push_back({http::verb::post, p, body.dump()});
  }
  // Duplicate keys, deep nesting, invalid UTF-8, large bodies.
  for (const auto& p : posts) {
    cases.push_back({http::verb::post, p, R"({"pokemon_1_id":25,"pokemon_1_id":26,"pokemon_2_id":6})"});
    cases.push_back({http::verb::post, p, std::string(31, '[') + std::string(31, ']')});
    cases.push_back({http::verb::post, p, std::string(33, '[') + std::string(33, ']')});
    cases.push_back({http::verb::post, p, std::string(60000, '[')});
    cases.push_back({http::verb::post, p, "{\"pokemon_1_id\":{\"a\":" + std::string(50, '[') + "}}"});
    cases.push_back({http::verb::post, p, "{\"pokemon_1_id\":\"\xc0\xaf\",\"pokemon_2_id\":6}"});
    cases.push_back({http::verb::post, p, "{\"pokemon_1_id\":\"\xed\xa0\x80\",\"pokemon_2_id\":6}"});
    cases.push_back({http::verb::post, p, "{\"\xff\":1}"});
    cases.push_back({http::verb::post, p, std::string(65537, ' ')});
    cases.push_back({http::verb::post, p, "{\"pokemon_1_id\":\"" + std::string(70000, 'a') + "\"}"});
    cases.push_back({http::verb::post, p, "{\"pokemon_1_id\":\"" + std::string(60000, 'a') + "\",\"pokemon_2_id\":6}"});
    cases.push_back({http::verb::post, p, text, ""});
    cases.push_back({http::verb::post, p, text, "text/plain"});
    cases.push_back({http::verb::post, p, text, "application/x-www-form-urlencoded"});
    cases.push_back({http::verb::post, p, text, "application/json; charset=utf-16"});
    cases.push_back({http::verb::post, p, "", "application/json"});
  }
  // Paths and queries.
  for (const std::string& target :
       std::vector<std::string>{"/api/v1/pokemon/%00",
                                "/api/v1/pokemon/%ff%fe",
                                "/api/v1/pokemon/..%2f..%2fetc%2fpasswd",
                                "/api/v1/pokemon/" + std::string(5000, '9'),
                                "/api/v1/pokemon/-0",
                                "/api/v1/pokemon/1e3",
                                "/api/v1/pokemon/%E2%99%80",
                                "/api/v1/pokemon?limit=99999999999999999999",
                                "/api/v1/pokemon?limit=-5",
                                "/api/v1/pokemon?offset=1e9",
                                "/api/v1/pokemon?type=",
                                "/api/v1/pokemon?q=" + std::string(500, 'q'),
                                "/api/v1/pokemon?q=%",
                                "/api/v1/moves?category=",
                                "/api/v1/moves/%20",
                                "/api/v1/types/effectiveness?defending=,",
                                "/api/v1/types/effectiveness?defending=Fire,",
                                "/api/v1/types/effectiveness?attacking=Fire&attacking=Water",
                                "//",
                                "/api//v1",
                                "/api/v1/pokemon/25/",
                                "/health?x=1",
                                "/%",
                                "/api/v1/pokemon/25?level=1.5",
                                "/api/v1/pokemon?is_alola=TRUE"}) {
    cases.push_back({http::verb::get, target, ""});
  }
  for (http::verb v :
       {http::verb::put, http::verb::patch, http::verb::delete_, http::verb::head, http::verb::options}) {
    cases.push_back({v, "/api/v1/simulate/odds", text});
  }
  return cases;
}

TEST(BadInputCorpus, NeverA5xxAndStillHealthy) {
  TestServer server;
  server.state().models.set(std::make_shared<ConstantModel>(0.5));  // so valid predict bodies are 200, not 503
  const auto cases = corpus();
  ASSERT_GE(cases.size(), 200u);
  std::map<int, int> by_status;
  for (const Case& c : cases) {
    Client client(server.port());
    const auto r = client.request(c.method, c.target, c.body, {}, c.content_type);
    ASSERT_TRUE(r) << "no answer for " << http::to_string(c.method) << " " << c.target.substr(0, 80) << " "
                   << c.body.substr(0, 80);
    ++by_status[r->status];
    EXPECT_LT(r->status, 500) << c.target.substr(0, 80) << " " << c.body.substr(0, 120) << " -> " << r->body;
    if (r->status >= 400 && c.method != http::verb::head) {
      EXPECT_EQ(r->header("content-type"), "application/problem+json") << c.target << " " << c.body.substr(0, 80);
      EXPECT_TRUE(json::accept(r->body)) << r->body;
    }
    EXPECT_EQ(r->header("x-content-type-options"), "nosniff");
  }
  for (const auto& [status, n] : by_status) std::cout << "status " << status << ": " << n << "\n";
  EXPECT_GT(by_status[400], 0);
  EXPECT_GT(by_status[404], 0);
  EXPECT_GT(by_status[413], 0);
  EXPECT_GT(by_status[415], 0);
  EXPECT_GT(by_status[422], 0);
  const auto health = get(server.port(), "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()["status"], "ok");
}

}  // namespace
}  // namespace pdex::service::testing
