// Process-wide settings: a default that works on one machine, overridden by PDEX_* environment variables
// (DESIGN §6). Later issues add a config file and more keys; each key is documented in the README.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace pdex {

struct Settings {
  std::filesystem::path data_dir;  // PDEX_DATA_DIR, default ./var (git-ignored)
  std::string database_url;        // PDEX_DATABASE_URL, default sqlite://<data_dir>/pdex.sqlite
  std::filesystem::path dex_file;  // PDEX_DEX_FILE, default data/lgpe-dex.json

  // Reads the environment. Throws std::invalid_argument naming the variable if a value is malformed.
  static Settings from_environment();
  // Key -> value for printing at start, secrets (passwords in URLs) masked.
  std::map<std::string, std::string> describe() const;
};

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db".
std::string mask_url_password(const std::string& url);

}  // namespace pdex
