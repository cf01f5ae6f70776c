// Reproducible synthetic binary-classification data for tests and benchmarks: features with a known
// true probability of the positive class, so model quality can be judged against the truth.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ml/xgb_booster.h"

namespace pdex::ml {

struct SyntheticData {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> features;  // row-major; some entries NaN (missing)
  std::vector<float> labels;    // 0/1, drawn from true_probability
  std::vector<float> true_probability;

  DenseRows dense() const { return DenseRows{features, rows, cols}; }
  LabeledRows labeled() const { return LabeledRows{dense(), labels, {}}; }
};

// Features ~ N(0,1) (a `missing_fraction` of them NaN); the logit is a fixed sparse linear function
// plus one interaction and one threshold term, so trees have something non-linear to find.
// Same arguments -> same data (std::mt19937_64 and our own Box-Muller; no implementation-defined
// distributions).
SyntheticData make_synthetic_data(std::size_t rows, std::size_t cols, std::uint64_t seed,
                                  double missing_fraction = 0.02);

}  // namespace pdex::ml
