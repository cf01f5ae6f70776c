#include "ml/move_scoring.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>

#include "battle/damage.h"
#include "battle/mechanics.h"
#include "battle/move_support.h"
#include "battle/policy.h"

namespace pdex::ml {

Combatant make_combatant(const dex::Species& species, const dex::StatSpread& spread) {
  return Combatant{&species, spread.level, dex::compute_stats(species.base_stats, spread)};
}

namespace {

double mean_of(const battle::DamageRolls& r) {
  double sum = 0;
  for (int v : r.values) sum += v;
  return sum / 16.0;
}

// A move a species can bring to a battle, with the engine's classification of it.
struct SupportedMove {
  const dex::Move* move;
  battle::MoveKind kind;
};

// battle_moves(dex, species, false) with each move's kind, per species, computed once per thread and Dex:
// classifying every learnable move (string-keyed lookups) on every request was a third of the recommended
// move's cost (bench/handler_bench, BM_Part_RecommendedMove). Per thread, so no lock; keyed by the Dex's
// address and instance_id, so a Dex built later at the same address starts a fresh table.
const std::vector<SupportedMove>& supported_moves(const dex::Dex& dex, int species_id) {
  struct Cache {
    const dex::Dex* dex = nullptr;
    std::uint64_t instance = 0;
    std::unordered_map<int, std::vector<SupportedMove>> by_species;
  };
  thread_local Cache cache;
  if (cache.dex != &dex || cache.instance != dex.instance_id()) {
    cache.dex = &dex;
    cache.instance = dex.instance_id();
    cache.by_species.clear();
  }
  auto [it, inserted] = cache.by_species.try_emplace(species_id);
  if (inserted) {
    for (int id : dex.usable_moves(species_id)) {
      const dex::Move* m = dex.move_by_id(id);
      if (m == nullptr) continue;
      const battle::MoveSupport support = battle::classify_move(*m);
      if (!support.unsupported) it->second.push_back({m, support.kind});
    }
  }
  return it->second;
}

// score_move with the move's kind already known.
MoveScore score_supported_move(const dex::Dex& dex, const Combatant& attacker, const Combatant& defender,
                               const dex::Move& move, battle::MoveKind kind);

}  // namespace

MoveScore score_move(const dex::Dex& dex, const Combatant& attacker, const Combatant& defender, const dex::Move& move) {
  return score_supported_move(dex, attacker, defender, move, battle::classify_move(move).kind);
}

namespace {

// Mirrors battle::Engine::expected_damage on turn 1 (no stages, no status, full HP, no screens), so the
// move chosen here is the one the engine's greedy policy opens with.
MoveScore score_supported_move(const dex::Dex& dex, const Combatant& attacker, const Combatant& defender,
                               const dex::Move& move, battle::MoveKind kind) {
  MoveScore s;
  s.move = &move;
  const dex::TypeChart& chart = dex.chart();
  const dex::Typing& at = attacker.species->types;
  const dex::Typing& dt = defender.species->types;
  if (!move.is_damaging()) return s;
  s.stab = at.has(move.type);
  s.effectiveness = chart.multiplier(move.type, dt);
  if (s.effectiveness == 0) return s;
  if (kind == battle::MoveKind::DreamEater) return s;
  const double max_hp = defender.stats[dex::Stat::HP];
  if (move.ohko) {
    s.hit_chance = battle::ohko_hit_chance(chart, move, at, attacker.level, dt, defender.level).p();
    s.expected_damage = s.hit_chance * max_hp;
    s.min_roll = s.max_roll = s.hit_chance > 0 ? max_hp : 0;
    return s;
  }
  s.hit_chance = battle::hit_chance(move, 0, 0).p();
  double per_hit = 0;
  if (kind == battle::MoveKind::Psywave) {
    per_hit = attacker.level;
    s.min_roll = std::max(1, 50 * attacker.level / 100);
    s.max_roll = std::max(1, 150 * attacker.level / 100);
  } else if (move.fixed_damage) {
    switch (move.fixed_damage->kind) {
      case dex::FixedDamage::Kind::Level:
        per_hit = attacker.level;
        break;
      case dex::FixedDamage::Kind::Constant:
        per_hit = move.fixed_damage->amount;
        break;
      default:
        per_hit = std::max(1.0, std::floor(max_hp / 2));
        break;
    }
    s.min_roll = s.max_roll = per_hit;
  } else {
    battle::AttackerView av;
    av.level = attacker.level;
    av.stats = attacker.stats;
    av.types = at;
    battle::DefenderView dv;
    dv.stats = defender.stats;
    dv.types = dt;
    dv.current_hp = defender.stats[dex::Stat::HP];
    battle::MoveAdjustments adjust;
    adjust.base_power = battle::callback_base_power(move, defender.species->weight_hg);
    s.power = adjust.base_power.value_or(move.power);
    if (s.power <= 0) return s;
    const battle::DamageRolls normal = battle::damage_rolls(chart, av, dv, move, {.crit = false}, adjust);
    const double pc = battle::crit_chance(move).p();
    per_hit = (1.0 - pc) * mean_of(normal);
    if (pc > 0) per_hit += pc * mean_of(battle::damage_rolls(chart, av, dv, move, {.crit = true}, adjust));
    s.min_roll = normal.values.front();
    s.max_roll = normal.values.back();
  }
  double hits = 1.0;
  if (move.multihit) {
    hits = move.multihit->first == move.multihit->second ? move.multihit->first : battle::kExpectedHits2To5;
  }
  s.expected_damage = s.hit_chance * hits * per_hit;
  if (move.charge || move.recharge) s.expected_damage /= 2.0;
  return s;
}

}  // namespace

std::size_t greedy_choice(std::span<const MoveScore> scores) {
  // battle::greedy_pick takes at most 4 moves; this is the same rule over any number.
  std::size_t best = 0;
  bool any_positive = false;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (scores[i].expected_damage > 0 && (!any_positive || scores[i].expected_damage > scores[best].expected_damage)) {
      best = i;
      any_positive = true;
    }
  }
  if (any_positive) return best;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (!scores[i].move->is_damaging()) return i;
  }
  return 0;
}

std::vector<const dex::Move*> battle_moves(const dex::Dex& dex, int species_id, bool damaging_only) {
  std::vector<const dex::Move*> out;
  for (const SupportedMove& m : supported_moves(dex, species_id)) {
    if (damaging_only && !m.move->is_damaging()) continue;
    out.push_back(m.move);
  }
  return out;
}

const dex::Move* recommended_move(const dex::Dex& dex, const Combatant& attacker, const Combatant& defender) {
  const std::vector<SupportedMove>& moves = supported_moves(dex, attacker.species->id);
  if (moves.empty()) return nullptr;
  std::vector<MoveScore> scores;
  scores.reserve(moves.size());
  for (const SupportedMove& m : moves) scores.push_back(score_supported_move(dex, attacker, defender, *m.move, m.kind));
  return moves[greedy_choice(scores)].move;
}

}  // namespace pdex::ml
