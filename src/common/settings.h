// Process-wide settings: a default that works on one machine, overridden by PDEX_* environment variables
// (DESIGN §6). Later issues add a config file and more keys; each key is documented in the README.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

namespace pdex {

struct Settings {
  std::filesystem::path data_dir;  // PDEX_DATA_DIR, default ./var (git-ignored)
  std::string database_url;        // PDEX_DATABASE_URL, default sqlite://<data_dir>/pdex.sqlite
  std::filesystem::path dex_file;  // PDEX_DEX_FILE, default data/lgpe-dex.json

  // `pdex serve` (src/service). Command-line options override these.
  std::string host = "127.0.0.1";        // PDEX_HOST: address to listen on (IPv4 or IPv6 literal)
  int port = 8000;                       // PDEX_PORT: 0..65535 (0: any free port)
  int threads = 0;                       // PDEX_THREADS: I/O threads, 0..256 (0: one per core)
  std::size_t max_body_bytes = 65536;    // PDEX_MAX_BODY_BYTES: 1..67108864, larger bodies get 413
  std::size_t max_header_bytes = 16384;  // PDEX_MAX_HEADER_BYTES: 1024..1048576, larger headers get 431
  std::size_t max_connections = 1024;    // PDEX_MAX_CONNECTIONS: 1..100000, more get 503
  int header_timeout_ms = 10000;         // PDEX_HEADER_TIMEOUT_MS: 100..600000, to read a request once begun
  int idle_timeout_ms = 60000;           // PDEX_IDLE_TIMEOUT_MS: 100..3600000, keep-alive wait for the next one
  std::string cors_origins;              // PDEX_CORS_ORIGINS: comma-separated allowed origins (empty: CORS off)
  std::filesystem::path model_path;      // PDEX_MODEL: model bundle to serve (empty: none, /ready is 503)

  // PDEX_WEB_ROOT: the web app's files; a relative path is tried from the working directory, then from the
  // binary's install/repository directory.
  std::filesystem::path web_root = "web/dist";
  int worker_threads = 0;           // PDEX_WORKER_THREADS: 0..256 handler threads (0: one per core)
  std::size_t worker_queue = 4096;  // PDEX_WORKER_QUEUE: 1..1000000 requests waiting for a worker; more get 503

  // Reads the environment. Throws std::invalid_argument naming the variable if a value is malformed.
  static Settings from_environment();
  // Key -> value for printing at start, secrets (passwords in URLs) masked.
  std::map<std::string, std::string> describe() const;
};

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db".
std::string mask_url_password(const std::string& url);

}  // namespace pdex
