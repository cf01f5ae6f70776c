// The one feature function: (a configured battle, the Dex) -> a fixed-order float vector. Training
// (dataset build), evaluation and serving (predictor) all call compute_features; nothing else turns a
// battle into numbers.
//
// What a player would look at, per side (prefix p1_ / p2_, the opponent being the other side): level,
// stats at level, types (18 indicator columns), what its moves can do against this opponent (the move
// the greedy policy opens with: power, accuracy, priority, category, STAB, effectiveness, expected
// damage as % of the opponent's HP, hits to KO, roll range; over all its moves: count, best
// effectiveness, status-move presence), who moves first; then cross features (speed ratio, hits-to-KO
// race). No species or move ids.
//
// Symmetry: every p1_ column has a p2_ twin at the same offset of the other block, and every cross
// column is antisymmetric (negated when the sides swap). So the features of the mirrored battle are
// mirror_features(features) exactly (tested), which is how the dataset balances classes and how the
// predictor symmetrises its answer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "battle/battle_config.h"
#include "dex/dex.h"

namespace pdex::ml {

struct FeatureSpec {
  std::vector<std::string> names;  // in vector order
  // mirror_source[i] = the column whose value column i takes when the sides swap; mirror_sign[i] = +1/-1.
  std::vector<std::size_t> mirror_source;
  std::vector<float> mirror_sign;
  // sha256 of the names joined with '\n' (and a trailing '\n'); a model is only served by code whose
  // spec hash equals the one recorded in its bundle.
  std::string hash;

  std::size_t size() const { return names.size(); }
};

// The spec of the code as built. Thread safe (computed once).
const FeatureSpec& feature_spec();

// Features of a battle. Precondition: battle::validate_config(dex, config) is nullopt (throws
// std::invalid_argument with its message otherwise). Deterministic and thread safe.
std::vector<float> compute_features(const dex::Dex& dex, const battle::BattleConfig& config);
// Same, into `out` (size feature_spec().size()).
void compute_features(const dex::Dex& dex, const battle::BattleConfig& config, std::span<float> out);

// The features of the battle with p1 and p2 swapped, from the features of the battle.
std::vector<float> mirror_features(std::span<const float> features);

// A battle with the sides swapped.
battle::BattleConfig mirror_config(const battle::BattleConfig& config);

}  // namespace pdex::ml
