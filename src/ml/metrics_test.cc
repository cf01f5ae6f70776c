#include "ml/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

namespace pdex::ml {
namespace {

using V = std::vector<float>;

TEST(Metrics, ConfusionMatrixAndDerivedScores) {
  const V labels = {1, 0, 1, 1, 0, 0};
  const V probs = {0.9f, 0.6f, 0.4f, 0.8f, 0.1f, 0.5f};  // 0.5 counts as predicted positive
  const ConfusionMatrix m = confusion_matrix(labels, probs);
  EXPECT_EQ(m.true_positive, 2u);
  EXPECT_EQ(m.false_positive, 2u);
  EXPECT_EQ(m.false_negative, 1u);
  EXPECT_EQ(m.true_negative, 1u);
  EXPECT_DOUBLE_EQ(m.accuracy(), 0.5);
  EXPECT_DOUBLE_EQ(m.precision(), 0.5);
  EXPECT_DOUBLE_EQ(m.recall(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.f1(), 4.0 / 7.0);
  const ConfusionMatrix none = confusion_matrix(V{0, 0}, V{0.1f, 0.2f});
  EXPECT_EQ(none.precision(), 0.0);
  EXPECT_EQ(none.f1(), 0.0);
}

TEST(Metrics, RocAucMannWhitneyWithTies) {
  EXPECT_DOUBLE_EQ(roc_auc(V{1, 0, 1, 1, 0, 0}, V{0.9f, 0.6f, 0.4f, 0.8f, 0.1f, 0.5f}), 7.0 / 9.0);
  EXPECT_DOUBLE_EQ(roc_auc(V{1, 0}, V{0.5f, 0.5f}), 0.5);
  EXPECT_DOUBLE_EQ(roc_auc(V{1, 0, 1, 0}, V{0.7f, 0.7f, 0.9f, 0.2f}), 3.5 / 4.0);
  EXPECT_DOUBLE_EQ(roc_auc(V{0, 0, 1}, V{0.1f, 0.2f, 0.3f}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc(V{1, 1, 0}, V{0.1f, 0.2f, 0.3f}), 0.0);
  EXPECT_THROW(roc_auc(V{1, 1}, V{0.1f, 0.2f}), std::invalid_argument);
}

TEST(Metrics, LogLossAndBrier) {
  EXPECT_NEAR(log_loss(V{1, 0}, V{0.8f, 0.4f}), -(std::log(0.8) + std::log(0.6)) / 2, 1e-7);
  EXPECT_NEAR(log_loss(V{1}, V{0.0f}), -std::log(1e-15), 1e-9);                                 // clipped, not infinite
  EXPECT_NEAR(log_loss(V{0.3f}, V{0.3f}), -(0.3 * std::log(0.3) + 0.7 * std::log(0.7)), 1e-6);  // soft label
  EXPECT_NEAR(brier_score(V{1, 0}, V{0.8f, 0.4f}), 0.1, 1e-7);
}

TEST(Metrics, CalibrationByHandAndPerfect) {
  const Calibration c = calibration(V{0, 1, 1, 1}, V{0.15f, 0.15f, 0.95f, 0.95f});
  ASSERT_EQ(c.bins.size(), 10u);
  EXPECT_EQ(c.bins[1].count, 2u);
  EXPECT_NEAR(c.bins[1].mean_predicted, 0.15, 1e-7);
  EXPECT_DOUBLE_EQ(c.bins[1].observed_frequency, 0.5);
  EXPECT_EQ(c.bins[9].count, 2u);
  EXPECT_EQ(c.bins[0].count, 0u);
  EXPECT_NEAR(c.expected_calibration_error, 0.5 * 0.35 + 0.5 * 0.05, 1e-7);
  EXPECT_NEAR(c.max_calibration_error, 0.35, 1e-7);
  // Perfectly calibrated: in bin b, 20 predictions of (b + 0.5)/10 with exactly 2b+1 positives.
  V labels, probs;
  for (int b = 0; b < 10; ++b) {
    for (int i = 0; i < 20; ++i) {
      probs.push_back((b + 0.5f) / 10);
      labels.push_back(i < 2 * b + 1 ? 1.0f : 0.0f);
    }
  }
  EXPECT_NEAR(calibration(labels, probs).expected_calibration_error, 0.0, 1e-7);
  EXPECT_EQ(calibration(V{1}, V{1.0f}).bins[9].count, 1u);  // 1.0 falls in the last bin
}

TEST(Metrics, MeanAbsDiffAndBayesCeiling) {
  EXPECT_NEAR(mean_abs_diff(V{0.1f, 0.5f, 1.0f}, V{0.2f, 0.5f, 0.7f}), (0.1 + 0 + 0.3) / 3, 1e-7);
  const BayesCeiling b = bayes_ceiling(V{0.9f, 0.2f, 0.5f, 0.6f}, V{1, 1, 0, 0});
  EXPECT_NEAR(b.expected_accuracy, 0.7, 1e-7);
  EXPECT_DOUBLE_EQ(b.realized_accuracy, 0.25);
  // Sampled labels: the realized ceiling approaches its expectation.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<float> u(0, 1);
  V q(20000), y(20000);
  for (std::size_t i = 0; i < q.size(); ++i) {
    q[i] = u(rng);
    y[i] = u(rng) < q[i] ? 1.0f : 0.0f;
  }
  const BayesCeiling s = bayes_ceiling(q, y);
  EXPECT_NEAR(s.expected_accuracy, 0.75, 0.01);  // E[max(q,1-q)] for q ~ U(0,1)
  EXPECT_NEAR(s.realized_accuracy, s.expected_accuracy, 0.015);
}

TEST(Metrics, EvaluateBinaryReportAndJson) {
  const BinaryReport r = evaluate_binary(V{1, 0, 1, 1, 0, 0}, V{0.9f, 0.6f, 0.4f, 0.8f, 0.1f, 0.5f});
  EXPECT_EQ(r.count, 6u);
  EXPECT_DOUBLE_EQ(r.roc_auc, 7.0 / 9.0);
  const nlohmann::json j = to_json(r);
  EXPECT_EQ(j["confusion"]["tp"], 2);
  EXPECT_EQ(j["reliability"].size(), 10u);
  EXPECT_TRUE(to_json(evaluate_binary(V{1, 1}, V{0.9f, 0.8f}))["roc_auc"].is_null());
}

TEST(Metrics, RejectsBadInputNamingIt) {
  EXPECT_THROW(roc_auc(V{1, 0}, V{0.5f}), std::invalid_argument);
  EXPECT_THROW(log_loss(V{}, V{}), std::invalid_argument);
  try {
    confusion_matrix(V{1, 2}, V{0.5f, 0.5f});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("labels[1]"), std::string::npos) << e.what();
  }
  try {
    brier_score(V{1, 0}, V{0.5f, NAN});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("probs[1]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pdex::ml
