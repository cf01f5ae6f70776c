// The ml::Predictor adapter: a tiny bundle trained here, loaded through the registered model loader and
// served over TCP on 127.0.0.1; bad bundle paths refused with a message naming the path and the reason.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ml/bundle.h"
#include "ml/dataset.h"
#include "ml/features.h"
#include "ml/trainer.h"
#include "service/ml_served_model.h"
#include "service/service_test_support.h"

namespace pdex::service::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path temp_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("pdex_ml_served_test_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

// A small dataset and a 10-round model: seconds, not minutes, and a real bundle on disk.
const fs::path& tiny_bundle() {
  static const fs::path* dir = [] {
    ml::DatasetConfig dc;
    dc.seed = 11;
    dc.configs = {60, 50, 60};
    dc.mc_n = 20;
    dc.chunk_size = 32;
    const ml::Dataset ds = ml::build_dataset(*test_dex(), dc, 2);
    const ml::ModelConfig mc = ml::ModelConfig::from_json(
        json{{"kind", "gbtree"},
             {"label", "winner"},
             {"xgboost", {{"num_boost_round", 10}, {"max_depth", 3}, {"eta", 0.3}, {"seed", 3}, {"nthread", 1}}}});
    ml::TrainResult r = ml::train_model(ds, mc, false);
    const ml::TrainingRows rows = ml::select_rows(ds, ml::Split::Train);
    const std::vector<float> preds = r.booster.predict_batch(rows.dense());
    json meta = {{"name", "tiny"},
                 {"kind", "gbtree"},
                 {"reference", ml::make_reference(rows.dense(), preds, 50)},
                 {"metrics", json::object()},
                 {"lineage", {{"dataset_sha256", "d"}, {"seed", 3}, {"code_version", "test"}}}};
    auto* d = new fs::path(temp_dir("bundle"));
    ml::write_bundle(*d, r.booster, meta);
    return d;
  }();
  return *dir;
}

TEST(MlServedModel, ServesPredictionsWithEveryDesignField) {
  install_ml_model_loader();
  TestServer server;
  EXPECT_EQ(post(server.port(), "/api/v1/predict/battle", R"({"pokemon_1_id": 25, "pokemon_2_id": 6})").status, 503);
  EXPECT_EQ(get(server.port(), "/ready").status, 503);

  auto model = load_model(tiny_bundle(), *test_dex());
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->version().rfind("tiny-", 0), 0u) << model->version();
  server.state().models.set(model);
  EXPECT_EQ(get(server.port(), "/ready").status, 200);

  const HttpResult res =
      post(server.port(), "/api/v1/predict/battle", R"({"pokemon_1_id": 25, "pokemon_2_id": 6, "level_1": 60})");
  ASSERT_EQ(res.status, 200) << res.body;
  const json j = res.json();
  for (const char* field : {"winner", "winner_name", "confidence", "pokemon_1_win_probability",
                            "pokemon_2_win_probability", "model_version", "prediction_id", "pokemon_1", "pokemon_2"}) {
    EXPECT_TRUE(j.contains(field)) << field << " missing in " << res.body;
  }
  const double p1 = j["pokemon_1_win_probability"].get<double>();
  const double p2 = j["pokemon_2_win_probability"].get<double>();
  EXPECT_GE(p1, 0.0);
  EXPECT_LE(p1, 1.0);
  EXPECT_NEAR(p1 + p2, 1.0, 1e-9);
  const int winner = j["winner"].get<int>();
  EXPECT_EQ(winner, p1 >= 0.5 ? 1 : 2);
  EXPECT_NEAR(j["confidence"].get<double>(), winner == 1 ? p1 : p2, 1e-12);
  EXPECT_EQ(j["winner_name"], winner == 1 ? "Pikachu" : "Charizard");
  EXPECT_EQ(j["model_version"], model->version());
  EXPECT_FALSE(j["prediction_id"].get<std::string>().empty());
  EXPECT_FALSE(j["pokemon_1"]["moves"].empty());
  EXPECT_FALSE(j["pokemon_2"]["moves"].empty());

  // Swapping the sides gives the complementary probability (the predictor is symmetrised).
  const HttpResult swapped =
      post(server.port(), "/api/v1/predict/battle", R"({"pokemon_1_id": 6, "pokemon_2_id": 25, "level_2": 60})");
  ASSERT_EQ(swapped.status, 200) << swapped.body;
  EXPECT_NEAR(swapped.json()["pokemon_1_win_probability"].get<double>(), p2, 1e-6);

  const HttpResult card = get(server.port(), "/api/v1/model");
  ASSERT_EQ(card.status, 200) << card.body;
  EXPECT_EQ(card.json()["version"], model->version());
  EXPECT_EQ(card.json()["features"]["count"].get<std::size_t>(), ml::feature_spec().size());
}

TEST(MlServedModel, GivesTheFeaturesThePredictionUsed) {
  const auto model = load_ml_served_model(tiny_bundle(), *test_dex());
  // Any validated battle: take one the dataset code builds.
  ml::DatasetConfig dc;
  dc.configs = {4, 0, 0};
  dc.mc_n = 5;
  const ml::Dataset ds = ml::build_dataset(*test_dex(), dc, 1);
  ASSERT_FALSE(ds.rows.empty());
  const battle::BattleConfig config = ml::row_battle_config(*test_dex(), ds.rows[0], 500);
  std::vector<float> features;
  const double with = model->predict_p1_win_with_features(*test_dex(), config, features);
  EXPECT_EQ(features.size(), ml::feature_spec().size());
  EXPECT_EQ(features, ml::compute_features(*test_dex(), config));
  EXPECT_DOUBLE_EQ(with, model->predict_p1_win(*test_dex(), config));
}

TEST(MlServedModel, CardCarriesTheEvaluationsFeatureImportance) {
  // A copy of the bundle, so the shared one stays unevaluated for the other tests.
  const fs::path dir = temp_dir("bundle-evaluated");
  fs::copy(tiny_bundle(), dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  EXPECT_FALSE(load_ml_served_model(dir, *test_dex())->card().contains("feature_importance"));

  fs::create_directories(dir / "evaluation");
  const json importance = json::array({{{"name", "p1_speed"}, {"total_gain", 12.5}, {"share", 0.625}},
                                       {{"name", "p2_speed"}, {"total_gain", 7.5}, {"share", 0.375}}});
  std::ofstream(dir / "evaluation" / "evaluation.json") << json{{"feature_importance", importance}}.dump();
  EXPECT_EQ(load_ml_served_model(dir, *test_dex())->card()["feature_importance"], importance);

  // A damaged report costs only the importance: the model still loads and serves.
  std::ofstream(dir / "evaluation" / "evaluation.json") << "{not json";
  const auto model = load_ml_served_model(dir, *test_dex());
  EXPECT_FALSE(model->card().contains("feature_importance"));
}

void expect_load_error(const fs::path& dir, const std::string& needle) {
  try {
    load_model(dir, *test_dex());
    FAIL() << "expected an error containing '" << needle << "'";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(dir.string()), std::string::npos) << what;
    EXPECT_NE(what.find(needle), std::string::npos) << what;
  }
}

TEST(MlServedModel, BadBundlePathsGiveClearErrors) {
  install_ml_model_loader();
  expect_load_error("/nonexistent/pdex/bundle", "no such directory");
  const fs::path empty = temp_dir("empty");
  expect_load_error(empty, "bundle.json");
  const fs::path broken = temp_dir("broken");
  fs::copy(tiny_bundle(), broken, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  std::ofstream(broken / "model.json", std::ios::trunc) << "{";
  expect_load_error(broken, "model.json");
  fs::remove_all(empty);
  fs::remove_all(broken);
}

// bundle.json names its model file; a path out of the bundle directory is refused even when the file it
// points to has the recorded sha256 (a bundle must not make the server read elsewhere).
TEST(MlServedModel, ModelFileOutsideTheBundleIsRefused) {
  install_ml_model_loader();
  const fs::path parent = temp_dir("escape");
  const fs::path bundle = parent / "bundle";
  fs::copy(tiny_bundle(), bundle, fs::copy_options::recursive);
  fs::copy_file(bundle / "model.json", parent / "outside.json");
  for (const std::string& name : {std::string("../outside.json"), (parent / "outside.json").string()}) {
    std::ifstream in(bundle / "bundle.json");
    json meta = json::parse(in);
    meta["model_file"] = name;
    std::ofstream(bundle / "bundle.json", std::ios::trunc) << meta.dump(2);
    expect_load_error(bundle, "model_file");
  }
  fs::remove_all(parent);
}

}  // namespace
}  // namespace pdex::service::testing
