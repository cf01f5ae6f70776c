// The model pipeline on the real Dex at small sizes: split leakage, determinism, feature parity,
// dataset checks on deliberately broken data, gates, byte-identical training, bundle refusals.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "common/sha256.h"
#include "dex/dex_json.h"
#include "ml/bundle.h"
#include "ml/dataset.h"
#include "ml/dataset_check.h"
#include "ml/features.h"
#include "ml/gates.h"
#include "ml/predictor.h"
#include "ml/trainer.h"

namespace pdex::ml {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const dex::Dex& test_dex() {
  static const dex::Dex* d = [] {
    const char* root = std::getenv("PDEX_SOURCE_DIR");
    const fs::path base = root ? root : ".";
    return new dex::Dex(dex::load_dex_json(base / "data/lgpe-dex.json"));
  }();
  return *d;
}

DatasetConfig small_config(std::uint64_t seed = 5) {
  DatasetConfig c;
  c.seed = seed;
  c.configs = {120, 100, 120};
  c.mc_n = 40;
  c.chunk_size = 32;
  return c;
}

const Dataset& small_dataset() {
  static const Dataset* ds = new Dataset(build_dataset(test_dex(), small_config(), 2));
  return *ds;
}

fs::path temp_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("pdex_ml_test_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

CheckResult find_check(const std::vector<CheckResult>& results, const std::string& name) {
  for (const CheckResult& r : results) {
    if (r.name == name) return r;
  }
  throw std::runtime_error("no check " + name);
}

TEST(Dataset, PassesEveryCheck) {
  const auto results = check_dataset(small_dataset());
  for (const CheckResult& r : results) EXPECT_TRUE(r.passed) << r.name << ": " << r.detail;
  EXPECT_EQ(small_dataset().rows.size(), 2u * 340u);
}

TEST(Dataset, NoSpeciesPairInTwoSplits) {
  std::map<std::pair<int, int>, std::set<Split>> splits;
  for (const DatasetRow& r : small_dataset().rows) {
    splits[{std::min(r.species[0], r.species[1]), std::max(r.species[0], r.species[1])}].insert(r.split);
  }
  std::set<Split> seen;
  for (const auto& [pair, s] : splits) {
    EXPECT_EQ(s.size(), 1u) << pair.first << " vs " << pair.second;
    seen.insert(s.begin(), s.end());
  }
  EXPECT_EQ(seen.size(), 3u);  // all three splits are used
}

TEST(Dataset, SameSeedSameHashWhateverTheThreads) {
  const Dataset one = build_dataset(test_dex(), small_config(), 1);
  EXPECT_EQ(dataset_content_hash(one), dataset_content_hash(small_dataset()));
  const Dataset other = build_dataset(test_dex(), small_config(6), 2);
  EXPECT_NE(dataset_content_hash(other), dataset_content_hash(small_dataset()));
}

TEST(Dataset, WriteReadRoundTripAndTamperDetection) {
  Dataset ds = small_dataset();
  const fs::path dir = temp_dir("roundtrip");
  const std::string hash = write_dataset(ds, dir);
  const Dataset back = read_dataset(dir);
  EXPECT_EQ(back.content_sha256, hash);
  ASSERT_EQ(back.rows.size(), ds.rows.size());
  EXPECT_EQ(back.features, ds.features);
  EXPECT_EQ(back.rows[3].moves[0], ds.rows[3].moves[0]);
  EXPECT_EQ(back.rows[3].p1_win, ds.rows[3].p1_win);
  // A changed byte is caught by the content hash; an emptied field names its line and column.
  std::string csv;
  {
    std::ifstream f(dir / "rows.csv");
    csv.assign(std::istreambuf_iterator<char>(f), {});
  }
  const std::size_t line2 = csv.find('\n') + 1;
  const std::size_t comma = csv.find(',', line2);
  std::string broken = csv;
  broken.erase(line2, comma - line2);  // config_index of the first data line now empty
  std::ofstream(dir / "rows.csv", std::ios::trunc) << broken;
  try {
    read_dataset(dir);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2: config_index: missing value"), std::string::npos) << e.what();
  }
  std::string tampered = csv;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == '1' ? '2' : '1';
  std::ofstream(dir / "rows.csv", std::ios::trunc) << tampered;
  EXPECT_THROW(read_dataset(dir), std::runtime_error);
  fs::remove_all(dir);
}

TEST(Features, DatasetRowsRecomputeToTheStoredFeatures) {
  const Dataset& ds = small_dataset();
  for (std::size_t r = 0; r < ds.rows.size(); ++r) {
    const auto config = row_battle_config(test_dex(), ds.rows[r], ds.config.turn_limit);
    const std::vector<float> f = compute_features(test_dex(), config);
    const auto stored = ds.row_features(r);
    ASSERT_EQ(f.size(), stored.size());
    for (std::size_t i = 0; i < f.size(); ++i) {
      ASSERT_EQ(f[i], stored[i]) << "row " << r << " feature " << feature_spec().names[i];
    }
  }
}

TEST(Features, MirroringTheBattleMirrorsTheFeatures) {
  const Dataset& ds = small_dataset();
  for (std::size_t r = 0; r + 1 < ds.rows.size(); r += 2) {
    ASSERT_FALSE(ds.rows[r].mirror);
    ASSERT_TRUE(ds.rows[r + 1].mirror);
    const std::vector<float> m = mirror_features(ds.row_features(r));
    const auto stored = ds.row_features(r + 1);
    for (std::size_t i = 0; i < m.size(); ++i) ASSERT_EQ(m[i], stored[i]) << feature_spec().names[i];
  }
}

TEST(Features, SpecHasNoIdsAndAStableHash) {
  const FeatureSpec& spec = feature_spec();
  EXPECT_EQ(spec.hash.size(), 64u);
  std::set<std::string> names(spec.names.begin(), spec.names.end());
  EXPECT_EQ(names.size(), spec.size());
  for (const std::string& n : spec.names) EXPECT_EQ(n.find("_id"), std::string::npos) << n;
}

// --- dataset checks on deliberately broken data ---

TEST(DatasetCheck, NonFiniteFeature) {
  Dataset ds = small_dataset();
  ds.features[7 * ds.feature_count + 3] = NAN;
  const CheckResult c = find_check(check_dataset(ds), "finite");
  EXPECT_FALSE(c.passed);
  EXPECT_NE(c.detail.find("row 7"), std::string::npos) << c.detail;
}

TEST(DatasetCheck, NonFiniteProbability) {
  Dataset ds = small_dataset();
  ds.rows[4].p2_win = INFINITY;
  EXPECT_FALSE(find_check(check_dataset(ds), "finite").passed);
}

TEST(DatasetCheck, OutOfRangeValues) {
  Dataset ds = small_dataset();
  ds.rows[2].level[1] = 0;
  const CheckResult c = find_check(check_dataset(ds), "ranges");
  EXPECT_FALSE(c.passed);
  EXPECT_NE(c.detail.find("p2_level"), std::string::npos) << c.detail;
  Dataset ds2 = small_dataset();
  ds2.rows[9].p1_win += 0.2;  // probabilities no longer sum to 1
  EXPECT_FALSE(find_check(check_dataset(ds2), "ranges").passed);
  Dataset ds3 = small_dataset();
  ds3.rows[9].winner = 3;
  EXPECT_FALSE(find_check(check_dataset(ds3), "ranges").passed);
}

TEST(DatasetCheck, ClassImbalance) {
  Dataset ds = small_dataset();
  for (DatasetRow& r : ds.rows) {
    if (r.mirror && r.winner == 2) r.winner = 1;  // mirrors no longer balance the originals
  }
  const CheckResult c = find_check(check_dataset(ds), "class_balance");
  EXPECT_FALSE(c.passed) << c.detail;
}

TEST(DatasetCheck, Duplicates) {
  Dataset ds = small_dataset();
  for (std::size_t r = 0; r < ds.rows.size(); ++r) {
    if (r % 4 == 2) {  // every second configuration copies the previous one
      ds.rows[r] = ds.rows[r - 2];
      ds.rows[r + 1] = ds.rows[r - 1];
    }
  }
  const CheckResult c = find_check(check_dataset(ds), "duplicates");
  EXPECT_FALSE(c.passed) << c.detail;
  EXPECT_GT(c.value, 0.4);
}

TEST(DatasetCheck, SplitLeakage) {
  Dataset ds = small_dataset();
  ds.rows[11].split = ds.rows[11].split == Split::Test ? Split::Train : Split::Test;
  const CheckResult c = find_check(check_dataset(ds), "split_leakage");
  EXPECT_FALSE(c.passed);
  EXPECT_NE(c.detail.find("species pair"), std::string::npos) << c.detail;
}

TEST(DatasetCheck, ForeignFeatureSpec) {
  Dataset ds = small_dataset();
  ds.feature_spec_hash = std::string(64, '0');
  EXPECT_FALSE(find_check(check_dataset(ds), "feature_spec").passed);
}

// --- gates ---

TEST(Gates, PassAndFail) {
  const json report = {{"test",
                        {{"gap_to_bayes_ceiling", 0.015},
                         {"expected_calibration_error", 0.05},
                         {"mean_abs_prob_error", 0.03},
                         {"metrics", {{"accuracy", 0.9}, {"roc_auc", 0.95}, {"log_loss", 0.2}}}}}};
  const GateConfig g = GateConfig::from_json(json{{"gates", {{"max_gap_to_bayes_ceiling", 0.02}, {"max_ece", 0.03}}}});
  const auto results = check_gates(report, g);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].passed);
  EXPECT_FALSE(results[1].passed);
  EXPECT_FALSE(gates_passed(results));
  EXPECT_TRUE(
      gates_passed(check_gates(report, GateConfig::from_json(json{{"min_accuracy", 0.85}, {"min_roc_auc", 0.9}}))));
  EXPECT_THROW(GateConfig::from_json(json{{"max_eec", 0.1}}), std::invalid_argument);
  EXPECT_THROW(check_gates(json{{"test", json::object()}}, g), std::invalid_argument);
}

// --- training and bundles ---

ModelConfig tiny_model() {
  return ModelConfig::from_json(json{
      {"kind", "gbtree"},
      {"label", "winner"},
      {"xgboost",
       {{"num_boost_round", 15}, {"max_depth", 3}, {"eta", 0.3}, {"subsample", 0.8}, {"seed", 3}, {"nthread", 1}}}});
}

TEST(Trainer, SameDataConfigAndSeedGiveAByteIdenticalModel) {
  const std::string a = train_model(small_dataset(), tiny_model(), false).booster.save_json_buffer();
  const std::string b = train_model(small_dataset(), tiny_model(), false).booster.save_json_buffer();
  EXPECT_EQ(a, b);
  ModelConfig soft = tiny_model();
  soft.label = LabelKind::Probability;
  EXPECT_NE(train_model(small_dataset(), soft, false).booster.save_json_buffer(), a);
  const ModelConfig rf = ModelConfig::from_json(json{{"kind", "random_forest"},
                                                     {"random_forest", {{"num_trees", 5}, {"max_depth", 4}}},
                                                     {"xgboost", {{"seed", 3}, {"nthread", 1}}}});
  EXPECT_EQ(train_model(small_dataset(), rf, false).booster.boosted_rounds(), 1);
}

TEST(Trainer, RefusesAForeignFeatureSpec) {
  Dataset ds = small_dataset();
  ds.feature_spec_hash = "x";
  EXPECT_THROW(train_model(ds, tiny_model(), false), std::invalid_argument);
}

fs::path write_test_bundle(const std::string& name) {
  const fs::path dir = temp_dir(name);
  TrainResult r = train_model(small_dataset(), tiny_model(), false);
  const TrainingRows valid = select_rows(small_dataset(), Split::Train);
  const std::vector<float> preds = r.booster.predict_batch(valid.dense());
  json meta = {{"name", "t"},
               {"kind", "gbtree"},
               {"reference", make_reference(valid.dense(), preds, 50)},
               {"metrics", json::object()},
               {"lineage", {{"dataset_sha256", "d"}, {"seed", 3}, {"code_version", "test"}}}};
  write_bundle(dir, r.booster, meta);
  return dir;
}

void expect_refusal(const fs::path& dir, const std::string& needle) {
  try {
    Predictor::load(dir);
    FAIL() << "expected BundleError containing '" << needle << "'";
  } catch (const BundleError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(Bundle, LoadsAndPredictsSymmetrically) {
  const fs::path dir = write_test_bundle("ok");
  const Predictor p = Predictor::load(dir);
  EXPECT_LE(p.evaluator_max_diff(), 1e-5);
  const auto& row = small_dataset().rows[0];
  const auto config = row_battle_config(test_dex(), row, 500);
  const double a = p.predict(test_dex(), config);
  const double b = p.predict(test_dex(), mirror_config(config));
  EXPECT_GE(a, 0);
  EXPECT_LE(a, 1);
  EXPECT_NEAR(a + b, 1.0, 1e-6);
  fs::remove_all(dir);
}

TEST(Bundle, RefusesAnotherFeatureHash) {
  const fs::path dir = write_test_bundle("hash");
  json meta = json::parse(std::ifstream(dir / "bundle.json"));
  meta["feature_spec"]["hash"] = std::string(64, 'a');
  rewrite_bundle_meta(dir, meta);
  expect_refusal(dir, "differs from this code's feature spec");
  fs::remove_all(dir);
}

TEST(Bundle, RefusesATruncatedModelFile) {
  const fs::path dir = write_test_bundle("trunc");
  const auto size = fs::file_size(dir / "model.json");
  fs::resize_file(dir / "model.json", size / 2);
  expect_refusal(dir, "truncated or modified");
  // Even with a matching recorded hash, the model loader refuses the half file.
  json meta = json::parse(std::ifstream(dir / "bundle.json"));
  std::ifstream f(dir / "model.json", std::ios::binary);
  const std::string half((std::istreambuf_iterator<char>(f)), {});
  meta["model_sha256"] = sha256_hex(half);
  rewrite_bundle_meta(dir, meta);
  expect_refusal(dir, "cannot load the model");
  fs::remove_all(dir);
}

TEST(Bundle, RefusesAMissingFieldAndATruncatedBundleJson) {
  const fs::path dir = write_test_bundle("missing");
  json meta = json::parse(std::ifstream(dir / "bundle.json"));
  meta["reference"].erase("sample");
  rewrite_bundle_meta(dir, meta);
  expect_refusal(dir, "missing field reference.sample");
  const std::string text = meta.dump();
  std::ofstream(dir / "bundle.json", std::ios::trunc) << text.substr(0, text.size() / 3);
  expect_refusal(dir, "malformed JSON");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pdex::ml
