// Reading a JSON request body and validating its fields, with errors that name what was wrong:
//   415 Content-Type is not application/json (a charset parameter, if any, must be utf-8);
//   400 empty body, invalid UTF-8 (with the byte offset), malformed JSON (with the byte position), nesting
//       deeper than max_depth, a key repeated in one object;
//   422 valid JSON with wrong values: ObjectReader collects one FieldError per offending field, and unknown
//       top-level fields are rejected (a typo such as "level1" must not silently fall back to a default).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/http_types.h"
#include "service/problem.h"

namespace pdex::service {

inline constexpr int kDefaultMaxJsonDepth = 32;

// The first offset at which `text` is not valid UTF-8 (overlongs, surrogates and values above U+10FFFF are
// invalid), or nullopt.
std::optional<std::size_t> invalid_utf8_offset(std::string_view text);

// Whether the Content-Type header names JSON (application/json, optional parameters; charset utf-8 only).
bool is_json_content_type(std::string_view content_type);

// Parses `text` as JSON with the checks above (no Content-Type check). Returns the value or a 400 problem.
std::variant<nlohmann::json, Problem> parse_json_text(std::string_view text, int max_depth = kDefaultMaxJsonDepth);

// Content-Type check, then parse_json_text, then "the body must be a JSON object" (422).
std::variant<nlohmann::json, Problem> parse_json_object_body(const Request& request,
                                                             int max_depth = kDefaultMaxJsonDepth);

// Typed access to the fields of a JSON object, recording a FieldError per bad field. Every getter marks its
// field as known; reject_unknown() then reports the fields nobody asked for. Getters return nullopt when the
// field is absent (an error too when `required`) or invalid. JSON null counts as absent.
class ObjectReader {
 public:
  // Precondition: object.is_object(). `prefix` is prepended to field names in errors ("p1." or "").
  explicit ObjectReader(const nlohmann::json& object, std::string prefix = "");

  // An integer in [lo, hi] ("must be an integer 1..100"). 5.0 is accepted as 5; 5.5, "5", true are not.
  std::optional<std::int64_t> integer(const std::string& field, std::int64_t lo, std::int64_t hi,
                                      bool required = false);
  // A non-empty string of at most max_length bytes.
  std::optional<std::string> string(const std::string& field, std::size_t max_length = 200, bool required = false);
  // One of `choices` (exact match).
  std::optional<std::string> one_of(const std::string& field, const std::vector<std::string>& choices,
                                    bool required = false);
  // A non-negative integer id or a non-empty name (≤ 100 bytes); ids become their decimal text.
  std::optional<std::string> id_or_name(const std::string& field, bool required = false);
  // An array of 1..max_items ids or names (see id_or_name); errors name the element ("moves[2]").
  std::optional<std::vector<std::string>> id_or_name_list(const std::string& field, std::size_t max_items,
                                                          bool required = false);
  // An object (for nested settings); nullptr when absent or not an object (then an error is recorded).
  const nlohmann::json* object(const std::string& field, bool required = false);
  // The raw value (nullptr when absent or null), marking the field as known; the caller validates it.
  const nlohmann::json* raw(const std::string& field) { return get(field, false); }
  // Marks a field as known without reading it.
  void allow(const std::string& field);

  void add_error(const std::string& field, std::string message);
  // Records "unknown field" for every key not read or allowed.
  void reject_unknown();

  std::string field_name(const std::string& field) const { return prefix_ + field; }
  const std::vector<FieldError>& errors() const { return errors_; }
  std::vector<FieldError> take_errors() { return std::move(errors_); }
  bool ok() const { return errors_.empty(); }

 private:
  const nlohmann::json* get(const std::string& field, bool required);

  const nlohmann::json& object_;
  std::string prefix_;
  std::set<std::string> known_;
  std::vector<FieldError> errors_;
};

// "integer 5", "string \"abc\"", "array", "object", "boolean true", "number 5.5": for messages.
std::string describe_json_value(const nlohmann::json& v);

}  // namespace pdex::service
