#include "common/settings.h"

#include <cstdlib>
#include <stdexcept>

namespace pdex {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::string(v) : fallback;
}

// An integer variable in [lo, hi]; `fallback` when unset or empty.
long long env_int(const char* name, long long fallback, long long lo, long long hi) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  const std::string text(v);
  std::size_t used = 0;
  long long value = 0;
  bool ok = text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 12;
  if (ok) {
    value = std::stoll(text, &used);
    ok = used == text.size() && value >= lo && value <= hi;
  }
  if (!ok) {
    throw std::invalid_argument(std::string(name) + ": must be an integer " + std::to_string(lo) + ".." +
                                std::to_string(hi) + ", got '" + text + "'");
  }
  return value;
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
  s.host = env_or("PDEX_HOST", s.host);
  s.port = static_cast<int>(env_int("PDEX_PORT", s.port, 0, 65535));
  s.threads = static_cast<int>(env_int("PDEX_THREADS", s.threads, 0, 256));
  s.max_body_bytes = static_cast<std::size_t>(env_int("PDEX_MAX_BODY_BYTES", 65536, 1, 64LL << 20));
  s.max_header_bytes = static_cast<std::size_t>(env_int("PDEX_MAX_HEADER_BYTES", 16384, 1024, 1 << 20));
  s.max_connections = static_cast<std::size_t>(env_int("PDEX_MAX_CONNECTIONS", 1024, 1, 100000));
  s.header_timeout_ms = static_cast<int>(env_int("PDEX_HEADER_TIMEOUT_MS", s.header_timeout_ms, 100, 600000));
  s.idle_timeout_ms = static_cast<int>(env_int("PDEX_IDLE_TIMEOUT_MS", s.idle_timeout_ms, 100, 3600000));
  s.cors_origins = env_or("PDEX_CORS_ORIGINS", "");
  s.model_path = env_or("PDEX_MODEL", "");
  s.web_root = env_or("PDEX_WEB_ROOT", s.web_root.string());
  s.worker_threads = static_cast<int>(env_int("PDEX_WORKER_THREADS", s.worker_threads, 0, 256));
  s.worker_queue = static_cast<std::size_t>(env_int("PDEX_WORKER_QUEUE", 4096, 1, 1000000));
  return s;
}

std::map<std::string, std::string> Settings::describe() const {
  return {{"PDEX_DATA_DIR", data_dir.string()},
          {"PDEX_DATABASE_URL", mask_url_password(database_url)},
          {"PDEX_DEX_FILE", dex_file.string()},
          {"PDEX_HOST", host},
          {"PDEX_PORT", std::to_string(port)},
          {"PDEX_THREADS", std::to_string(threads)},
          {"PDEX_MAX_BODY_BYTES", std::to_string(max_body_bytes)},
          {"PDEX_MAX_HEADER_BYTES", std::to_string(max_header_bytes)},
          {"PDEX_MAX_CONNECTIONS", std::to_string(max_connections)},
          {"PDEX_HEADER_TIMEOUT_MS", std::to_string(header_timeout_ms)},
          {"PDEX_IDLE_TIMEOUT_MS", std::to_string(idle_timeout_ms)},
          {"PDEX_CORS_ORIGINS", cors_origins},
          {"PDEX_MODEL", model_path.string()},
          {"PDEX_WEB_ROOT", web_root.string()},
          {"PDEX_WORKER_THREADS", std::to_string(worker_threads)},
          {"PDEX_WORKER_QUEUE", std::to_string(worker_queue)}};
}

std::string mask_url_password(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  // The last '@': a password with an unescaped '@' (or a URL that repeats its credentials) must not show a
  // part of the password after the first one (found by fuzz_config).
  const auto at = url.rfind('@');
  if (at == std::string::npos || at < scheme + 3) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace pdex
