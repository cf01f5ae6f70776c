// POST /api/v1/predict/best-move (DESIGN §3): which of A's moves gives A the best chance against B, according
// to the served model. Each candidate move is scored as the battle "A knows only this move vs B with its
// moveset", through the same feature function and model as /predict/battle, so the two routes agree.
//
// Request (unknown top-level fields are 422, like every route):
//   pokemon_a_id, pokemon_b_id   required; dex number / form id, Showdown id or name
//   available_moves              1..kMaxCandidateMoves distinct moves A may use (ids or names), each learnable
//                                by A in LGPE and implemented by the engine; absent: every such move of A
//   available_moves_b            1..4 distinct moves of B, same checks; absent: B's recommended move against A
//   level_a, level_b             1..100, default 50
// Errors: 404 naming the field for an unknown Pokémon or move (available_moves[2]); 422 naming the field for
// anything else (unlearnable, listed twice, not implemented by the engine, wrong type or range).
#pragma once

#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "dex/dex.h"
#include "service/json_body.h"
#include "service/model_provider.h"

namespace pdex::service {

inline constexpr std::size_t kMaxCandidateMoves = 64;

struct BestMoveRequest {
  const dex::Species* a = nullptr;
  const dex::Species* b = nullptr;
  dex::StatSpread spread_a, spread_b;        // levels from the request; IV 31, AV 0, neutral nature
  std::vector<const dex::Move*> candidates;  // A's moves to rank (request order, or by id when absent)
  std::vector<const dex::Move*> moves_b;     // B's moveset in every scored battle
  bool candidates_given = false, moves_b_given = false;
};

std::variant<BestMoveRequest, Problem> read_best_move_request(const dex::Dex& dex, ObjectReader& reader);

struct RankedMove {
  const dex::Move* move = nullptr;
  double win_probability = 0;  // P(A wins) with this move
  double expected_damage = 0;  // greedy score against B (tie-break)
  double type_multiplier = 1;
  bool stab = false;
  int power = 0;  // as used against B (variable-power moves resolved), 0 for status/fixed/OHKO
};

struct BestMoveResult {
  std::vector<RankedMove> rankings;  // best first: win probability, then expected damage, then move id
  std::vector<float> best_features;  // the model's features for the best move's battle (prediction log)
};

// Ranks every candidate with `model`. Throws std::invalid_argument (a client-facing reason) when a battle
// fails battle::validate_config or the model refuses it.
BestMoveResult rank_moves(const dex::Dex& dex, const ServedModel& model, const BestMoveRequest& request);

// The response body without model_version / prediction_id (the handler adds them).
nlohmann::ordered_json best_move_json(const BestMoveRequest& request, const BestMoveResult& result);

}  // namespace pdex::service
