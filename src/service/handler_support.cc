#include "service/handler_support.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace pdex::service {

Response json_response(const nlohmann::json& body, int status) {
  return json_text_response(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), status);
}

Response json_response(const nlohmann::ordered_json& body, int status) {
  return json_text_response(body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace), status);
}

Response json_text_response(std::string body, int status) {
  Response r{static_cast<http::status>(status), 11};
  r.set(http::field::content_type, "application/json");
  r.body() = std::move(body);
  return r;
}

Response problem_for(const RequestContext& ctx, Problem p) {
  if (p.instance.empty()) p.instance = ctx.path.substr(0, 200);
  return problem_response(p);
}

const std::string* QueryReader::get(const std::string& name) {
  known_.insert(name);
  const auto it = query_.find(name);
  return it == query_.end() ? nullptr : &it->second;
}

std::optional<std::int64_t> QueryReader::integer(const std::string& name, std::int64_t lo, std::int64_t hi) {
  const std::string* v = get(name);
  if (!v) return std::nullopt;
  std::int64_t out = 0;
  const auto r = std::from_chars(v->data(), v->data() + v->size(), out);
  if (v->empty() || r.ec != std::errc() || r.ptr != v->data() + v->size() || out < lo || out > hi) {
    add_error(name, "must be an integer " + std::to_string(lo) + ".." + std::to_string(hi) + ", got '" +
                        v->substr(0, 40) + "'");
    return std::nullopt;
  }
  return out;
}

std::optional<bool> QueryReader::boolean(const std::string& name) {
  const std::string* v = get(name);
  if (!v) return std::nullopt;
  if (*v == "true") return true;
  if (*v == "false") return false;
  add_error(name, "must be true or false, got '" + v->substr(0, 40) + "'");
  return std::nullopt;
}

std::optional<std::string> QueryReader::string(const std::string& name, std::size_t max_length) {
  const std::string* v = get(name);
  if (!v) return std::nullopt;
  if (v->empty() || v->size() > max_length) {
    add_error(name, "must be 1.." + std::to_string(max_length) + " characters");
    return std::nullopt;
  }
  return *v;
}

void QueryReader::reject_unknown() {
  for (const auto& [k, v] : query_) {
    if (!known_.count(k)) add_error(k.substr(0, 60), "unknown query parameter");
  }
}

bool contains_folded(const std::string& haystack, const std::string& needle) {
  auto fold = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                              [&](char a, char b) { return fold(a) == fold(b); });
  return it != haystack.end();
}

}  // namespace pdex::service
