// The middlewares every response passes through (order and how to add more: middleware.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "service/metrics.h"
#include "service/middleware.h"

namespace pdex::service {

// X-Request-Id: a client value of 1..128 characters [A-Za-z0-9._-] is kept, anything else replaced by a
// generated 32-hex-digit id; the id is echoed in the response.
bool is_valid_request_id(std::string_view id);
std::string generate_request_id();

class RequestIdMiddleware : public Middleware {
 public:
  std::string_view name() const override { return "request-id"; }
  Response handle(const Request& req, RequestContext& ctx, const Next& next) override;
};

// The HTTP metrics of DESIGN §6.
struct HttpMetrics {
  explicit HttpMetrics(MetricsRegistry& registry);
  CounterFamily& requests;    // pdex_http_requests_total{route,method,status}
  HistogramFamily& duration;  // pdex_http_request_duration_seconds{route,method}
};

// One JSON line per request (time, level, msg, request_id, method, route, path, status, latency_ms, peer,
// key_id when authenticated, plus ctx.log_fields) and the request metrics. Route label: the template, or
// "unmatched".
class AccessLogMiddleware : public Middleware {
 public:
  AccessLogMiddleware(std::shared_ptr<spdlog::logger> logger, HttpMetrics& metrics)
      : logger_(std::move(logger)), metrics_(metrics) {}
  std::string_view name() const override { return "access-log"; }
  Response handle(const Request& req, RequestContext& ctx, const Next& next) override;

 private:
  std::shared_ptr<spdlog::logger> logger_;
  HttpMetrics& metrics_;
};

// Content-Security-Policy, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Cross-Origin-Opener-Policy
// on every response (the strict CSP below unless the handler set its own); Cache-Control: no-store unless the
// handler chose a Cache-Control.
class SecurityHeadersMiddleware : public Middleware {
 public:
  std::string_view name() const override { return "security-headers"; }
  Response handle(const Request& req, RequestContext& ctx, const Next& next) override;
  static constexpr const char* kContentSecurityPolicy =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
      "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
};

// CORS for an explicit allow-list of origins (empty: no CORS headers at all, the default). A request whose
// Origin is listed gets Access-Control-Allow-Origin (and Vary: Origin); a listed preflight (OPTIONS with
// Access-Control-Request-Method) is answered 204 here. "*" in the list allows any origin (without credentials).
class CorsMiddleware : public Middleware {
 public:
  explicit CorsMiddleware(std::vector<std::string> allowed_origins) : origins_(std::move(allowed_origins)) {}
  std::string_view name() const override { return "cors"; }
  Response handle(const Request& req, RequestContext& ctx, const Next& next) override;

 private:
  bool allowed(std::string_view origin) const;
  std::vector<std::string> origins_;
};

// "2024-05-01T12:34:56.789Z"
std::string utc_timestamp_now();

}  // namespace pdex::service
