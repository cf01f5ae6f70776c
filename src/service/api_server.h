// `pdex serve`'s application: the HttpServer transport, the middleware chain, the router with every route
// of DESIGN §3 that exists so far, and the shared state. Usage:
//
//   auto state = std::make_shared<ServiceState>(...);   // config, dex
//   ApiServer api(state, logger);
//   api.add_middleware(...);                             // optional, before listen()
//   api.listen();                                        // binds (port 0: any free port, see port())
//   api.run(true);                                       // serves until SIGTERM/SIGINT or stop()
#pragma once

#include <memory>

#include <spdlog/logger.h>

#include "service/http_server.h"
#include "service/middleware.h"
#include "service/router.h"
#include "service/service_state.h"
#include "service/standard_middleware.h"
#include "service/static_files.h"
#include "service/worker_pool.h"

namespace pdex::service {

class ApiServer : public HttpHandler {
 public:
  // `logger` receives the access log lines (nullptr: none).
  ApiServer(std::shared_ptr<ServiceState> state, std::shared_ptr<spdlog::logger> logger);
  ~ApiServer() override;

  // Appended after the standard middlewares (see middleware.h). Not thread-safe: call before listen().
  void add_middleware(std::unique_ptr<Middleware> m) { chain_.add(std::move(m)); }
  Router& router() { return router_; }
  const Router& router() const { return router_; }
  ServiceState& state() { return *state_; }

  void listen() { server_.listen(); }
  unsigned short port() const { return server_.port(); }
  void run(bool handle_signals) { server_.run(handle_signals); }
  void stop() { server_.stop(); }
  std::size_t active_connections() const { return server_.active_connections(); }

  // HttpHandler. handle() answers on the calling thread; handle_async() (what the transport calls) answers
  // Execution::Inline routes and routing errors on the I/O thread and hands everything else (the whole chain:
  // auth, rate limit, handler, log) to the worker pool, answering 503 + Retry-After when its queue is full.
  Response handle(Request& request, const PeerInfo& peer) override;
  void handle_async(Request request, const PeerInfo& peer, Respond respond) override;
  Response reject(int status, const std::string& detail, const Request& partial, const PeerInfo& peer) override;

  const WorkerPool& workers() const { return *workers_; }

 private:
  Response route(const Request& req, RequestContext& ctx);
  bool runs_inline(const Request& req) const;

  std::shared_ptr<ServiceState> state_;
  std::shared_ptr<spdlog::logger> logger_;
  HttpMetrics http_metrics_;
  MiddlewareChain chain_;
  Router router_;
  StaticFiles static_files_;
  Route static_route_;  // what ctx.route points at for a static file (scope public, label "static")
  HttpServer server_;
  // Declared after server_: destroyed (its queued jobs run, its threads joined) while the transport, which those
  // jobs answer through, still exists.
  std::unique_ptr<WorkerPool> workers_;
};

// Registration of each area's routes (handlers_*.cc).
void register_system_routes(Router& router, ServiceState& state);
void register_dex_routes(Router& router, ServiceState& state);
void register_simulate_routes(Router& router, ServiceState& state);
void register_predict_routes(Router& router, ServiceState& state);
void register_monitoring_routes(Router& router, ServiceState& state);  // handlers_monitoring.cc
void register_model_routes(Router& router, ServiceState& state);       // handlers_models.cc (registry)
// GET /, /docs, /redoc (the other static paths are the fallback of ApiServer::handle).
void register_static_routes(Router& router, const StaticFiles& files);

}  // namespace pdex::service
