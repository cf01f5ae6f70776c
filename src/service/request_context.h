// What the middleware chain and the handlers know about the request being served, beyond the HTTP message.
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "service/http_server.h"

namespace pdex::service {

struct Route;

// Who is calling. Filled by the authentication middleware (to come: API keys and sessions, DESIGN §3);
// until then every request is anonymous.
struct Principal {
  bool authenticated = false;
  std::string key_id;            // the API key's public id (never the key), or "session:<id>"
  std::set<std::string> scopes;  // "read", "predict", "admin"
  bool has_scope(const std::string& s) const { return scopes.count(s) != 0; }
};

struct RequestContext {
  std::string request_id;  // validated X-Request-Id or generated; echoed in the response and logs
  std::chrono::steady_clock::time_point start;
  PeerInfo peer;
  std::string path;                                // decoded target path, without the query
  std::map<std::string, std::string> query;        // decoded query parameters
  const Route* route = nullptr;                    // matched route, nullptr for 404/405
  std::string route_template;                      // route->pattern, or "unmatched" (metrics/log label)
  std::map<std::string, std::string> path_params;  // {id} -> value (decoded)
  Principal principal;
  // The transport refused the request (400/413/431/503 before a complete request was read).
  bool rejected = false;
  // Free-form fields a middleware or handler wants in the access log line (e.g. "model_version").
  std::map<std::string, std::string> log_fields;
};

}  // namespace pdex::service
