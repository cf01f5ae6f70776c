#include "battle/damage.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "battle/mechanics.h"

namespace pdex::battle {
namespace {

// Showdown's arithmetic (sim/dex.ts trunc, sim/battle.ts modify): values are JS doubles truncated to
// unsigned 32-bit integers. Every intermediate here is an exact integer below 2^53, so uint64 arithmetic
// with an explicit wrap reproduces it bit for bit.
using u64 = std::uint64_t;
u64 trunc32(u64 x) {
  return x & 0xFFFFFFFFull;
}

// battle.modify(value, numerator/denominator): 4096-based fixed point, rounding halves down.
u64 modify(u64 value, u64 modifier4096) {
  return trunc32((trunc32(value * modifier4096) + 2048 - 1) / 4096);
}

constexpr u64 kOne = 4096;
constexpr u64 kOneAndHalf = 6144;
constexpr u64 kHalf = 2048;

int type_mod_from_quarters(int quarters) {
  switch (quarters) {
    case 1:
      return -2;
    case 2:
      return -1;
    case 8:
      return 1;
    case 16:
      return 2;
    default:
      return 0;
  }
}

DamageRolls fixed_damage_rolls(const AttackerView& attacker, const DefenderView& defender,
                               const dex::FixedDamage& fixed) {
  DamageRolls result;
  result.fixed = true;
  int amount = 0;
  switch (fixed.kind) {
    case dex::FixedDamage::Kind::Level:
      amount = attacker.level;
      break;
    case dex::FixedDamage::Kind::Constant:
      amount = fixed.amount;
      break;
    case dex::FixedDamage::Kind::HalfHp:
      amount = std::max(defender.current_hp / 2, 1);
      break;
  }
  result.values.fill(amount);
  return result;
}

}  // namespace

DamageRolls damage_rolls(const dex::TypeChart& chart, const AttackerView& attacker, const DefenderView& defender,
                         const dex::Move& move, HitOptions options, const MoveAdjustments& adjust) {
  if (!move.is_damaging()) throw std::invalid_argument(move.name + " is a status move: it deals no damage");
  if (move.ohko) throw std::invalid_argument(move.name + " is an OHKO move: not a damage-formula move");
  const int power = adjust.base_power.value_or(move.power);
  if (!move.fixed_damage && power <= 0) {
    throw std::invalid_argument(move.name + " has no base power and no fixed damage");
  }

  // getDamage: immunity (runImmunity) comes first and also stops fixed-damage moves.
  const int quarters = adjust.typeless ? 4 : chart.quarters(move.type, defender.types);
  if (quarters == 0) {
    DamageRolls immune;
    immune.effectiveness_quarters = 0;
    immune.fixed = move.fixed_damage.has_value();
    immune.stab = attacker.types.has(move.type) && !adjust.typeless && !immune.fixed;
    return immune;
  }
  if (move.fixed_damage) {
    DamageRolls fixed = fixed_damage_rolls(attacker, defender, *move.fixed_damage);
    fixed.effectiveness_quarters = quarters;
    return fixed;
  }

  const bool physical = move.category == dex::MoveCategory::Physical;
  // Foul Play (overrideOffensivePokemon: 'target'): the target's Atk and Atk stage, the user's level and STAB.
  const bool foul_play = move.is("foulplay");
  int atk_stage = foul_play ? defender.atk_stage : physical ? attacker.atk_stage : attacker.spa_stage;
  int def_stage = physical ? defender.def_stage : defender.spd_stage;
  if (options.crit) {
    if (atk_stage < 0) atk_stage = 0;
    if (def_stage > 0) def_stage = 0;
  }
  const int raw_attack =
      foul_play ? defender.stats[dex::Stat::Atk] : attacker.stats[physical ? dex::Stat::Atk : dex::Stat::SpA];
  const u64 attack = static_cast<u64>(apply_stage(raw_attack, atk_stage));
  const u64 defense =
      static_cast<u64>(apply_stage(defender.stats[physical ? dex::Stat::Def : dex::Stat::SpD], def_stage));
  if (defense == 0) throw std::invalid_argument("defender's defensive stat must be positive");

  const u64 level_factor = static_cast<u64>(2 * attacker.level / 5 + 2);
  const bool burned = attacker.burned || attacker.status == dex::Status::Burn;
  const bool facade = move.is("facade");
  const bool facade_boost = facade && attacker.status != dex::Status::None && attacker.status != dex::Status::Sleep;
  // BasePower event: Facade's chainModify(2) is an exact doubling.
  const u64 base_power = static_cast<u64>(power) * (facade_boost || (facade && burned) ? 2 : 1);
  u64 base = trunc32(trunc32(trunc32(level_factor * base_power * attack) / defense) / 50);

  // modifyDamage
  base += 2;
  base = modify(base, kOne);  // the WeatherModifyDamage event's identity modify
  if (options.crit) base = trunc32(base * 3 / 2);

  const bool stab = !adjust.typeless && attacker.types.has(move.type);
  const int type_mod = type_mod_from_quarters(quarters);
  const bool screened =
      !options.crit && !move.is("brickbreak") && (physical ? defender.reflect : defender.light_screen);

  DamageRolls result;
  result.effectiveness_quarters = quarters;
  result.stab = stab;
  for (int i = 0; i < 16; ++i) {
    const u64 percent = 85 + static_cast<u64>(i);  // randomizer: 100 - random(16)
    u64 damage = trunc32(trunc32(base * percent) / 100);
    if (!adjust.typeless) damage = modify(damage, stab ? kOneAndHalf : kOne);
    for (int k = 0; k < type_mod; ++k) damage *= 2;
    for (int k = 0; k > type_mod; --k) damage = trunc32(damage / 2);
    if (burned && physical && !facade) damage = modify(damage, kHalf);  // Gen 6+: Facade ignores the burn
    damage = modify(damage, screened ? kHalf : kOne);  // the ModifyDamage event (Reflect / Light Screen)
    if (damage == 0) damage = 1;
    result.values[i] = static_cast<int>(damage % 65536);  // tr(baseDamage, 16)
  }
  return result;
}

}  // namespace pdex::battle
