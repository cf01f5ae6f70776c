#include "ml/synthetic_data.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>

namespace pdex::ml {
namespace {

double uniform01(std::mt19937_64& rng) {
  return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
}

double standard_normal(std::mt19937_64& rng) {
  return std::sqrt(-2.0 * std::log(uniform01(rng))) * std::cos(2.0 * std::numbers::pi * uniform01(rng));
}

}  // namespace

SyntheticData make_synthetic_data(std::size_t rows, std::size_t cols, std::uint64_t seed, double missing_fraction) {
  if (cols < 3) throw std::invalid_argument("make_synthetic_data: needs at least 3 columns");
  std::mt19937_64 rng(seed);
  SyntheticData d;
  d.rows = rows;
  d.cols = cols;
  d.features.resize(rows * cols);
  d.labels.resize(rows);
  d.true_probability.resize(rows);
  std::vector<double> weights(cols);
  for (std::size_t j = 0; j < cols; ++j) weights[j] = (j % 3 == 0) ? 1.0 / (1.0 + j / 3.0) : 0.0;
  for (std::size_t r = 0; r < rows; ++r) {
    double logit = 0;
    float* row = &d.features[r * cols];
    for (std::size_t j = 0; j < cols; ++j) {
      const double x = standard_normal(rng);
      const bool missing = uniform01(rng) < missing_fraction;
      row[j] = missing ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(x);
      if (!missing) logit += weights[j] * x;
    }
    const auto value = [&](std::size_t j) { return std::isnan(row[j]) ? 0.0 : static_cast<double>(row[j]); };
    logit += 0.8 * value(1) * value(2) + (value(cols - 1) > 0.5 ? 1.0 : -0.3);
    const double q = 1.0 / (1.0 + std::exp(-logit));
    d.true_probability[r] = static_cast<float>(q);
    d.labels[r] = uniform01(rng) < q ? 1.0f : 0.0f;
  }
  return d;
}

}  // namespace pdex::ml
