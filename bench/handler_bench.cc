// In-process cost of answering a request, without sockets: ApiServer::handle (the whole middleware chain,
// router and handler) for GET /health and POST /api/v1/predict/battle, and the predict handler's parts on
// their own, so a throughput gap between the two routes in bench/http_bench.sh can be attributed.
//   handler_bench MODEL_DIR [benchmark flags]     (Release build, from the repo root)
// BM_Handle/health and BM_Handle/predict_battle print the handler cost per request; the counter
// "x_health" of predict_battle is its CPU time as a multiple of /health's in the same run.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>

#include "dex/dex_json.h"
#include "ml/features.h"
#include "ml/move_scoring.h"
#include "service/api_server.h"
#include "service/battle_request.h"
#include "service/json_body.h"
#include "service/ml_served_model.h"
#include "service/prediction_response.h"

namespace {

using namespace pdex;
using service::Request;

const char* g_model_dir = nullptr;
double g_health_ns = 0;

const char kBody[] = R"({"pokemon_1_id": 25, "pokemon_2_id": 6, "level_1": 50, "level_2": 50})";

struct Fixture {
  std::shared_ptr<service::ServiceState> state = std::make_shared<service::ServiceState>();
  std::unique_ptr<service::ApiServer> api;
  Fixture() {
    state->config.server.port = 0;
    state->config.database_url = "";
    state->config.web_root = "/nonexistent";
    state->config.worker_threads = 1;
    state->dex = std::make_shared<const dex::Dex>(dex::load_dex_json("data/lgpe-dex.json"));
    state->models.set(service::load_ml_served_model(g_model_dir, *state->dex));
    api = std::make_unique<service::ApiServer>(state, nullptr);
  }
};

Fixture& fixture() {
  static Fixture* f = new Fixture;  // never destroyed: benchmarks end with exit()
  return *f;
}

Request make_request(service::http::verb verb, const char* target, std::string body) {
  Request req{verb, target, 11};
  req.set(service::http::field::host, "127.0.0.1");
  if (!body.empty()) {
    req.set(service::http::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
  }
  return req;
}

void run_handle(benchmark::State& st, service::http::verb verb, const char* target, const char* body) {
  Fixture& f = fixture();
  const service::PeerInfo peer{"127.0.0.1"};
  for (auto _ : st) {
    Request req = make_request(verb, target, body);
    auto res = f.api->handle(req, peer);
    if (res.result_int() != 200) st.SkipWithError(("status " + std::to_string(res.result_int())).c_str());
    benchmark::DoNotOptimize(res);
  }
}

void BM_Handle_Health(benchmark::State& st) {
  run_handle(st, service::http::verb::get, "/health", "");
}
BENCHMARK(BM_Handle_Health)->Name("BM_Handle/health");

void BM_Handle_PredictBattle(benchmark::State& st) {
  run_handle(st, service::http::verb::post, "/api/v1/predict/battle", kBody);
}
BENCHMARK(BM_Handle_PredictBattle)->Name("BM_Handle/predict_battle");

void BM_Handle_Pokemon(benchmark::State& st) {
  run_handle(st, service::http::verb::get, "/api/v1/pokemon/25", "");
}
BENCHMARK(BM_Handle_Pokemon)->Name("BM_Handle/pokemon_25");

// The handler's parts.
void BM_Part_ParseAndValidate(benchmark::State& st) {
  Fixture& f = fixture();
  for (auto _ : st) {
    const auto body = nlohmann::json::parse(kBody);
    service::ObjectReader r(body);
    auto parsed = service::read_battle_request(*f.state->dex, r, service::MovesWhenAbsent::Recommended);
    benchmark::DoNotOptimize(parsed);
  }
}
BENCHMARK(BM_Part_ParseAndValidate);

const service::BattleRequest& sample_request() {
  static const service::BattleRequest req = [] {
    const auto body = nlohmann::json::parse(kBody);
    service::ObjectReader r(body);
    auto parsed = service::read_battle_request(*fixture().state->dex, r, service::MovesWhenAbsent::Recommended);
    return std::get<service::BattleRequest>(parsed);
  }();
  return req;
}

void BM_Part_RecommendedMove(benchmark::State& st) {
  const dex::Dex& dex = *fixture().state->dex;
  const auto& cfg = sample_request().config;
  const ml::Combatant a = ml::make_combatant(*cfg.side[0].species, cfg.side[0].spread);
  const ml::Combatant b = ml::make_combatant(*cfg.side[1].species, cfg.side[1].spread);
  for (auto _ : st) benchmark::DoNotOptimize(ml::recommended_move(dex, a, b));
}
BENCHMARK(BM_Part_RecommendedMove);

void BM_Part_FeaturesAndModel(benchmark::State& st) {
  Fixture& f = fixture();
  const auto model = f.state->models.current();
  std::vector<float> features;
  for (auto _ : st) {
    benchmark::DoNotOptimize(model->predict_p1_win_with_features(*f.state->dex, sample_request().config, features));
  }
}
BENCHMARK(BM_Part_FeaturesAndModel);

// The answer's text as the handler writes it (json_writer.h), and the prediction log's outputs.
void BM_Part_ResponseJson(benchmark::State& st) {
  for (auto _ : st) {
    benchmark::DoNotOptimize(service::battle_prediction_text(sample_request(), 0.25, "battle_winner_model/1",
                                                             "0ef0c5342d0cb4a20a12ceb82c6fbacd"));
  }
}
BENCHMARK(BM_Part_ResponseJson);

void BM_Part_LogOutputs(benchmark::State& st) {
  for (auto _ : st) {
    benchmark::DoNotOptimize(
        service::battle_prediction_log_outputs(sample_request(), 0.25, "0ef0c5342d0cb4a20a12ceb82c6fbacd"));
  }
}
BENCHMARK(BM_Part_LogOutputs);

// Prints each predict figure as a multiple of /health's.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    std::vector<Run> copy = runs;
    for (Run& r : copy) {
      const double ns = r.GetAdjustedCPUTime();  // CPU: wall time also counts other processes' load
      if (r.benchmark_name() == "BM_Handle/health") g_health_ns = ns;
      if (g_health_ns > 0 && r.benchmark_name() != "BM_Handle/health") r.counters["x_health"] = ns / g_health_ns;
    }
    ConsoleReporter::ReportRuns(copy);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: %s MODEL_DIR [benchmark flags]\n", argv[0]);
    return 2;
  }
  g_model_dir = argv[1];
  for (int i = 1; i + 1 < argc; ++i) argv[i] = argv[i + 1];
  --argc;
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  return 0;
}
