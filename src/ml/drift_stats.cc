#include "ml/drift_stats.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

namespace pdex::ml {
namespace {

std::vector<double> sorted_present(std::span<const double> v) {
  std::vector<double> out;
  out.reserve(v.size());
  for (const double x : v) {
    if (!std::isnan(x)) out.push_back(x);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void check_p_values(std::span<const double> p) {
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!(p[i] >= 0.0 && p[i] <= 1.0)) {
      throw std::invalid_argument("p_values[" + std::to_string(i) + "] = " + std::to_string(p[i]) + " is not in [0,1]");
    }
  }
}

}  // namespace

std::vector<double> quantile_bin_edges(std::span<const double> reference, int num_bins) {
  if (num_bins < 2) throw std::invalid_argument("quantile_bin_edges: num_bins must be >= 2");
  const std::vector<double> x = sorted_present(reference);
  if (x.empty()) throw std::invalid_argument("quantile_bin_edges: the reference sample has no non-NaN value");
  std::vector<double> edges;
  edges.reserve(static_cast<std::size_t>(num_bins - 1));
  for (int i = 1; i < num_bins; ++i) {
    const double h = static_cast<double>(x.size() - 1) * i / num_bins;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, x.size() - 1);
    edges.push_back(x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]));
  }
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

std::size_t bin_index(std::span<const double> edges, double x) {
  if (std::isnan(x)) return edges.size() + 1;
  return static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin());
}

std::vector<double> bin_fractions(std::span<const double> edges, std::span<const double> sample) {
  if (sample.empty()) throw std::invalid_argument("bin_fractions: empty sample");
  std::vector<double> counts(edges.size() + 2, 0.0);
  for (const double x : sample) counts[bin_index(edges, x)] += 1.0;
  for (double& c : counts) c /= static_cast<double>(sample.size());
  return counts;
}

double population_stability_index(std::span<const double> reference_fractions,
                                  std::span<const double> current_fractions, double epsilon) {
  if (reference_fractions.size() != current_fractions.size()) {
    throw std::invalid_argument("psi: " + std::to_string(reference_fractions.size()) + " reference bins, " +
                                std::to_string(current_fractions.size()) + " current bins");
  }
  if (!(epsilon > 0)) throw std::invalid_argument("psi: epsilon must be > 0");
  double psi = 0;
  for (std::size_t i = 0; i < reference_fractions.size(); ++i) {
    const double r = reference_fractions[i], c = current_fractions[i];
    if (!(r >= 0 && r <= 1) || !(c >= 0 && c <= 1)) {
      throw std::invalid_argument("psi: bin " + std::to_string(i) + " has a fraction outside [0,1]");
    }
    const double rf = std::max(r, epsilon), cf = std::max(c, epsilon);
    psi += (cf - rf) * std::log(cf / rf);
  }
  return psi;
}

double kolmogorov_survival(double lambda) {
  if (std::isnan(lambda)) return lambda;
  if (lambda <= 0) return 1.0;
  constexpr double kPi = std::numbers::pi;
  if (lambda < 1.18) {
    // Jacobi-theta form of the CDF, which converges fast for small lambda:
    // P(K <= l) = sqrt(2 pi)/l * sum_{j>=1} exp(-(2j-1)^2 pi^2 / (8 l^2)).
    const double w = kPi * kPi / (8.0 * lambda * lambda);
    double sum = 0;
    for (int j = 1; j <= 20; ++j) {
      const double k = 2.0 * j - 1.0;
      const double term = std::exp(-k * k * w);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return std::clamp(1.0 - std::sqrt(2.0 * kPi) / lambda * sum, 0.0, 1.0);
  }
  double sum = 0, sign = 1;
  for (int j = 1; j <= 100; ++j) {
    const double term = std::exp(-2.0 * j * j * lambda * lambda);
    sum += sign * term;
    sign = -sign;
    if (term < 1e-17) break;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

KsResult ks_two_sample(std::span<const double> a, std::span<const double> b, KsPValueMethod method) {
  const std::vector<double> x = sorted_present(a), y = sorted_present(b);
  if (x.empty() || y.empty()) throw std::invalid_argument("ks_two_sample: a sample has no non-NaN value");
  KsResult r;
  r.n = x.size();
  r.m = y.size();
  const double n = static_cast<double>(r.n), m = static_cast<double>(r.m);
  std::size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    // Step both empirical CDFs past the next value, ties included, then compare.
    const double v = std::min(x[i], y[j]);
    while (i < x.size() && x[i] == v) ++i;
    while (j < y.size() && y[j] == v) ++j;
    r.statistic = std::max(r.statistic, std::abs(static_cast<double>(i) / n - static_cast<double>(j) / m));
  }
  // After one sample is exhausted the gap only shrinks, so the loop saw the supremum.
  const double en = std::sqrt(n * m / (n + m));
  const double lambda = method == KsPValueMethod::kStephens ? (en + 0.12 + 0.11 / en) * r.statistic : en * r.statistic;
  r.p_value = kolmogorov_survival(lambda);
  return r;
}

std::vector<double> bonferroni_adjust(std::span<const double> p_values) {
  check_p_values(p_values);
  std::vector<double> out(p_values.begin(), p_values.end());
  for (double& p : out) p = std::min(1.0, p * static_cast<double>(out.size()));
  return out;
}

std::vector<double> benjamini_hochberg_adjust(std::span<const double> p_values) {
  check_p_values(p_values);
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> out(m);
  double running_min = 1.0;
  for (std::size_t k = m; k-- > 0;) {
    const double q = p_values[order[k]] * static_cast<double>(m) / static_cast<double>(k + 1);
    running_min = std::min(running_min, q);
    out[order[k]] = running_min;
  }
  return out;
}

}  // namespace pdex::ml
