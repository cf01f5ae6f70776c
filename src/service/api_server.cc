#include "service/api_server.h"

#include "service/dex_source.h"
#include "service/problem.h"

namespace pdex::service {

std::optional<std::string> ServiceState::database_status() {
  std::lock_guard lock(ready_mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!checked_ || now - checked_at_ >= config.ready_cache) {
    if (database_check) {
      last_status_ = database_check();
    } else if (config.database_url.empty()) {
      last_status_ = "no database configured";
    } else {
      last_status_ = check_database(config.database_url);
    }
    checked_ = true;
    checked_at_ = now;
  }
  return last_status_;
}

ApiServer::ApiServer(std::shared_ptr<ServiceState> state, std::shared_ptr<spdlog::logger> logger)
    : state_(std::move(state)),
      logger_(std::move(logger)),
      http_metrics_(state_->metrics),
      server_(state_->config.server, *this) {
  chain_.add(std::make_unique<RequestIdMiddleware>());
  chain_.add(std::make_unique<AccessLogMiddleware>(logger_, http_metrics_));
  chain_.add(std::make_unique<SecurityHeadersMiddleware>());
  chain_.add(std::make_unique<CorsMiddleware>(state_->config.cors_origins));

  state_->metrics.gauge_callback("pdex_http_connections_active", "Open HTTP connections.", {}, [this] {
    return std::vector<CallbackGaugeFamily::Sample>{{{}, static_cast<double>(server_.active_connections())}};
  });
  register_process_metrics(state_->metrics);

  register_system_routes(router_, *state_);
  register_dex_routes(router_, *state_);
  register_simulate_routes(router_, *state_);
  register_predict_routes(router_, *state_);
}

ApiServer::~ApiServer() = default;

Response ApiServer::handle(Request& request, const PeerInfo& peer) {
  RequestContext ctx;
  ctx.start = std::chrono::steady_clock::now();
  ctx.peer = peer;
  std::optional<Problem> target_problem;
  std::string error;
  const std::string_view target(request.target().data(), request.target().size());
  if (auto parsed = parse_target(target, &error)) {
    ctx.path = std::move(parsed->path);
    ctx.query = std::move(parsed->query);
    RouteMatch m = router_.match(request.method(), ctx.path);
    if (m.kind == RouteMatch::Kind::Found) {
      ctx.route = m.route;
      ctx.route_template = m.route->pattern;
      ctx.path_params = std::move(m.params);
    } else if (m.kind == RouteMatch::Kind::MethodNotAllowed) {
      Problem p = make_problem(405, std::string(request.method_string().substr(0, 20)) + " is not allowed on " +
                                        ctx.path + "; allowed: " + allow_header(m.allowed));
      target_problem = p;
      ctx.log_fields["allow"] = allow_header(m.allowed);
    } else {
      target_problem = not_found("no route for " + ctx.path.substr(0, 200));
    }
  } else {
    ctx.path = std::string(target.substr(0, target.find('?')));
    target_problem = bad_request(error);
  }
  return chain_.run(request, ctx, [&](const Request& req, RequestContext& c) -> Response {
    if (target_problem) {
      target_problem->instance = c.path.substr(0, 200);
      Response res = problem_response(*target_problem, req.version());
      if (target_problem->status == 405) res.set(http::field::allow, c.log_fields["allow"]);
      c.log_fields.erase("allow");
      return res;
    }
    return route(req, c);
  });
}

Response ApiServer::route(const Request& req, RequestContext& ctx) {
  try {
    Response res = ctx.route->handler(req, ctx);
    res.version(req.version());
    return res;
  } catch (const std::exception& e) {
    // A bug, not the client's input (handlers validate): answer 500 without internals, log the reason.
    ctx.log_fields["error"] = e.what();
    Problem p = make_problem(500, "internal error (request id " + ctx.request_id + ")");
    p.instance = ctx.path;
    return problem_response(p, req.version());
  }
}

Response ApiServer::reject(int status, const std::string& detail, const Request& partial, const PeerInfo& peer) {
  RequestContext ctx;
  ctx.start = std::chrono::steady_clock::now();
  ctx.peer = peer;
  ctx.rejected = true;
  const std::string_view target(partial.target().data(), partial.target().size());
  ctx.path = std::string(target.substr(0, std::min<std::size_t>(target.find('?'), 200)));
  return chain_.run(partial, ctx, [&](const Request&, RequestContext& c) {
    Problem p = make_problem(status, detail);
    p.instance = c.path;
    Response res = problem_response(p, 11);
    if (status == 503) res.set(http::field::retry_after, "1");
    return res;
  });
}

}  // namespace pdex::service
