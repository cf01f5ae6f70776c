// `pdex pipeline run [--promote]`: import -> dataset -> train -> evaluate -> register -> gates -> promote.
//
// Idempotent: each step has an input key, the SHA-256 of everything its result depends on (the files it
// reads, the upstream step's output hash, the code version). A step whose key matches a succeeded run in
// the runs table, and whose output is still on disk, is skipped. Resumable: a killed pipeline leaves its
// runs "running"; the next pipeline marks those of dead processes failed and redoes only the steps
// without a succeeded run. The dataset, train and evaluate steps run as child `pdex` processes (their
// own runs, linked to the pipeline run through PDEX_RUN_PARENT), so a crash in one never corrupts the
// pipeline's bookkeeping.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/dex_source.h"
#include "cli/json_file.h"
#include "cli/ml_paths.h"
#include "cli/registry_cli.h"
#include "cli/run_tracking.h"
#include "common/sha256.h"
#include "registry/promotion.h"
#include "store/registry_repository.h"
#include "store/run_repository.h"

namespace pdex::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct PipelineOptions {
  std::string config_path;
  std::string dataset_config = "configs/dataset.json";
  std::string model_config = "configs/model.json";
  std::string gates = "configs/gates.json";
  double scale = 1.0;
  std::string model_name = store::kDefaultModelName;
  std::string bundle_name = "default";
  bool promote = false;
};

constexpr int kSteps = 7;

std::string file_sha(const std::string& path, const std::string& option) {
  try {
    return sha256_file_hex(path);
  } catch (const std::exception&) {
    throw CommandError(kUsage, option + ": cannot read '" + path + "'");
  }
}

std::string key_of(const json& parts) {
  return sha256_hex(parts.dump());
}

void apply_config_file(PipelineOptions& o) {
  if (o.config_path.empty()) return;
  const json j = read_json_file(o.config_path, "--config");
  if (!j.is_object()) throw CommandError(kInvalidData, o.config_path + ": expected an object");
  for (const auto& [key, v] : j.items()) {
    if (key.starts_with("_")) continue;
    auto text = [&, key = key, v = v]() {
      if (!v.is_string() || v.get<std::string>().empty())
        throw CommandError(kInvalidData, o.config_path + ": " + key + ": expected a non-empty string");
      return v.get<std::string>();
    };
    if (key == "dataset_config") {
      o.dataset_config = text();
    } else if (key == "model_config") {
      o.model_config = text();
    } else if (key == "gates") {
      o.gates = text();
    } else if (key == "model_name") {
      o.model_name = text();
    } else if (key == "bundle_name") {
      o.bundle_name = text();
    } else if (key == "scale") {
      if (!v.is_number()) throw CommandError(kInvalidData, o.config_path + ": scale: expected a number");
      o.scale = v.get<double>();
    } else {
      throw CommandError(kInvalidData, o.config_path + ": " + key +
                                           ": unknown key (known: dataset_config, model_config, gates, scale, "
                                           "model_name, bundle_name)");
    }
  }
}

void progress(int step, const std::string& name, const std::string& text) {
  std::fprintf(stderr, "pipeline [%d/%d] %s: %s\n", step, kSteps, name.c_str(), text.c_str());
  std::fflush(stderr);
}

std::string seconds_since(std::chrono::steady_clock::time_point t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
  return buf;
}

// Runs this pdex binary with `args`; PDEX_RUN_INPUT_KEY = key for the child's run. Returns the exit code
// (128 + signal when killed).
int run_child(const std::vector<std::string>& args, const std::string& key) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) throw CommandError(kFailure, "cannot start a pipeline step: fork failed");
  if (pid == 0) {
    setenv("PDEX_RUN_INPUT_KEY", key.c_str(), 1);
    std::vector<char*> argv;
    std::string self = "pdex";
    argv.push_back(self.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    std::perror("pdex pipeline: exec");
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw CommandError(kFailure, "cannot wait for a pipeline step");
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

// The newest run of `kind` started by this pipeline.
std::optional<store::Run> step_run(store::RunRepository& runs, std::int64_t parent, const std::string& kind) {
  std::optional<store::Run> found;
  for (auto& r : runs.children(parent)) {
    if (r.kind == kind) found = r;
  }
  return found;
}

json artifact(const store::Run& r, const std::string& name) {
  for (const auto& a : r.artifacts) {
    if (a.value("name", "") == name) return a;
  }
  return nullptr;
}

// A child step: skipped when a succeeded run has the key and `still_valid` accepts it, else run.
store::Run child_step(store::RunRepository& runs, std::int64_t parent, int step, const std::string& name,
                      const std::string& kind, const std::string& key, const std::vector<std::string>& args,
                      const std::function<bool(const store::Run&)>& still_valid) {
  if (auto done = runs.latest_succeeded(kind, key); done && still_valid(*done)) {
    progress(step, name, "skipped, inputs unchanged since run " + std::to_string(done->id));
    return *done;
  }
  std::string command = "pdex";
  for (const auto& a : args) command += " " + a;
  progress(step, name, "running " + command);
  const auto t = std::chrono::steady_clock::now();
  const int rc = run_child(args, key);
  if (rc != 0) {
    throw CommandError(rc == kInvalidData ? kInvalidData : kFailure,
                       "pipeline step " + name + " failed (exit " + std::to_string(rc) + ")");
  }
  auto r = step_run(runs, parent, kind);
  if (!r || r->status != "succeeded") {
    throw CommandError(kFailure, "pipeline step " + name + " succeeded but recorded no run (PDEX_TRACK_RUNS=off?)");
  }
  progress(step, name, "done in " + seconds_since(t) + " (run " + std::to_string(r->id) + ")");
  return *r;
}

void run_pipeline(PipelineOptions o) {
  apply_config_file(o);
  if (!(o.scale > 0 && o.scale <= 100)) {
    throw CommandError(kUsage, "scale: expected (0, 100], got " + std::to_string(o.scale));
  }
  try {
    store::validate_model_name(o.model_name);
  } catch (const std::invalid_argument& e) {
    throw CommandError(kUsage, "model_name: " + std::string(e.what()));
  }
  const char* tracking = std::getenv("PDEX_TRACK_RUNS");
  if (tracking != nullptr && std::string(tracking) == "off") {
    throw CommandError(kUsage, "PDEX_TRACK_RUNS=off: the pipeline needs run tracking to skip and resume steps");
  }
  const Settings settings = settings_for_cli();
  const std::string dex_sha = file_sha(settings.dex_file.string(), "PDEX_DEX_FILE");
  const std::string dataset_config_sha = file_sha(o.dataset_config, "dataset_config");
  const std::string model_config_sha = file_sha(o.model_config, "model_config");
  const std::string gates_sha = file_sha(o.gates, "gates");
  const registry::PromotionPolicy policy = read_promotion_policy(o.gates);  // fail early on a bad file

  auto db = open_tracking_database();
  store::RunRepository runs(db->session());
  if (const int abandoned = runs.mark_abandoned(); abandoned > 0) {
    std::fprintf(stderr, "pipeline: %d run(s) of a previous, interrupted pipeline marked failed; resuming\n",
                 abandoned);
  }
  const auto t0 = std::chrono::steady_clock::now();
  const json params = {
      {"dataset_config", o.dataset_config}, {"model_config", o.model_config}, {"gates", o.gates},    {"scale", o.scale},
      {"model_name", o.model_name},         {"bundle_name", o.bundle_name},   {"promote", o.promote}};
  const json inputs = {{"dex_sha256", dex_sha},
                       {"dataset_config_sha256", dataset_config_sha},
                       {"model_config_sha256", model_config_sha},
                       {"gates_sha256", gates_sha}};
  with_tracked_run("pipeline", params, inputs, [&](TrackedRun& pipeline) {
    if (!pipeline.id()) throw CommandError(kFailure, "pipeline: cannot record runs");
    const std::int64_t parent = *pipeline.id();
    setenv("PDEX_RUN_PARENT", std::to_string(parent).c_str(), 1);
    const std::string code = code_version();
    json summary = json::object();

    // 1. import: the Dex into the database (pdex db import is itself a no-op on unchanged content).
    const std::string import_key = key_of({"import", dex_sha, code, db->location()});
    if (auto done = runs.latest_succeeded("import", import_key)) {
      progress(1, "import",
               "skipped, " + settings.dex_file.string() + " unchanged since run " + std::to_string(done->id));
    } else {
      progress(1, "import", "running pdex db import");
      const auto t = std::chrono::steady_clock::now();
      setenv("PDEX_RUN_INPUT_KEY", import_key.c_str(), 1);
      TrackedRun import_run("import", {{"file", settings.dex_file.string()}}, {{"dex_sha256", dex_sha}});
      unsetenv("PDEX_RUN_INPUT_KEY");
      const int rc = run_child({"db", "import"}, import_key);
      if (rc != 0) {
        import_run.fail("pdex db import exited " + std::to_string(rc));
        throw CommandError(rc == kInvalidData ? kInvalidData : kFailure, "pipeline step import failed");
      }
      import_run.succeed(json::object(), json::array());
      progress(1, "import", "done in " + seconds_since(t));
    }

    // 2. dataset.
    const std::string scale_text = [&] {
      std::ostringstream s;
      s << o.scale;
      return s.str();
    }();
    const std::string dataset_key = key_of({"dataset", dataset_config_sha, scale_text, dex_sha, code});
    const store::Run ds_run =
        child_step(runs, parent, 2, "dataset", "dataset", dataset_key,
                   {"dataset", "build", "--config", o.dataset_config, "--scale", scale_text}, [](const store::Run& r) {
                     const json a = artifact(r, "dataset");
                     return a.is_object() && fs::exists(fs::path(a.value("path", "")) / "schema.json");
                   });
    const json ds_artifact = artifact(ds_run, "dataset");
    const std::string dataset_dir = ds_artifact.value("path", ""), dataset_sha = ds_artifact.value("sha256", "");
    if (ds_run.parent_id == parent) {
      // A new dataset passes the data-quality checks before anything trains on it.
      const int rc = run_child({"dataset", "check", "--dataset", dataset_dir, "--thresholds", o.gates}, "");
      if (rc != 0)
        throw CommandError(kInvalidData,
                           "pipeline step dataset: dataset check failed (exit " + std::to_string(rc) + ")");
      progress(2, "dataset", "data-quality checks passed");
    }
    summary["dataset"] = {{"run", ds_run.id}, {"sha256", dataset_sha}, {"dir", dataset_dir}};

    // 3. train.
    const fs::path bundle_dir = fs::absolute(models_dir() / o.bundle_name);
    const std::string train_key = key_of({"train", dataset_sha, model_config_sha, bundle_dir.string(), code});
    const store::Run train_run = child_step(
        runs, parent, 3, "train", "train", train_key,
        {"model", "train", "--dataset", dataset_dir, "--config", o.model_config, "--out", bundle_dir.string()},
        [&](const store::Run& r) {
          const json a = artifact(r, "bundle");
          std::error_code ec;
          if (!a.is_object() || !fs::exists(bundle_dir / "model.json", ec)) return false;
          try {
            return sha256_file_hex(bundle_dir / "model.json") == a.value("sha256", "");
          } catch (const std::exception&) {
            return false;
          }
        });
    const std::string model_sha = artifact(train_run, "bundle").value("sha256", "");
    summary["train"] = {{"run", train_run.id}, {"model_sha256", model_sha}};

    // 4. evaluate (quality gates: exit 3 stops the pipeline).
    const std::string eval_key = key_of({"evaluate", model_sha, dataset_sha, gates_sha, code});
    const store::Run eval_run =
        child_step(runs, parent, 4, "evaluate", "evaluate", eval_key,
                   {"model", "evaluate", "--model", bundle_dir.string(), "--dataset", dataset_dir, "--gates", o.gates},
                   [&](const store::Run&) { return fs::exists(bundle_dir / "evaluation" / "evaluation.json"); });
    summary["evaluate"] = {{"run", eval_run.id}, {"metrics", eval_run.metrics}};

    // 5. register (idempotent by artifact hash).
    progress(5, "register", "registering " + bundle_dir.string() + " as " + o.model_name);
    RegisterCliOptions reg;
    reg.bundle = bundle_dir.string();
    reg.name = o.model_name;
    reg.alias = "candidate";
    reg.reason = "pdex pipeline run " + std::to_string(parent);
    const int version = register_bundle_cli(reg, false);
    store::RegistryRepository repo(db->session());
    const auto registered = repo.find_version(o.model_name, version);
    progress(5, "register",
             o.model_name + " version " + std::to_string(version) + " (stage " +
                 (registered ? registered->stage : "?") + ")");
    summary["version"] = version;

    // 6. gates and 7. promote.
    if (registered && registered->stage == "production") {
      progress(6, "gates", "skipped, version " + std::to_string(version) + " is already in production");
      progress(7, "promote", "skipped, already in production");
    } else if (!o.promote) {
      const auto t = std::chrono::steady_clock::now();
      registry::PromotionReport report;
      try {
        report = registry::assess_promotion(repo, *registered, datasets_dir(), policy);
      } catch (const std::exception& e) {
        throw CommandError(kFailure, std::string("pipeline step gates: ") + e.what());
      }
      progress(
          6, "gates",
          (report.allowed() ? std::string("passed") : "failed: " + report.failed_checks()) + " in " + seconds_since(t));
      progress(7, "promote", "not requested (--promote)");
      summary["promotion"] = report.to_json();
    } else {
      progress(6, "gates", "quality gates and champion/challenger on the test split");
      PromoteCliOptions p;
      p.name = o.model_name;
      p.version = version;
      p.reason = "pdex pipeline run " + std::to_string(parent) + " --promote";
      p.gates = o.gates;
      promote_cli(p, true);  // prints each check; refused: CommandError naming the failed ones
      progress(7, "promote", o.model_name + " version " + std::to_string(version) + " in production");
    }
    pipeline.succeed(summary, json::array({artifact_entry("bundle", bundle_dir.string(), model_sha)}));
    std::printf("pipeline run %lld done in %s: %s version %d\n", static_cast<long long>(parent),
                seconds_since(t0).c_str(), o.model_name.c_str(), version);
  });
}

}  // namespace

void add_pipeline_commands(CLI::App& app) {
  CLI::App* pipeline = app.add_subcommand("pipeline", "The whole model pipeline in one command");
  pipeline->require_subcommand(1);
  auto o = std::make_shared<PipelineOptions>();
  CLI::App* run = pipeline->add_subcommand(
      "run", "import -> dataset -> train -> evaluate -> register -> gates -> promote (with --promote)");
  run->add_option("--config", o->config_path,
                  "Pipeline JSON: dataset_config, model_config, gates, scale, model_name, bundle_name");
  run->add_option("--scale", o->scale, "Dataset size factor (default 1)");
  run->add_option("--dataset-config", o->dataset_config, "Default configs/dataset.json");
  run->add_option("--model-config", o->model_config, "Default configs/model.json");
  run->add_option("--gates", o->gates, "Default configs/gates.json");
  run->add_option("--name", o->model_name, "Registered model (default battle_winner_model)");
  run->add_option("--bundle-name", o->bundle_name, "Bundle under $PDEX_DATA_DIR/models (default 'default')");
  run->add_flag("--promote", o->promote, "Promote the new version when it passes every check");
  run->callback([o] { run_pipeline(*o); });
  run->footer(
      "Steps whose inputs (file hashes, upstream outputs, code version) match a succeeded run are skipped;\n"
      "an interrupted pipeline resumes at the first step without one. Exit 3: quality gates failed;\n"
      "exit 1: promotion refused (the failing check is named) or a step failed.");
}

}  // namespace pdex::cli
