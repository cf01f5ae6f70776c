// The Gen 7 damage formula as Showdown's gen7letsgo mod applies it (no abilities, no items, no weather),
// with its exact integer rounding and modifier order. Pure: no RNG, no battle state beyond the views.
#pragma once

#include <array>
#include <optional>

#include "dex/dex.h"

namespace pdex::battle {

// What the formula needs to know about the attacker at the moment of the hit.
struct AttackerView {
  int level = 50;
  dex::StatTable stats;  // computed stats (dex::compute_stats), HP unused
  dex::Typing types;
  int atk_stage = 0;  // -6..6
  int spa_stage = 0;
  bool burned = false;
  // Major status, read by Facade (power doubled under any status but sleep, and no burn halving).
  // Burn here counts as `burned` too.
  dex::Status status = dex::Status::None;
};

struct DefenderView {
  dex::StatTable stats;  // computed stats; stats[HP] = max HP
  dex::Typing types;
  int current_hp = 0;  // for Super Fang
  int atk_stage = 0;   // Foul Play attacks with the target's Atk and Atk stage
  int def_stage = 0;
  int spd_stage = 0;
  // Screens halve non-critical hits of their category; Brick Break shatters them before it hits (the
  // engine removes them from the side; damage_rolls already ignores them for it).
  bool reflect = false;
  bool light_screen = false;
};

struct HitOptions {
  bool crit = false;
};

// What the battle decides about the move itself at use time. Kept apart from HitOptions so that
// `HitOptions{.crit = c}` stays a complete designated initializer (GCC 12 -Wmissing-field-initializers).
struct MoveAdjustments {
  // Showdown makes Struggle typeless ("???"): no STAB, no type effectiveness, no immunity.
  bool typeless = false;
  // Base power to use instead of move.power: for the moves whose power Showdown computes at use time
  // (Low Kick, Pika Papow, Veevee Volley: see callback_base_power in mechanics.h).
  std::optional<int> base_power;
};

struct DamageRolls {
  // Damage of one hit for the random factors 85..100 in order (so ascending). All equal for fixed damage.
  std::array<int, 16> values{};
  int effectiveness_quarters = 4;  // 0 immune, 1 = ¼, 2 = ½, 4 = 1, 8 = 2, 16 = 4
  bool stab = false;
  bool fixed = false;  // fixed-damage move (level, constant, half HP)
  bool immune() const { return effectiveness_quarters == 0; }
};

// Damage of one hit of `move` (for multi-hit moves, per hit). Status moves and OHKO moves are not
// damage-formula moves: precondition move.is_damaging() && !move.ohko, and a positive base power
// (adjust.base_power, else move.power) unless the move has fixed_damage (std::invalid_argument otherwise).
// Immunity gives all zeros; otherwise every value is at least 1 — except where Showdown's final 16-bit
// truncation (damage mod 65536) wraps an astronomically large hit (only reachable with extreme level and
// stage gaps), which is reproduced as is.
DamageRolls damage_rolls(const dex::TypeChart& chart, const AttackerView& attacker, const DefenderView& defender,
                         const dex::Move& move, HitOptions options, const MoveAdjustments& adjust = {});

}  // namespace pdex::battle
