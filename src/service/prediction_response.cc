#include "service/prediction_response.h"

#include "service/json_writer.h"

namespace pdex::service {
namespace {

// winner .. pokemon_2_win_probability, in the answer's order, as the first members of an open object.
void write_prediction_head(JsonWriter& out, const BattleRequest& request, double p1) {
  const int winner = p1 >= 0.5 ? 1 : 2;
  out.key("winner").value(winner);
  out.key("winner_name").value(request.config.side[winner - 1].species->name);
  out.key("confidence").value(winner == 1 ? p1 : 1 - p1);
  out.key("pokemon_1_win_probability").value(p1);
  out.key("pokemon_2_win_probability").value(1 - p1);
}

}  // namespace

std::string battle_prediction_text(const BattleRequest& request, double p1, const std::string& model_version,
                                   const std::string& prediction_id) {
  JsonWriter out(1536);
  out.begin_object();
  write_prediction_head(out, request, p1);
  out.key("model_version").value(model_version);
  out.key("prediction_id").value(prediction_id);
  out.key("pokemon_1");
  write_battle_side(out, request, 0);
  out.key("pokemon_2");
  write_battle_side(out, request, 1);
  out.end_object();
  return out.take();
}

nlohmann::ordered_json battle_prediction_json(const BattleRequest& request, double p1, const std::string& model_version,
                                              const std::string& prediction_id) {
  return nlohmann::ordered_json::parse(battle_prediction_text(request, p1, model_version, prediction_id));
}

std::string battle_prediction_log_outputs(const BattleRequest& request, double p1, const std::string& prediction_id) {
  JsonWriter out(384);
  out.begin_object();
  write_prediction_head(out, request, p1);
  out.key("prediction_id").value(prediction_id);
  for (int i = 0; i < 2; ++i) {
    out.key(i == 0 ? "pokemon_1_moves" : "pokemon_2_moves").begin_array();
    for (const dex::Move* m : request.config.side[i].moves) out.value(m->showdown_id);
    out.end_array();
  }
  out.end_object();
  return out.take();
}

}  // namespace pdex::service
