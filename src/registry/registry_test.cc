// The registry end to end on tiny real models: artifacts, registration, promotion refused by a named gate
// or by champion/challenger, rollback; on SQLite and (with PDEX_TEST_PG_URL) PostgreSQL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ml/bundle.h"
#include "ml/dataset.h"
#include "ml/trainer.h"
#include "registry/artifact_store.h"
#include "registry/promotion.h"
#include "registry/registration.h"
#include "store/migrations.h"
#include "store/store_test_support.h"

namespace pdex::registry {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using store::testing::StoreTest;

const dex::Dex& test_dex() {
  static const dex::Dex* d = new dex::Dex(dex::load_dex_json(store::testing::source_dir() / "data/lgpe-dex.json"));
  return *d;
}

fs::path scratch() {
  static const fs::path p = [] {
    const fs::path dir = fs::temp_directory_path() / ("pdex_registry_test_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(fs::temp_directory_path(ec) / ("pdex_registry_test_" + std::to_string(::getpid())), ec);
    });
    return dir;
  }();
  return p;
}

// A small dataset written where promotion looks for it: <datasets>/<hash16>.
const ml::Dataset& dataset() {
  static ml::Dataset* ds = [] {
    ml::DatasetConfig c;
    c.seed = 11;
    c.configs = {150, 120, 150};
    c.mc_n = 40;
    c.chunk_size = 32;
    auto* d = new ml::Dataset(ml::build_dataset(test_dex(), c, 2));
    const std::string hash = ml::dataset_content_hash(*d);
    ml::write_dataset(*d, scratch() / "datasets" / hash.substr(0, 16));
    return d;
  }();
  return *ds;
}

// rounds 1, depth 1: a stump, clearly worse than 30 rounds of depth 3.
fs::path bundle(const std::string& name, int rounds, int depth) {
  const fs::path dir = scratch() / "bundles" / name;
  if (fs::exists(dir / "bundle.json")) return dir;
  const ml::ModelConfig config = ml::ModelConfig::from_json(json{
      {"kind", "gbtree"},
      {"label", "winner"},
      {"xgboost", {{"num_boost_round", rounds}, {"max_depth", depth}, {"eta", 0.3}, {"seed", 3}, {"nthread", 1}}}});
  ml::TrainResult r = ml::train_model(dataset(), config, false);
  const ml::TrainingRows rows = ml::select_rows(dataset(), ml::Split::Train);
  const std::vector<float> preds = r.booster.predict_batch(rows.dense());
  json meta = {{"name", name},
               {"kind", "gbtree"},
               {"reference", ml::make_reference(rows.dense(), preds, 50)},
               {"metrics", json::object()},
               {"lineage",
                {{"dataset_sha256", dataset().content_sha256},
                 {"seed", 3},
                 {"code_version", "test"},
                 {"xgboost_params", {{"num_boost_round", rounds}, {"max_depth", depth}}}}}};
  ml::write_bundle(dir, r.booster, meta);
  return dir;
}

TEST(ArtifactStore, ContentAddressedAndVerified) {
  const fs::path src = bundle("good", 30, 3);
  const fs::path root = scratch() / "artifacts-a";
  const StoredArtifact a = store_bundle(src, root);
  EXPECT_TRUE(a.copied);
  EXPECT_EQ(a.sha256, bundle_digest(src));
  EXPECT_EQ(a.path, fs::absolute(root) / "sha256" / a.sha256.substr(0, 2) / a.sha256);
  EXPECT_FALSE(store_bundle(src, root).copied);
  std::ofstream(a.path / "bundle.json", std::ios::app) << " ";
  EXPECT_THROW(verify_artifact(a.path, a.sha256), ArtifactError);
  EXPECT_THROW(store_bundle(src, root), ArtifactError);  // the stored copy was tampered with
  EXPECT_THROW(bundle_digest(scratch() / "nope"), ArtifactError);
}

TEST(PromotionPolicy, ReadsGatesAndMarginsAndNamesBadFields) {
  const auto p = PromotionPolicy::from_json(
      json{{"gates", {{"max_ece", 0.1}}}, {"champion_challenger", {{"max_accuracy_drop", 0.01}}}});
  EXPECT_EQ(p.gates.max_ece.value_or(0), 0.1);
  EXPECT_EQ(p.max_accuracy_drop, 0.01);
  EXPECT_EQ(p.max_log_loss_increase, 0.0);
  try {
    PromotionPolicy::from_json(json{{"champion_challenger", {{"max_accuracy_drop", -1}}}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("champion_challenger.max_accuracy_drop"), std::string::npos);
  }
  EXPECT_THROW(PromotionPolicy::from_json(json{{"champion_challenger", {{"margin", 1}}}}), std::invalid_argument);
  // The repository's own configuration is valid.
  std::ifstream f(store::testing::source_dir() / "configs/gates.json");
  EXPECT_NO_THROW(PromotionPolicy::from_json(json::parse(f)));
}

class PromotionTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    store::migrate(sql());
  }

  int register_bundle_as(const fs::path& dir) {
    store::RegistryRepository repo(sql());
    RegisterRequest r;
    r.bundle_dir = dir;
    r.artifacts_root = scratch() / "artifacts";
    r.stage = "candidate";
    r.actor = "tester";
    r.reason = "test";
    return register_bundle(repo, r).version.version;
  }
};

TEST_P(PromotionTest, AWorseChallengerIsRefusedNamingTheCheckAndRollbackRestores) {
  store::RegistryRepository repo(sql());
  const int good = register_bundle_as(bundle("good", 30, 3));
  const int stump = register_bundle_as(bundle("stump", 1, 1));
  const int good2 = register_bundle_as(bundle("good2", 25, 3));
  EXPECT_EQ(register_bundle_as(bundle("good", 30, 3)), good);  // same artifact: same version
  const auto v = repo.find_version(store::kDefaultModelName, good);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->dataset_sha256, dataset().content_sha256);
  EXPECT_EQ(v->params["max_depth"], 3);
  EXPECT_EQ(v->seed.value_or(0), 3);
  EXPECT_TRUE(fs::is_directory(v->artifact_path));

  PromotionPolicy policy;  // no gates, zero margins
  const fs::path datasets = scratch() / "datasets";
  auto first = promote_if_allowed(repo, store::kDefaultModelName, good, "alice", "first model", datasets, policy);
  ASSERT_TRUE(first.promoted) << first.report.to_json().dump();
  EXPECT_FALSE(first.report.champion_version);

  auto refused = promote_if_allowed(repo, store::kDefaultModelName, stump, "bob", "try the stump", datasets, policy);
  EXPECT_FALSE(refused.promoted);
  EXPECT_FALSE(refused.report.allowed());
  EXPECT_EQ(refused.report.champion_version.value_or(0), good);
  EXPECT_NE(refused.report.failed_checks().find("champion_challenger:"), std::string::npos)
      << refused.report.to_json().dump();
  EXPECT_EQ(repo.production(store::kDefaultModelName)->version, good);

  // A quality gate that the stump fails is named too.
  PromotionPolicy strict;
  strict.gates.min_accuracy = 0.99;
  auto gated = promote_if_allowed(repo, store::kDefaultModelName, stump, "bob", "gated", datasets, strict);
  EXPECT_NE(gated.report.failed_checks().find("gate:min_accuracy"), std::string::npos);

  // A generous margin lets a comparable model through; then rollback restores the first.
  policy.max_accuracy_drop = 0.05;
  policy.max_log_loss_increase = 0.05;
  auto second = promote_if_allowed(repo, store::kDefaultModelName, good2, "carol", "retrained", datasets, policy);
  ASSERT_TRUE(second.promoted) << second.report.to_json().dump();
  EXPECT_EQ(repo.production(store::kDefaultModelName)->version, good2);
  const auto history = repo.history(store::kDefaultModelName);
  EXPECT_EQ(history.back().action, "promote");
  EXPECT_EQ(history.back().details["champion_version"], good);
  EXPECT_EQ(repo.rollback(store::kDefaultModelName, "dave", "incident").version, good);
  EXPECT_EQ(repo.production(store::kDefaultModelName)->version, good);
}

TEST_P(PromotionTest, AMissingDatasetOrAlteredArtifactIsAnErrorNotAPromotion) {
  store::RegistryRepository repo(sql());
  const int good = register_bundle_as(bundle("good", 30, 3));
  EXPECT_THROW(promote_if_allowed(repo, store::kDefaultModelName, good, "a", "r", scratch() / "elsewhere", {}),
               PromotionError);
  EXPECT_FALSE(repo.production(store::kDefaultModelName));
}

PDEX_INSTANTIATE_STORE_TEST(PromotionTest);

}  // namespace
}  // namespace pdex::registry
