#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "dex/dex_json.h"
#include "fuzz_server.h"
#include "service/ml_served_model.h"

namespace pdex::fuzz {

namespace fs = std::filesystem;
using nlohmann::json;

service::ApiServer& api_server(bool with_model) {
  static service::ApiServer* api = [with_model] {
    auto state = std::make_shared<service::ServiceState>();
    state->config.server.port = 0;
    state->config.server.threads = 1;
    state->config.database_url = "";
    state->config.max_odds_n = 2000;
    state->config.ready_cache = std::chrono::milliseconds(0);
    state->config.openapi_file = source_dir() / "docs/openapi.json";
    state->dex = std::make_shared<const dex::Dex>(dex::load_dex_json(source_dir() / "data/lgpe-dex.json"));
    state->dex_source = "file data/lgpe-dex.json";
    state->database_check = []() -> std::optional<std::string> { return std::nullopt; };
    if (with_model) {
      const fs::path dir = temp_dir("served_bundle");
      write_tiny_bundle(dir);
      state->models.set(std::make_shared<service::MlServedModel>(ml::Predictor::load(dir)));
      fs::remove_all(dir);
    }
    return new service::ApiServer(state, nullptr);
  }();
  return *api;
}

service::Response handle_or_abort(service::Request& request) {
  service::ApiServer& api = api_server(false);
  service::PeerInfo peer{"127.0.0.1"};
  service::Response res = api.handle(request, peer);
  const unsigned status = res.result_int();
  auto fail = [&](const char* why) {
    std::fprintf(stderr, "pdex fuzz: %s: %s %s -> %u\n%s\n", why, std::string(request.method_string()).c_str(),
                 std::string(request.target()).c_str(), status, res.body().c_str());
    std::abort();
  };
  if (status >= 500 && status != 503) fail("server error");
  if (res.find("X-Content-Type-Options") == res.end() || res.find("Content-Security-Policy") == res.end()) {
    fail("security headers missing");
  }
  const auto type = res.find(service::http::field::content_type);
  if (type != res.end() && type->value().find("json") != std::string_view::npos && !json::accept(res.body())) {
    fail("answer is not valid JSON");
  }
  return res;
}

}  // namespace pdex::fuzz
