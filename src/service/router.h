// Routing: (method, path template) -> handler. Templates are '/'-separated literal segments and `{name}`
// parameters matching one non-empty segment (/api/v1/pokemon/{id}). Where several templates match a path, the
// one with a literal at the first segment where they differ wins. A path that matches no template is 404; a
// path that matches templates of other methods only is 405 with the allowed methods.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/http_types.h"
#include "service/request_context.h"

namespace pdex::service {

using RouteHandler = std::function<Response(const Request&, RequestContext&)>;

// Where a route's handler runs. Worker (the default): on the server's worker pool (worker_pool.h), for
// anything that may take more than a few tens of microseconds (models, simulation, database, files). Inline:
// on the I/O thread that read the request, for answers that are only a few microseconds (GET /health).
enum class Execution { Worker, Inline };

struct Route {
  http::verb method = http::verb::get;
  std::string pattern;  // "/api/v1/pokemon/{id}"
  // What a caller needs: "public" (health, metrics, docs), "read" (dex), "predict" (predictions, simulation),
  // "admin". The authentication middleware enforces it; the router only records it.
  std::string scope = "public";
  RouteHandler handler;
  Execution execution = Execution::Worker;
  std::vector<std::string> segments;  // split pattern
};

struct RouteMatch {
  enum class Kind { Found, NotFound, MethodNotAllowed };
  Kind kind = Kind::NotFound;
  const Route* route = nullptr;
  std::map<std::string, std::string> params;  // percent-decoded
  std::vector<http::verb> allowed;            // MethodNotAllowed: methods the path accepts, sorted
};

class Router {
 public:
  // Throws std::invalid_argument for a malformed template ("must start with /", "empty segment", "bad
  // parameter") or a duplicate (method, template).
  void add(http::verb method, std::string pattern, std::string scope, RouteHandler handler,
           Execution execution = Execution::Worker);
  // `path` is the raw (still percent-encoded) path without query.
  RouteMatch match(http::verb method, std::string_view path) const;
  // In registration order.
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// "GET, POST" for an Allow header.
std::string allow_header(const std::vector<http::verb>& methods);

// Percent-decoding of a path segment or query component ('+' is a space only when `plus_is_space`).
// nullopt for a malformed escape or a decoded NUL.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

// Splits a request target "/a/b?x=1&y=2" into its raw path and decoded query parameters. nullopt (and
// `error` set) for a malformed escape or a parameter given twice.
struct Target {
  std::string path;  // raw
  std::map<std::string, std::string> query;
};
std::optional<Target> parse_target(std::string_view target, std::string* error);

}  // namespace pdex::service
