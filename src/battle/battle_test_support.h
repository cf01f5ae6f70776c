// Test-only: what the battle tests on the real roster share (exact odds, the Showdown and damage references):
// where the repository is, its Dex, and battle counts read from the environment.
#pragma once

#include <cstdint>
#include <filesystem>

#include "dex/dex.h"

namespace pdex::battle::testing {

// The repository root: PDEX_SOURCE_DIR (CTest sets it), else the working directory.
std::filesystem::path source_dir();

// data/lgpe-dex.json under source_dir(), loaded on first use and kept for the whole test binary. Throws
// what dex::load_dex_json throws when the file is missing or invalid.
const dex::Dex& the_dex();

// A number of battles from the environment variable `name`: `fallback` when it is unset or empty. Throws
// std::invalid_argument naming the variable when its value is not a whole number or is below `minimum`.
std::int64_t battles_from_env(const char* name, std::int64_t fallback, std::int64_t minimum);

}  // namespace pdex::battle::testing
