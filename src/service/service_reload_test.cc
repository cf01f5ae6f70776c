// Hot model reload under load: client threads hammer POST /api/v1/predict/battle over keep-alive connections
// while the model is swapped again and again through reload_model (what SIGHUP runs), alternating two real
// bundles and a corrupt one that must be refused. Zero failed requests; the served version changes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "ml/bundle.h"
#include "ml/dataset.h"
#include "ml/trainer.h"
#include "service/ml_served_model.h"
#include "service/model_reloader.h"
#include "service/service_test_support.h"

namespace pdex::service::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path temp_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("pdex_reload_test_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

// A real bundle from a small dataset and a few boosting rounds; `seed` makes the models (and versions) differ.
fs::path make_bundle(const std::string& name, const ml::Dataset& ds, int seed, int rounds) {
  const ml::ModelConfig mc = ml::ModelConfig::from_json(json{{"kind", "gbtree"},
                                                             {"label", "winner"},
                                                             {"xgboost",
                                                              {{"num_boost_round", rounds},
                                                               {"max_depth", 3},
                                                               {"eta", 0.3},
                                                               {"seed", seed},
                                                               {"subsample", 0.8},
                                                               {"nthread", 1}}}});
  ml::TrainResult r = ml::train_model(ds, mc, false);
  const ml::TrainingRows rows = ml::select_rows(ds, ml::Split::Train);
  const std::vector<float> preds = r.booster.predict_batch(rows.dense());
  json meta = {{"name", name},
               {"kind", "gbtree"},
               {"reference", ml::make_reference(rows.dense(), preds, 50)},
               {"metrics", json::object()},
               {"lineage", {{"dataset_sha256", "d"}, {"seed", seed}, {"code_version", "test"}}}};
  const fs::path dir = temp_dir(name);
  ml::write_bundle(dir, r.booster, meta);
  return dir;
}

TEST(HotReload, SwapsUnderLoadWithoutAFailedRequest) {
  install_ml_model_loader();
  ml::DatasetConfig dc;
  dc.seed = 5;
  dc.configs = {60, 40, 40};
  dc.mc_n = 20;
  dc.chunk_size = 32;
  const ml::Dataset ds = ml::build_dataset(*test_dex(), dc, 2);
  const fs::path a = make_bundle("alpha", ds, 1, 8);
  const fs::path b = make_bundle("beta", ds, 2, 12);
  const fs::path bad = temp_dir("bad");
  fs::copy(a, bad, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  std::ofstream(bad / "model.json", std::ios::trunc) << "{\"learner\": ";  // truncated: checksum and parse fail

  TestServer server;
  ServiceState& state = server.state();
  const ReloadOutcome first = reload_model(state, a);
  ASSERT_TRUE(first.ok) << first.error;
  const std::string version_a = first.version;

  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, failed{0};
  std::mutex seen_mutex;
  std::set<std::string> versions_seen;
  std::string first_failure;
  const std::vector<std::string> bodies = {R"({"pokemon_1_id":25,"pokemon_2_id":6})",
                                           R"({"pokemon_1_id":"charizard","pokemon_2_id":"blastoise","level_1":60})",
                                           R"({"pokemon_1_id":150,"pokemon_2_id":149,"pokemon_1_moves":["psychic"]})",
                                           R"({"pokemon_1_id":1,"pokemon_2_id":4})"};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      Client c(server.port());  // one keep-alive connection per client thread
      std::set<std::string> mine;
      for (int i = 0; !done.load() || i < 20; ++i) {
        const auto r = c.request(http::verb::post, "/api/v1/predict/battle",
                                 bodies[static_cast<std::size_t>(i + t) % bodies.size()]);
        if (r && r->status == 200) {
          ++ok;
          mine.insert(r->json()["model_version"].get<std::string>());
        } else {
          ++failed;
          std::lock_guard lock(seen_mutex);
          if (first_failure.empty()) first_failure = r ? std::to_string(r->status) + " " + r->body : "no response";
          if (!r) return;  // the connection is gone
        }
      }
      std::lock_guard lock(seen_mutex);
      versions_seen.insert(mine.begin(), mine.end());
    });
  }

  int good_swaps = 0, refused = 0;
  for (int round = 0; round < 12; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    const ReloadOutcome r = reload_model(state, round % 3 == 2 ? bad : (round % 3 == 0 ? b : a));
    if (round % 3 == 2) {
      EXPECT_FALSE(r.ok);
      EXPECT_NE(r.error.find(bad.string()), std::string::npos) << r.error;
      EXPECT_FALSE(r.kept_version.empty());
      EXPECT_EQ(state.models.current()->version(), r.kept_version);  // the old model keeps serving
      ++refused;
    } else {
      EXPECT_TRUE(r.ok) << r.error;
      good_swaps += r.ok;
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  done = true;
  for (auto& c : clients) c.join();

  EXPECT_EQ(failed.load(), 0) << first_failure;
  EXPECT_GT(ok.load(), 80);
  EXPECT_EQ(good_swaps, 8);
  EXPECT_EQ(refused, 4);
  // Both bundles answered during the run, and nothing else did.
  const std::string version_b = load_model(b, *test_dex())->version();
  EXPECT_NE(version_a, version_b);
  EXPECT_EQ(versions_seen, (std::set<std::string>{version_a, version_b}));
  // The bad bundle never replaced the model; the reload counter saw every attempt.
  const std::string metrics = get(server.port(), "/metrics").body;
  EXPECT_NE(metrics.find("pdex_model_info{version=\"" + state.models.current()->version() + "\"} 1"),
            std::string::npos);

  for (const auto& d : {a, b, bad}) fs::remove_all(d);
}

}  // namespace
}  // namespace pdex::service::testing
