// The middleware chain: every request (and every request the transport rejects: 400/413/431/503) passes
// through an ordered list of middlewares before the routed handler, outermost first.
//
//   Response handle(const Request& req, RequestContext& ctx, const Next& next) {
//     if (/* refuse */) return problem_response(make_problem(401, "missing X-API-Key"));  // short-circuit
//     Response res = next();   // the rest of the chain, then the handler
//     res.set("X-Something", "...");  // post-process
//     return res;
//   }
//
// Context available to a middleware (RequestContext, request_context.h): request_id (set by the outermost
// RequestIdMiddleware), the matched route (ctx.route: its pattern and required scope, nullptr for 404/405),
// path parameters, decoded query, peer address, principal (to be filled by authentication), log_fields
// (extra keys for the access log line). ctx.rejected is true for requests the transport refused (partial
// headers only): policy middlewares (auth, rate limit) should pass those through untouched.
//
// The standard order (service/api_server.cc, ApiServer::ApiServer) is:
//   RequestId -> AccessLog (log line + metrics) -> SecurityHeaders -> Cors -> [Auth -> RateLimit: to add]
//   -> routing (404/405) -> handler.
// To add one: implement Middleware, then ApiServer::add_middleware(std::make_unique<X>(...)) before
// start(): it is appended after Cors, i.e. it sees every routable request with request id, route and
// principal fields, and its responses still get security headers, logging and metrics.
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "service/http_types.h"
#include "service/request_context.h"

namespace pdex::service {

class MiddlewareChain;
using Terminal = std::function<Response(const Request&, RequestContext&)>;

// Calls the rest of the chain. Cheap to copy; valid only during the call that received it.
class Next {
 public:
  Next(const MiddlewareChain& chain, std::size_t index, const Request& req, RequestContext& ctx,
       const Terminal& terminal)
      : chain_(chain), index_(index), req_(req), ctx_(ctx), terminal_(terminal) {}
  Response operator()() const;

 private:
  const MiddlewareChain& chain_;
  std::size_t index_;
  const Request& req_;
  RequestContext& ctx_;
  const Terminal& terminal_;
};

class Middleware {
 public:
  virtual ~Middleware() = default;
  virtual std::string_view name() const = 0;
  // Must be thread-safe (called concurrently) and must not throw for any client input.
  virtual Response handle(const Request& req, RequestContext& ctx, const Next& next) = 0;
};

class MiddlewareChain {
 public:
  void add(std::unique_ptr<Middleware> m) { chain_.push_back(std::move(m)); }
  Response run(const Request& req, RequestContext& ctx, const Terminal& terminal) const {
    return Next(*this, 0, req, ctx, terminal)();
  }
  std::size_t size() const { return chain_.size(); }
  const Middleware& at(std::size_t i) const { return *chain_[i]; }

 private:
  friend class Next;
  std::vector<std::unique_ptr<Middleware>> chain_;
};

inline Response Next::operator()() const {
  if (index_ >= chain_.chain_.size()) return terminal_(req_, ctx_);
  return chain_.chain_[index_]->handle(req_, ctx_, Next(chain_, index_ + 1, req_, ctx_, terminal_));
}

}  // namespace pdex::service
