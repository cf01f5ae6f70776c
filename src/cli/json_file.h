// Reading a JSON file the user named on the command line (configs, gates, thresholds), for every command.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace pdex::cli {

// The parsed content of `path`. CommandError(kUsage, "OPTION: cannot open 'PATH'") when it cannot be
// opened; CommandError(kInvalidData, "PATH: malformed JSON: ...") when it is not JSON, including a number
// too large for a double (1e999), which nlohmann reports as out_of_range rather than parse_error.
nlohmann::json read_json_file(const std::string& path, const std::string& option);

}  // namespace pdex::cli
