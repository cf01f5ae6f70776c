#include "battle/battle_test_support.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "dex/dex_json.h"

namespace pdex::battle::testing {

std::filesystem::path source_dir() {
  const char* env = std::getenv("PDEX_SOURCE_DIR");
  return (env != nullptr && *env != '\0') ? std::filesystem::path(env) : std::filesystem::current_path();
}

const dex::Dex& the_dex() {
  static const dex::Dex dex(dex::load_dex_json(source_dir() / "data/lgpe-dex.json"));
  return dex;
}

std::int64_t battles_from_env(const char* name, std::int64_t fallback, std::int64_t minimum) {
  const char* env = std::getenv(name);
  if (env == nullptr || *env == '\0') return fallback;
  std::int64_t n = 0;
  const char* end = env + std::strlen(env);
  const auto [stop, error] = std::from_chars(env, end, n);
  if (error != std::errc() || stop != end || n < minimum) {
    throw std::invalid_argument(std::string(name) + ": must be a whole number >= " + std::to_string(minimum) +
                                ", got '" + env + "'");
  }
  return n;
}

}  // namespace pdex::battle::testing
