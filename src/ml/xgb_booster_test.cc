#include "ml/xgb_booster.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "ml/synthetic_data.h"

namespace pdex::ml {
namespace {

namespace fs = std::filesystem;

XgbTrainConfig small_config() {
  XgbTrainConfig c;
  c.num_boost_round = 20;
  c.max_depth = 4;
  c.eta = 0.3;
  c.subsample = 0.8;
  c.colsample_bytree = 0.9;
  c.seed = 7;
  c.nthread = 1;
  return c;
}

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() / ("pdex_xgb_test_" + std::to_string(::getpid()) + "_" + name);
}

TEST(XgbBooster, TrainsAUsefulModel) {
  const SyntheticData train = make_synthetic_data(2000, 10, 1);
  const SyntheticData test = make_synthetic_data(1000, 10, 2);
  TrainSummary summary;
  int callbacks = 0;
  XgbBooster b = XgbBooster::train(
      small_config(), train.labeled(), nullptr, [&](const RoundReport& r) { EXPECT_EQ(r.round, callbacks++); },
      &summary);
  EXPECT_EQ(callbacks, 20);
  EXPECT_EQ(summary.rounds_run, 20);
  EXPECT_EQ(b.boosted_rounds(), 20);
  EXPECT_EQ(b.num_features(), 10u);
  EXPECT_LT(summary.train_history.back(), summary.train_history.front());
  const std::vector<float> p = b.predict_batch(test.dense());
  ASSERT_EQ(p.size(), test.rows);
  // Mean |p - q| against the true probabilities: a useful model is much closer than a constant 0.5.
  double err = 0, err_const = 0;
  for (std::size_t i = 0; i < test.rows; ++i) {
    err += std::abs(p[i] - test.true_probability[i]);
    err_const += std::abs(0.5 - test.true_probability[i]);
  }
  EXPECT_LT(err, 0.6 * err_const);
}

TEST(XgbBooster, TrainingIsDeterministic) {
  const SyntheticData train = make_synthetic_data(1000, 8, 3);
  const std::string a = XgbBooster::train(small_config(), train.labeled(), nullptr).save_json_buffer();
  const std::string b = XgbBooster::train(small_config(), train.labeled(), nullptr).save_json_buffer();
  EXPECT_EQ(a, b);
  // Also with two OpenMP threads (parallel histogram building).
  XgbTrainConfig two_threads = small_config();
  two_threads.nthread = 2;
  EXPECT_EQ(XgbBooster::train(two_threads, train.labeled(), nullptr).save_json_buffer(),
            XgbBooster::train(two_threads, train.labeled(), nullptr).save_json_buffer());
  XgbTrainConfig other_seed = small_config();
  other_seed.seed = 8;
  EXPECT_NE(a, XgbBooster::train(other_seed, train.labeled(), nullptr).save_json_buffer());
}

TEST(XgbBooster, SoftLabelsAndWeights) {
  const SyntheticData train = make_synthetic_data(1000, 6, 4);
  std::vector<float> weights(train.rows, 1.0f);
  for (std::size_t i = 0; i < weights.size(); i += 2) weights[i] = 2.0f;
  const LabeledRows soft{train.dense(), train.true_probability, weights};
  XgbBooster b = XgbBooster::train(small_config(), soft, nullptr);
  const std::vector<float> p = b.predict_batch(train.dense());
  double err = 0;
  for (std::size_t i = 0; i < train.rows; ++i) err += std::abs(p[i] - train.true_probability[i]);
  EXPECT_LT(err / train.rows, 0.1);
}

TEST(XgbBooster, EarlyStoppingCutsToBestRound) {
  const SyntheticData train = make_synthetic_data(600, 6, 5);
  const SyntheticData valid = make_synthetic_data(600, 6, 6);
  XgbTrainConfig c = small_config();
  c.num_boost_round = 300;
  c.eta = 0.5;
  c.max_depth = 8;
  c.min_child_weight = 0;
  c.early_stopping_rounds = 5;
  TrainSummary s;
  const LabeledRows v = valid.labeled();
  XgbBooster b = XgbBooster::train(c, train.labeled(), &v, {}, &s);
  EXPECT_LT(s.rounds_run, 300);  // overfits quickly, so it stops
  EXPECT_EQ(s.rounds_run, s.best_round + 1 + 5);
  EXPECT_EQ(b.boosted_rounds(), s.best_round + 1);
  ASSERT_EQ(s.valid_history.size(), static_cast<std::size_t>(s.rounds_run));
  for (double x : s.valid_history) EXPECT_GE(x, s.valid_history[s.best_round]);
}

TEST(XgbBooster, RandomForestConfiguration) {
  const SyntheticData train = make_synthetic_data(800, 6, 7);
  XgbTrainConfig c = XgbTrainConfig::random_forest(16, 5);
  XgbBooster b = XgbBooster::train(c, train.labeled(), nullptr);
  EXPECT_EQ(b.boosted_rounds(), 1);
  const nlohmann::json model = nlohmann::json::parse(b.save_json_buffer());
  EXPECT_EQ(model["learner"]["gradient_booster"]["model"]["trees"].size(), 16u);
}

TEST(XgbBooster, SaveLoadRoundTripAndSinglePredictPaths) {
  const SyntheticData train = make_synthetic_data(1000, 8, 8);
  XgbBooster b = XgbBooster::train(small_config(), train.labeled(), nullptr);
  const fs::path path = temp_path("model.json");
  b.save_json_file(path);
  XgbBooster loaded = XgbBooster::load_json_file(path);
  fs::remove(path);
  EXPECT_EQ(loaded.save_json_buffer(), b.save_json_buffer());
  EXPECT_EQ(loaded.num_features(), 8u);
  const std::vector<float> batch = loaded.predict_batch(train.dense());
  for (std::size_t i = 0; i < 50; ++i) {
    const auto row = train.dense().row(i);
    EXPECT_EQ(loaded.predict_row(row), batch[i]) << i;
    EXPECT_EQ(loaded.predict_row_dmatrix(row), batch[i]) << i;
    EXPECT_EQ(loaded.predict_row_inplace_no_proxy(row), batch[i]) << i;
  }
  EXPECT_THROW(loaded.predict_row(std::vector<float>(7, 0.0f)), std::invalid_argument);
}

TEST(XgbBooster, ConcurrentSingleRowPredictionsAgree) {
  const SyntheticData data = make_synthetic_data(400, 8, 9);
  XgbBooster b = XgbBooster::load_json_buffer(
      XgbBooster::train(small_config(), data.labeled(), nullptr).save_json_buffer(), "memory");
  const std::vector<float> expected = b.predict_batch(data.dense());
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int pass = 0; pass < 3; ++pass) {
        for (std::size_t i = 0; i < data.rows; ++i) {
          // Odd threads go through the DMatrix path, even ones through the per-thread proxy.
          const auto row = data.dense().row(i);
          const float p = t % 2 == 0 ? b.predict_row(row) : b.predict_batch(DenseRows{row, 1, row.size()})[0];
          if (p != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

void expect_load_error(const std::string& bytes, const std::string& must_contain) {
  const fs::path path = temp_path("bad.json");
  { std::ofstream(path, std::ios::binary) << bytes; }
  try {
    XgbBooster::load_json_file(path);
    ADD_FAILURE() << "expected an exception for " << must_contain;
  } catch (const XgbError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(must_contain), std::string::npos) << e.what();
  }
  fs::remove(path);
}

TEST(XgbBooster, LoadRejectsBadFilesNamingThem) {
  const SyntheticData train = make_synthetic_data(300, 5, 10);
  const std::string good = XgbBooster::train(small_config(), train.labeled(), nullptr).save_json_buffer();
  expect_load_error(good.substr(0, good.size() / 2), "not valid JSON");
  expect_load_error("", "not valid JSON");
  expect_load_error(R"({"learner":{}})", "gbtree");
  std::string wrong_objective = good;
  const auto pos = wrong_objective.find("binary:logistic");
  ASSERT_NE(pos, std::string::npos);
  wrong_objective.replace(pos, 15, "reg:squarederror");
  expect_load_error(wrong_objective, "objective");
  // Valid JSON with a broken tree: XGBoost's own loader must reject it, and we name the file.
  nlohmann::json broken = nlohmann::json::parse(good);
  broken["learner"]["gradient_booster"]["model"]["trees"][0].erase("left_children");
  expect_load_error(broken.dump(), "loading model");
  try {
    XgbBooster::load_json_file("/nonexistent/model.json");
    ADD_FAILURE();
  } catch (const XgbError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model.json"), std::string::npos);
  }
}

TEST(XgbBooster, RejectsBadTrainingInput) {
  const SyntheticData d = make_synthetic_data(100, 4, 11);
  std::vector<float> labels = d.labels;
  labels[17] = 1.5f;
  try {
    XgbBooster::train(small_config(), LabeledRows{d.dense(), labels, {}}, nullptr);
    ADD_FAILURE();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("row 17"), std::string::npos) << e.what();
  }
  EXPECT_THROW(XgbBooster::train(small_config(), LabeledRows{DenseRows{d.features, 100, 5}, d.labels, {}}, nullptr),
               std::invalid_argument);
  std::vector<float> weights(100, 1.0f);
  weights[3] = -1.0f;
  EXPECT_THROW(XgbBooster::train(small_config(), LabeledRows{d.dense(), d.labels, weights}, nullptr),
               std::invalid_argument);
  XgbTrainConfig bad = small_config();
  bad.eta = 0;
  EXPECT_THROW(XgbBooster::train(bad, d.labeled(), nullptr), std::invalid_argument);
  bad = small_config();
  bad.extra["max_depth"] = "-3";  // XGBoost's own range check, surfaced with context
  try {
    XgbBooster::train(bad, d.labeled(), nullptr);
    ADD_FAILURE();
  } catch (const XgbError& e) {
    EXPECT_NE(std::string(e.what()).find("max_depth"), std::string::npos) << e.what();
  }
}

TEST(XgbTrainConfig, JsonRoundTripAndAliases) {
  XgbTrainConfig c = XgbTrainConfig::random_forest(50, 7);
  c.extra["max_leaves"] = "0";
  EXPECT_EQ(XgbTrainConfig::from_json(c.to_json()).to_json(), c.to_json());
  const XgbTrainConfig a = XgbTrainConfig::from_json(nlohmann::json{{"n_estimators", 42}, {"learning_rate", 0.05}});
  EXPECT_EQ(a.num_boost_round, 42);
  EXPECT_DOUBLE_EQ(a.eta, 0.05);
  EXPECT_THROW(XgbTrainConfig::from_json(nlohmann::json{{"max_dept", 3}}), std::invalid_argument);
  EXPECT_THROW(XgbTrainConfig::from_json(nlohmann::json{{"max_depth", "deep"}}), std::invalid_argument);
}

TEST(XgbBooster, FeatureImportance) {
  const SyntheticData train = make_synthetic_data(2000, 9, 12);
  XgbBooster b = XgbBooster::train(small_config(), train.labeled(), nullptr);
  for (ImportanceType t : {ImportanceType::kWeight, ImportanceType::kGain, ImportanceType::kCover,
                           ImportanceType::kTotalGain, ImportanceType::kTotalCover}) {
    const auto imp = b.feature_importance(t);
    ASSERT_FALSE(imp.empty()) << to_string(t);
    for (std::size_t i = 1; i < imp.size(); ++i) EXPECT_GE(imp[i - 1].score, imp[i].score);
    for (const auto& f : imp) EXPECT_LT(f.feature, 9u);
  }
  // Feature 0 carries the largest linear weight in the synthetic logit.
  const auto gain = b.feature_importance(ImportanceType::kTotalGain);
  EXPECT_EQ(gain[0].feature, 0u);
}

}  // namespace
}  // namespace pdex::ml
