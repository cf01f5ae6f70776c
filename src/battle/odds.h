// Win probabilities of a configured battle: exact where the engine's rules allow, else Monte Carlo.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "battle/battle_config.h"

namespace pdex::battle {

enum class OddsMethod : std::uint8_t { Auto, Exact, MonteCarlo };
std::string_view odds_method_name(OddsMethod m);  // "auto", "exact", "mc"
std::optional<OddsMethod> parse_odds_method(std::string_view s);

struct Odds {
  double p1_win = 0, p2_win = 0, draw = 0;
  OddsMethod method = OddsMethod::Exact;     // Exact or MonteCarlo (never Auto)
  std::int64_t n = 0;                        // battles sampled (MonteCarlo), 0 for exact
  double p1_ci99_low = 0, p1_ci99_high = 0;  // 99 % interval for p1_win (equal to p1_win when exact)
  std::int64_t states = 0;                   // states solved (Exact)
};

// Why a battle cannot be solved exactly (nullopt: it can). Exact applies when the outcome depends only
// on damage rolls, crits, accuracy and move order: each side's move fixed, no status, no secondary
// effects, no stat changes, no charge/recharge/healing/protect — see exact_odds.cc for the precise list.
std::optional<std::string> exact_unsupported_reason(const dex::Dex& dex, const BattleConfig& config);

// Exact P(p1 wins), P(p2 wins), P(draw) by dynamic programming over (HP1, HP2[, turn state]).
// Precondition: validate_config and exact_unsupported_reason both return nullopt.
Odds exact_odds(const dex::Dex& dex, const BattleConfig& config);

// n seeded engine battles (deterministic for a given seed, whatever the thread count).
Odds monte_carlo_odds(const dex::Dex& dex, const BattleConfig& config, std::int64_t n, std::uint64_t seed);

// Dispatch: Auto picks Exact when exact_unsupported_reason is nullopt, else MonteCarlo with n.
// Throws std::invalid_argument when Exact is requested but not applicable (message gives the reason).
Odds compute_odds(const dex::Dex& dex, const BattleConfig& config, OddsMethod method, std::int64_t n,
                  std::uint64_t seed);

}  // namespace pdex::battle
