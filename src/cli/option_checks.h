// CLI11 checks shared by the command groups, for option values CLI11 would otherwise convert loosely.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>

namespace pdex::cli {

// A decimal integer 0..max written with digits only. CLI11 converts "-1" into an unsigned option by wrapping
// it to 2^64-1, and saturates 99999999999999999999; with this check both are usage errors (exit 2) naming the
// option. Seeds use max = INT64_MAX: XGBoost reads its seed as a signed 64-bit integer.
CLI::Validator unsigned_integer(std::uint64_t max);

}  // namespace pdex::cli
