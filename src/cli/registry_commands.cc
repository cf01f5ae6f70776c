// `pdex model register|list|show|promote|rollback|archive`: the model registry (store/registry_repository.h)
// in the database named by PDEX_DATABASE_URL, with artifacts under $PDEX_DATA_DIR/artifacts and promotion
// under the quality gates and champion/challenger of configs/gates.json (registry/promotion.h).
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/dex_source.h"
#include "cli/json_file.h"
#include "cli/ml_paths.h"
#include "cli/registry_cli.h"
#include "cli/run_tracking.h"
#include "ml/bundle.h"
#include "registry/artifact_store.h"
#include "registry/promotion.h"
#include "registry/registration.h"
#include "store/registry_repository.h"
#include "store/run_repository.h"

namespace pdex::cli {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path artifacts_dir() {
  return settings_for_cli().data_dir / "artifacts";
}

registry::PromotionPolicy read_promotion_policy(const std::string& path) {
  const json doc = read_json_file(path, "--gates");
  try {
    return registry::PromotionPolicy::from_json(doc);
  } catch (const std::invalid_argument& e) {
    throw CommandError(kInvalidData, path + ": " + e.what());
  }
}

int register_bundle_cli(const RegisterCliOptions& o, bool print) {
  const fs::path bundle = resolve_model_dir(o.bundle);
  if (o.alias != "none" && o.alias != "candidate") {
    throw CommandError(kUsage, "--alias: a new version is 'candidate' or 'none', got '" + o.alias + "'");
  }
  try {
    store::validate_model_name(o.name);
  } catch (const std::invalid_argument& e) {
    throw CommandError(kUsage, "--name: " + std::string(e.what()));
  }
  json meta;
  try {
    meta = ml::read_bundle_meta(bundle);
  } catch (const ml::BundleError& e) {
    throw CommandError(kInvalidData, e.what());
  }
  auto db = open_tracking_database();
  int version = 0;
  with_tracked_run(
      "register", {{"bundle", bundle.string()}, {"model", o.name}, {"alias", o.alias}},
      {{"model_sha256", meta.value("model_sha256", "")}}, [&](TrackedRun& run) {
        store::RegistryRepository repo(db->session());
        registry::RegisterRequest r;
        r.bundle_dir = bundle;
        r.artifacts_root = artifacts_dir();
        r.model_name = o.name;
        r.stage = o.alias;
        r.actor = store::current_os_user();
        r.reason = o.reason.empty() ? "registered from " + bundle.string() : o.reason;
        const json lineage = meta.value("lineage", json::object());
        if (lineage.contains("run_id") && lineage["run_id"].is_number_integer())
          r.run_id = lineage["run_id"].get<std::int64_t>();
        store::RegistryRepository::Registered result;
        try {
          result = registry::register_bundle(repo, r);
        } catch (const ml::BundleError& e) {
          throw CommandError(kInvalidData, e.what());
        } catch (const registry::ArtifactError& e) {
          throw CommandError(kFailure, e.what());
        } catch (const store::DatabaseError& e) {
          throw CommandError(kFailure, e.what());
        }
        version = result.version.version;
        run.succeed(
            {{"version", version}, {"created", result.created}},
            json::array({artifact_entry("artifact", result.version.artifact_path, result.version.artifact_sha256)}));
        if (!print) return;
        if (o.json_output) {
          json out = result.version.to_json();
          out["created"] = result.created;
          std::cout << out.dump(2) << "\n";
        } else {
          std::printf("%s %s version %d (stage %s)\n  artifact sha256 %s\n  path %s\n",
                      result.created ? "registered" : "already registered", o.name.c_str(), version,
                      result.version.stage.c_str(), result.version.artifact_sha256.c_str(),
                      result.version.artifact_path.c_str());
        }
      });
  return version;
}

bool promote_cli(const PromoteCliOptions& o, bool print) {
  if (o.reason.empty()) throw CommandError(kUsage, "--reason: required (it goes into the audit trail)");
  const registry::PromotionPolicy policy = read_promotion_policy(o.gates);
  auto db = open_tracking_database();
  bool promoted = false;
  TrackedRun run("promote", {{"model", o.name}, {"version", o.version}, {"gates", o.gates}, {"reason", o.reason}},
                 json::object());
  store::RegistryRepository repo(db->session());
  registry::PromotionOutcome outcome;
  try {
    outcome = registry::promote_if_allowed(repo, o.name, o.version, store::current_os_user(), o.reason, datasets_dir(),
                                           policy);
  } catch (const store::RegistryError& e) {
    run.fail(e.what());
    throw CommandError(e.kind() == store::RegistryError::Kind::NotFound ? kUsage : kFailure, e.what());
  } catch (const std::exception& e) {
    run.fail(e.what());
    throw CommandError(kFailure, e.what());
  }
  const json report = outcome.report.to_json();
  promoted = outcome.promoted.has_value();
  if (print && o.json_output) {
    std::cout << report.dump(2) << "\n";
  } else if (print) {
    std::printf("promotion of %s version %d on the test split of dataset %s (%zu rows)", o.name.c_str(), o.version,
                outcome.report.dataset_sha256.substr(0, 16).c_str(), outcome.report.rows);
    if (outcome.report.champion_version) std::printf(", champion version %d", *outcome.report.champion_version);
    std::printf("\n");
    for (const auto& c : outcome.report.checks) {
      std::printf("  %-4s %-32s value %+.4f  limit %+.4f  %s\n", c.passed ? "ok" : "FAIL", c.name.c_str(), c.value,
                  c.threshold, c.detail.c_str());
    }
  }
  if (!promoted) {
    const std::string failed = outcome.report.failed_checks();
    run.fail("refused: " + failed);
    throw CommandError(kFailure, "promotion refused: failed " + failed);
  }
  run.succeed(report, json::array());
  if (print && !o.json_output) std::printf("%s version %d is now in production\n", o.name.c_str(), o.version);
  return promoted;
}

namespace {

void print_version_line(const store::ModelVersion& v) {
  const json acc =
      v.metrics.contains("test") ? v.metrics["test"]["metrics"].value("accuracy", json(nullptr)) : json(nullptr);
  std::printf("  v%-4d %-10s %s  acc %s  dataset %s  %s by %s\n", v.version, v.stage.c_str(),
              v.artifact_sha256.substr(0, 12).c_str(),
              acc.is_number() ? std::to_string(acc.get<double>()).c_str() : "n/a",
              v.dataset_sha256.substr(0, 12).c_str(), v.created_at.c_str(), v.created_by.c_str());
}

json model_json(store::RegistryRepository& repo, const store::RegisteredModel& m) {
  json versions = json::array();
  for (const auto& v : repo.versions(m.name)) versions.push_back(v.to_json());
  return m.to_json(std::move(versions));
}

void run_list(const std::string& name, bool json_output) {
  auto db = open_tracking_database();
  store::RegistryRepository repo(db->session());
  std::vector<store::RegisteredModel> models;
  if (name.empty()) {
    models = repo.list_models();
  } else if (auto m = repo.find_model(name)) {
    models.push_back(*m);
  } else {
    throw CommandError(kUsage, "--name: no model '" + name + "'");
  }
  if (json_output) {
    json out = json::array();
    for (const auto& m : models) out.push_back(model_json(repo, m));
    std::cout << json{{"models", out}}.dump(2) << "\n";
    return;
  }
  if (models.empty()) std::printf("no registered model (pdex model register BUNDLE)\n");
  for (const auto& m : models) {
    std::printf("%s: %d version(s), production %s, candidate %s\n", m.name.c_str(), m.version_count,
                m.production ? ("v" + std::to_string(*m.production)).c_str() : "none",
                m.candidate ? ("v" + std::to_string(*m.candidate)).c_str() : "none");
    for (const auto& v : repo.versions(m.name)) print_version_line(v);
  }
}

void run_show(const std::string& name, int version, bool json_output) {
  auto db = open_tracking_database();
  store::RegistryRepository repo(db->session());
  const auto v = repo.find_version(name, version);
  if (!v) throw CommandError(kUsage, "no " + name + " version " + std::to_string(version));
  json history = json::array();
  for (const auto& t : repo.history(name)) {
    if (t.version == version) history.push_back(t.to_json());
  }
  if (json_output) {
    json out = v->to_json();
    out["history"] = history;
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::printf("%s version %d\n  stage %s\n  artifact %s\n  sha256 %s\n  bundle %s (model.json %s)\n", name.c_str(),
              version, v->stage.c_str(), v->artifact_path.c_str(), v->artifact_sha256.c_str(),
              v->bundle_version.c_str(), v->model_sha256.substr(0, 16).c_str());
  std::printf("  feature spec %s\n  dataset %s\n  seed %s\n  code %s\n  created %s by %s%s\n",
              v->feature_spec_hash.c_str(), v->dataset_sha256.c_str(),
              v->seed ? std::to_string(*v->seed).c_str() : "n/a", v->code_version.c_str(), v->created_at.c_str(),
              v->created_by.c_str(), v->run_id ? (" (run " + std::to_string(*v->run_id) + ")").c_str() : "");
  // Scalars only: the full metrics (reliability bins, per scenario) are in --json.
  json test_metrics = json::object();
  if (v->metrics.contains("test") && v->metrics["test"].contains("metrics")) {
    for (const auto& [k, value] : v->metrics["test"]["metrics"].items()) {
      if (value.is_number()) test_metrics[k] = value;
    }
  }
  std::printf("  params %s\n  test metrics %s\n  history:\n", v->params.dump().c_str(), test_metrics.dump().c_str());
  for (const auto& t : history) {
    std::printf("    %s %-8s %s -> %s by %s: %s\n", t["at"].get<std::string>().c_str(),
                t["action"].get<std::string>().c_str(), t["from_stage"].get<std::string>().c_str(),
                t["to_stage"].get<std::string>().c_str(), t["actor"].get<std::string>().c_str(),
                t["reason"].get<std::string>().c_str());
  }
}

void run_rollback(const std::string& name, const std::string& reason) {
  auto db = open_tracking_database();
  store::RegistryRepository repo(db->session());
  try {
    const auto from = repo.production(name);
    const auto restored = repo.rollback(name, store::current_os_user(), reason);
    std::printf("%s: rolled back from version %d to version %d\n", name.c_str(), from ? from->version : 0,
                restored.version);
  } catch (const store::RegistryError& e) {
    throw CommandError(e.kind() == store::RegistryError::Kind::NotFound ? kUsage : kFailure, e.what());
  } catch (const store::DatabaseError& e) {
    throw CommandError(kFailure, e.what());
  }
}

void run_archive(const std::string& name, int version, const std::string& reason) {
  auto db = open_tracking_database();
  store::RegistryRepository repo(db->session());
  try {
    repo.archive(name, version, store::current_os_user(), reason);
    std::printf("%s version %d archived\n", name.c_str(), version);
  } catch (const store::RegistryError& e) {
    throw CommandError(e.kind() == store::RegistryError::Kind::NotFound ? kUsage : kFailure, e.what());
  } catch (const store::DatabaseError& e) {
    throw CommandError(kFailure, e.what());
  }
}

}  // namespace

void add_registry_commands(CLI::App& app) {
  CLI::App* model = app.get_subcommand("model");

  auto r = std::make_shared<RegisterCliOptions>();
  CLI::App* reg = model->add_subcommand("register", "Copy a bundle into the artifact store and register a version");
  reg->add_option("BUNDLE", r->bundle, "Bundle directory or name under $PDEX_DATA_DIR/models")->required();
  reg->add_option("--name", r->name, "Registered model (default battle_winner_model)");
  reg->add_option("--alias", r->alias, "Stage of the new version: candidate | none (default)");
  reg->add_option("--reason", r->reason, "Why (audit trail)");
  reg->add_flag("--json", r->json_output, "Print the version as JSON");
  reg->callback([r] { register_bundle_cli(*r, true); });

  auto list_name = std::make_shared<std::string>();
  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = model->add_subcommand("list", "Registered models, their versions and aliases");
  list->add_option("--name", *list_name, "Only this model");
  list->add_flag("--json", *list_json, "Print JSON");
  list->callback([list_name, list_json] { run_list(*list_name, *list_json); });

  auto show_name = std::make_shared<std::string>();
  auto show_version = std::make_shared<int>(0);
  auto show_json = std::make_shared<bool>(false);
  CLI::App* show = model->add_subcommand("show", "One version: artifact, metrics, params, lineage, history");
  show->add_option("NAME", *show_name, "Registered model")->required();
  show->add_option("VERSION", *show_version, "Version number")->required()->check(CLI::PositiveNumber);
  show->add_flag("--json", *show_json, "Print JSON");
  show->callback([show_name, show_version, show_json] { run_show(*show_name, *show_version, *show_json); });

  auto p = std::make_shared<PromoteCliOptions>();
  CLI::App* promote = model->add_subcommand(
      "promote", "Put a version in production if it passes the quality gates and beats the champion");
  promote->add_option("NAME", p->name, "Registered model")->required();
  promote->add_option("VERSION", p->version, "Version number")->required()->check(CLI::PositiveNumber);
  promote->add_option("--reason", p->reason, "Why (audit trail)")->required();
  promote->add_option("--gates", p->gates, "Gates and champion/challenger margins (default configs/gates.json)");
  promote->add_flag("--json", p->json_output, "Print the promotion report as JSON");
  promote->callback([p] { promote_cli(*p, true); });
  promote->footer(
      "Both the challenger and the current production version are evaluated on the test split of the\n"
      "challenger's dataset. Exit 1 when refused; the failing gate is named.");

  auto rb_name = std::make_shared<std::string>();
  auto rb_reason = std::make_shared<std::string>("manual rollback");
  CLI::App* rollback = model->add_subcommand("rollback", "Restore the previous production version");
  rollback->add_option("NAME", *rb_name, "Registered model")->required();
  rollback->add_option("--reason", *rb_reason, "Why (audit trail)");
  rollback->callback([rb_name, rb_reason] { run_rollback(*rb_name, *rb_reason); });

  auto ar_name = std::make_shared<std::string>();
  auto ar_version = std::make_shared<int>(0);
  auto ar_reason = std::make_shared<std::string>("archived");
  CLI::App* archive = model->add_subcommand("archive", "Archive a version that is not in production");
  archive->add_option("NAME", *ar_name, "Registered model")->required();
  archive->add_option("VERSION", *ar_version, "Version number")->required()->check(CLI::PositiveNumber);
  archive->add_option("--reason", *ar_reason, "Why (audit trail)");
  archive->callback([ar_name, ar_version, ar_reason] { run_archive(*ar_name, *ar_version, *ar_reason); });
}

}  // namespace pdex::cli
