#include "service/prediction_response.h"

namespace pdex::service {

nlohmann::ordered_json battle_prediction_json(const BattleRequest& request, double p1, const std::string& model_version,
                                              const std::string& prediction_id) {
  const int winner = p1 >= 0.5 ? 1 : 2;
  return nlohmann::ordered_json{{"winner", winner},
                                {"winner_name", request.config.side[winner - 1].species->name},
                                {"confidence", winner == 1 ? p1 : 1 - p1},
                                {"pokemon_1_win_probability", p1},
                                {"pokemon_2_win_probability", 1 - p1},
                                {"model_version", model_version},
                                {"prediction_id", prediction_id},
                                {"pokemon_1", battle_side_json(request, 0)},
                                {"pokemon_2", battle_side_json(request, 1)}};
}

}  // namespace pdex::service
