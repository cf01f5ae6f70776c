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

  // HttpHandler.
  Response handle(Request& request, const PeerInfo& peer) override;
  Response reject(int status, const std::string& detail, const Request& partial, const PeerInfo& peer) override;

 private:
  Response route(const Request& req, RequestContext& ctx);

  std::shared_ptr<ServiceState> state_;
  std::shared_ptr<spdlog::logger> logger_;
  HttpMetrics http_metrics_;
  MiddlewareChain chain_;
  Router router_;
  HttpServer server_;
};

// Registration of each area's routes (handlers_*.cc).
void register_system_routes(Router& router, ServiceState& state);
void register_dex_routes(Router& router, ServiceState& state);
void register_simulate_routes(Router& router, ServiceState& state);
void register_predict_routes(Router& router, ServiceState& state);

}  // namespace pdex::service
