// Data-quality checks of a dataset (`pdex dataset check`). Each check is independent and reports a
// measured value and a one-line detail naming the first offending row/column when it fails.
//
//   finite          no NaN/inf in probabilities or features (names row and feature)
//   ranges          levels 1..100, winner 0..2, 1..4 distinct moves, probabilities in [0,1] summing
//                   to 1 (±1e-6), mc_n > 0 exactly for Monte Carlo rows, feature count = spec
//   class_balance   side 1 wins between min_side1_share and max_side1_share of the decisive rows,
//                   overall and per split (by construction 50 %: every configuration is mirrored)
//   duplicates      share of rows whose configuration (species, levels, moves, policies; mirrors of
//                   one configuration count once) repeats an earlier one, at most max_duplicate_rate
//   split_leakage   no unordered species pair in two splits
//   feature_spec    the dataset's feature spec hash equals the code's
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ml/dataset.h"

namespace pdex::ml {

struct CheckThresholds {
  double min_side1_share = 0.45;
  double max_side1_share = 0.55;
  double max_duplicate_rate = 0.05;
};

struct CheckResult {
  std::string name;
  bool passed = true;
  double value = 0;    // the measured quantity (count of bad rows, share, rate)
  std::string detail;  // what was measured, or the first problem
};

std::vector<CheckResult> check_dataset(const Dataset& dataset, const CheckThresholds& thresholds = {});
bool all_passed(const std::vector<CheckResult>& results);
nlohmann::json to_json(const std::vector<CheckResult>& results);

}  // namespace pdex::ml
