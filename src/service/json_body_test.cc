#include "service/json_body.h"

#include <gtest/gtest.h>

namespace pdex::service {
namespace {

using nlohmann::json;

Request json_request(std::string body, std::string content_type = "application/json") {
  Request r{http::verb::post, "/x", 11};
  if (!content_type.empty()) r.set(http::field::content_type, content_type);
  r.body() = std::move(body);
  return r;
}

TEST(Problem, SerializesTheContractFields) {
  Problem p = validation_problem({{"level_1", "must be an integer 1..100"}, {"n", "too big"}});
  p.instance = "/api/v1/simulate/odds";
  const json j = json::parse(problem_json(p));
  EXPECT_EQ(j["type"], "urn:pdex:problem:validation");
  EXPECT_EQ(j["title"], "Unprocessable Content");
  EXPECT_EQ(j["status"], 422);
  EXPECT_EQ(j["detail"], "level_1: must be an integer 1..100 (and 1 more)");
  EXPECT_EQ(j["instance"], "/api/v1/simulate/odds");
  ASSERT_EQ(j["errors"].size(), 2u);
  EXPECT_EQ(j["errors"][0]["field"], "level_1");
  // Key order as in the contract.
  EXPECT_EQ(problem_json(p).rfind(R"({"type":)", 0), 0u);

  const Response r = problem_response(not_found("unknown Pokémon 'x'"));
  EXPECT_EQ(r.result_int(), 404u);
  EXPECT_EQ(r[http::field::content_type], "application/problem+json");
  EXPECT_FALSE(json::parse(r.body()).contains("errors"));
  // Client bytes that are not UTF-8 never make serialization throw.
  EXPECT_NO_THROW(problem_json(bad_request("bad \xff byte")));
  EXPECT_EQ(problem_title(413), "Content Too Large");
  EXPECT_EQ(problem_type(429), "urn:pdex:problem:too-many-requests");
}

TEST(JsonBody, ContentType) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON ; charset=\"UTF-8\""));
  EXPECT_FALSE(is_json_content_type("application/json; charset=iso-8859-1"));
  EXPECT_FALSE(is_json_content_type("text/json"));
  EXPECT_FALSE(is_json_content_type(""));
  auto r = parse_json_object_body(json_request("{}", "text/plain"));
  ASSERT_TRUE(std::holds_alternative<Problem>(r));
  EXPECT_EQ(std::get<Problem>(r).status, 415);
}

int status_of(std::string_view text, int depth = kDefaultMaxJsonDepth) {
  auto r = parse_json_text(text, depth);
  return std::holds_alternative<Problem>(r) ? std::get<Problem>(r).status : 200;
}

TEST(JsonBody, SyntaxDepthDuplicatesUtf8) {
  EXPECT_EQ(status_of(R"({"a":[1,{"b":2}]})"), 200);
  EXPECT_EQ(status_of(""), 400);
  EXPECT_EQ(status_of("  "), 400);
  EXPECT_EQ(status_of(R"({"a":)"), 400);
  EXPECT_EQ(status_of(R"({"a":1} x)"), 400);
  EXPECT_EQ(status_of(R"({"a":1,"a":2})"), 400);
  EXPECT_EQ(status_of(R"({"a":{"b":1},"c":{"b":2}})"), 200);  // same key in different objects
  EXPECT_EQ(status_of(R"([{"a":1},{"a":2}])"), 200);
  EXPECT_EQ(status_of(std::string(32, '[') + std::string(32, ']')), 200);
  EXPECT_EQ(status_of(std::string(33, '[') + std::string(33, ']')), 400);
  EXPECT_EQ(status_of(std::string(100000, '[')), 400);
  EXPECT_EQ(status_of("{\"a\":\"\xc3\xa9\"}"), 200);
  EXPECT_EQ(status_of("{\"a\":\"\xc3\"}"), 400);
  auto r = parse_json_text(R"({"a":tru})");
  EXPECT_NE(std::get<Problem>(r).detail.find("at byte"), std::string::npos);
  r = parse_json_text(R"({"x":1,"x":2})");
  EXPECT_NE(std::get<Problem>(r).detail.find("duplicate key \"x\""), std::string::npos);
  auto body = parse_json_object_body(json_request("[1]"));
  EXPECT_EQ(std::get<Problem>(body).status, 422);
}

TEST(JsonBody, Utf8Validation) {
  EXPECT_FALSE(invalid_utf8_offset("plain ascii"));
  EXPECT_FALSE(invalid_utf8_offset("Pok\xc3\xa9mon \xe2\x99\x80 \xf0\x9f\x98\x80"));
  EXPECT_EQ(invalid_utf8_offset("ab\xff"), 2u);
  EXPECT_EQ(invalid_utf8_offset("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(invalid_utf8_offset("\xed\xa0\x80"), 0u);      // surrogate
  EXPECT_EQ(invalid_utf8_offset("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(invalid_utf8_offset("a\xe2\x99"), 1u);         // truncated
}

TEST(ObjectReader, NamesEveryBadField) {
  const json body = json::parse(
      R"({"level_1": 0, "level_2": 50.0, "seed": 1.5, "name": "", "moves": ["a", 3, -1, true], "method": "x",
          "typo": 1, "pokemon": null})");
  ObjectReader r(body);
  EXPECT_FALSE(r.integer("level_1", 1, 100));
  EXPECT_EQ(r.integer("level_2", 1, 100), 50);
  EXPECT_FALSE(r.integer("seed", 0, 10));
  EXPECT_FALSE(r.string("name"));
  EXPECT_FALSE(r.id_or_name_list("moves", 4));
  EXPECT_FALSE(r.one_of("method", {"auto", "exact"}));
  EXPECT_FALSE(r.id_or_name("pokemon", /*required=*/true));
  EXPECT_FALSE(r.integer("absent", 0, 1));
  r.reject_unknown();
  std::vector<std::string> fields;
  for (const auto& e : r.errors()) fields.push_back(e.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"level_1", "seed", "name", "moves[2]", "moves[3]", "method", "pokemon", "typo"}));
  EXPECT_EQ(r.errors()[0].message, "must be an integer 1..100, got integer 0");
  EXPECT_EQ(r.errors()[6].message, "is required");
  EXPECT_EQ(r.errors()[7].message, "unknown field");
}

TEST(ObjectReader, HugeNumbersAreRangeErrors) {
  const json body = json::parse(R"({"a": 1e308, "b": 18446744073709551615, "c": -9223372036854775808})");
  ObjectReader r(body);
  EXPECT_FALSE(r.integer("a", 0, 100));
  EXPECT_FALSE(r.integer("b", 0, 100));
  EXPECT_FALSE(r.integer("c", 0, 100));
  EXPECT_EQ(r.errors().size(), 3u);
}

}  // namespace
}  // namespace pdex::service
