#include <gtest/gtest.h>

#include "service/middleware.h"
#include "service/problem.h"
#include "service/standard_middleware.h"

namespace pdex::service {
namespace {

class Tag : public Middleware {
 public:
  Tag(std::string name, std::vector<std::string>& trace, bool refuse = false)
      : name_(std::move(name)), trace_(trace), refuse_(refuse) {}
  std::string_view name() const override { return name_; }
  Response handle(const Request&, RequestContext& ctx, const Next& next) override {
    trace_.push_back(name_ + ">");
    if (refuse_) return problem_response(make_problem(401, "no key for " + ctx.request_id));
    Response r = next();
    trace_.push_back("<" + name_);
    return r;
  }

 private:
  std::string name_;
  std::vector<std::string>& trace_;
  bool refuse_;
};

TEST(MiddlewareChain, RunsInOrderAndCanShortCircuit) {
  std::vector<std::string> trace;
  MiddlewareChain chain;
  chain.add(std::make_unique<RequestIdMiddleware>());
  chain.add(std::make_unique<SecurityHeadersMiddleware>());
  chain.add(std::make_unique<Tag>("a", trace));
  chain.add(std::make_unique<Tag>("b", trace));
  Request req{http::verb::get, "/x", 11};
  req.set("X-Request-Id", "client-1");
  RequestContext ctx;
  const Terminal handler = [&](const Request&, RequestContext&) {
    trace.push_back("handler");
    return Response{http::status::ok, 11};
  };
  Response r = chain.run(req, ctx, handler);
  EXPECT_EQ(trace, (std::vector<std::string>{"a>", "b>", "handler", "<b", "<a"}));
  EXPECT_EQ(r["X-Request-Id"], "client-1");
  EXPECT_EQ(r["X-Frame-Options"], "DENY");
  EXPECT_EQ(r[http::field::cache_control], "no-store");

  trace.clear();
  MiddlewareChain refusing;
  refusing.add(std::make_unique<RequestIdMiddleware>());
  refusing.add(std::make_unique<SecurityHeadersMiddleware>());
  refusing.add(std::make_unique<Tag>("auth", trace, /*refuse=*/true));
  RequestContext ctx2;
  r = refusing.run(req, ctx2, handler);
  EXPECT_EQ(trace, (std::vector<std::string>{"auth>"}));  // handler never ran
  EXPECT_EQ(r.result_int(), 401u);
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");  // outer middlewares still decorate
  EXPECT_NE(r.body().find("client-1"), std::string::npos);
}

TEST(RequestId, Validation) {
  EXPECT_TRUE(is_valid_request_id("abc-DEF_1.2"));
  EXPECT_TRUE(is_valid_request_id(std::string(128, 'a')));
  EXPECT_FALSE(is_valid_request_id(std::string(129, 'a')));
  EXPECT_FALSE(is_valid_request_id(""));
  EXPECT_FALSE(is_valid_request_id("a b"));
  EXPECT_FALSE(is_valid_request_id("a\r\nX-Evil: 1"));
  const std::string id = generate_request_id();
  EXPECT_EQ(id.size(), 32u);
  EXPECT_TRUE(is_valid_request_id(id));
  EXPECT_NE(id, generate_request_id());
}

TEST(SecurityHeaders, KeepsAHandlerCacheControl) {
  MiddlewareChain chain;
  chain.add(std::make_unique<SecurityHeadersMiddleware>());
  Request req{http::verb::get, "/docs", 11};
  RequestContext ctx;
  const Response r = chain.run(req, ctx, [](const Request&, RequestContext&) {
    Response res{http::status::ok, 11};
    res.set(http::field::cache_control, "public, max-age=3600");
    return res;
  });
  EXPECT_EQ(r[http::field::cache_control], "public, max-age=3600");
  EXPECT_NE(std::string(r["Content-Security-Policy"]).find("default-src 'self'"), std::string::npos);
}

}  // namespace
}  // namespace pdex::service
