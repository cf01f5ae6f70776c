// Errors as RFC 9457 problem details (application/problem+json), the only error format of the API
// (DESIGN §3): {"type","title","status","detail","instance","errors":[{"field","message"}]}.
//
// `type` is a URN naming the kind of problem (urn:pdex:problem:<slug>, e.g. validation, not-found); `title`
// is the same for every problem of a type; `detail` says what was wrong with this request; `instance` is the
// request path; `errors` (validation problems only) names each offending field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/http_types.h"

namespace pdex::service {

struct FieldError {
  std::string field;  // JSON field name ("level_1", "pokemon_1_moves[2]") or query parameter ("limit")
  std::string message;
};

struct Problem {
  int status = 400;
  std::string type;   // empty: derived from status (see problem_type)
  std::string title;  // empty: derived from status
  std::string detail;
  std::string instance;
  std::vector<FieldError> errors;
  // RFC 9457 extension members, appended after the standard ones (e.g. "checks" of GET /ready).
  nlohmann::ordered_json extensions = nlohmann::ordered_json::object();
};

// "urn:pdex:problem:bad-request" (400), "...:unauthorized" (401), forbidden, not-found, method-not-allowed,
// payload-too-large (413), unsupported-media-type (415), validation (422), too-many-requests (429),
// request-header-fields-too-large (431), not-ready (503), "...:http-<status>" otherwise.
std::string problem_type(int status);
// The reason phrase ("Unprocessable Content" for 422, RFC 9110 names).
std::string problem_title(int status);

// Serialized problem JSON (keys in the order of the contract; "errors" only when non-empty).
std::string problem_json(const Problem& p);
// A complete response: status, Content-Type application/problem+json, body.
Response problem_response(const Problem& p, unsigned http_version = 11);

// Shorthands.
Problem make_problem(int status, std::string detail);
Problem bad_request(std::string detail);
Problem not_found(std::string detail);
Problem validation_problem(std::vector<FieldError> errors);  // 422, detail summarises the first error

}  // namespace pdex::service
