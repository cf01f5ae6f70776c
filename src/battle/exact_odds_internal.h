// The exact solver's general algorithm, exposed for tests and benchmarks. exact_odds (odds.h) uses a
// factorised algorithm when both HP chains are independent and this one otherwise.
#pragma once

#include "battle/battle_config.h"
#include "battle/odds.h"

namespace pdex::battle {

// Same contract and results as exact_odds, by dynamic programming over the joint (HP1, HP2) distribution
// turn by turn: valid for every battle exact_odds accepts (slower where exact_odds factorises).
Odds exact_odds_joint(const dex::Dex& dex, const BattleConfig& config);

}  // namespace pdex::battle
