// POST /api/v1/simulate/battle (one seeded battle, turn by turn) and /api/v1/simulate/odds (engine win
// probabilities, exact or Monte Carlo). Body fields: battle_request.h, plus seed, method, n.
#include <random>

#include "battle/battle.h"
#include "battle/event_log.h"
#include "battle/odds.h"
#include "service/api_server.h"
#include "service/battle_request.h"
#include "service/handler_support.h"

namespace pdex::service {
namespace {

using nlohmann::ordered_json;

constexpr std::int64_t kMaxSeed = (std::int64_t{1} << 53) - 1;  // exact in a JSON double

Response simulate_battle(const ServiceState& state, const Request& req, RequestContext& ctx) {
  auto body = parse_json_object_body(req);
  if (auto* p = std::get_if<Problem>(&body)) return problem_for(ctx, std::move(*p));
  const nlohmann::json& json = std::get<nlohmann::json>(body);
  ObjectReader r(json);
  const auto seed_field = r.integer("seed", 0, kMaxSeed);
  auto parsed = read_battle_request(*state.dex, r, MovesWhenAbsent::BestFour);
  if (auto* p = std::get_if<Problem>(&parsed)) return problem_for(ctx, std::move(*p));
  r.reject_unknown();
  if (!r.ok()) return problem_for(ctx, validation_problem(r.take_errors()));
  const BattleRequest& battle_req = std::get<BattleRequest>(parsed);

  std::uint64_t seed;
  if (seed_field) {
    seed = static_cast<std::uint64_t>(*seed_field);
  } else {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    seed = rng() & static_cast<std::uint64_t>(kMaxSeed);
  }
  battle::Rng rng(seed);
  battle::EventLog log;
  const battle::BattleResult result = battle::run_battle(*state.dex, battle_req.config, rng, &log);
  ordered_json events = ordered_json::array();
  for (const battle::Event& e : log.events) events.push_back(battle::event_json(log, e));
  ordered_json out = {
      {"winner", result.winner},
      {"winner_name", result.winner == 0 ? ordered_json(nullptr)
                                         : ordered_json(battle_req.config.side[result.winner - 1].species->name)},
      {"turns", result.turns},
      {"seed", seed},
      {"turn_limit", battle_req.config.turn_limit},
      {"pokemon_1", battle_side_json(battle_req, 0)},
      {"pokemon_2", battle_side_json(battle_req, 1)},
      {"events", std::move(events)}};
  return json_response(out);
}

Response simulate_odds(const ServiceState& state, const Request& req, RequestContext& ctx) {
  auto body = parse_json_object_body(req);
  if (auto* p = std::get_if<Problem>(&body)) return problem_for(ctx, std::move(*p));
  const nlohmann::json& json = std::get<nlohmann::json>(body);
  ObjectReader r(json);
  const auto method_text = r.one_of("method", {"auto", "exact", "mc"});
  const auto n = r.integer("n", 1, state.config.max_odds_n);
  const auto seed = r.integer("seed", 0, kMaxSeed);
  auto parsed = read_battle_request(*state.dex, r, MovesWhenAbsent::BestFour);
  if (auto* p = std::get_if<Problem>(&parsed)) return problem_for(ctx, std::move(*p));
  r.reject_unknown();
  if (!r.ok()) return problem_for(ctx, validation_problem(r.take_errors()));
  const BattleRequest& battle_req = std::get<BattleRequest>(parsed);

  const battle::OddsMethod method = *battle::parse_odds_method(method_text.value_or("auto"));
  const std::int64_t samples = n.value_or(10'000);
  const std::uint64_t s = static_cast<std::uint64_t>(seed.value_or(1));
  if (method == battle::OddsMethod::Exact) {
    if (auto why = battle::exact_unsupported_reason(*state.dex, battle_req.config)) {
      return problem_for(ctx,
                         validation_problem({{"method", "exact odds are not available for this battle: " + *why}}));
    }
  }
  battle::Odds odds;
  try {
    odds = battle::compute_odds(*state.dex, battle_req.config, method, samples, s);
  } catch (const std::invalid_argument& e) {
    return problem_for(ctx, validation_problem({{"method", e.what()}}));
  }
  ordered_json out = {{"pokemon_1_win_probability", odds.p1_win},
                      {"pokemon_2_win_probability", odds.p2_win},
                      {"draw_probability", odds.draw},
                      {"method", std::string(battle::odds_method_name(odds.method))},
                      {"requested_method", std::string(battle::odds_method_name(method))},
                      {"n", odds.n},
                      {"seed", odds.method == battle::OddsMethod::MonteCarlo ? ordered_json(s) : ordered_json(nullptr)},
                      {"ci", {{"level", 0.99}, {"low", odds.p1_ci99_low}, {"high", odds.p1_ci99_high}}},
                      {"states", odds.states},
                      {"pokemon_1", battle_side_json(battle_req, 0)},
                      {"pokemon_2", battle_side_json(battle_req, 1)}};
  return json_response(out);
}

}  // namespace

void register_simulate_routes(Router& router, ServiceState& state) {
  router.add(http::verb::post, "/api/v1/simulate/battle", "predict",
             [&state](const Request& req, RequestContext& ctx) { return simulate_battle(state, req, ctx); });
  router.add(http::verb::post, "/api/v1/simulate/odds", "predict",
             [&state](const Request& req, RequestContext& ctx) { return simulate_odds(state, req, ctx); });
}

}  // namespace pdex::service
