#include "ml/drift_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace pdex::ml {
namespace {

using D = std::vector<double>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

D grid(std::size_t n, double offset) {
  D v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = offset + (static_cast<double>(i) + 0.5) / static_cast<double>(n);
  return v;
}

TEST(DriftStats, QuantileEdgesInterpolateAndDeduplicate) {
  D x;
  for (int i = 1; i <= 100; ++i) x.push_back(i);
  const D e = quantile_bin_edges(x, 4);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_DOUBLE_EQ(e[0], 25.75);  // numpy.quantile(1..100, 0.25)
  EXPECT_DOUBLE_EQ(e[1], 50.5);
  EXPECT_DOUBLE_EQ(e[2], 75.25);
  // Three distinct values: deduplicated edges; NaNs ignored.
  const D few = {1, 1, 1, 1, 1, 2, 2, 2, 3, 3, kNaN};
  const D ef = quantile_bin_edges(few, 10);
  EXPECT_TRUE(std::is_sorted(ef.begin(), ef.end()));
  EXPECT_EQ(std::adjacent_find(ef.begin(), ef.end()), ef.end());
  EXPECT_LT(ef.size(), 9u);
  EXPECT_THROW(quantile_bin_edges(D{kNaN}, 10), std::invalid_argument);
  EXPECT_THROW(quantile_bin_edges(x, 1), std::invalid_argument);
}

TEST(DriftStats, BinFractionsIncludeAMissingBin) {
  const D edges = {1.0, 2.0};
  EXPECT_EQ(bin_index(edges, 0.5), 0u);
  EXPECT_EQ(bin_index(edges, 1.0), 1u);  // [1, 2)
  EXPECT_EQ(bin_index(edges, 2.5), 2u);
  EXPECT_EQ(bin_index(edges, kNaN), 3u);
  const D f = bin_fractions(edges, D{0, 1.5, 1.7, 3, kNaN});
  ASSERT_EQ(f.size(), 4u);
  EXPECT_DOUBLE_EQ(f[0], 0.2);
  EXPECT_DOUBLE_EQ(f[1], 0.4);
  EXPECT_DOUBLE_EQ(f[2], 0.2);
  EXPECT_DOUBLE_EQ(f[3], 0.2);
}

TEST(DriftStats, PsiKnownValues) {
  const D ref = grid(1000, 0);
  const D edges = quantile_bin_edges(ref, 10);
  EXPECT_EQ(edges.size(), 9u);
  const D fr = bin_fractions(edges, ref);
  EXPECT_NEAR(population_stability_index(fr, fr), 0.0, 1e-12);
  // By hand: (0.25 - 0.5) ln(0.25/0.5) + (0.75 - 0.5) ln(0.75/0.5).
  EXPECT_NEAR(population_stability_index(D{0.5, 0.5}, D{0.25, 0.75}), 0.25 * std::log(2.0) + 0.25 * std::log(1.5),
              1e-12);
  // An empty current bin is floored at epsilon: (1e-4 - 0.5) ln(1e-4/0.5) + (1 - 0.5) ln(1/0.5).
  EXPECT_NEAR(population_stability_index(D{0.5, 0.5}, D{0.0, 1.0}),
              (1e-4 - 0.5) * std::log(1e-4 / 0.5) + 0.5 * std::log(2.0), 1e-12);
  // Shifting U(0,1) by 0.5: the upper half of the reference bins hold all the mass.
  const double shifted = population_stability_index(fr, bin_fractions(edges, grid(1000, 0.5)));
  EXPECT_GT(shifted, 0.25);
  EXPECT_THROW(population_stability_index(D{1}, D{0.5, 0.5}), std::invalid_argument);
}

TEST(DriftStats, KsIdenticalDisjointAndShifted) {
  const D u = grid(2000, 0);
  const KsResult same = ks_two_sample(u, u);
  EXPECT_EQ(same.statistic, 0.0);
  EXPECT_EQ(same.p_value, 1.0);
  const KsResult disjoint = ks_two_sample(grid(50, 0), grid(70, 5));
  EXPECT_DOUBLE_EQ(disjoint.statistic, 1.0);
  EXPECT_LT(disjoint.p_value, 1e-9);
  for (const double a : {0.05, 0.2, 0.5}) {
    const KsResult r = ks_two_sample(grid(4000, 0), grid(4000, a));
    EXPECT_NEAR(r.statistic, a, 1e-3) << a;
  }
  // Ties across samples and NaNs.
  const KsResult t = ks_two_sample(D{1, 1, 2, 2, kNaN}, D{1, 2, 2, 2});
  EXPECT_EQ(t.n, 4u);
  EXPECT_EQ(t.m, 4u);
  EXPECT_DOUBLE_EQ(t.statistic, 0.25);
  EXPECT_THROW(ks_two_sample(D{kNaN}, u), std::invalid_argument);
}

TEST(DriftStats, KsPValuesByHand) {
  // a = 1..10, b = 6..15: D = 0.5, en = sqrt(10*10/20).
  D a, b;
  for (int i = 1; i <= 10; ++i) {
    a.push_back(i);
    b.push_back(i + 5);
  }
  const KsResult asym = ks_two_sample(a, b, KsPValueMethod::kAsymptotic);
  EXPECT_DOUBLE_EQ(asym.statistic, 0.5);
  EXPECT_NEAR(asym.p_value, 0.1640791977266521, 1e-12);  // kstwobign.sf(sqrt(5) * 0.5)
  EXPECT_NEAR(ks_two_sample(a, b, KsPValueMethod::kStephens).p_value, 0.11084033741322809, 1e-12);
}

TEST(DriftStats, KolmogorovSurvivalKnownValues) {
  // Reference values from the alternating series summed to 2000 terms.
  EXPECT_NEAR(kolmogorov_survival(0.3), 0.9999906941986655, 1e-12);
  EXPECT_NEAR(kolmogorov_survival(0.5), 0.9639452436648751, 1e-12);
  EXPECT_NEAR(kolmogorov_survival(1.0), 0.26999967167735456, 1e-12);
  EXPECT_NEAR(kolmogorov_survival(1.17), 0.12939004218561884, 1e-12);  // either side of the switch
  EXPECT_NEAR(kolmogorov_survival(1.19), 0.11774229287977167, 1e-12);
  EXPECT_NEAR(kolmogorov_survival(1.36), 0.049485876755377876, 1e-12);
  EXPECT_NEAR(kolmogorov_survival(2.0), 0.0006709252557796953, 1e-15);
  EXPECT_NEAR(kolmogorov_survival(3.0), 3.045995948942526e-08, 1e-18);
  EXPECT_EQ(kolmogorov_survival(0.0), 1.0);
  EXPECT_EQ(kolmogorov_survival(0.01), 1.0);
}

TEST(DriftStats, MultipleTestingCorrections) {
  const D p = {0.01, 0.04, 0.03, 0.005};
  const D bh = benjamini_hochberg_adjust(p);
  EXPECT_NEAR(bh[0], 0.02, 1e-12);
  EXPECT_NEAR(bh[1], 0.04, 1e-12);
  EXPECT_NEAR(bh[2], 0.04, 1e-12);
  EXPECT_NEAR(bh[3], 0.02, 1e-12);
  const D bf = bonferroni_adjust(p);
  EXPECT_NEAR(bf[0], 0.04, 1e-12);
  EXPECT_EQ(bonferroni_adjust(D{0.5, 0.6})[1], 1.0);
  EXPECT_TRUE(benjamini_hochberg_adjust(D{}).empty());
  EXPECT_THROW(bonferroni_adjust(D{1.5}), std::invalid_argument);
}

}  // namespace
}  // namespace pdex::ml
