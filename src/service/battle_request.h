// The battle description shared by POST /api/v1/simulate/battle, /simulate/odds and /predict/battle:
//
//   pokemon_1_id, pokemon_2_id   required; national dex number / form id, Showdown id or name
//   pokemon_1_moves, _2_moves    1..4 move ids or names, distinct, learnable (LGPE levelup/tm/tutor) and
//                                implemented by the engine; absent: see MovesWhenAbsent
//   level_1, level_2             1..100, default 50
//   ivs_1, ivs_2                 0..31 for all six stats, or {"hp","atk","def","spa","spd","spe"} (missing keys 31)
//   avs_1, avs_2                 0..200, same shapes (missing keys 0)
//   nature_1, nature_2           a nature name (default Hardy, neutral)
//   policy_1, policy_2           fixed (first move) | greedy (default) | random
//   turn_limit                   1..1000, default 500 (reaching it is a draw)
//
// Errors: 404 naming the field for an unknown Pokémon or move (DESIGN §3); 422 naming the field for
// anything else (wrong type or range, unlearnable move, move the engine does not implement, with its reason).
#pragma once

#include <variant>

#include "battle/battle_config.h"
#include "dex/dex.h"
#include "service/json_body.h"
#include "service/json_writer.h"

namespace pdex::service {

enum class MovesWhenAbsent {
  BestFour,     // the 4 usable, engine-supported moves with the highest greedy score against the opponent
  Recommended,  // the one greedy-recommended move (ml::recommended_move), as the predict route does
};

struct BattleRequest {
  battle::BattleConfig config;
  bool moves_given[2] = {false, false};
};

// Reads the fields above through `reader` (which records what it read, for reject_unknown). On success the
// config passed battle::validate_config. Returns a Problem (404 or 422) otherwise; errors already in `reader`
// from other fields are included in the 422.
std::variant<BattleRequest, Problem> read_battle_request(const dex::Dex& dex, ObjectReader& reader,
                                                         MovesWhenAbsent absent);

// {id, showdown_id, name, level, types, stats, moves: [move summaries], moves_chosen_by, policy}, written as
// the next value of `out` (the one definition of this shape); battle_side_json reads it back as a tree for
// answers built with nlohmann.
void write_battle_side(JsonWriter& out, const BattleRequest& request, int side);
nlohmann::ordered_json battle_side_json(const BattleRequest& request, int side);

}  // namespace pdex::service
