#include "service/router.h"

#include <gtest/gtest.h>

namespace pdex::service {
namespace {

Response ok(const Request&, RequestContext&) {
  return Response{http::status::ok, 11};
}

TEST(Router, MatchesLiteralsAndParameters) {
  Router r;
  r.add(http::verb::get, "/health", "public", ok);
  r.add(http::verb::get, "/api/v1/pokemon", "read", ok);
  r.add(http::verb::get, "/api/v1/pokemon/{id}", "read", ok);
  r.add(http::verb::post, "/api/v1/simulate/odds", "predict", ok);

  auto m = r.match(http::verb::get, "/api/v1/pokemon/raichu%20alola");
  ASSERT_EQ(m.kind, RouteMatch::Kind::Found);
  EXPECT_EQ(m.route->pattern, "/api/v1/pokemon/{id}");
  EXPECT_EQ(m.route->scope, "read");
  EXPECT_EQ(m.params.at("id"), "raichu alola");

  EXPECT_EQ(r.match(http::verb::get, "/api/v1/pokemon").route->pattern, "/api/v1/pokemon");
  EXPECT_EQ(r.match(http::verb::get, "/api/v1/pokemon/").kind, RouteMatch::Kind::NotFound);  // empty parameter
  EXPECT_EQ(r.match(http::verb::get, "/api/v1/pokemon/25/x").kind, RouteMatch::Kind::NotFound);
  EXPECT_EQ(r.match(http::verb::get, "/nope").kind, RouteMatch::Kind::NotFound);
  EXPECT_EQ(r.match(http::verb::get, "").kind, RouteMatch::Kind::NotFound);
  EXPECT_EQ(r.match(http::verb::get, "/api/v1/pokemon/%zz").kind, RouteMatch::Kind::NotFound);

  m = r.match(http::verb::get, "/api/v1/simulate/odds");
  ASSERT_EQ(m.kind, RouteMatch::Kind::MethodNotAllowed);
  EXPECT_EQ(allow_header(m.allowed), "POST");
}

TEST(Router, LiteralBeatsParameter) {
  Router r;
  r.add(http::verb::get, "/types/{name}", "read", ok);
  r.add(http::verb::get, "/types/effectiveness", "read", ok);
  EXPECT_EQ(r.match(http::verb::get, "/types/effectiveness").route->pattern, "/types/effectiveness");
  EXPECT_EQ(r.match(http::verb::get, "/types/fire").route->pattern, "/types/{name}");
  // The literal route has no POST and neither has the parameter route: 405 lists the literal's methods.
  const auto m = r.match(http::verb::post, "/types/effectiveness");
  EXPECT_EQ(m.kind, RouteMatch::Kind::MethodNotAllowed);
  EXPECT_EQ(allow_header(m.allowed), "GET");
}

TEST(Router, ListsRoutesAndRejectsBadTemplates) {
  Router r;
  r.add(http::verb::get, "/a", "public", ok);
  r.add(http::verb::post, "/a", "public", ok);
  ASSERT_EQ(r.routes().size(), 2u);
  EXPECT_EQ(r.routes()[1].method, http::verb::post);
  EXPECT_THROW(r.add(http::verb::get, "/a", "public", ok), std::invalid_argument);
  EXPECT_THROW(r.add(http::verb::get, "a", "public", ok), std::invalid_argument);
  EXPECT_THROW(r.add(http::verb::get, "/a//b", "public", ok), std::invalid_argument);
  EXPECT_THROW(r.add(http::verb::get, "/a/{b", "public", ok), std::invalid_argument);
  const auto m = r.match(http::verb::delete_, "/a");
  EXPECT_EQ(allow_header(m.allowed), "GET, POST");
}

TEST(Target, SplitsAndDecodesQuery) {
  std::string error;
  auto t = parse_target("/api/v1/pokemon?q=mr+mime&type=Psychic&empty=&flag", &error);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/api/v1/pokemon");
  EXPECT_EQ(t->query.at("q"), "mr mime");
  EXPECT_EQ(t->query.at("type"), "Psychic");
  EXPECT_EQ(t->query.at("empty"), "");
  EXPECT_EQ(t->query.at("flag"), "");
  EXPECT_FALSE(parse_target("/x?a=1&a=2", &error));
  EXPECT_NE(error.find("more than once"), std::string::npos);
  EXPECT_FALSE(parse_target("/x?a=%4", &error));
  EXPECT_FALSE(parse_target("/x?a=%00", &error));
  EXPECT_FALSE(parse_target("http://host/x", &error));
  EXPECT_EQ(percent_decode("%41%62c", false), "Abc");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
}

}  // namespace
}  // namespace pdex::service
