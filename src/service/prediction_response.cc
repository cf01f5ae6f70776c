#include "service/prediction_response.h"

namespace pdex::service {

namespace {

// winner .. pokemon_2_win_probability, in the answer's order.
nlohmann::ordered_json prediction_head(const BattleRequest& request, double p1) {
  const int winner = p1 >= 0.5 ? 1 : 2;
  nlohmann::ordered_json out = nlohmann::ordered_json::object();  // not an initializer list: see battle_side_json
  out["winner"] = winner;
  out["winner_name"] = request.config.side[winner - 1].species->name;
  out["confidence"] = winner == 1 ? p1 : 1 - p1;
  out["pokemon_1_win_probability"] = p1;
  out["pokemon_2_win_probability"] = 1 - p1;
  return out;
}

}  // namespace

nlohmann::ordered_json battle_prediction_json(const BattleRequest& request, double p1, const std::string& model_version,
                                              const std::string& prediction_id) {
  nlohmann::ordered_json out = prediction_head(request, p1);
  out["model_version"] = model_version;
  out["prediction_id"] = prediction_id;
  out["pokemon_1"] = battle_side_json(request, 0);
  out["pokemon_2"] = battle_side_json(request, 1);
  return out;
}

nlohmann::ordered_json battle_prediction_log_outputs(const BattleRequest& request, double p1,
                                                     const std::string& prediction_id) {
  nlohmann::ordered_json out = prediction_head(request, p1);
  out["prediction_id"] = prediction_id;
  for (int i = 0; i < 2; ++i) {
    nlohmann::ordered_json moves = nlohmann::ordered_json::array();
    for (const dex::Move* m : request.config.side[i].moves) moves.push_back(m->showdown_id);
    out[i == 0 ? "pokemon_1_moves" : "pokemon_2_moves"] = std::move(moves);
  }
  return out;
}

}  // namespace pdex::service
