// Small pure rules shared by the battle engine and the exact-odds solver, so both agree by construction.
// Every rule follows Pokémon Showdown's sim for gen7letsgo (sim/battle-actions.js, sim/pokemon.js,
// data/conditions.js); the reference is named beside each function.
#pragma once

#include <optional>

#include "dex/move.h"
#include "dex/stats.h"
#include "dex/type.h"
#include "dex/type_chart.h"

namespace pdex::battle {

// Stat-stage multiplier for Atk/Def/SpA/SpD/Spe as Showdown applies it: stat * (2+s)/2 or 2/(2-s), floored.
// Stages outside -6..6 are clamped (Pokemon.calculateStat).
int apply_stage(int stat, int stage);

// Probability (numerator/denominator exact) that a move lands a critical hit, from Showdown's critRatio
// (1 -> 1/24, 2 -> 1/8, 3 -> 1/2, >=4 -> 1) or will_crit.
struct Chance {
  int num = 0;
  int den = 1;
  double p() const { return static_cast<double>(num) / den; }
  bool certain() const { return num >= den; }
  bool impossible() const { return num <= 0; }
};
// crit_stage_bonus is added to the move's critRatio (Focus Energy-style effects); status moves never crit.
Chance crit_chance(const dex::Move& move, int crit_stage_bonus = 0);

// Probability that a move hits, before any immunity: accuracy with the user's accuracy stage and the
// target's evasion stage (Showdown's Gen 7 rules); never-miss moves always hit.
// Showdown (hitStepAccuracy): boost = clamp(accuracy_stage, -6, 6), then clamp(boost - evasion_stage, -6, 6);
// accuracy = trunc(acc * (3 + boost) / 3) if boost > 0, trunc(acc * 3 / (3 - boost)) if boost < 0; the move
// hits when random(100) < accuracy, so results above 100 are certain (returned as 100/100).
// Also: self-targeting status moves (target "self") always hit. OHKO moves: use ohko_hit_chance.
Chance hit_chance(const dex::Move& move, int accuracy_stage, int evasion_stage);

// OHKO moves in Gen 7 ignore accuracy/evasion stages: 30 + (attacker level - defender level) percent, and
// they fail (0) when the attacker's level is below the defender's.
Chance ohko_hit_chance(int attacker_level, int defender_level);
// Same with the Gen 7 Sheer Cold rules (20 % base for non-Ice users, Ice-type targets immune) and the
// move's type immunity (e.g. Fissure vs Flying = 0). Precondition: move.ohko.
Chance ohko_hit_chance(const dex::TypeChart& chart, const dex::Move& move, const dex::Typing& attacker,
                       int attacker_level, const dex::Typing& defender, int defender_level);

// True when the defender's types make it immune to the move's type (effectiveness 0). Fixed-damage moves
// obey this too (Seismic Toss vs Ghost, Sonic Boom vs Ghost, Night Shade vs Normal: Pokemon.runImmunity).
bool is_immune(const dex::TypeChart& chart, dex::Type move_type, const dex::Typing& defender);

// Base power of the damaging moves whose power Showdown computes when used (basePowerCallback), nullopt for
// every other move: Low Kick from the target's weight (hectograms: <100 -> 20, <250 -> 40, <500 -> 60,
// <1000 -> 80, <2000 -> 100, else 120); Pika Papow and Veevee Volley floor(friendship * 10 / 25) (at least 1),
// where gen7letsgo fixes friendship at 70, hence 28.
inline constexpr int kShowdownLgpeFriendship = 70;
std::optional<int> callback_base_power(const dex::Move& move, int target_weight_hg,
                                       int user_friendship = kShowdownLgpeFriendship);

// Effective speed for move order: stage-modified, halved by paralysis (Gen 7), as Showdown computes it
// (Pokemon.getStat then par's onModifySpe floor(spe * 50 / 100), capped at 10000, then trunc(speed, 13)).
int effective_speed(int speed, int stage, bool paralyzed);

}  // namespace pdex::battle
