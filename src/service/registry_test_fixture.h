// Test-only: a real model registry for server tests. Once per process, a tiny dataset (written where
// promotion looks for it) and three tiny bundles are built; each make_registry_fixture() call then creates
// a fresh SQLite registry holding battle_winner_model
//   v1 "good" (20 rounds, depth 3)       archived: replaced by v2
//   v2 "good2" (20 rounds, seed 4)       production, replaced v1 (so a rollback restores v1)
//   v3 "stump" (1 round, depth 1)        candidate: worse than both
// with strict (zero-margin) and loose gates files beside it.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "dex/dex_json.h"
#include "ml/bundle.h"
#include "ml/dataset.h"
#include "ml/trainer.h"
#include "registry/registration.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/registry_repository.h"

namespace pdex::service::testing {

struct RegistryFixture {
  std::string database_url;
  std::filesystem::path data_dir;      // holds datasets/<hash16>
  std::filesystem::path strict_gates;  // zero champion/challenger margins
  std::filesystem::path loose_gates;   // any challenger passes
};

inline const std::filesystem::path& registry_fixture_root() {
  static const std::filesystem::path root = [] {
    const auto dir = std::filesystem::temp_directory_path() / ("pdex-registry-fixture-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(
          std::filesystem::temp_directory_path(ec) / ("pdex-registry-fixture-" + std::to_string(::getpid())), ec);
    });
    return dir;
  }();
  return root;
}

inline const ml::Dataset& registry_fixture_dataset() {
  static const ml::Dataset* ds = [] {
    static const dex::Dex dex(dex::load_dex_json("data/lgpe-dex.json"));
    ml::DatasetConfig c;
    c.seed = 11;
    c.configs = {150, 120, 150};
    c.mc_n = 40;
    c.chunk_size = 32;
    auto* d = new ml::Dataset(ml::build_dataset(dex, c, 2));
    const std::string hash = ml::dataset_content_hash(*d);
    ml::write_dataset(*d, registry_fixture_root() / "var" / "datasets" / hash.substr(0, 16));
    return d;
  }();
  return *ds;
}

inline std::filesystem::path registry_fixture_bundle(const std::string& name, int rounds, int depth, int seed) {
  using nlohmann::json;
  const auto dir = registry_fixture_root() / "bundles" / name;
  if (std::filesystem::exists(dir / "bundle.json")) return dir;
  const ml::Dataset& ds = registry_fixture_dataset();
  const auto config = ml::ModelConfig::from_json(json{
      {"kind", "gbtree"},
      {"label", "winner"},
      {"xgboost", {{"num_boost_round", rounds}, {"max_depth", depth}, {"eta", 0.3}, {"seed", seed}, {"nthread", 1}}}});
  ml::TrainResult r = ml::train_model(ds, config, false);
  const ml::TrainingRows rows = ml::select_rows(ds, ml::Split::Train);
  const std::vector<float> preds = r.booster.predict_batch(rows.dense());
  ml::write_bundle(dir, r.booster,
                   {{"name", name},
                    {"kind", "gbtree"},
                    {"reference", ml::make_reference(rows.dense(), preds, 50)},
                    {"metrics", json::object()},
                    {"lineage", {{"dataset_sha256", ds.content_sha256}, {"seed", seed}, {"code_version", "test"}}}});
  return dir;
}

inline RegistryFixture make_registry_fixture() {
  static std::atomic<int> counter{0};
  RegistryFixture f;
  const auto root = registry_fixture_root();
  const std::string n = std::to_string(counter++);
  f.database_url = "sqlite://" + (root / ("registry-" + n + ".sqlite")).string();
  f.data_dir = root / "var";
  f.strict_gates = root / "strict-gates.json";
  f.loose_gates = root / "loose-gates.json";
  std::ofstream(f.strict_gates)
      << R"({"gates": {}, "champion_challenger": {"max_accuracy_drop": 0, "max_log_loss_increase": 0}})";
  std::ofstream(f.loose_gates)
      << R"({"gates": {}, "champion_challenger": {"max_accuracy_drop": 1, "max_log_loss_increase": 100}})";
  const auto good = registry_fixture_bundle("good", 20, 3, 3);
  const auto good2 = registry_fixture_bundle("good2", 20, 3, 4);
  const auto stump = registry_fixture_bundle("stump", 1, 1, 3);
  store::Database db(f.database_url);
  store::migrate(db.session());
  store::RegistryRepository repo(db.session());
  for (const auto& bundle : {good, good2, stump}) {
    registry::RegisterRequest r;
    r.bundle_dir = bundle;
    r.artifacts_root = root / "artifacts";
    r.stage = "candidate";
    r.actor = "fixture";
    r.reason = "test fixture";
    registry::register_bundle(repo, r);
  }
  repo.promote(store::kDefaultModelName, 1, "fixture", "first");
  repo.promote(store::kDefaultModelName, 2, "fixture", "second");
  return f;
}

}  // namespace pdex::service::testing
