// Distribution-drift statistics for monitoring: how far a current sample of a feature (or of the
// predictions) has moved from a reference sample kept in the model bundle.
//
// NaN means "missing": binning gives it its own bin (so a change in missingness shows up in PSI);
// the KS test ignores NaNs (it compares the distributions of present values).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace pdex::ml {

// Interior bin edges at the reference quantiles i/num_bins, i = 1..num_bins-1 (linear interpolation
// between order statistics, numpy's default), with duplicates removed, so a feature with few
// distinct values gets fewer bins. Edges e_0 < e_1 < ... define value bins
// (-inf, e_0), [e_0, e_1), ..., [e_last, +inf). Throws std::invalid_argument when num_bins < 2 or
// the reference has no non-NaN value.
std::vector<double> quantile_bin_edges(std::span<const double> reference, int num_bins = 10);

// Index of x's bin: 0..edges.size() for values, edges.size() + 1 for NaN.
std::size_t bin_index(std::span<const double> edges, double x);

// Fraction of `sample` in each bin: edges.size() + 2 entries (value bins, then the missing bin),
// summing to 1. Throws when the sample is empty.
std::vector<double> bin_fractions(std::span<const double> edges, std::span<const double> sample);

// Population stability index: sum over bins of (c - r) * ln(c / r). Empty bins would make it
// infinite, so each fraction is floored at `epsilon` (1e-4 by default, i.e. "less than 1 in 10 000"
// counts as 1 in 10 000) before the sum; fractions are not renormalised. Throws on size mismatch.
// Rule of thumb: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 large shift.
double population_stability_index(std::span<const double> reference_fractions,
                                  std::span<const double> current_fractions, double epsilon = 1e-4);

enum class KsPValueMethod {
  // Kolmogorov's limiting distribution at sqrt(en) * D, en = n*m/(n+m): scipy.stats.ks_2samp's
  // mode='asymp' for the two-sided test.
  kAsymptotic,
  // Stephens' (1970) small-sample correction, as in Numerical Recipes' kstwo:
  // Q_KS((sqrt(en) + 0.12 + 0.11/sqrt(en)) * D). Closer to the exact p-value for small samples.
  kStephens,
};

struct KsResult {
  double statistic = 0;  // D = sup |F_a(x) - F_b(x)|
  double p_value = 1;    // two-sided
  std::size_t n = 0;     // non-NaN values in a
  std::size_t m = 0;     // non-NaN values in b
};

// Two-sample Kolmogorov-Smirnov test. Throws when either sample has no non-NaN value.
KsResult ks_two_sample(std::span<const double> a, std::span<const double> b,
                       KsPValueMethod method = KsPValueMethod::kStephens);

// Survival function of the Kolmogorov distribution, Q_KS(lambda) = P(K > lambda)
// = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 lambda^2) (scipy.stats.kstwobign.sf).
double kolmogorov_survival(double lambda);

// Multiple-testing corrections over the per-feature p-values, returned in input order.
// Bonferroni: min(1, p * m) (controls the family-wise error rate).
std::vector<double> bonferroni_adjust(std::span<const double> p_values);
// Benjamini-Hochberg step-up adjusted p-values (q-values; controls the false discovery rate):
// q_(i) = min_{k >= i} min(1, p_(k) * m / k) over the sorted p-values.
std::vector<double> benjamini_hochberg_adjust(std::span<const double> p_values);

}  // namespace pdex::ml
