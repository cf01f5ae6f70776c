#include "service/router.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace pdex::service {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  for (;;) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_param(std::string_view segment) {
  return segment.size() >= 3 && segment.front() == '{' && segment.back() == '}';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void Router::add(http::verb method, std::string pattern, std::string scope, RouteHandler handler, Execution execution) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route template '" + pattern + "': must start with /");
  }
  Route route;
  route.method = method;
  route.scope = std::move(scope);
  route.handler = std::move(handler);
  route.execution = execution;
  if (pattern != "/") {
    for (std::string_view seg : split_path(pattern)) {
      if (seg.empty()) throw std::invalid_argument("route template '" + pattern + "': empty segment");
      if ((seg.find('{') != std::string_view::npos || seg.find('}') != std::string_view::npos) && !is_param(seg)) {
        throw std::invalid_argument("route template '" + pattern + "': bad parameter '" + std::string(seg) + "'");
      }
      route.segments.emplace_back(seg);
    }
  }
  for (const Route& r : routes_) {
    if (r.method == method && r.segments == route.segments) {
      throw std::invalid_argument("route " + std::string(http::to_string(method)) + " " + pattern +
                                  " registered twice");
    }
  }
  route.pattern = std::move(pattern);
  routes_.push_back(std::move(route));
}

RouteMatch Router::match(http::verb method, std::string_view path) const {
  RouteMatch result;
  std::vector<std::string_view> parts;
  if (path != "/") parts = split_path(path);
  if (path.empty() || path.front() != '/') return result;

  // Candidates whose template matches the path, whatever the method.
  std::vector<const Route*> candidates;
  for (const Route& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      ok = is_param(r.segments[i]) ? !parts[i].empty() : r.segments[i] == parts[i];
    }
    if (ok) candidates.push_back(&r);
  }
  if (candidates.empty()) return result;

  // Most specific template: literal beats parameter at the first segment where two templates differ.
  auto more_specific = [](const Route* a, const Route* b) {
    for (std::size_t i = 0; i < a->segments.size(); ++i) {
      const bool pa = is_param(a->segments[i]), pb = is_param(b->segments[i]);
      if (pa != pb) return !pa;
    }
    return false;
  };
  std::stable_sort(candidates.begin(), candidates.end(), more_specific);
  const auto& best_segments = candidates.front()->segments;
  auto same_shape = [&](const Route* r) {
    for (std::size_t i = 0; i < best_segments.size(); ++i) {
      if (is_param(r->segments[i]) != is_param(best_segments[i])) return false;
      if (!is_param(r->segments[i]) && r->segments[i] != best_segments[i]) return false;
    }
    return true;
  };

  for (const Route* r : candidates) {
    if (!same_shape(r)) continue;
    if (r->method == method) {
      std::map<std::string, std::string> params;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        if (!is_param(r->segments[i])) continue;
        auto decoded = percent_decode(parts[i], false);
        if (!decoded) return result;  // undecodable parameter: no such resource
        params[r->segments[i].substr(1, r->segments[i].size() - 2)] = std::move(*decoded);
      }
      result.kind = RouteMatch::Kind::Found;
      result.route = r;
      result.params = std::move(params);
      return result;
    }
    result.allowed.push_back(r->method);
  }
  std::sort(result.allowed.begin(), result.allowed.end());
  result.allowed.erase(std::unique(result.allowed.begin(), result.allowed.end()), result.allowed.end());
  result.kind = RouteMatch::Kind::MethodNotAllowed;
  return result;
}

std::string allow_header(const std::vector<http::verb>& methods) {
  std::string out;
  for (http::verb m : methods) {
    if (!out.empty()) out += ", ";
    out += std::string(http::to_string(m));
  }
  return out;
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      const char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return std::nullopt;
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<Target> parse_target(std::string_view target, std::string* error) {
  Target t;
  const std::size_t q = target.find('?');
  t.path = std::string(target.substr(0, q));
  if (t.path.empty() || t.path.front() != '/') {
    *error = "request target must be an absolute path";
    return std::nullopt;
  }
  if (q == std::string_view::npos) return t;
  std::string_view query = target.substr(q + 1);
  const std::size_t hash = query.find('#');
  if (hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!key || !value) {
      *error = "malformed percent-encoding in query parameter '" + std::string(pair.substr(0, 60)) + "'";
      return std::nullopt;
    }
    if (!t.query.emplace(*key, *value).second) {
      *error = "query parameter '" + key->substr(0, 60) + "' given more than once";
      return std::nullopt;
    }
  }
  return t;
}

}  // namespace pdex::service
