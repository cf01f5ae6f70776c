// `pdex serve`: the REST API server (src/service). Settings come from PDEX_* variables; options override them.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/buffered_stdout_sink.h"
#include "cli/command.h"
#include "cli/ml_paths.h"
#include "common/settings.h"
#include "common/thread_name.h"
#include "common/version.h"
#include "service/api_server.h"
#include "service/dex_source.h"
#include "service/ml_served_model.h"
#include "service/model_provider.h"
#include "service/model_reloader.h"
#include "service/registry_model_watcher.h"
#include "service/security_layer.h"
#include "service/security_options.h"
#include "service/standard_middleware.h"

namespace pdex::cli {
namespace {

struct ServeOptions {
  std::optional<std::string> host;
  std::optional<int> port;
  std::optional<int> threads;
  std::optional<std::string> model;
  std::optional<std::string> web_root;
};

// A relative web root is looked up from the working directory (a checkout), then beside the binary: an install
// (<prefix>/bin/pdex -> <prefix>/share/pdex/<root>) or a build tree inside the repository (build/x/src/cli/pdex).
std::filesystem::path resolve_web_root(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (root.is_absolute() || fs::is_directory(root, ec)) return root;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return root;
  if (const fs::path installed = exe.parent_path().parent_path() / "share" / "pdex" / root;
      fs::is_directory(installed, ec)) {
    return installed;
  }
  for (fs::path dir = exe.parent_path(); dir.has_relative_path(); dir = dir.parent_path()) {
    if (fs::is_directory(dir / root, ec)) return dir / root;
  }
  return root;
}

// PDEX_MODEL_POLL: seconds between reads of the registry's production alias (default 2; 0 disables).
double model_poll_seconds() {
  const char* v = std::getenv("PDEX_MODEL_POLL");
  if (v == nullptr || *v == '\0') return 2.0;
  char* end = nullptr;
  const double s = std::strtod(v, &end);
  if (end == v || *end != '\0' || !(s >= 0 && s <= 3600)) {
    throw CommandError(kUsage, "PDEX_MODEL_POLL: expected seconds in [0, 3600], got '" + std::string(v) + "'");
  }
  return s;
}

// PDEX_MODEL_NAME: the registered model whose production version is served (default battle_winner_model).
std::string registry_model_name() {
  const char* v = std::getenv("PDEX_MODEL_NAME");
  return v != nullptr && *v != '\0' ? v : store::kDefaultModelName;
}

std::vector<std::string> split_origins(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void log_line(spdlog::logger& logger, const std::string& level, const std::string& msg, nlohmann::ordered_json fields) {
  nlohmann::ordered_json line;
  line["time"] = service::utc_timestamp_now();
  line["level"] = level;
  line["msg"] = msg;
  for (auto& [k, v] : fields.items()) line[k] = v;
  logger.info(line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  logger.flush();  // life-cycle events (start, listening, reloads, stop) are seen at once
}

void run_serve(const ServeOptions& o) {
  Settings settings;
  service::SecurityOptions security_options;
  service::DriftSettings drift_settings;
  try {
    settings = Settings::from_environment();
    security_options = service::SecurityOptions::from_environment();
    drift_settings = service::DriftSettings::from_environment();
  } catch (const std::invalid_argument& e) {
    throw CommandError(kUsage, e.what());
  }
  if (o.host) settings.host = *o.host;
  if (o.port) {
    if (*o.port < 0 || *o.port > 65535) throw CommandError(kUsage, "--port: must be 0..65535");
    settings.port = *o.port;
  }
  if (o.threads) {
    if (*o.threads < 0 || *o.threads > 256) throw CommandError(kUsage, "--threads: must be 0..256");
    settings.threads = *o.threads;
  }
  if (o.model) settings.model_path = *o.model;
  if (o.web_root) settings.web_root = *o.web_root;

  auto logger = std::make_shared<spdlog::logger>("pdex.http", std::make_shared<BufferedStdoutSink>());
  logger->set_pattern("%v");
  // Request lines are buffered, not flushed one by one (buffered_stdout_sink.h: a write(2) per request): flushed
  // every second, by every life-cycle line (log_line) and when serving ends, so a graceful stop loses none.
  logger->flush_on(spdlog::level::err);
  if (!spdlog::get(logger->name())) spdlog::register_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
  struct FlushAtExit {
    spdlog::logger& logger;
    ~FlushAtExit() { logger.flush(); }
  } flush_at_exit{*logger};

  nlohmann::ordered_json config = nlohmann::ordered_json::object();
  for (const auto& [k, v] : settings.describe()) config[k] = v;  // describe() masks secrets
  for (const auto& [k, v] : security_options.describe()) config[k] = v;
  for (const auto& [k, v] : drift_settings.describe()) config[k] = v;
  log_line(*logger, "info", "starting", {{"version", kVersion}, {"git_hash", kGitHash}, {"config", config}});

  auto state = std::make_shared<service::ServiceState>();
  service::ServiceConfig& c = state->config;
  c.server.host = settings.host;
  c.server.port = static_cast<unsigned short>(settings.port);
  c.server.threads = settings.threads;
  c.server.max_body_bytes = settings.max_body_bytes;
  c.server.max_header_bytes = settings.max_header_bytes;
  c.server.max_connections = settings.max_connections;
  c.server.header_timeout = std::chrono::milliseconds(settings.header_timeout_ms);
  c.server.idle_timeout = std::chrono::milliseconds(settings.idle_timeout_ms);
  c.cors_origins = split_origins(settings.cors_origins);
  c.database_url = settings.database_url;
  c.data_dir = settings.data_dir;
  c.web_root = resolve_web_root(settings.web_root);
  c.worker_threads = settings.worker_threads;
  c.worker_queue = settings.worker_queue;
  c.drift = drift_settings;

  try {
    service::LoadedDex loaded = service::load_service_dex(settings);
    state->dex = loaded.dex;
    state->dex_source = loaded.source;
    nlohmann::ordered_json fields = {{"source", loaded.source},
                                     {"species", loaded.dex->all_species().size()},
                                     {"moves", loaded.dex->all_moves().size()}};
    if (loaded.db_reason) fields["database_not_used"] = *loaded.db_reason;
    log_line(*logger, "info", "dex loaded", fields);
  } catch (const std::exception& e) {
    throw CommandError(kFailure, e.what());
  }
  service::install_ml_model_loader();
  // Without --model / PDEX_MODEL: the registry's production version when the database has one (polled every
  // PDEX_MODEL_POLL seconds, service/registry_model_watcher.h), else the bundle `pdex model train` writes by
  // default, if there is one.
  std::filesystem::path model_path = settings.model_path;
  std::unique_ptr<service::RegistryModelWatcher> watcher;
  const double poll_seconds = model_poll_seconds();
  auto log_watch = [&](const service::WatchOutcome& w) {
    using Kind = service::WatchOutcome::Kind;
    if (w.kind == Kind::Loaded) {
      log_line(*logger, "info", "model loaded from the registry", {{"version", w.version}, {"path", w.path}});
    } else if (w.kind == Kind::Unavailable) {
      log_line(*logger, "warn", "model registry not readable (run `pdex db init` to create it)", {{"error", w.error}});
    } else if (w.kind == Kind::Failed) {
      const auto current = state->models.current();
      log_line(*logger, "error", "registry model not loaded; keeping the current model",
               {{"version", w.version}, {"error", w.error}, {"kept_version", current ? current->version() : ""}});
    }
  };
  if (model_path.empty()) {
    try {
      watcher = std::make_unique<service::RegistryModelWatcher>(settings.database_url, registry_model_name());
      const service::WatchOutcome w = watcher->poll(*state);
      log_watch(w);
    } catch (const std::exception& e) {
      log_line(*logger, "warn", "model registry not available", {{"error", e.what()}});
    }
  }
  if (model_path.empty() && !state->models.current()) {
    std::error_code ec;
    const std::filesystem::path fallback = models_dir() / "default";
    if (std::filesystem::is_directory(fallback, ec)) model_path = fallback;
  }
  if (!model_path.empty() && !state->models.current()) {
    try {
      state->models.set(service::load_model(model_path, *state->dex));
      log_line(*logger, "info", "model loaded",
               {{"path", model_path.string()}, {"version", state->models.current()->version()}});
    } catch (const std::exception& e) {
      throw CommandError(kFailure, e.what());
    }
  } else if (!state->models.current()) {
    log_line(*logger, "warn", "no model: /ready answers 503 and predictions 503 until one is loaded",
             {{"looked_for", (models_dir() / "default").string()}});
  }

  // SIGHUP reloads the model from the same path on this thread, off the request path; requests keep the
  // model they started with (ModelProvider swaps atomically) and a failed reload keeps the old model.
  boost::asio::io_context reload_ioc;
  boost::asio::signal_set hup(reload_ioc, SIGHUP);
  std::function<void()> arm_reload = [&] {
    hup.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      if (watcher && (model_path.empty() || model_path == models_dir() / "default")) {
        watcher->forget_served();  // SIGHUP reloads the registry's production version even if unchanged
        log_watch(watcher->poll(*state));
      } else if (model_path.empty()) {
        log_line(*logger, "warn", "SIGHUP: no model path configured, nothing to reload", {});
      } else {
        // Loads off the request path, swaps atomically, counts the reload (service/model_reloader.h).
        const service::ReloadOutcome r = service::reload_model(*state, model_path);
        if (r.ok) {
          log_line(*logger, "info", "model reloaded", {{"path", model_path.string()}, {"version", r.version}});
        } else {
          log_line(*logger, "error", "model reload failed; keeping the current model",
                   {{"path", model_path.string()}, {"error", r.error}, {"kept_version", r.kept_version}});
        }
      }
      arm_reload();
    });
  };
  arm_reload();
  // Promotions and rollbacks reach this replica within one poll period.
  boost::asio::steady_timer poll_timer(reload_ioc);
  std::function<void()> arm_poll = [&] {
    if (!watcher || poll_seconds <= 0) return;
    poll_timer.expires_after(std::chrono::milliseconds(static_cast<long long>(poll_seconds * 1000)));
    poll_timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      log_watch(watcher->poll(*state));
      arm_poll();
    });
  };
  arm_poll();
  std::thread reload_thread([&reload_ioc] {
    set_thread_name("pdex-reload");
    reload_ioc.run();
  });
  struct StopReload {
    boost::asio::io_context& ioc;
    std::thread& thread;
    ~StopReload() {
      ioc.stop();
      if (thread.joinable()) thread.join();
    }
  } stop_reload{reload_ioc, reload_thread};

  service::ApiServer api(state, logger);
  // Authentication, rate limits and the prediction log (DESIGN §3); drained after the HTTP server stops.
  service::SecurityLayer security(api, security_options);
  if (!security_options.auth_enabled) {
    log_line(*logger, "warn", "PDEX_AUTH=off: every route is open to anyone who can reach this address", {});
  }
  try {
    api.listen();
  } catch (const std::exception& e) {
    throw CommandError(kFailure, e.what());
  }
  log_line(*logger, "info", "listening",
           {{"address", settings.host},
            {"port", api.port()},
            {"url", "http://" + settings.host + ":" + std::to_string(api.port())},
            {"web_root", state->config.web_root.string()},
            {"web_app", std::filesystem::is_regular_file(state->config.web_root / "index.html")},
            {"worker_threads", api.workers().threads()}});
  api.run(/*handle_signals=*/true);
  const service::PredictionLogStats log_stats = security.stop();
  log_line(*logger, log_stats.lost_at_stop > 0 ? "error" : "info", "prediction log drained",
           {{"written", log_stats.written},
            {"dropped_queue_full", log_stats.dropped},
            {"lost_at_stop", log_stats.lost_at_stop},
            {"last_error", log_stats.failing ? log_stats.last_error : ""}});
  log_line(*logger, "info", "stopped", {});
}

}  // namespace

void add_serve_commands(CLI::App& app) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* serve = app.add_subcommand("serve", "Run the REST API server (GET /health, /api/v1/..., /metrics)");
  serve->add_option("--host", o->host, "Address to listen on (default $PDEX_HOST or 127.0.0.1)");
  serve->add_option("--port", o->port, "TCP port, 0 for any free port (default $PDEX_PORT or 8000)");
  serve->add_option("--threads", o->threads, "I/O threads (default $PDEX_THREADS or one per core)");
  serve->add_option("--model", o->model,
                    "Model bundle directory (default $PDEX_MODEL, else models/default if present; none: /ready 503)");
  serve->add_option("--web-root", o->web_root,
                    "Directory of the web app served at / (default $PDEX_WEB_ROOT or web/dist; /docs and /redoc come "
                    "from its docs/ and redoc/ folders)");
  serve->callback([o] { run_serve(*o); });
  serve->footer(
      "Environment (options above override):\n"
      "  PDEX_HOST, PDEX_PORT, PDEX_THREADS, PDEX_MODEL    as the options\n"
      "  PDEX_MAX_BODY_BYTES     request body limit, larger bodies are answered 413 (default 65536)\n"
      "  PDEX_MAX_HEADER_BYTES   request header limit, larger headers are answered 431 (default 16384)\n"
      "  PDEX_MAX_CONNECTIONS    open connections; more are answered 503 and closed (default 1024)\n"
      "  PDEX_HEADER_TIMEOUT_MS  time to receive a request once it began (default 10000)\n"
      "  PDEX_IDLE_TIMEOUT_MS    keep-alive wait for the next request (default 60000)\n"
      "  PDEX_CORS_ORIGINS       comma-separated origins allowed by CORS, '*' for any (default: CORS off)\n"
      "  PDEX_DATABASE_URL       Dex source when `pdex db import` filled it, and the /ready check\n"
      "  PDEX_DEX_FILE           Dex source otherwise (default data/lgpe-dex.json)\n"
      "  PDEX_WEB_ROOT           as --web-root\n"
      "  PDEX_WORKER_THREADS     threads running handlers off the I/O threads (default 0: one per core)\n"
      "  PDEX_WORKER_QUEUE       requests waiting for a worker; more are answered 503 + Retry-After (default 4096)\n"
      "Security and traceability (details: src/service/security_options.h):\n"
      "  PDEX_AUTH on|off, PDEX_KEY_CACHE_TTL_MS (2000: revocation delay), PDEX_SESSION_TTL_S (28800),\n"
      "  PDEX_SESSION_SECRET (>= 32 bytes; default random per process), PDEX_SESSION_COOKIE_SECURE true|false,\n"
      "  PDEX_WEB_SESSIONS on|off, PDEX_METRICS_ACCESS public|loopback|admin, PDEX_RATE_LIMIT_RPS (20; 0 off),\n"
      "  PDEX_RATE_LIMIT_BURST (40), PDEX_RATE_LIMIT_ANON_RPS (20), PDEX_RATE_LIMIT_ANON_BURST (100),\n"
      "  PDEX_PREDICTION_LOG on|off, PDEX_PREDICTION_LOG_QUEUE (100000), PDEX_PREDICTION_LOG_BATCH (64)\n"
      "Drift monitoring (docs/operate.md): PDEX_DRIFT_WINDOW (1000 predictions), PDEX_DRIFT_MAX_AGE_S (3600),\n"
      "  PDEX_DRIFT_MIN_SAMPLES (100), PDEX_DRIFT_PSI_WARNING (0.1), PDEX_DRIFT_PSI_ALERT (0.2), PDEX_DRIFT_KS_ALPHA\n"
      "  (0.05), PDEX_DRIFT_CORRECTION bh|bonferroni, PDEX_DRIFT_DATASET_SHARE (0.5), PDEX_DRIFT_REFRESH_MS (1000)\n"
      "Model: --model, else $PDEX_MODEL, else the model registry's production version of $PDEX_MODEL_NAME\n"
      "  (default battle_winner_model) in PDEX_DATABASE_URL, polled every $PDEX_MODEL_POLL s (default 2, 0: off)\n"
      "  so promotions and rollbacks are served without a restart, else $PDEX_DATA_DIR/models/default when it\n"
      "  exists. SIGHUP reloads it (a bundle that fails to load is logged and the current model kept).\n"
      "Logs: one JSON object per line on stdout. SIGTERM/SIGINT: stop accepting, finish in-flight requests, exit 0.");
}

}  // namespace pdex::cli
