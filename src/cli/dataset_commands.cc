// `pdex dataset build|check`: engine-labelled battle datasets for the model (docs/dataset-format.md).
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/dex_source.h"
#include "cli/json_file.h"
#include "cli/ml_paths.h"
#include "cli/option_checks.h"
#include "cli/run_tracking.h"
#include "common/sha256.h"
#include "ml/dataset.h"
#include "ml/dataset_check.h"
#include "ml/json_number.h"

namespace pdex::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct BuildOptions {
  std::string config_path = "configs/dataset.json";
  std::optional<std::uint64_t> seed;
  double scale = 1.0;
  int threads = 0;
  std::string out;
  bool quiet = false;
};

void build_tracked(const BuildOptions& o, const ml::DatasetConfig& config, const dex::Dex& dex, TrackedRun& run);

void run_build(const BuildOptions& o) {
  ml::DatasetConfig config;
  try {
    config = ml::DatasetConfig::from_json(read_json_file(o.config_path, "--config"));
  } catch (const std::invalid_argument& e) {
    throw CommandError(kInvalidData, o.config_path + ": " + e.what());
  }
  if (o.seed) config.seed = *o.seed;
  if (!(o.scale > 0 && o.scale <= 100))
    throw CommandError(kUsage, "--scale: expected (0, 100], got " + std::to_string(o.scale));
  for (auto& n : config.configs) n = static_cast<std::int64_t>(static_cast<double>(n) * o.scale + 0.5);
  const dex::Dex& dex = load_dex_for_cli();
  const json effective = config.to_json();
  const json params = {{"config_file", o.config_path}, {"config", effective}, {"scale", o.scale}};
  const json inputs = {{"config_sha256", sha256_hex(effective.dump())}, {"dex_sha256", dex.data().content_sha256}};
  with_tracked_run("dataset", params, inputs, [&](TrackedRun& run) { build_tracked(o, config, dex, run); });
}

void build_tracked(const BuildOptions& o, const ml::DatasetConfig& config, const dex::Dex& dex, TrackedRun& run) {
  int last_pct = -1;
  auto progress = [&](std::int64_t done, std::int64_t total) {
    if (o.quiet || total == 0) return;
    const int pct = static_cast<int>(100 * done / total);
    if (pct == last_pct) return;
    last_pct = pct;
    std::fprintf(stderr, "\rdataset build: %3d %% (%lld / %lld configurations)", pct, static_cast<long long>(done),
                 static_cast<long long>(total));
    if (done == total) std::fprintf(stderr, "\n");
  };
  ml::Dataset ds;
  try {
    ds = ml::build_dataset(dex, config, o.threads, progress);
  } catch (const std::invalid_argument& e) {
    throw CommandError(kInvalidData, e.what());
  }
  const std::string hash = ml::dataset_content_hash(ds);
  const fs::path dir = o.out.empty() ? datasets_dir() / hash.substr(0, 16) : fs::path(o.out);
  ml::write_dataset(ds, dir);
  if (o.out.empty()) set_latest_dataset(hash.substr(0, 16));
  std::size_t per_split[3] = {0, 0, 0}, exact = 0;
  for (const ml::DatasetRow& r : ds.rows) {
    per_split[static_cast<int>(r.split)]++;
    exact += r.method == battle::OddsMethod::Exact;
  }
  std::printf(
      "dataset %s\n  dir %s\n  rows %zu (train %zu, validation %zu, test %zu), %zu features\n"
      "  exact odds %zu rows, Monte Carlo (n %lld) %zu rows\n  built in %.1f s\n",
      hash.c_str(), dir.string().c_str(), ds.rows.size(), per_split[0], per_split[1], per_split[2], ds.feature_count,
      exact, static_cast<long long>(config.mc_n), ds.rows.size() - exact, ds.build_seconds);
  run.succeed({{"rows", ds.rows.size()},
               {"rows_train", per_split[0]},
               {"rows_validation", per_split[1]},
               {"rows_test", per_split[2]},
               {"exact_rows", exact},
               {"build_seconds", ds.build_seconds}},
              json::array({artifact_entry("dataset", fs::absolute(dir).string(), hash)}));
}

void run_check(const std::string& dataset_arg, const std::string& thresholds_path, bool json_output) {
  const fs::path dir = resolve_dataset_dir(dataset_arg);
  ml::CheckThresholds t;
  if (!thresholds_path.empty()) {
    const json j = read_json_file(thresholds_path, "--thresholds");
    const bool nested = j.is_object() && j.contains("dataset_check");
    const json& d = nested ? j.at("dataset_check") : j;
    const std::string prefix = nested ? "dataset_check." : "";
    if (!d.is_object()) throw CommandError(kInvalidData, thresholds_path + ": " + prefix + "expected an object");
    auto threshold = [&](const char* key, double& out) {
      if (!d.contains(key)) return;
      try {
        out = ml::json_real(d.at(key), prefix + key);
      } catch (const std::invalid_argument& e) {
        throw CommandError(kInvalidData, thresholds_path + ": " + e.what());
      }
    };
    threshold("min_side1_share", t.min_side1_share);
    threshold("max_side1_share", t.max_side1_share);
    threshold("max_duplicate_rate", t.max_duplicate_rate);
  }
  ml::Dataset ds;
  try {
    ds = ml::read_dataset(dir);
  } catch (const std::exception& e) {
    if (json_output) {
      std::cout << json{{"passed", false}, {"dataset", dir.string()}, {"error", e.what()}}.dump(2) << "\n";
    }
    throw CommandError(kInvalidData, e.what());
  }
  const auto results = ml::check_dataset(ds, t);
  if (json_output) {
    json out = ml::to_json(results);
    out["dataset"] = dir.string();
    out["content_sha256"] = ds.content_sha256;
    out["rows"] = ds.rows.size();
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "dataset " << dir.string() << " (" << ds.rows.size() << " rows)\n";
    for (const auto& r : results) {
      std::cout << (r.passed ? "  ok    " : "  FAIL  ") << r.name << ": " << r.detail << "\n";
    }
  }
  if (!ml::all_passed(results)) {
    int failed = 0;
    for (const auto& r : results) failed += !r.passed;
    throw CommandError(kInvalidData,
                       "dataset check failed (" + std::to_string(failed) + " check" + (failed == 1 ? "" : "s") + ")");
  }
}

}  // namespace

void add_dataset_commands(CLI::App& app) {
  CLI::App* dataset = app.add_subcommand("dataset", "Engine-labelled battle datasets for the model");
  dataset->require_subcommand(1);

  auto b = std::make_shared<BuildOptions>();
  CLI::App* build = dataset->add_subcommand("build", "Simulate matchups over the roster and write a dataset");
  build->add_option("--config", b->config_path, "Dataset config (default configs/dataset.json)");
  build->add_option("--seed", b->seed, "Override the config's seed")
      ->check(unsigned_integer(std::numeric_limits<std::uint64_t>::max()));
  build->add_option("--scale", b->scale, "Multiply every scenario's size (e.g. 0.1 for a quick run)");
  build->add_option("--threads", b->threads, "Worker threads (default: all cores); the result does not depend on it");
  build->add_option("--out", b->out, "Output directory (default $PDEX_DATA_DIR/datasets/<hash16>)");
  build->add_flag("--quiet", b->quiet, "No progress output");
  build->callback([b] { run_build(*b); });
  build->footer("Format: docs/dataset-format.md. Prints the content hash; the dataset becomes datasets/LATEST.");

  auto dir = std::make_shared<std::string>();
  auto thresholds = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  CLI::App* check = dataset->add_subcommand("check", "Data-quality checks; exit 3 when one fails");
  check->add_option("--dataset", *dir, "Dataset directory (default: datasets/LATEST)");
  check->add_option("--thresholds", *thresholds,
                    "JSON with min_side1_share, max_side1_share, max_duplicate_rate (or configs/gates.json)");
  check->add_flag("--json", *as_json, "Print JSON");
  check->callback([dir, thresholds, as_json] { run_check(*dir, *thresholds, *as_json); });
}

}  // namespace pdex::cli
