// JSON text written straight into one string, for the hottest answers (POST /api/v1/predict/battle): what
// nlohmann's dump gives for the same members in the same order, without building a tree first. Building and dumping an
// ordered_json answer was a third of the predict handler's CPU (bench/handler_bench, BM_Part_ResponseJson); every other
// answer is built with nlohmann as usual.
//
// Output rules (those of nlohmann::json::dump(-1, ' ', false, error_handler_t::replace)): no whitespace;
// strings escape '"', '\\' and control characters (\b \f \n \r \t, others \u00XX) and keep UTF-8 as is,
// each invalid UTF-8 sequence becoming one U+FFFD; doubles in nlohmann's form (positional from 1e-4 to 1e15, else
// exponent; ".0" on integral values; null for NaN and infinities) with the shortest digits that read back to
// the same value (std::to_chars; nlohmann's Grisu2 finds the same digits but for rare values).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pdex::service {

class JsonWriter {
 public:
  explicit JsonWriter(std::size_t reserve = 256) { out_.reserve(reserve); }

  // Containers. Misuse (a key outside an object, unbalanced ends, nesting deeper than 32) is a programming
  // error: checked with assert in debug builds.
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  // The next member's name; the value follows with one of the calls below or a container.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(double v);
  JsonWriter& value(bool v);
  JsonWriter& null();
  // A complete JSON value given as text (e.g. another serialiser's output), copied verbatim.
  JsonWriter& raw(std::string_view json_text);

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void before_value();
  void write_string(std::string_view s);
  std::string out_;
  // Per open container: whether it already holds an element (so the next one needs a comma).
  bool has_element_[32] = {};
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace pdex::service
