#include <gtest/gtest.h>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "service/metrics.h"
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

// The access log line: one JSON object per request with the members of DESIGN §6, the handler's fields after
// them, never a second copy of one of the line's own names.
TEST(AccessLog, OneJsonObjectWithTheRequestAndTheHandlersFields) {
  std::ostringstream out;
  auto logger = std::make_shared<spdlog::logger>("access-test", std::make_shared<spdlog::sinks::ostream_sink_st>(out));
  logger->set_pattern("%v");
  MetricsRegistry registry;
  HttpMetrics metrics(registry);
  MiddlewareChain chain;
  chain.add(std::make_unique<RequestIdMiddleware>());
  chain.add(std::make_unique<AccessLogMiddleware>(logger, metrics));
  Request req{http::verb::post, "/api/v1/predict/battle", 11};
  req.set("X-Request-Id", "client-7");
  RequestContext ctx;
  ctx.route_template = "/api/v1/predict/battle";
  ctx.path = "/api/v1/predict/battle\xff\"quoted\"";
  ctx.peer.address = "127.0.0.1";
  const Terminal handler = [](const Request&, RequestContext& c) {
    c.log_fields["prediction_id"] = "01a2";
    c.log_fields["status"] = "forged";  // one of the line's own names: not written
    return Response{http::status::unprocessable_entity, 11};
  };
  chain.run(req, ctx, handler);
  const std::string text = out.str();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  const auto line = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& [k, v] : line.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"time", "level", "msg", "request_id", "method", "route", "path", "status",
                                            "latency_ms", "peer", "prediction_id"}));
  EXPECT_EQ(line["level"], "warn");
  EXPECT_EQ(line["msg"], "request");
  EXPECT_EQ(line["request_id"], "client-7");
  EXPECT_EQ(line["method"], "POST");
  EXPECT_EQ(line["route"], "/api/v1/predict/battle");
  EXPECT_EQ(line["path"], "/api/v1/predict/battle\xef\xbf\xbd\"quoted\"");  // invalid UTF-8 replaced, quotes kept
  EXPECT_EQ(line["status"], 422);
  EXPECT_TRUE(line["latency_ms"].is_number_float());
  EXPECT_GE(line["latency_ms"].get<double>(), 0.0);
  EXPECT_EQ(line["peer"], "127.0.0.1");
  EXPECT_EQ(line["prediction_id"], "01a2");
  EXPECT_EQ(line["time"].get<std::string>().size(), 24u);  // 2026-12-05T01:02:03.456Z
}

}  // namespace
}  // namespace pdex::service
