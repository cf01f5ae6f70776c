#include "service/battle_request.h"

#include <algorithm>

#include "battle/move_support.h"
#include "ml/move_scoring.h"
#include "service/dex_views.h"

namespace pdex::service {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// ivs_N / avs_N: one integer for all six stats, or an object of per-stat integers (missing keys: fallback).
std::optional<dex::StatTable> read_spread_values(ObjectReader& r, const std::string& field, int hi, int fallback) {
  const json* v = r.raw(field);
  if (!v) return std::nullopt;
  const std::string rule =
      "must be an integer 0.." + std::to_string(hi) + " or an object of them with keys hp, atk, def, spa, spd, spe";
  auto as_int = [hi](const json& x) -> std::optional<int> {
    if (x.is_number_integer() || x.is_number_unsigned()) {
      const auto i = x.get<std::int64_t>();
      if (i >= 0 && i <= hi) return static_cast<int>(i);
    }
    return std::nullopt;
  };
  if (v->is_number()) {
    if (auto i = as_int(*v)) return dex::StatTable::all(*i);
    r.add_error(field, rule + ", got " + describe_json_value(*v));
    return std::nullopt;
  }
  if (!v->is_object()) {
    r.add_error(field, rule + ", got " + describe_json_value(*v));
    return std::nullopt;
  }
  dex::StatTable out = dex::StatTable::all(fallback);
  bool ok = true;
  for (const auto& [key, value] : v->items()) {
    const auto stat = dex::parse_stat_key(key);
    if (!stat) {
      r.add_error(field + "." + key.substr(0, 40), "unknown stat (expected hp, atk, def, spa, spd or spe)");
      ok = false;
      continue;
    }
    const auto i = as_int(value);
    if (!i) {
      r.add_error(field + "." + key,
                  "must be an integer 0.." + std::to_string(hi) + ", got " + describe_json_value(value));
      ok = false;
      continue;
    }
    out[*stat] = *i;
  }
  if (!ok) return std::nullopt;
  return out;
}

struct SideFields {
  std::optional<std::string> species;
  std::optional<std::vector<std::string>> moves;
  std::optional<std::int64_t> level;
  std::optional<dex::StatTable> ivs, avs;
  std::optional<std::string> nature, policy;
};

}  // namespace

std::variant<BattleRequest, Problem> read_battle_request(const dex::Dex& dex, ObjectReader& r, MovesWhenAbsent absent) {
  SideFields f[2];
  for (int i = 0; i < 2; ++i) {
    const std::string n = std::to_string(i + 1);
    f[i].species = r.id_or_name("pokemon_" + n + "_id", /*required=*/true);
    f[i].moves = r.id_or_name_list("pokemon_" + n + "_moves", 4);
    f[i].level = r.integer("level_" + n, 1, 100);
    f[i].ivs = read_spread_values(r, "ivs_" + n, 31, 31);
    f[i].avs = read_spread_values(r, "avs_" + n, 200, 0);
    f[i].nature = r.string("nature_" + n, 40);
    f[i].policy = r.one_of("policy_" + n, {"fixed", "greedy", "random"});
  }
  const auto turn_limit = r.integer("turn_limit", 1, 1000);

  BattleRequest out;
  battle::BattleConfig& config = out.config;
  if (turn_limit) config.turn_limit = static_cast<int>(*turn_limit);

  // Unknown Pokémon and moves are "not found" (404), reported together.
  std::vector<FieldError> missing;
  for (int i = 0; i < 2; ++i) {
    const std::string n = std::to_string(i + 1);
    battle::SideSpec spec;
    spec.species = f[i].species;
    if (f[i].moves) spec.moves = *f[i].moves;
    if (f[i].level) spec.level = static_cast<int>(*f[i].level);
    spec.ivs = f[i].ivs;
    spec.avs = f[i].avs;
    spec.nature = f[i].nature;
    if (f[i].policy) spec.policy = battle::parse_policy(*f[i].policy);
    for (const battle::SideSpecError& e : battle::apply_side_spec(dex, spec, config.side[i])) {
      switch (e.field) {
        case battle::SideSpecError::Field::Species:
          missing.push_back({"pokemon_" + n + "_id", e.message});
          break;
        case battle::SideSpecError::Field::Move:
          missing.push_back({"pokemon_" + n + "_moves[" + std::to_string(e.move_index) + "]", e.message});
          break;
        case battle::SideSpecError::Field::Nature:
          r.add_error("nature_" + n, e.message + " (e.g. Hardy, Adamant, Timid)");
          break;
      }
    }
  }
  if (!r.ok()) return validation_problem(r.take_errors());
  if (!missing.empty()) {
    Problem p = not_found(missing.front().field + ": " + missing.front().message);
    p.errors = std::move(missing);
    return p;
  }

  // Moves: learnable, distinct, implemented.
  std::vector<FieldError> errors;
  for (int i = 0; i < 2; ++i) {
    const std::string n = std::to_string(i + 1);
    battle::PokemonConfig& side = config.side[i];
    if (!f[i].moves) continue;
    out.moves_given[i] = true;
    for (std::size_t m = 0; m < side.moves.size(); ++m) {
      const std::string field = "pokemon_" + n + "_moves[" + std::to_string(m) + "]";
      const dex::Move* move = side.moves[m];
      if (std::find(side.moves.begin(), side.moves.begin() + static_cast<std::ptrdiff_t>(m), move) !=
          side.moves.begin() + static_cast<std::ptrdiff_t>(m)) {
        errors.push_back({field, move->name + " is listed twice"});
      } else if (!dex.can_learn(side.species->id, move->id)) {
        errors.push_back({field, side.species->name + " cannot learn " + move->name +
                                     " in Let's Go (level-up, TM and tutor moves only)"});
      } else if (const auto support = battle::classify_move(*move); support.unsupported) {
        errors.push_back({field, move->name + " is not implemented by the battle engine: " + *support.unsupported});
      }
    }
  }
  if (!errors.empty()) return validation_problem(std::move(errors));

  // Absent moves: chosen against the opponent as configured.
  for (int i = 0; i < 2; ++i) {
    if (out.moves_given[i]) continue;
    battle::PokemonConfig& side = config.side[i];
    const battle::PokemonConfig& other = config.side[1 - i];
    const ml::Combatant attacker = ml::make_combatant(*side.species, side.spread);
    const ml::Combatant defender = ml::make_combatant(*other.species, other.spread);
    if (absent == MovesWhenAbsent::Recommended) {
      if (const dex::Move* m = ml::recommended_move(dex, attacker, defender)) side.moves.push_back(m);
    } else {
      std::vector<ml::MoveScore> scores;
      for (const dex::Move* m : ml::battle_moves(dex, side.species->id, false)) {
        scores.push_back(ml::score_move(dex, attacker, defender, *m));
      }
      std::stable_sort(scores.begin(), scores.end(), [](const ml::MoveScore& a, const ml::MoveScore& b) {
        return a.expected_damage > b.expected_damage;
      });
      for (std::size_t k = 0; k < scores.size() && k < 4; ++k) side.moves.push_back(scores[k].move);
    }
    if (side.moves.empty()) {
      errors.push_back({"pokemon_" + std::to_string(i + 1) + "_moves",
                        side.species->name + " has no move the battle engine implements: give moves explicitly"});
    }
  }
  if (!errors.empty()) return validation_problem(std::move(errors));

  if (auto bad = battle::validate_config(dex, config)) return validation_problem({{"(battle)", *bad}});
  return out;
}

void write_battle_side(JsonWriter& out, const BattleRequest& request, int i) {
  const battle::PokemonConfig& side = request.config.side[i];
  const dex::Species& species = *side.species;
  out.begin_object();
  out.key("id").value(species.id);
  out.key("showdown_id").value(species.showdown_id);
  out.key("name").value(species.name);
  out.key("level").value(side.spread.level);
  out.key("types").begin_array().value(dex::type_name(species.types.first));
  if (species.types.dual()) out.value(dex::type_name(species.types.second));
  out.end_array();
  const dex::StatTable stats = dex::compute_stats(species.base_stats, side.spread);
  out.key("stats").begin_object();
  for (int s = 0; s < dex::kStatCount; ++s) out.key(dex::stat_key(static_cast<dex::Stat>(s))).value(stats.v[s]);
  out.end_object();
  out.key("nature").value(side.spread.nature->name);
  out.key("moves").begin_array();
  for (const dex::Move* m : side.moves) write_move_summary(out, *m);
  out.end_array();
  out.key("moves_chosen_by").value(request.moves_given[i] ? "request" : "server");
  out.key("policy").value(battle::policy_name(side.policy));
  out.end_object();
}

ordered_json battle_side_json(const BattleRequest& request, int i) {
  JsonWriter out;
  write_battle_side(out, request, i);
  return ordered_json::parse(out.text());
}

}  // namespace pdex::service
