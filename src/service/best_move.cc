#include "service/best_move.h"

#include <algorithm>
#include <stdexcept>

#include "battle/battle_config.h"
#include "battle/move_support.h"
#include "ml/move_scoring.h"
#include "service/dex_views.h"

namespace pdex::service {
namespace {

using nlohmann::ordered_json;

// Resolves a list of move keys; unknown ones go to `missing` (404), the rest are checked against `species`.
std::vector<const dex::Move*> resolve_moves(const dex::Dex& dex, const dex::Species* species, const std::string& field,
                                            const std::vector<std::string>& keys, std::vector<FieldError>& missing,
                                            std::vector<FieldError>& invalid) {
  std::vector<const dex::Move*> out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string name = field + "[" + std::to_string(i) + "]";
    const dex::Move* m = dex.find_move(keys[i]);
    if (!m) {
      missing.push_back({name, "unknown move '" + keys[i] + "'"});
      continue;
    }
    if (!species) continue;  // the species is unknown: reported already
    if (std::find(out.begin(), out.end(), m) != out.end()) {
      invalid.push_back({name, m->name + " is listed twice"});
    } else if (!dex.can_learn(species->id, m->id)) {
      invalid.push_back(
          {name, species->name + " cannot learn " + m->name + " in Let's Go (level-up, TM and tutor moves only)"});
    } else if (const auto support = battle::classify_move(*m); support.unsupported) {
      invalid.push_back({name, m->name + " is not implemented by the battle engine: " + *support.unsupported});
    }
    out.push_back(m);
  }
  return out;
}

ordered_json side_json(const dex::Species& s, const dex::StatSpread& spread) {
  return ordered_json{{"id", s.id},
                      {"showdown_id", s.showdown_id},
                      {"name", s.name},
                      {"level", spread.level},
                      {"types", typing_names(s.types)}};
}

}  // namespace

std::variant<BestMoveRequest, Problem> read_best_move_request(const dex::Dex& dex, ObjectReader& r) {
  const auto key_a = r.id_or_name("pokemon_a_id", /*required=*/true);
  const auto key_b = r.id_or_name("pokemon_b_id", /*required=*/true);
  const auto moves_a = r.id_or_name_list("available_moves", kMaxCandidateMoves);
  const auto moves_b = r.id_or_name_list("available_moves_b", 4);
  const auto level_a = r.integer("level_a", 1, 100);
  const auto level_b = r.integer("level_b", 1, 100);
  r.reject_unknown();
  if (!r.ok()) return validation_problem(r.take_errors());

  BestMoveRequest out;
  std::vector<FieldError> missing, invalid;
  out.a = dex.find_species(*key_a);
  if (!out.a) missing.push_back({"pokemon_a_id", "unknown Pokémon '" + *key_a + "'"});
  out.b = dex.find_species(*key_b);
  if (!out.b) missing.push_back({"pokemon_b_id", "unknown Pokémon '" + *key_b + "'"});
  if (level_a) out.spread_a.level = static_cast<int>(*level_a);
  if (level_b) out.spread_b.level = static_cast<int>(*level_b);
  if (moves_a) {
    out.candidates_given = true;
    out.candidates = resolve_moves(dex, out.a, "available_moves", *moves_a, missing, invalid);
  }
  if (moves_b) {
    out.moves_b_given = true;
    out.moves_b = resolve_moves(dex, out.b, "available_moves_b", *moves_b, missing, invalid);
  }
  if (!missing.empty()) {
    Problem p = not_found(missing.front().field + ": " + missing.front().message);
    p.errors = std::move(missing);
    return p;
  }
  if (!invalid.empty()) return validation_problem(std::move(invalid));

  if (!out.candidates_given) {
    out.candidates = ml::battle_moves(dex, out.a->id, /*damaging_only=*/false);
    if (out.candidates.empty()) {
      return validation_problem({{"available_moves", out.a->name + " has no move the battle engine implements"}});
    }
  }
  if (!out.moves_b_given) {
    const ml::Combatant b = ml::make_combatant(*out.b, out.spread_b);
    const ml::Combatant a = ml::make_combatant(*out.a, out.spread_a);
    const dex::Move* m = ml::recommended_move(dex, b, a);
    if (!m) {
      return validation_problem(
          {{"available_moves_b", out.b->name + " has no move the battle engine implements: give moves explicitly"}});
    }
    out.moves_b.push_back(m);
  }
  return out;
}

BestMoveResult rank_moves(const dex::Dex& dex, const ServedModel& model, const BestMoveRequest& request) {
  const ml::Combatant a = ml::make_combatant(*request.a, request.spread_a);
  const ml::Combatant b = ml::make_combatant(*request.b, request.spread_b);
  battle::BattleConfig config;
  config.side[0].species = request.a;
  config.side[0].spread = request.spread_a;
  config.side[1].species = request.b;
  config.side[1].spread = request.spread_b;
  config.side[1].moves = request.moves_b;

  BestMoveResult out;
  std::vector<std::vector<float>> features(request.candidates.size());
  for (std::size_t i = 0; i < request.candidates.size(); ++i) {
    const dex::Move* m = request.candidates[i];
    config.side[0].moves = {m};
    if (auto bad = battle::validate_config(dex, config)) throw std::invalid_argument(*bad);
    const ml::MoveScore score = ml::score_move(dex, a, b, *m);
    RankedMove r;
    r.move = m;
    r.win_probability = model.predict_p1_win_with_features(dex, config, features[i]);
    r.expected_damage = score.expected_damage;
    r.type_multiplier = score.effectiveness;
    r.stab = score.stab;
    r.power = score.power;
    out.rankings.push_back(r);
  }
  std::vector<std::size_t> order(out.rankings.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const RankedMove &p = out.rankings[x], &q = out.rankings[y];
    if (p.win_probability != q.win_probability) return p.win_probability > q.win_probability;
    if (p.expected_damage != q.expected_damage) return p.expected_damage > q.expected_damage;
    return p.move->id < q.move->id;
  });
  std::vector<RankedMove> sorted;
  for (std::size_t i : order) sorted.push_back(out.rankings[i]);
  if (!order.empty()) out.best_features = std::move(features[order.front()]);
  out.rankings = std::move(sorted);
  return out;
}

ordered_json best_move_json(const BestMoveRequest& request, const BestMoveResult& result) {
  ordered_json rankings = ordered_json::array();
  int rank = 0;
  for (const RankedMove& r : result.rankings) {
    const dex::Move& m = *r.move;
    rankings.push_back({{"rank", ++rank},
                        {"move", m.name},
                        {"move_id", m.id},
                        {"showdown_id", m.showdown_id},
                        {"type", std::string(dex::type_name(m.type))},
                        {"category", std::string(dex::category_name(m.category))},
                        {"power", r.power},
                        {"accuracy", m.accuracy ? ordered_json(*m.accuracy) : ordered_json(nullptr)},
                        {"priority", m.priority},
                        {"stab", r.stab},
                        {"type_multiplier", r.type_multiplier},
                        {"win_probability", r.win_probability},
                        {"predicted_winner", r.win_probability >= 0.5 ? "A" : "B"}});
  }
  const RankedMove& best = result.rankings.front();
  ordered_json b = side_json(*request.b, request.spread_b);
  ordered_json moves_b = ordered_json::array();
  for (const dex::Move* m : request.moves_b) moves_b.push_back(move_summary(*m));
  b["moves"] = std::move(moves_b);
  b["moves_chosen_by"] = request.moves_b_given ? "request" : "server";
  ordered_json a = side_json(*request.a, request.spread_a);
  a["candidates"] = result.rankings.size();
  a["candidates_chosen_by"] = request.candidates_given ? "request" : "server";
  return ordered_json{{"recommended_move", best.move->name},
                      {"recommended_move_id", best.move->id},
                      {"win_probability", best.win_probability},
                      {"predicted_winner", best.win_probability >= 0.5 ? "A" : "B"},
                      {"move_rankings", std::move(rankings)},
                      {"pokemon_a", std::move(a)},
                      {"pokemon_b", std::move(b)}};
}

}  // namespace pdex::service
