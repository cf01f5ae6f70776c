// Test helpers: an in-process ApiServer on 127.0.0.1 (any free port) and a small blocking HTTP client.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "dex/dex_json.h"
#include "service/api_server.h"
#include "service/security_options.h"

namespace pdex::service::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

inline std::shared_ptr<const dex::Dex> test_dex() {
  static const auto dex = std::make_shared<const dex::Dex>(dex::load_dex_json("data/lgpe-dex.json"));
  return dex;
}

// Security options for tests that exercise keys and sessions, not rate limits: a short key cache (revocations
// show within 100 ms) and limits no test reaches.
inline SecurityOptions test_security_options() {
  SecurityOptions o;
  o.key_cache_ttl = std::chrono::milliseconds(100);
  o.rate_limit_rps = 10'000;
  o.rate_limit_burst = 10'000;
  o.anon_rate_limit_rps = 10'000;
  o.anon_rate_limit_burst = 10'000;
  return o;
}

// A served model for tests: a fixed probability (a real double of the interface, not of the ml code).
class ConstantModel : public ServedModel {
 public:
  explicit ConstantModel(double p, std::string version = "test-1") : p_(p), version_(std::move(version)) {}
  std::string version() const override { return version_; }
  nlohmann::json card() const override { return {{"version", version_}, {"kind", "constant"}}; }
  double predict_p1_win(const dex::Dex&, const battle::BattleConfig&) const override { return p_; }

 private:
  double p_;
  std::string version_;
};

// A tiny web root like web/dist (static_files.h), made once per process in a temporary directory.
inline const std::filesystem::path& fixture_web_root() {
  static const std::filesystem::path* root = [] {
    namespace fs = std::filesystem;
    auto* dir = new fs::path(fs::temp_directory_path() / ("pdex_web_root_" + std::to_string(::getpid())));
    fs::remove_all(*dir);
    for (const char* sub : {"assets", "docs", "redoc"}) fs::create_directories(*dir / sub);
    auto write = [&](const std::string& rel, const std::string& text) {
      std::ofstream(*dir / rel, std::ios::binary) << text;
    };
    write("index.html",
          "<!doctype html><title>PredictionDex</title><script type=module src=/assets/app-3f2a.js></script>");
    write("assets/app-3f2a.js", "console.log('app');");
    write("assets/style-9c1d.css", "body{margin:0}");
    write("favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    write("docs/index.html", "<!doctype html><title>Swagger UI</title><script src=/docs/init.js></script>");
    write("docs/init.js", "window.ui = 1;");
    write("redoc/index.html", "<!doctype html><title>ReDoc</title>");
    return dir;
  }();
  return *root;
}

class TestServer {
 public:
  // `configure` edits the config before the server is built; `setup` runs on the ApiServer before it listens
  // (extra routes or middlewares).
  explicit TestServer(std::function<void(ServiceConfig&)> configure = {}, std::function<void(ApiServer&)> setup = {}) {
    state_ = std::make_shared<ServiceState>();
    state_->config.server.port = 0;
    state_->config.server.threads = 2;
    state_->config.database_url = "";
    // No web app unless a test provides one: web/dist may or may not be built in the checkout.
    state_->config.web_root = "/nonexistent/pdex-test-web-root";
    state_->config.worker_threads = 2;
    if (configure) configure(state_->config);
    state_->dex = test_dex();
    state_->dex_source = "file data/lgpe-dex.json";
    state_->database_check = [this]() -> std::optional<std::string> {
      return db_down_ ? std::optional<std::string>("database down") : std::nullopt;
    };
    state_->config.ready_cache = std::chrono::milliseconds(0);
    api_ = std::make_unique<ApiServer>(state_, nullptr);
    if (setup) setup(*api_);
    api_->listen();
    thread_ = std::thread([this] { api_->run(false); });
  }
  ~TestServer() {
    api_->stop();
    if (thread_.joinable()) thread_.join();
  }
  unsigned short port() const { return api_->port(); }
  ApiServer& api() { return *api_; }
  ServiceState& state() { return *state_; }
  void set_database_down(bool down) { db_down_ = down; }
  // Stops and waits for run() to return.
  void stop_and_join() {
    api_->stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::shared_ptr<ServiceState> state_;
  std::unique_ptr<ApiServer> api_;
  std::thread thread_;
  std::atomic<bool> db_down_{false};
};

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool keep_alive = false;
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

// One connection; requests in sequence (keep-alive) or raw bytes (pipelining).
class Client {
 public:
  explicit Client(unsigned short port) : stream_(ioc_) {
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream_.expires_after(std::chrono::seconds(30));
  }
  void write_raw(const std::string& bytes) { net::write(stream_.socket(), net::buffer(bytes)); }
  // Reads one response; nullopt when the connection closed first.
  std::optional<HttpResult> read(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.skip(head);
    parser.body_limit(64 << 20);
    beast::error_code ec;
    stream_.expires_after(std::chrono::seconds(30));
    http::read(stream_, buffer_, parser, ec);
    if (ec) return std::nullopt;
    const auto& res = parser.get();
    HttpResult out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    out.body = res.body();
    out.keep_alive = res.keep_alive();
    return out;
  }
  std::optional<HttpResult> request(http::verb method, const std::string& target, const std::string& body = "",
                                    const std::map<std::string, std::string>& headers = {},
                                    const std::string& content_type = "application/json") {
    Request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == http::verb::post) {
      if (!content_type.empty() && !headers.count("Content-Type")) req.set(http::field::content_type, content_type);
      req.body() = body;
      req.prepare_payload();
    }
    beast::error_code ec;
    http::write(stream_, req, ec);
    if (ec) return std::nullopt;
    return read(method == http::verb::head);
  }
  // True when the server closed the connection (read gives EOF) within the timeout.
  bool closed_by_peer(std::chrono::milliseconds timeout) {
    stream_.expires_after(timeout);
    char c;
    beast::error_code ec;
    stream_.read_some(net::buffer(&c, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

 private:
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

inline HttpResult call(unsigned short port, http::verb method, const std::string& target, const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {},
                       const std::string& content_type = "application/json") {
  Client c(port);
  auto r = c.request(method, target, body, headers, content_type);
  if (!r) throw std::runtime_error("no response for " + target);
  return *r;
}
inline HttpResult get(unsigned short port, const std::string& target) {
  return call(port, http::verb::get, target);
}
inline HttpResult post(unsigned short port, const std::string& target, const std::string& body) {
  return call(port, http::verb::post, target, body);
}

}  // namespace pdex::service::testing
