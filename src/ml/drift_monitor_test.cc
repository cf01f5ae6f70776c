// Drift over known distributions: a uniform reference against its lower half (PSI and KS in closed form),
// against itself (no drift), the corrections, the dataset-drift share, the sliding window and the
// reference parser's messages.
#include "ml/drift_monitor.h"

#include <gtest/gtest.h>

#include <cmath>

namespace pdex::ml {
namespace {

using nlohmann::json;
using D = std::vector<double>;
using Clock = DriftMonitor::Clock;

// n evenly spaced points of U(lo, hi): (i + 0.5) / n scaled, so quantiles are exact.
D grid(std::size_t n, double lo = 0, double hi = 1) {
  D out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = lo + (hi - lo) * (static_cast<double>(i) + 0.5) / static_cast<double>(n);
  return out;
}

// A bundle-style reference of two features ("a", "b"), both U(0,1), and U(0,1) predictions.
json uniform_reference(std::size_t n = 1000) {
  const D u = grid(n);
  const D edges = quantile_bin_edges(u, 10);
  json features = json::array();
  for (const char* name : {"a", "b"})
    features.push_back({{"name", name}, {"edges", edges}, {"fractions", bin_fractions(edges, u)}});
  json sample = json::array();
  for (const double x : u) sample.push_back({x, x});
  return {{"features", features},
          {"sample", sample},
          {"prediction", {{"edges", edges}, {"fractions", bin_fractions(edges, u)}, {"count", n}}},
          {"rows", n}};
}

// Rows whose feature a comes from `a` and b from `b`.
std::vector<float> rows_of(const D& a, const D& b) {
  std::vector<float> rows;
  for (std::size_t i = 0; i < a.size(); ++i) {
    rows.push_back(static_cast<float>(a[i]));
    rows.push_back(static_cast<float>(b[i]));
  }
  return rows;
}

TEST(DriftMonitor, LowerHalfOfAUniformHasClosedFormPsiAndKs) {
  const DriftReference ref = DriftReference::from_json(uniform_reference());
  ASSERT_EQ(ref.features.size(), 2u);
  ASSERT_EQ(ref.features[0].edges.size(), 9u);  // deciles 0.1 .. 0.9
  const std::size_t m = 800;
  const D half = grid(m, 0, 0.5);
  const D full = grid(m);
  const DriftReport r = compute_drift(ref, rows_of(half, full), m, full, DriftThresholds{});

  // U(0, 0.5) against decile bins of U(0,1): five bins at 0.2 instead of 0.1, five empty (floored at
  // 1e-4), the missing bin empty on both sides (contributes 0).
  const double psi_half = 5 * (0.2 - 0.1) * std::log(2.0) + 5 * (1e-4 - 0.1) * std::log(1e-4 / 0.1);
  EXPECT_NEAR(r.features[0].psi, psi_half, 1e-3);  // float32 rows: a point may sit on a decile edge
  // KS: F_ref(x) = x, F_half(x) = 2x on [0, 0.5], so D = sup (2x - x) = 0.5 at x = 0.5.
  EXPECT_NEAR(r.features[0].ks.statistic, 0.5, 2e-3);
  const double en = std::sqrt(1000.0 * m / (1000.0 + m));
  EXPECT_NEAR(r.features[0].ks.p_value, kolmogorov_survival((en + 0.12 + 0.11 / en) * r.features[0].ks.statistic),
              1e-12);
  EXPECT_LT(r.features[0].ks.p_value, 1e-50);
  EXPECT_TRUE(r.features[0].drifted);

  // The unchanged feature: identical quantiles, D at most one grid step.
  EXPECT_NEAR(r.features[1].psi, 0.0, 1e-3);
  EXPECT_LT(r.features[1].ks.statistic, 0.01);
  EXPECT_GT(r.features[1].ks_p_adjusted, 0.5);
  EXPECT_FALSE(r.features[1].drifted);

  // One of two features drifts: exactly half, which is "at least half".
  EXPECT_EQ(r.drifted_features, 1u);
  EXPECT_DOUBLE_EQ(r.drifted_share, 0.5);
  EXPECT_TRUE(r.dataset_drift);
  ASSERT_TRUE(r.prediction_psi.has_value());
  EXPECT_NEAR(*r.prediction_psi, 0.0, 1e-3);
  EXPECT_FALSE(r.prediction_drift);

  DriftThresholds strict;
  strict.dataset_drift_share = 0.75;
  EXPECT_FALSE(compute_drift(ref, rows_of(half, full), m, full, strict).dataset_drift);

  // Predictions squeezed into the lower half: the same closed-form PSI as feature a.
  const DriftReport pr = compute_drift(ref, rows_of(full, full), m, half, DriftThresholds{});
  EXPECT_NEAR(*pr.prediction_psi, psi_half, 1e-3);
  EXPECT_TRUE(pr.prediction_drift);
  EXPECT_EQ(pr.drifted_features, 0u);
  EXPECT_FALSE(pr.dataset_drift);

  const json j = r.to_json();
  EXPECT_EQ(j["features"][0]["name"], "a");
  EXPECT_EQ(j["features"][0]["psi_level"], "alert");
  EXPECT_EQ(j["features"][1]["psi_level"], "ok");
  EXPECT_EQ(j["thresholds"]["correction"], "benjamini-hochberg");
}

TEST(DriftMonitor, PsiLevelsFollowTheThresholds) {
  DriftReport r;
  EXPECT_STREQ(r.psi_level(0.05), "ok");
  EXPECT_STREQ(r.psi_level(0.1), "warning");
  EXPECT_STREQ(r.psi_level(0.19), "warning");
  EXPECT_STREQ(r.psi_level(0.2), "alert");
}

TEST(DriftMonitor, CorrectionsAdjustTheKsPValues) {
  const DriftReference ref = DriftReference::from_json(uniform_reference());
  // A small shift: a's p-value is moderate, b unchanged.
  const std::size_t m = 300;
  const D shifted = grid(m, 0.06, 1.06);
  const D full = grid(m);
  DriftThresholds bonferroni;
  bonferroni.correction = MultipleTestingCorrection::kBonferroni;
  const DriftReport b = compute_drift(ref, rows_of(shifted, full), m, {}, bonferroni);
  EXPECT_DOUBLE_EQ(b.features[0].ks_p_adjusted, std::min(1.0, 2 * b.features[0].ks.p_value));
  EXPECT_FALSE(b.prediction_psi.has_value());
  const DriftReport bh = compute_drift(ref, rows_of(shifted, full), m, {}, DriftThresholds{});
  // BH with two tests: the smaller p-value is doubled, the larger kept (capped by monotonicity).
  EXPECT_DOUBLE_EQ(bh.features[0].ks_p_adjusted, std::min(1.0, 2 * bh.features[0].ks.p_value));
  EXPECT_DOUBLE_EQ(bh.features[1].ks_p_adjusted, bh.features[1].ks.p_value);
  EXPECT_EQ(parse_multiple_testing_correction("bh"), MultipleTestingCorrection::kBenjaminiHochberg);
  EXPECT_EQ(parse_multiple_testing_correction("bonferroni"), MultipleTestingCorrection::kBonferroni);
  EXPECT_THROW(parse_multiple_testing_correction("holm"), std::invalid_argument);
}

TEST(DriftMonitor, WindowKeepsTheMostRecentRowsWithinMaxAge) {
  DriftWindowOptions w;
  w.capacity = 10;
  w.min_samples = 5;
  w.max_age = std::chrono::seconds(60);
  DriftMonitor monitor(DriftReference::from_json(uniform_reference()), w, DriftThresholds{});
  const Clock::time_point t0 = Clock::now();
  for (int i = 0; i < 4; ++i) monitor.observe(std::vector<float>{0.5f, 0.5f}, 0.5, t0);
  EXPECT_EQ(monitor.window_size(t0), 4u);
  EXPECT_FALSE(monitor.report(t0).has_value());        // below min_samples
  monitor.observe(std::vector<float>{0.5f}, 0.5, t0);  // wrong width
  EXPECT_EQ(monitor.rejected(), 1u);
  for (int i = 0; i < 8; ++i) monitor.observe(std::vector<float>{0.99f, 0.5f}, 0.5, t0 + std::chrono::seconds(30));
  EXPECT_EQ(monitor.window_size(t0 + std::chrono::seconds(30)), 10u);  // capacity
  const auto r = monitor.report(t0 + std::chrono::seconds(30));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->count, 10u);
  // At t0 + 70 s the rows of t0 are too old: only the 8 later ones (all 0.99) count.
  const auto later = monitor.report(t0 + std::chrono::seconds(70));
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->count, 8u);
  EXPECT_NEAR(later->features[0].ks.statistic, 0.99, 1e-9);  // 990 of the 1000 grid points lie below 0.99
  EXPECT_EQ(monitor.window_size(t0 + std::chrono::seconds(100)), 0u);
}

TEST(DriftMonitor, RejectsBadReferencesAndOptions) {
  json ref = uniform_reference(100);
  ref["features"][1]["fractions"].erase(0);
  try {
    DriftReference::from_json(ref);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("reference.features[1].fractions"), std::string::npos) << e.what();
  }
  ref = uniform_reference(100);
  ref["sample"][3] = json::array({1});
  EXPECT_THROW(DriftReference::from_json(ref), std::invalid_argument);
  EXPECT_THROW(DriftReference::from_json(json::object()), std::invalid_argument);
  DriftWindowOptions w;
  w.capacity = 5;
  EXPECT_THROW(DriftMonitor(DriftReference::from_json(uniform_reference(100)), w, DriftThresholds{}),
               std::invalid_argument);
  DriftThresholds t;
  t.psi_alert = 0.05;
  EXPECT_THROW(t.validate(), std::invalid_argument);
  const DriftReference ok = DriftReference::from_json(uniform_reference(100));
  EXPECT_THROW(compute_drift(ok, std::vector<float>{1, 2, 3}, 2, {}, DriftThresholds{}), std::invalid_argument);
}

}  // namespace
}  // namespace pdex::ml
