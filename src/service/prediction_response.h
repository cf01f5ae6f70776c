// The body of a battle prediction, shared by POST /api/v1/predict/battle and `pdex predict --json` so the
// command line and the API answer with the same shape (docs/openapi.json, schema Prediction):
//   {winner, winner_name, confidence, pokemon_1_win_probability, pokemon_2_win_probability, model_version,
//    prediction_id, pokemon_1, pokemon_2}   (pokemon_N: write_battle_side, with the moves used)
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "service/battle_request.h"

namespace pdex::service {

// `p1` = P(side 1 wins). winner = 1 when p1 >= 0.5. The JSON text (written directly: json_writer.h), and the
// same read back as a tree.
std::string battle_prediction_text(const BattleRequest& request, double p1, const std::string& model_version,
                                   const std::string& prediction_id);
nlohmann::ordered_json battle_prediction_json(const BattleRequest& request, double p1, const std::string& model_version,
                                              const std::string& prediction_id);

// What the prediction log keeps as `outputs` for one such answer (JSON text): the same head fields (winner,
// winner_name, confidence, both probabilities, prediction_id) and the moves each side used (Showdown ids; chosen
// by the server when the request named none), without the echo of each side's species data (id, names, types,
// stats, nature), which the logged inputs and the Dex determine. A third of the answer's size: the log's writer
// pays per byte (bench/prediction_log_bench).
std::string battle_prediction_log_outputs(const BattleRequest& request, double p1, const std::string& prediction_id);

}  // namespace pdex::service
