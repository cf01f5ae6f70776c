#include "cli/json_file.h"

#include <fstream>

#include "cli/command.h"

namespace pdex::cli {

nlohmann::json read_json_file(const std::string& path, const std::string& option) {
  std::ifstream f(path);
  if (!f) throw CommandError(kUsage, option + ": cannot open '" + path + "'");
  try {
    return nlohmann::json::parse(f);
  } catch (const nlohmann::json::exception& e) {
    throw CommandError(kInvalidData, path + ": malformed JSON: " + e.what());
  }
}

}  // namespace pdex::cli
