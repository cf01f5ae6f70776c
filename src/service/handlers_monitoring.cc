// GET /api/v1/monitoring/drift: the online drift of the current model's inputs and outputs
// (service/prediction_monitor.h), the same figures /metrics exposes, with the thresholds they are judged by.
// 503 "model not loaded" while there is no model.
#include "service/api_server.h"
#include "service/handler_support.h"

namespace pdex::service {

void register_monitoring_routes(Router& router, ServiceState& state) {
  router.add(http::verb::get, "/api/v1/monitoring/drift", "read", [&state](const Request&, RequestContext& ctx) {
    QueryReader q(ctx.query);
    q.reject_unknown();
    if (!q.ok()) return problem_for(ctx, validation_problem(q.take_errors()));
    const auto model = state.models.current();
    if (!model || !state.monitor) {
      Response res = problem_for(ctx, make_problem(503, "model not loaded"));
      res.set(http::field::retry_after, "30");
      return res;
    }
    return json_response(state.monitor->drift_json(model));
  });
}

}  // namespace pdex::service
