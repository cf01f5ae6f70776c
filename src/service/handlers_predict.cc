// POST /api/v1/predict/battle, /api/v1/predict/best-move and GET /api/v1/model: answered by the model in
// ServiceState::models (model_provider.h); 503 "model not loaded" while there is none. The body is validated first, so
// a client learns about its own mistakes (4xx) whether or not a model is loaded.
#include "service/api_server.h"
#include "service/battle_request.h"
#include "service/best_move.h"
#include "service/handler_support.h"
#include "service/prediction_log.h"
#include "service/prediction_response.h"
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
  const std::string prediction_id = generate_prediction_id();
  ctx.log_fields["model_version"] = model->version();
  ctx.log_fields["prediction_id"] = prediction_id;
  Response res = json_text_response(battle_prediction_text(battle_req, p1, model->version(), prediction_id));
  if (state.monitor) state.monitor->record_prediction(*model, features, p1, winner);
  if (state.prediction_log) {
    // Off the request path: a bounded queue drained by a background writer (prediction_log.h).
    state.prediction_log->enqueue(make_prediction_record(ctx, prediction_id, std::move(std::get<nlohmann::json>(body)),
                                                         battle_prediction_log_outputs(battle_req, p1, prediction_id),
                                                         model->version(), std::move(features)));
  }
  return res;
}

// POST /api/v1/predict/best-move (best_move.h).
Response predict_best_move(ServiceState& state, const Request& req, RequestContext& ctx) {
  auto body = parse_json_object_body(req);
  if (auto* p = std::get_if<Problem>(&body)) return problem_for(ctx, std::move(*p));
  ObjectReader r(std::get<nlohmann::json>(body));
  auto parsed = read_best_move_request(*state.dex, r);
  if (auto* p = std::get_if<Problem>(&parsed)) return problem_for(ctx, std::move(*p));
  const BestMoveRequest& request = std::get<BestMoveRequest>(parsed);

  const auto model = state.models.current();  // one model for every candidate, whatever swaps meanwhile
  if (!model) return model_not_loaded(ctx);
  BestMoveResult result;
  try {
    result = rank_moves(*state.dex, *model, request);
  } catch (const std::invalid_argument& e) {
    return problem_for(ctx, validation_problem({{"(battle)", e.what()}}));
  }
  const std::string prediction_id = generate_prediction_id();
  ctx.log_fields["model_version"] = model->version();
  ctx.log_fields["prediction_id"] = prediction_id;
  ordered_json out = best_move_json(request, result);
  out["model_version"] = model->version();
  out["prediction_id"] = prediction_id;
  // Monitoring sees the recommended move's battle (A as side 1), like a /predict/battle answer.
  const double best_p = result.rankings.front().win_probability;
  if (state.monitor) state.monitor->record_prediction(*model, result.best_features, best_p, best_p >= 0.5 ? 1 : 2);
  Response res = json_response(out);
  if (state.prediction_log) {
    state.prediction_log->enqueue(make_prediction_record(ctx, prediction_id, std::move(std::get<nlohmann::json>(body)),
                                                         res.body(), model->version(), result.best_features));
  }
  return res;
}

}  // namespace

void register_predict_routes(Router& router, ServiceState& state) {
  router.add(http::verb::post, "/api/v1/predict/battle", "predict",
             [&state](const Request& req, RequestContext& ctx) { return predict_battle(state, req, ctx); });
  router.add(http::verb::post, "/api/v1/predict/best-move", "predict",
             [&state](const Request& req, RequestContext& ctx) { return predict_best_move(state, req, ctx); });
  router.add(http::verb::get, "/api/v1/model", "read", [&state](const Request&, RequestContext& ctx) {
    const auto model = state.models.current();
    if (!model) return model_not_loaded(ctx);
    return json_response(model->card());
  });
}

}  // namespace pdex::service
