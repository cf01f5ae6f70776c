// Training the battle model from a dataset (`pdex model train`): XGBoost gradient-boosted trees or an
// XGBoost random forest, on the sampled winners or on the engine's probabilities as soft labels; the
// non-ML baseline; and a budgeted random hyperparameter search with cross-validation folds grouped by
// species pair. Config format: docs/model-config.md (configs/model.json, configs/model-rf.json).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ml/dataset.h"
#include "ml/xgb_booster.h"

namespace pdex::ml {

enum class LabelKind : std::uint8_t { Winner, Probability };

struct TuneConfig {
  int trials = 8;  // random configurations tried
  int folds = 3;   // grouped by unordered species pair
  std::uint64_t seed = 1;
  int num_boost_round = 100;                         // per trial (no early stopping inside the folds)
  std::size_t max_rows = 40000;                      // train rows used by the search (a deterministic subsample)
  double max_seconds = 300;                          // budget: no new trial starts after this
  std::map<std::string, std::vector<double>> space;  // XgbTrainConfig field -> candidate values

  static TuneConfig from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

struct ModelConfig {
  std::string kind = "gbtree";  // "gbtree" | "random_forest"
  LabelKind label = LabelKind::Winner;
  XgbTrainConfig xgb;  // for random_forest: built by XgbTrainConfig::random_forest, then seed/nthread
  TuneConfig tune;
  nlohmann::json source;  // the config file as read (lineage)

  // Throws std::invalid_argument naming the key.
  static ModelConfig from_json(const nlohmann::json& j);
};

// Rows of one split usable for a binary model: decisive battles (winner 1 or 2); draws are left out.
struct TrainingRows {
  std::vector<std::size_t> index;  // dataset row of each selected row
  std::vector<float> x;            // features, row-major
  std::vector<float> winner;       // 1 when side 1 won the sampled battle
  std::vector<float> probability;  // engine P(side 1 wins | decisive)
  std::vector<Scenario> scenario;
  std::size_t cols = 0;

  std::size_t size() const { return index.size(); }
  DenseRows dense() const { return {x, index.size(), cols}; }
  LabeledRows labeled(LabelKind label) const {
    return {
        dense(), label == LabelKind::Winner ? std::span<const float>(winner) : std::span<const float>(probability), {}};
  }
};
TrainingRows select_rows(const Dataset& dataset, Split split);

struct TuneTrial {
  int trial = 0;
  std::map<std::string, double> params;
  double mean_logloss = 0;
  std::vector<double> fold_logloss;
  double seconds = 0;
};

struct TrainResult {
  XgbBooster booster;
  TrainSummary summary;
  XgbTrainConfig used;            // after tuning
  std::vector<TuneTrial> trials;  // empty without --tune
  double train_seconds = 0, tune_seconds = 0;
};

using TrainLog = std::function<void(const std::string& line)>;
// Trains on the train split, early stopping on the validation split when configured. With `tune`,
// searches config.tune.space first and trains the best trial's parameters. Throws std::invalid_argument
// when the dataset's feature spec is not the code's or a split is empty.
TrainResult train_model(const Dataset& dataset, const ModelConfig& config, bool tune, const TrainLog& log = {});

// The non-ML baseline from the features alone: whoever needs fewer hits to KO (the greedy opening move's
// expected damage) wins, equal hits go to whoever moves first; P(side 1) = 0.5 + 0.4 · ko_race.
float baseline_probability(std::span<const float> features);

}  // namespace pdex::ml
