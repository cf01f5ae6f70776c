#include "cli/option_checks.h"

#include <charconv>
#include <string>

namespace pdex::cli {

CLI::Validator unsigned_integer(std::uint64_t max) {
  const std::string rule = "an integer 0.." + std::to_string(max);
  return CLI::Validator(
      [max, rule](std::string& text) -> std::string {
        std::uint64_t v = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, v);
        if (text.empty() || ec != std::errc() || ptr != end || v > max)
          return "expected " + rule + ", got '" + text + "'";
        return "";
      },
      "UINT<=" + std::to_string(max));
}

}  // namespace pdex::cli
