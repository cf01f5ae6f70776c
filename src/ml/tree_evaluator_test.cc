#include "ml/tree_evaluator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "ml/synthetic_data.h"

namespace pdex::ml {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

void expect_matches_xgboost(const XgbBooster& booster, const SyntheticData& data, std::size_t expected_trees) {
  const TreeEvaluator ev = TreeEvaluator::from_booster(booster);
  ASSERT_EQ(ev.num_features(), data.cols);
  ASSERT_EQ(ev.num_trees(), expected_trees);
  const std::vector<float> expected = booster.predict_batch(data.dense());
  std::size_t bad = 0;
  for (std::size_t r = 0; r < data.rows; ++r) {
    const float p = ev.predict(data.dense().row(r));
    if (!(std::abs(p - expected[r]) < 1e-6)) {
      if (++bad < 5) ADD_FAILURE() << "row " << r << ": evaluator " << p << " xgboost " << expected[r];
    }
  }
  EXPECT_EQ(bad, 0u);
  EXPECT_LT(ev.max_abs_diff_against(booster, data.dense()), 1e-6);
  // Single-row in-place prediction agrees too.
  for (std::size_t r = 0; r < 100; ++r)
    EXPECT_NEAR(ev.predict(data.dense().row(r)), booster.predict_row(data.dense().row(r)), 1e-6);
}

TEST(TreeEvaluator, MatchesXgboostOnEveryRowOfABoostedModel) {
  const SyntheticData data = make_synthetic_data(5000, 20, 21, 0.05);
  XgbTrainConfig c;
  c.num_boost_round = 60;
  c.max_depth = 8;
  c.eta = 0.1;
  c.subsample = 0.8;
  c.colsample_bytree = 0.8;
  c.nthread = 1;
  c.seed = 3;
  const XgbBooster booster = XgbBooster::train(c, data.labeled(), nullptr);
  expect_matches_xgboost(booster, data, 60);
}

TEST(TreeEvaluator, MatchesXgboostForARandomForestAndACustomBaseScore) {
  const SyntheticData data = make_synthetic_data(2000, 12, 22, 0.1);
  XgbTrainConfig rf = XgbTrainConfig::random_forest(30, 10);
  rf.nthread = 1;
  expect_matches_xgboost(XgbBooster::train(rf, data.labeled(), nullptr), data, 30);
  XgbTrainConfig c;
  c.num_boost_round = 30;
  c.max_depth = 6;
  c.nthread = 1;
  c.extra["base_score"] = "0.3";
  const XgbBooster b = XgbBooster::train(c, data.labeled(), nullptr);
  EXPECT_NEAR(TreeEvaluator::from_booster(b).base_margin(), std::log(0.3 / 0.7), 1e-6);
  expect_matches_xgboost(b, data, 30);
}

// One tree: node 0 splits feature 1 at 0.5 (missing -> right); leaves -1 (left) and 2 (right).
nlohmann::json tiny_model() {
  return nlohmann::json::parse(R"({
    "learner": {
      "learner_model_param": {"base_score": "5E-1", "num_class": "0", "num_feature": "2", "num_target": "1"},
      "objective": {"name": "binary:logistic"},
      "gradient_booster": {"name": "gbtree", "model": {"trees": [{
        "tree_param": {"num_nodes": "3", "size_leaf_vector": "0", "num_feature": "2", "num_deleted": "0"},
        "left_children": [2, -1, -1], "right_children": [1, -1, -1],
        "split_indices": [1, 0, 0], "split_conditions": [0.5, 2.0, -1.0],
        "default_left": [0, 0, 0], "split_type": [0, 0, 0]}]}}
    },
    "version": [1, 7, 4]})");
}

TEST(TreeEvaluator, SplitSemanticsByHand) {
  const TreeEvaluator ev = TreeEvaluator::from_json(tiny_model().dump(), "tiny");
  EXPECT_EQ(ev.num_trees(), 1u);
  EXPECT_EQ(ev.num_nodes(), 3u);
  EXPECT_FLOAT_EQ(ev.predict_margin(std::vector<float>{9, 0.49f}), -1.0f);
  EXPECT_FLOAT_EQ(ev.predict_margin(std::vector<float>{9, 0.5f}), 2.0f);  // equal goes right
  EXPECT_FLOAT_EQ(ev.predict_margin(std::vector<float>{9, kNaN}), 2.0f);  // default right
  EXPECT_FLOAT_EQ(ev.predict(std::vector<float>{kNaN, -5}), 1.0f / (1.0f + std::exp(1.0f)));
  nlohmann::json m = tiny_model();
  m["learner"]["gradient_booster"]["model"]["trees"][0]["default_left"][0] = 1;
  EXPECT_FLOAT_EQ(TreeEvaluator::from_json(m.dump(), "tiny").predict_margin(std::vector<float>{0, kNaN}), -1.0f);
  EXPECT_THROW(ev.predict(std::vector<float>{1}), std::invalid_argument);
}

void expect_rejected(const nlohmann::json& m, const std::string& must_contain) {
  try {
    TreeEvaluator::from_json(m.dump(), "bad-model.json");
    ADD_FAILURE() << "expected rejection: " << must_contain;
  } catch (const XgbError& e) {
    EXPECT_NE(std::string(e.what()).find("bad-model.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(must_contain), std::string::npos) << e.what();
  }
}

TEST(TreeEvaluator, RejectsWhatItCannotEvaluateExactly) {
  auto tree = [](nlohmann::json& m) -> nlohmann::json& {
    return m["learner"]["gradient_booster"]["model"]["trees"][0];
  };
  nlohmann::json m = tiny_model();
  tree(m)["left_children"][0] = 7;
  expect_rejected(m, "tree 0 node 0: child 7 out of range");
  m = tiny_model();
  tree(m)["split_indices"][0] = 2;
  expect_rejected(m, "split feature 2");
  m = tiny_model();
  tree(m)["split_type"][0] = 1;
  expect_rejected(m, "categorical");
  m = tiny_model();
  tree(m)["right_children"] = {1, -1};
  expect_rejected(m, "right_children has 2 entries");
  m = tiny_model();
  tree(m)["left_children"] = {1, -1, -1};  // both children are node 1
  expect_rejected(m, "reached twice");
  m = tiny_model();
  m["learner"]["objective"]["name"] = "reg:squarederror";
  expect_rejected(m, "objective");
  m = tiny_model();
  m["learner"]["gradient_booster"]["name"] = "dart";
  expect_rejected(m, "dart");
  m = tiny_model();
  m["learner"]["learner_model_param"]["num_class"] = "3";
  expect_rejected(m, "multi-class");
  const std::string text = tiny_model().dump();
  EXPECT_THROW(TreeEvaluator::from_json(text.substr(0, text.size() - 10), "cut"), XgbError);
  EXPECT_THROW(TreeEvaluator::from_json_file("/nonexistent/model.json"), XgbError);
}

}  // namespace
}  // namespace pdex::ml
