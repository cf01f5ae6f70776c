#include "service/api_server.h"

#include "service/dex_source.h"
#include "service/handler_support.h"
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

namespace {

// HEAD is answered as GET (the transport drops the body, keeping Content-Length).
http::verb routing_method(http::verb method) {
  return method == http::verb::head ? http::verb::get : method;
}

// A path the web app may own: GET/HEAD outside /api.
bool is_static_candidate(http::verb method, std::string_view path) {
  if (method != http::verb::get && method != http::verb::head) return false;
  return !(path == "/api" || path.substr(0, 5) == "/api/");
}

}  // namespace

ApiServer::ApiServer(std::shared_ptr<ServiceState> state, std::shared_ptr<spdlog::logger> logger)
    : state_(std::move(state)),
      logger_(std::move(logger)),
      http_metrics_(state_->metrics),
      static_files_(state_->config.web_root),
      server_(state_->config.server, *this),
      workers_(std::make_unique<WorkerPool>(state_->config.worker_threads, state_->config.worker_queue)) {
  static_route_.method = http::verb::get;
  static_route_.pattern = "static";
  static_route_.scope = "public";
  static_route_.handler = [this](const Request&, RequestContext& ctx) -> Response {
    if (auto res = static_files_.serve(ctx.path)) return std::move(*res);
    return problem_for(ctx, not_found("no route or file for " + ctx.path.substr(0, 200)));
  };
  chain_.add(std::make_unique<RequestIdMiddleware>());
  chain_.add(std::make_unique<AccessLogMiddleware>(logger_, http_metrics_));
  chain_.add(std::make_unique<SecurityHeadersMiddleware>());
  chain_.add(std::make_unique<CorsMiddleware>(state_->config.cors_origins));

  state_->metrics.gauge_callback("pdex_http_connections_active", "Open HTTP connections.", {}, [this] {
    return std::vector<CallbackGaugeFamily::Sample>{{{}, static_cast<double>(server_.active_connections())}};
  });
  register_process_metrics(state_->metrics);
  if (!state_->monitor) {
    state_->monitor = std::make_shared<PredictionMonitor>(state_->metrics, state_->models, state_->config.drift);
  }
  state_->metrics.gauge_callback("pdex_http_worker_queue_depth", "Requests waiting for a worker thread.", {}, [this] {
    return std::vector<CallbackGaugeFamily::Sample>{{{}, static_cast<double>(workers_->queued())}};
  });
  state_->metrics.counter_callback(
      "pdex_http_worker_rejected_total", "Requests answered 503 because the worker queue was full.", {}, [this] {
        return std::vector<CallbackGaugeFamily::Sample>{{{}, static_cast<double>(workers_->rejected())}};
      });

  register_system_routes(router_, *state_);
  register_dex_routes(router_, *state_);
  register_simulate_routes(router_, *state_);
  register_predict_routes(router_, *state_);
  register_monitoring_routes(router_, *state_);
  register_model_routes(router_, *state_);
  register_static_routes(router_, static_files_);
}

ApiServer::~ApiServer() {
  // The queued requests are answered before the members they use go away.
  workers_->stop();
}

bool ApiServer::runs_inline(const Request& req) const {
  const std::string_view target(req.target().data(), req.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  const RouteMatch m = router_.match(routing_method(req.method()), path);
  if (m.kind == RouteMatch::Kind::Found) return m.route->execution == Execution::Inline;
  // Routing errors are answered in microseconds; static files are read from disk.
  return m.kind == RouteMatch::Kind::MethodNotAllowed || !is_static_candidate(req.method(), path);
}

void ApiServer::handle_async(Request request, const PeerInfo& peer, Respond respond) {
  if (runs_inline(request)) {
    respond(handle(request, peer));
    return;
  }
  auto req = std::make_shared<Request>(std::move(request));
  const bool queued = workers_->try_submit([this, req, peer, respond] {
    Response res;
    try {
      res = handle(*req, peer);
    } catch (...) {
      Problem p = make_problem(500, "internal error");
      res = problem_response(p, req->version());
    }
    respond(std::move(res));
  });
  if (!queued) {
    respond(reject(503, "server busy: too many requests waiting for a worker, retry shortly", *req, peer));
  }
}

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
    RouteMatch m = router_.match(routing_method(request.method()), ctx.path);
    if (m.kind == RouteMatch::Kind::Found) {
      ctx.route = m.route;
      ctx.route_template = m.route->pattern;
      ctx.path_params = std::move(m.params);
    } else if (m.kind == RouteMatch::Kind::NotFound && is_static_candidate(request.method(), ctx.path)) {
      ctx.route = &static_route_;
      ctx.route_template = static_route_.pattern;
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
