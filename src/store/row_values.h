// Reading soci::row values the same way on both backends: SQLite reports integers as long long and
// PostgreSQL as int or long long depending on the column type; JSON documents are stored as TEXT.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace pdex::store {

// Precondition: the column is not NULL.
inline std::int64_t row_int64(const soci::row& row, std::size_t column) {
  switch (row.get_properties(column).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(column);
    case soci::dt_long_long:
      return row.get<long long>(column);
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(row.get<unsigned long long>(column));
    case soci::dt_double:
      return static_cast<std::int64_t>(row.get<double>(column));
    default:
      return std::stoll(row.get<std::string>(column));
  }
}

inline double row_double(const soci::row& row, std::size_t column) {
  switch (row.get_properties(column).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(column);
    case soci::dt_long_long:
      return static_cast<double>(row.get<long long>(column));
    case soci::dt_double:
      return row.get<double>(column);
    default:
      return std::stod(row.get<std::string>(column));
  }
}

// A stored JSON document; text that does not parse (written by hand) is kept as a string.
inline nlohmann::json parse_json_column(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? nlohmann::json(text) : j;
}

}  // namespace pdex::store
