// Small helpers shared by the handlers_*.cc files: JSON responses and query-parameter validation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/http_types.h"
#include "service/problem.h"
#include "service/request_context.h"

namespace pdex::service {

// 200 (or `status`) application/json. Invalid UTF-8 in strings is replaced, never thrown.
Response json_response(const nlohmann::json& body, int status = 200);
Response json_response(const nlohmann::ordered_json& body, int status = 200);
// A body already serialised (json_writer.h).
Response json_text_response(std::string body, int status = 200);
// problem_response with instance = ctx.path.
Response problem_for(const RequestContext& ctx, Problem p);

// Reads query parameters with the same error style as ObjectReader (422 naming the parameter).
class QueryReader {
 public:
  explicit QueryReader(const std::map<std::string, std::string>& query) : query_(query) {}
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t lo, std::int64_t hi);
  std::optional<bool> boolean(const std::string& name);  // "true" | "false"
  // Non-empty, at most max_length bytes.
  std::optional<std::string> string(const std::string& name, std::size_t max_length = 100);
  void add_error(const std::string& name, std::string message) { errors_.push_back({name, std::move(message)}); }
  void reject_unknown();
  bool ok() const { return errors_.empty(); }
  std::vector<FieldError> take_errors() { return std::move(errors_); }

 private:
  const std::string* get(const std::string& name);
  const std::map<std::string, std::string>& query_;
  std::set<std::string> known_;
  std::vector<FieldError> errors_;
};

// Case-insensitive substring test (ASCII folding), for the `q` filters.
bool contains_folded(const std::string& haystack, const std::string& needle);

}  // namespace pdex::service
