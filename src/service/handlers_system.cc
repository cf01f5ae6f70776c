// GET /health, /ready, /metrics, /openapi.json.
#include <chrono>
#include <cmath>

#include "common/version.h"
#include "service/api_server.h"
#include "service/handler_support.h"
#include "service/openapi_document.h"
#include "service/prediction_log.h"

namespace pdex::service {

void register_system_routes(Router& router, ServiceState& state) {
  router.add(
      http::verb::get, "/health", "public",
      [&state](const Request&, RequestContext&) {
        const double uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - state.started).count();
        nlohmann::ordered_json body = {{"status", "ok"},
                                       {"version", kVersion},
                                       {"git_hash", kGitHash},
                                       {"uptime_s", std::round(uptime * 1000) / 1000}};
        return json_response(body);
      },
      Execution::Inline);  // a few microseconds: answered by the I/O thread, the HTTP ceiling in benchmarks

  router.add(http::verb::get, "/ready", "public", [&state](const Request&, RequestContext& ctx) {
    nlohmann::ordered_json checks;
    std::vector<FieldError> reasons;
    const auto model = state.models.current();
    if (model) {
      checks["model"] = {{"ok", true}, {"version", model->version()}};
    } else {
      checks["model"] = {{"ok", false}, {"detail", "model not loaded"}};
      reasons.push_back({"model", "model not loaded"});
    }
    const auto db = state.database_status();
    if (!db) {
      checks["database"] = {{"ok", true}};
    } else {
      checks["database"] = {{"ok", false}, {"detail", *db}};
      reasons.push_back({"database", *db});
    }
    checks["dex"] = {{"ok", state.dex != nullptr}, {"source", state.dex_source}};
    // A failing or overflowing prediction log degrades the service but does not take it out of rotation.
    bool degraded = false;
    if (state.prediction_log) {
      checks["prediction_log"] = state.prediction_log->ready_check();
      degraded = !checks["prediction_log"]["ok"].get<bool>();
    }
    if (!reasons.empty()) {
      Problem p = make_problem(503, "not ready: " + reasons.front().field + ": " + reasons.front().message);
      p.errors = std::move(reasons);
      p.extensions["checks"] = checks;
      // 503 takes the instance out of rotation (DESIGN §3), but an operator must still see whether it answers
      // predictions: with a model and the database down it does (the prediction log buffers), so "degraded".
      p.extensions["readiness"] = model ? "degraded" : "unavailable";
      Response res = problem_for(ctx, std::move(p));
      res.set(http::field::retry_after, "5");
      return res;
    }
    return json_response(nlohmann::ordered_json{{"status", degraded ? "degraded" : "ready"}, {"checks", checks}});
  });

  state.metrics.gauge_callback("pdex_model_info", "The model being served (value 1), by version.", {"version"},
                               [&state] {
                                 std::vector<CallbackGaugeFamily::Sample> out;
                                 if (auto m = state.models.current()) out.push_back({{m->version()}, 1});
                                 return out;
                               });

  router.add(http::verb::get, "/metrics", "public", [&state](const Request&, RequestContext&) {
    Response r{http::status::ok, 11};
    r.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    r.body() = state.metrics.render();
    return r;
  });

  router.add(
      http::verb::get, "/openapi.json", "public",
      [](const Request&, RequestContext&) {
        Response r{http::status::ok, 11};
        r.set(http::field::content_type, "application/json");
        r.body() = std::string(openapi_document());
        return r;
      },
      Execution::Inline);
}

}  // namespace pdex::service
