#include "cli/ml_paths.h"

#include <fstream>

#include "cli/command.h"
#include "cli/dex_source.h"

namespace pdex::cli {

namespace fs = std::filesystem;

fs::path datasets_dir() {
  return settings_for_cli().data_dir / "datasets";
}
fs::path models_dir() {
  return settings_for_cli().data_dir / "models";
}

fs::path resolve_dataset_dir(const std::string& arg) {
  if (!arg.empty()) return arg;
  std::ifstream f(datasets_dir() / "LATEST");
  std::string name;
  if (!f || !std::getline(f, name) || name.empty()) {
    throw CommandError(kUsage, "--dataset: not given and no " + (datasets_dir() / "LATEST").string() +
                                   " (run `pdex dataset build` first)");
  }
  return datasets_dir() / name;
}

void set_latest_dataset(const std::string& name) {
  fs::create_directories(datasets_dir());
  std::ofstream f(datasets_dir() / "LATEST", std::ios::trunc);
  f << name << "\n";
}

fs::path resolve_model_dir(const std::string& arg) {
  if (arg.find('/') != std::string::npos || fs::is_directory(arg)) return arg;
  return models_dir() / arg;
}

}  // namespace pdex::cli
