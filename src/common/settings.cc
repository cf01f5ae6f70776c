#include "common/settings.h"

#include <cstdlib>
#include <stdexcept>

namespace pdex {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::string(v) : fallback;
}

}  // namespace

Settings Settings::from_environment() {
  Settings s;
  s.data_dir = env_or("PDEX_DATA_DIR", "var");
  s.dex_file = env_or("PDEX_DEX_FILE", "data/lgpe-dex.json");
  s.database_url = env_or("PDEX_DATABASE_URL", "sqlite://" + (s.data_dir / "pdex.sqlite").string());
  if (s.database_url.rfind("sqlite://", 0) != 0 && s.database_url.rfind("postgresql://", 0) != 0 &&
      s.database_url.rfind("postgres://", 0) != 0) {
    throw std::invalid_argument("PDEX_DATABASE_URL: must start with sqlite:// or postgresql://, got '" +
                                mask_url_password(s.database_url) + "'");
  }
  return s;
}

std::map<std::string, std::string> Settings::describe() const {
  return {{"PDEX_DATA_DIR", data_dir.string()},
          {"PDEX_DATABASE_URL", mask_url_password(database_url)},
          {"PDEX_DEX_FILE", dex_file.string()}};
}

std::string mask_url_password(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace pdex
