// Serving a model bundle: load it with every check, then predict who wins a configured battle. This is
// what `pdex predict` and the API use.
//
// Loading refuses (BundleError naming the file and field): unreadable or truncated bundle.json, a
// missing required field, a feature spec hash other than the code's, a model.json whose sha256 differs
// from the recorded one, a model XGBoost cannot load, and a flattened evaluator that disagrees with
// XGBoost by more than 1e-5 on the bundle's reference sample.
//
// Predictions are symmetrised: P(side 1) = (f(x) + 1 − f(mirror(x))) / 2, so swapping the sides gives
// exactly the complementary probability.
//
// Thread safety: immutable after load; every const member may run concurrently.
#pragma once

#include <filesystem>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "battle/battle_config.h"
#include "dex/dex.h"
#include "ml/bundle.h"
#include "ml/tree_evaluator.h"
#include "ml/xgb_booster.h"

namespace pdex::ml {

class Predictor {
 public:
  static Predictor load(const std::filesystem::path& dir);

  const nlohmann::json& meta() const { return meta_; }
  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const XgbBooster& booster() const { return booster_; }
  const TreeEvaluator& evaluator() const { return evaluator_; }
  double evaluator_max_diff() const { return evaluator_max_diff_; }

  // f(x) alone (flattened evaluator). Precondition: x.size() == feature_spec().size().
  float predict_raw(std::span<const float> x) const;
  // Symmetrised probability that side 1 wins, from features.
  double predict_features(std::span<const float> x) const;
  // Symmetrised probability that side 1 wins. Throws std::invalid_argument (validate_config's message).
  double predict(const dex::Dex& dex, const battle::BattleConfig& config) const;

 private:
  Predictor(nlohmann::json meta, XgbBooster booster, TreeEvaluator evaluator);

  nlohmann::json meta_;
  std::string name_, version_;
  XgbBooster booster_;
  TreeEvaluator evaluator_;
  double evaluator_max_diff_ = 0;
};

}  // namespace pdex::ml
