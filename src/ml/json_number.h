// Strict reads of numbers from user-written JSON (configs, gates, schemas). nlohmann's get<int>() silently
// truncates 2.5, wraps -1 into a uint64_t, and converting 1e20 to int is undefined behaviour; these reads
// refuse all three. Every error is std::invalid_argument "FIELD: expected ..., got VALUE", so a caller that
// prefixes the file name gives the user file, field and value in one line.
#pragma once

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace pdex::ml {

// An integer within T's range (a JSON number written without fraction or exponent).
template <std::integral T>
T json_integer(const nlohmann::json& v, const std::string& field) {
  auto bad = [&]() {
    return std::invalid_argument(field + ": expected an integer " + std::to_string(std::numeric_limits<T>::min()) +
                                 ".." + std::to_string(std::numeric_limits<T>::max()) + ", got " + v.dump());
  };
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) throw bad();
    return static_cast<T>(u);
  }
  if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    if constexpr (std::is_signed_v<T>) {
      if (i < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
          i > static_cast<std::int64_t>(std::numeric_limits<T>::max())) {
        throw bad();
      }
    } else {
      if (i < 0 || static_cast<std::uint64_t>(i) > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
        throw bad();
      }
    }
    return static_cast<T>(i);
  }
  throw bad();
}

// A finite number (integers accepted).
inline double json_real(const nlohmann::json& v, const std::string& field) {
  if (!v.is_number() || !std::isfinite(v.get<double>())) {
    throw std::invalid_argument(field + ": expected a number, got " + v.dump());
  }
  return v.get<double>();
}

}  // namespace pdex::ml
