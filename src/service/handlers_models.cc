// The model registry over HTTP (store/registry_repository.h, registry/promotion.h):
//   GET  /api/v1/models                                      models, versions, aliases (read)
//   GET  /api/v1/models/{name}                               one model: versions and audit history (read)
//   POST /api/v1/models/{name}/versions/{version}/promote    the CLI's promotion, same checks (admin)
//   POST /api/v1/models/{name}/rollback                      restore the previous production version (admin)
// Each request opens its own database connection (these routes are rare; the predict path never touches
// the registry). A refused promotion is 409 problem+json of type urn:pdex:problem:promotion-refused whose
// detail and "failed" name the checks that failed; every replica serves the new production version within
// its PDEX_MODEL_POLL period (registry_model_watcher.h).
#include <fstream>
#include <memory>

#include "registry/promotion.h"
#include "service/api_server.h"
#include "service/handler_support.h"
#include "service/json_body.h"
#include "store/database.h"
#include "store/registry_repository.h"

namespace pdex::service {
namespace {

using nlohmann::json;

// The registry as clients see it: no server paths.
json public_version(const store::ModelVersion& v) {
  json j = v.to_json();
  j.erase("artifact_path");
  return j;
}

json model_summary(store::RegistryRepository& repo, const store::RegisteredModel& m) {
  json versions = json::array();
  for (const auto& v : repo.versions(m.name)) versions.push_back(public_version(v));
  return m.to_json(std::move(versions));
}

Problem unavailable(const std::string& detail) {
  Problem p = make_problem(503, "model registry unavailable: " + detail);
  return p;
}

std::string actor_of(const RequestContext& ctx) {
  if (ctx.principal.authenticated && !ctx.principal.key_id.empty()) return "apikey:" + ctx.principal.key_id;
  return "anonymous@" + ctx.peer.address;
}

// The "reason" of a POST body: required for promote, optional for rollback. nullopt + `problem` on error.
std::optional<std::string> read_reason(const Request& req, bool required, std::optional<Problem>& problem) {
  if (req.body().empty() && !required) return std::string("rollback through the API");
  auto parsed = parse_json_object_body(req);
  if (auto* p = std::get_if<Problem>(&parsed)) {
    problem = std::move(*p);
    return std::nullopt;
  }
  const json& body = std::get<json>(parsed);
  ObjectReader reader(body);
  auto reason = reader.string("reason", 500, required);
  reader.reject_unknown();
  if (!reader.ok()) {
    problem = validation_problem(reader.take_errors());
    return std::nullopt;
  }
  return reason.value_or("rollback through the API");
}

std::optional<int> version_param(const RequestContext& ctx, std::optional<Problem>& problem) {
  const auto it = ctx.path_params.find("version");
  const std::string text = it == ctx.path_params.end() ? "" : it->second;
  int v = 0;
  bool ok = !text.empty() && text.size() <= 9;
  for (char c : text) ok = ok && c >= '0' && c <= '9';
  if (ok) v = std::stoi(text);
  if (!ok || v < 1) {
    problem = validation_problem({{"version", "must be a positive integer, got '" + text + "'"}});
    return std::nullopt;
  }
  return v;
}

Response list_models(ServiceState& state, RequestContext& ctx) {
  try {
    store::Database db(state.config.database_url);
    store::RegistryRepository repo(db.session());
    json models = json::array();
    for (const auto& m : repo.list_models()) models.push_back(model_summary(repo, m));
    return json_response(json{{"models", models}});
  } catch (const store::DatabaseError& e) {
    return problem_for(ctx, unavailable(e.what()));
  }
}

Response get_model(ServiceState& state, RequestContext& ctx) {
  const std::string name = ctx.path_params["name"];
  try {
    store::Database db(state.config.database_url);
    store::RegistryRepository repo(db.session());
    const auto m = repo.find_model(name);
    if (!m) return problem_for(ctx, not_found("no registered model '" + name + "'"));
    json out = model_summary(repo, *m);
    json history = json::array();
    for (const auto& t : repo.history(name)) history.push_back(t.to_json());
    out["history"] = history;
    return json_response(out);
  } catch (const store::DatabaseError& e) {
    return problem_for(ctx, unavailable(e.what()));
  }
}

Response registry_problem(const RequestContext& ctx, const store::RegistryError& e) {
  if (e.kind() == store::RegistryError::Kind::NotFound) return problem_for(ctx, not_found(e.what()));
  Problem p = make_problem(409, e.what());
  return problem_for(ctx, std::move(p));
}

Response promote(ServiceState& state, const Request& req, RequestContext& ctx) {
  std::optional<Problem> problem;
  const auto version = version_param(ctx, problem);
  if (!version) return problem_for(ctx, std::move(*problem));
  const auto reason = read_reason(req, /*required=*/true, problem);
  if (!reason) return problem_for(ctx, std::move(*problem));
  const std::string name = ctx.path_params["name"];
  registry::PromotionPolicy policy;
  try {
    std::ifstream f(state.config.gates_file);
    if (!f) throw std::invalid_argument("cannot open " + state.config.gates_file.string());
    policy = registry::PromotionPolicy::from_json(json::parse(f));
  } catch (const std::exception& e) {
    return problem_for(ctx, unavailable(std::string("gates configuration: ") + e.what()));
  }
  try {
    store::Database db(state.config.database_url);
    store::RegistryRepository repo(db.session());
    const auto outcome = registry::promote_if_allowed(repo, name, *version, actor_of(ctx), *reason,
                                                      state.config.data_dir / "datasets", policy);
    const json report = outcome.report.to_json();
    if (!outcome.promoted) {
      Problem p = make_problem(409, "promotion refused: failed " + outcome.report.failed_checks());
      p.type = "urn:pdex:problem:promotion-refused";
      p.title = "Promotion Refused";
      json failed = json::array();
      for (const auto& c : outcome.report.checks) {
        if (!c.passed) failed.push_back(c.name);
      }
      p.extensions["failed"] = failed;
      p.extensions["report"] = report;
      return problem_for(ctx, std::move(p));
    }
    ctx.log_fields["promoted"] = name + "/" + std::to_string(*version);
    return json_response(json{{"promoted", true}, {"version", public_version(*outcome.promoted)}, {"report", report}});
  } catch (const store::RegistryError& e) {
    return registry_problem(ctx, e);
  } catch (const registry::PromotionError& e) {
    Problem p = make_problem(422, std::string("promotion cannot be assessed: ") + e.what());
    p.type = "urn:pdex:problem:promotion-unassessable";
    p.title = "Promotion Cannot Be Assessed";
    return problem_for(ctx, std::move(p));
  } catch (const store::DatabaseError& e) {
    return problem_for(ctx, unavailable(e.what()));
  }
}

Response rollback(ServiceState& state, const Request& req, RequestContext& ctx) {
  std::optional<Problem> problem;
  const auto reason = read_reason(req, /*required=*/false, problem);
  if (!reason) return problem_for(ctx, std::move(*problem));
  const std::string name = ctx.path_params["name"];
  try {
    store::Database db(state.config.database_url);
    store::RegistryRepository repo(db.session());
    const auto from = repo.production(name);
    const auto restored = repo.rollback(name, actor_of(ctx), *reason);
    ctx.log_fields["rolled_back"] = name + "/" + std::to_string(restored.version);
    return json_response(json{{"model", name},
                              {"from_version", from ? json(from->version) : json(nullptr)},
                              {"version", public_version(restored)}});
  } catch (const store::RegistryError& e) {
    return registry_problem(ctx, e);
  } catch (const store::DatabaseError& e) {
    return problem_for(ctx, unavailable(e.what()));
  }
}

}  // namespace

void register_model_routes(Router& router, ServiceState& state) {
  router.add(http::verb::get, "/api/v1/models", "read",
             [&state](const Request&, RequestContext& ctx) { return list_models(state, ctx); });
  router.add(http::verb::get, "/api/v1/models/{name}", "read",
             [&state](const Request&, RequestContext& ctx) { return get_model(state, ctx); });
  router.add(http::verb::post, "/api/v1/models/{name}/versions/{version}/promote", "admin",
             [&state](const Request& req, RequestContext& ctx) { return promote(state, req, ctx); });
  router.add(http::verb::post, "/api/v1/models/{name}/rollback", "admin",
             [&state](const Request& req, RequestContext& ctx) { return rollback(state, req, ctx); });
}

}  // namespace pdex::service
