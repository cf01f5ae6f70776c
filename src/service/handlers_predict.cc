// POST /api/v1/predict/battle and GET /api/v1/model: answered by the model in ServiceState::models
// (model_provider.h); 503 "model not loaded" while there is none. The body is validated first, so a client
// learns about its own mistakes (4xx) whether or not a model is loaded.
#include "service/api_server.h"
#include "service/battle_request.h"
#include "service/handler_support.h"
#include "service/prediction_log.h"
#include "service/standard_middleware.h"

namespace pdex::service {
namespace {

using nlohmann::ordered_json;

Response model_not_loaded(const RequestContext& ctx) {
  Response res = problem_for(ctx, make_problem(503, "model not loaded"));
  res.set(http::field::retry_after, "30");
  return res;
}

Response predict_battle(ServiceState& state, const Request& req, RequestContext& ctx) {
  auto body = parse_json_object_body(req);
  if (auto* p = std::get_if<Problem>(&body)) return problem_for(ctx, std::move(*p));
  ObjectReader r(std::get<nlohmann::json>(body));
  auto parsed = read_battle_request(*state.dex, r, MovesWhenAbsent::Recommended);
  if (auto* p = std::get_if<Problem>(&parsed)) return problem_for(ctx, std::move(*p));
  r.reject_unknown();
  if (!r.ok()) return problem_for(ctx, validation_problem(r.take_errors()));
  const BattleRequest& battle_req = std::get<BattleRequest>(parsed);

  const auto model = state.models.current();  // held for the whole request, whatever swaps meanwhile
  if (!model) return model_not_loaded(ctx);
  double p1;
  std::vector<float> features;  // for the prediction log
  try {
    p1 = model->predict_p1_win_with_features(*state.dex, battle_req.config, features);
  } catch (const std::invalid_argument& e) {
    return problem_for(ctx, validation_problem({{"(battle)", e.what()}}));
  }
  const int winner = p1 >= 0.5 ? 1 : 2;
  const std::string prediction_id = generate_request_id();
  ctx.log_fields["model_version"] = model->version();
  ctx.log_fields["prediction_id"] = prediction_id;
  ordered_json out = {{"winner", winner},
                      {"winner_name", battle_req.config.side[winner - 1].species->name},
                      {"confidence", winner == 1 ? p1 : 1 - p1},
                      {"pokemon_1_win_probability", p1},
                      {"pokemon_2_win_probability", 1 - p1},
                      {"model_version", model->version()},
                      {"prediction_id", prediction_id},
                      {"pokemon_1", battle_side_json(battle_req, 0)},
                      {"pokemon_2", battle_side_json(battle_req, 1)}};
  if (state.prediction_log) {
    // Off the request path: a bounded queue drained by a background writer (prediction_log.h).
    state.prediction_log->enqueue(
        make_prediction_record(ctx, prediction_id, std::get<nlohmann::json>(body), out, model->version(), features));
  }
  return json_response(out);
}

}  // namespace

void register_predict_routes(Router& router, ServiceState& state) {
  router.add(http::verb::post, "/api/v1/predict/battle", "predict",
             [&state](const Request& req, RequestContext& ctx) { return predict_battle(state, req, ctx); });
  router.add(http::verb::get, "/api/v1/model", "read", [&state](const Request&, RequestContext& ctx) {
    const auto model = state.models.current();
    if (!model) return model_not_loaded(ctx);
    return json_response(model->card());
  });
}

}  // namespace pdex::service
