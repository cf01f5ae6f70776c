#include "service/problem.h"

#include <nlohmann/json.hpp>

namespace pdex::service {

std::string problem_type(int status) {
  const char* slug = nullptr;
  switch (status) {
    case 400:
      slug = "bad-request";
      break;
    case 401:
      slug = "unauthorized";
      break;
    case 403:
      slug = "forbidden";
      break;
    case 404:
      slug = "not-found";
      break;
    case 405:
      slug = "method-not-allowed";
      break;
    case 413:
      slug = "payload-too-large";
      break;
    case 415:
      slug = "unsupported-media-type";
      break;
    case 422:
      slug = "validation";
      break;
    case 429:
      slug = "too-many-requests";
      break;
    case 431:
      slug = "request-header-fields-too-large";
      break;
    case 503:
      slug = "not-ready";
      break;
    default:
      return "urn:pdex:problem:http-" + std::to_string(status);
  }
  return std::string("urn:pdex:problem:") + slug;
}

std::string problem_title(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default: {
      const auto reason = http::obsolete_reason(static_cast<http::status>(status));
      return reason.empty() ? "HTTP " + std::to_string(status) : std::string(reason);
    }
  }
}

std::string problem_json(const Problem& p) {
  nlohmann::ordered_json j;
  j["type"] = p.type.empty() ? problem_type(p.status) : p.type;
  j["title"] = p.title.empty() ? problem_title(p.status) : p.title;
  j["status"] = p.status;
  j["detail"] = p.detail;
  j["instance"] = p.instance;
  if (!p.errors.empty()) {
    auto& errors = j["errors"] = nlohmann::ordered_json::array();
    for (const FieldError& e : p.errors) errors.push_back({{"field", e.field}, {"message", e.message}});
  }
  for (const auto& [k, v] : p.extensions.items()) {
    if (!j.contains(k)) j[k] = v;
  }
  // Replace invalid UTF-8 (a client's bytes echoed in a detail) instead of throwing.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Response problem_response(const Problem& p, unsigned http_version) {
  Response r{static_cast<http::status>(p.status), http_version};
  r.set(http::field::content_type, "application/problem+json");
  r.body() = problem_json(p);
  return r;
}

Problem make_problem(int status, std::string detail) {
  Problem p;
  p.status = status;
  p.detail = std::move(detail);
  return p;
}

Problem bad_request(std::string detail) {
  return make_problem(400, std::move(detail));
}

Problem not_found(std::string detail) {
  return make_problem(404, std::move(detail));
}

Problem validation_problem(std::vector<FieldError> errors) {
  Problem p;
  p.status = 422;
  if (!errors.empty()) {
    p.detail = errors.front().field + ": " + errors.front().message;
    if (errors.size() > 1) p.detail += " (and " + std::to_string(errors.size() - 1) + " more)";
  } else {
    p.detail = "invalid request";
  }
  p.errors = std::move(errors);
  return p;
}

}  // namespace pdex::service
