#include "battle/mechanics.h"

#include <algorithm>

namespace pdex::battle {

int apply_stage(int stat, int stage) {
  stage = std::clamp(stage, -6, 6);
  // Showdown multiplies by [1, 1.5, 2, ..., 4] or divides by it and floors; both are exact in doubles, so
  // the integer forms below give the same results.
  if (stage >= 0) return stat * (2 + stage) / 2;
  return stat * 2 / (2 - stage);
}

Chance crit_chance(const dex::Move& move, int crit_stage_bonus) {
  if (!move.is_damaging()) return {0, 1};
  if (move.will_crit) return {1, 1};
  // Gen 7 table (getDamage: critMult = [0, 24, 8, 2, 1]); ratio 0 means the move cannot crit.
  const int ratio = std::clamp(move.crit_ratio + crit_stage_bonus, 0, 4);
  static constexpr int kCritDenominator[] = {0, 24, 8, 2, 1};
  if (ratio == 0) return {0, 1};
  return {1, kCritDenominator[ratio]};
}

Chance hit_chance(const dex::Move& move, int accuracy_stage, int evasion_stage) {
  if (!move.accuracy) return {1, 1};
  if (move.target == "self" && move.category == dex::MoveCategory::Status) return {1, 1};
  int accuracy = *move.accuracy;
  int boost = std::clamp(accuracy_stage, -6, 6);
  boost = std::clamp(boost - evasion_stage, -6, 6);
  if (boost > 0) {
    accuracy = accuracy * (3 + boost) / 3;
  } else if (boost < 0) {
    accuracy = accuracy * 3 / (3 - boost);
  }
  return {std::clamp(accuracy, 0, 100), 100};
}

Chance ohko_hit_chance(int attacker_level, int defender_level) {
  if (attacker_level < defender_level) return {0, 100};
  return {std::min(30 + attacker_level - defender_level, 100), 100};
}

Chance ohko_hit_chance(const dex::TypeChart& chart, const dex::Move& move, const dex::Typing& attacker,
                       int attacker_level, const dex::Typing& defender, int defender_level) {
  if (is_immune(chart, move.type, defender)) return {0, 100};
  // Showdown marks Sheer Cold with ohko: 'Ice': Ice-type targets are immune and non-Ice users start at 20.
  const bool ice_ohko = move.is("sheercold");
  if (ice_ohko && defender.has(dex::Type::Ice)) return {0, 100};
  if (attacker_level < defender_level) return {0, 100};
  const int base = (ice_ohko && !attacker.has(dex::Type::Ice)) ? 20 : 30;
  return {std::min(base + attacker_level - defender_level, 100), 100};
}

bool is_immune(const dex::TypeChart& chart, dex::Type move_type, const dex::Typing& defender) {
  return chart.quarters(move_type, defender) == 0;
}

std::optional<int> callback_base_power(const dex::Move& move, int target_weight_hg, int user_friendship) {
  if (move.is("lowkick")) {
    const int w = std::max(target_weight_hg, 1);  // Pokemon.getWeight is at least 1
    if (w >= 2000) return 120;
    if (w >= 1000) return 100;
    if (w >= 500) return 80;
    if (w >= 250) return 60;
    if (w >= 100) return 40;
    return 20;
  }
  if (move.is("pikapapow") || move.is("veeveevolley")) {
    return std::max(user_friendship * 10 / 25, 1);
  }
  return std::nullopt;
}

int effective_speed(int speed, int stage, bool paralyzed) {
  int spe = apply_stage(speed, stage);
  if (paralyzed) spe = spe * 50 / 100;
  spe = std::min(spe, 10000);
  return spe % 8192;  // getActionSpeed: trunc(speed, 13)
}

}  // namespace pdex::battle
