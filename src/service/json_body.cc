#include "service/json_body.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace pdex::service {

using nlohmann::json;

std::optional<std::size_t> invalid_utf8_offset(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::nullopt;
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Thrown from the parser callback; carries a finished message.
struct StructureError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace

bool is_json_content_type(std::string_view content_type) {
  const std::size_t semi = content_type.find(';');
  if (lower(trim(content_type.substr(0, semi))) != "application/json") return false;
  std::string_view params = semi == std::string_view::npos ? std::string_view{} : content_type.substr(semi + 1);
  while (!params.empty()) {
    const std::size_t next = params.find(';');
    const std::string_view param = trim(params.substr(0, next));
    params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (lower(trim(param.substr(0, eq))) == "charset") {
      std::string value = lower(trim(param.substr(eq + 1)));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      if (value != "utf-8" && value != "utf8") return false;
    }
  }
  return true;
}

std::variant<json, Problem> parse_json_text(std::string_view text, int max_depth) {
  if (trim(text).empty()) return bad_request("request body is empty: expected a JSON object");
  if (const auto bad = invalid_utf8_offset(text)) {
    return bad_request("request body is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  }
  // Per open container: the keys seen so far (objects) — to reject duplicates, which nlohmann would
  // otherwise resolve silently by keeping the last.
  std::vector<std::set<std::string>> keys;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) -> bool {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (depth >= max_depth) {
          throw StructureError("JSON nesting deeper than " + std::to_string(max_depth) + " levels");
        }
        keys.emplace_back();
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case json::parse_event_t::key:
        if (!keys.empty() && parsed.is_string()) {
          const auto& key = parsed.get_ref<const std::string&>();
          if (!keys.back().insert(key).second) {
            throw StructureError("duplicate key \"" + key.substr(0, 100) + "\" in a JSON object");
          }
        }
        break;
      case json::parse_event_t::value:
        break;
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), callback);
  } catch (const StructureError& e) {
    return bad_request(e.what());
  } catch (const json::parse_error& e) {
    std::string message = e.what();
    const std::size_t bracket = message.find("] ");
    if (bracket != std::string::npos) message = message.substr(bracket + 2);
    return bad_request("malformed JSON at byte " + std::to_string(e.byte) + ": " + message);
  } catch (const json::exception& e) {
    return bad_request(std::string("malformed JSON: ") + e.what());
  }
}

std::variant<json, Problem> parse_json_object_body(const Request& request, int max_depth) {
  const auto content_type = request[http::field::content_type];
  if (!is_json_content_type(std::string_view(content_type.data(), content_type.size()))) {
    Problem p = make_problem(415, content_type.empty() ? "Content-Type must be application/json (header missing)"
                                                       : "Content-Type must be application/json, got '" +
                                                             std::string(content_type.substr(0, 100)) + "'");
    return p;
  }
  auto parsed = parse_json_text(request.body(), max_depth);
  if (auto* value = std::get_if<json>(&parsed); value != nullptr && !value->is_object()) {
    return validation_problem({{"(body)", "must be a JSON object, got " + describe_json_value(*value)}});
  }
  return parsed;
}

std::string describe_json_value(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return std::string("boolean ") + (v.get<bool>() ? "true" : "false");
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer " + v.dump();
    case json::value_t::number_float:
      return "number " + v.dump();
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 40) + "...";
      return "string " + json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    }
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "value";
  }
}

ObjectReader::ObjectReader(const json& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {}

const json* ObjectReader::get(const std::string& field, bool required) {
  known_.insert(field);
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) {
    if (required) add_error(field, "is required");
    return nullptr;
  }
  return &*it;
}

void ObjectReader::add_error(const std::string& field, std::string message) {
  errors_.push_back({prefix_ + field, std::move(message)});
}

namespace {

// Integral value of a JSON number, if it is one (5 and 5.0; not 5.5, not 1e300).
std::optional<std::int64_t> integral(const json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> ObjectReader::integer(const std::string& field, std::int64_t lo, std::int64_t hi,
                                                  bool required) {
  const json* v = get(field, required);
  if (!v) return std::nullopt;
  const auto value = integral(*v);
  if (!value || *value < lo || *value > hi) {
    add_error(field, "must be an integer " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " +
                         describe_json_value(*v));
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> ObjectReader::string(const std::string& field, std::size_t max_length, bool required) {
  const json* v = get(field, required);
  if (!v) return std::nullopt;
  if (!v->is_string() || v->get_ref<const std::string&>().empty() ||
      v->get_ref<const std::string&>().size() > max_length) {
    add_error(field, "must be a non-empty string of at most " + std::to_string(max_length) + " bytes, got " +
                         describe_json_value(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::string> ObjectReader::one_of(const std::string& field, const std::vector<std::string>& choices,
                                                bool required) {
  const json* v = get(field, required);
  if (!v) return std::nullopt;
  if (v->is_string() && std::find(choices.begin(), choices.end(), v->get_ref<const std::string&>()) != choices.end()) {
    return v->get<std::string>();
  }
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  add_error(field, "must be one of " + list + ", got " + describe_json_value(*v));
  return std::nullopt;
}

namespace {

std::optional<std::string> id_or_name_value(const json& v) {
  if (const auto i = integral(v); i && *i >= 0 && *i <= 1'000'000'000) return std::to_string(*i);
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (!s.empty() && s.size() <= 100) return s;
  }
  return std::nullopt;
}

constexpr const char* kIdOrNameRule = "must be a non-negative integer id or a name (1..100 bytes), got ";

}  // namespace

std::optional<std::string> ObjectReader::id_or_name(const std::string& field, bool required) {
  const json* v = get(field, required);
  if (!v) return std::nullopt;
  auto value = id_or_name_value(*v);
  if (!value) add_error(field, kIdOrNameRule + describe_json_value(*v));
  return value;
}

std::optional<std::vector<std::string>> ObjectReader::id_or_name_list(const std::string& field, std::size_t max_items,
                                                                      bool required) {
  const json* v = get(field, required);
  if (!v) return std::nullopt;
  if (!v->is_array() || v->empty() || v->size() > max_items) {
    add_error(field, "must be an array of 1.." + std::to_string(max_items) + " ids or names, got " +
                         (v->is_array() ? "an array of " + std::to_string(v->size()) : describe_json_value(*v)));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    auto item = id_or_name_value((*v)[i]);
    if (!item) {
      add_error(field + "[" + std::to_string(i) + "]", kIdOrNameRule + describe_json_value((*v)[i]));
      ok = false;
    } else {
      out.push_back(std::move(*item));
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

const json* ObjectReader::object(const std::string& field, bool required) {
  const json* v = get(field, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    add_error(field, "must be an object, got " + describe_json_value(*v));
    return nullptr;
  }
  return v;
}

void ObjectReader::allow(const std::string& field) {
  known_.insert(field);
}

void ObjectReader::reject_unknown() {
  for (const auto& [key, value] : object_.items()) {
    if (!known_.count(key)) {
      std::string name = key.size() > 60 ? key.substr(0, 60) + "..." : key;
      add_error(name, "unknown field");
    }
  }
}

}  // namespace pdex::service
