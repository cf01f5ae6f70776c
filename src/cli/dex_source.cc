#include "cli/dex_source.h"

#include <memory>
#include <mutex>
#include <stdexcept>

#include "cli/command.h"
#include "dex/dex_json.h"

namespace pdex::cli {

Settings settings_for_cli() {
  try {
    return Settings::from_environment();
  } catch (const std::invalid_argument& e) {
    throw CommandError(kFailure, e.what());
  }
}

const dex::Dex& load_dex_for_cli() {
  static std::mutex mutex;
  static std::unique_ptr<dex::Dex> dex;
  std::lock_guard<std::mutex> lock(mutex);
  if (!dex) {
    const Settings settings = settings_for_cli();
    try {
      dex = std::make_unique<dex::Dex>(dex::load_dex_json(settings.dex_file));
    } catch (const dex::DataError& e) {
      throw CommandError(kInvalidData, e.what());
    }
  }
  return *dex;
}

}  // namespace pdex::cli
