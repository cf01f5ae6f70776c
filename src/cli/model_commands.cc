// `pdex model train|evaluate`: XGBoost models of "who wins" from engine-labelled datasets, as bundles
// (docs/model-bundle.md), evaluated against the engine's Bayes ceiling and quality gates.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/json_file.h"
#include "cli/ml_paths.h"
#include "cli/option_checks.h"
#include "cli/run_tracking.h"
#include "common/sha256.h"
#include "common/version.h"
#include "ml/bundle.h"
#include "ml/dataset.h"
#include "ml/evaluation.h"
#include "ml/features.h"
#include "ml/gates.h"
#include "ml/predictor.h"
#include "ml/trainer.h"
#include "ml/tree_evaluator.h"

namespace pdex::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

ml::Dataset load_dataset(const fs::path& dir) {
  try {
    return ml::read_dataset(dir);
  } catch (const std::exception& e) {
    throw CommandError(kInvalidData, e.what());
  }
}

struct TrainOptions {
  std::string dataset, config = "configs/model.json", name = "default", out;
  bool soft = false, tune = false, quiet = false;
  std::optional<std::uint64_t> seed;
};

void train_tracked(const TrainOptions& o, const ml::ModelConfig& config, const fs::path& dataset_dir,
                   const ml::Dataset& ds, std::chrono::steady_clock::time_point t_start, TrackedRun& run);

void run_train(const TrainOptions& o) {
  const auto t_start = std::chrono::steady_clock::now();
  ml::ModelConfig config;
  try {
    config = ml::ModelConfig::from_json(read_json_file(o.config, "--config"));
  } catch (const std::invalid_argument& e) {
    throw CommandError(kInvalidData, o.config + ": " + e.what());
  }
  if (o.soft) config.label = ml::LabelKind::Probability;
  if (o.seed) config.xgb.seed = *o.seed;
  if (o.name.empty() || o.name.find_first_of("/\\ ") != std::string::npos) {
    throw CommandError(kUsage, "--name: expected a name without spaces or slashes, got '" + o.name + "'");
  }
  const fs::path dataset_dir = resolve_dataset_dir(o.dataset);
  auto log = [&](const std::string& line) {
    if (!o.quiet) std::fprintf(stderr, "%s\n", line.c_str());
  };
  log("model train: reading " + dataset_dir.string());
  const ml::Dataset ds = load_dataset(dataset_dir);
  const json params = {{"config_file", o.config}, {"config", config.source}, {"seed", config.xgb.seed},
                       {"soft_labels", o.soft},   {"tune", o.tune},          {"name", o.name}};
  const json inputs = {{"dataset_sha256", ds.content_sha256}, {"config_sha256", sha256_hex(config.source.dump())}};
  with_tracked_run("train", params, inputs,
                   [&](TrackedRun& run) { train_tracked(o, config, dataset_dir, ds, t_start, run); });
}

void train_tracked(const TrainOptions& o, const ml::ModelConfig& config, const fs::path& dataset_dir,
                   const ml::Dataset& ds, std::chrono::steady_clock::time_point t_start, TrackedRun& run) {
  auto log = [&](const std::string& line) {
    if (!o.quiet) std::fprintf(stderr, "%s\n", line.c_str());
  };
  const double load_s = since(t_start);
  ml::TrainResult result = [&] {
    try {
      return ml::train_model(ds, config, o.tune, log);
    } catch (const std::invalid_argument& e) {
      throw CommandError(kInvalidData, e.what());
    }
  }();
  // Validation figures and the reference distributions, with the same symmetrised predictions serving uses.
  const ml::TrainingRows valid = ml::select_rows(ds, ml::Split::Validation);
  const ml::TrainingRows& ref_rows = valid.size() > 0 ? valid : ml::select_rows(ds, ml::Split::Train);
  const ml::TreeEvaluator evaluator = ml::TreeEvaluator::from_booster(result.booster);
  std::vector<float> preds(ref_rows.size());
  for (std::size_t i = 0; i < ref_rows.size(); ++i) {
    const std::span<const float> x(ref_rows.x.data() + i * ref_rows.cols, ref_rows.cols);
    const std::vector<float> m = ml::mirror_features(x);
    preds[i] = static_cast<float>(0.5 * (evaluator.predict(x) + 1.0 - evaluator.predict(m)));
  }
  json metrics = json::object();
  if (valid.size() > 0) metrics["validation"] = ml::evaluation_figures(valid.winner, preds, valid.probability);
  json lineage = {
      {"dataset_sha256", ds.content_sha256},
      {"dataset_dir", dataset_dir.string()},
      {"dataset_seed", ds.config.seed},
      {"dex_sha256", ds.dex_sha256},
      {"config_file", o.config},
      {"config", config.source},
      {"xgboost_params", result.used.to_json()},
      {"label", config.label == ml::LabelKind::Winner ? "winner" : "probability"},
      {"seed", result.used.seed},
      {"code_version", std::string(kVersion) + "+" + kGitHash},
      {"trained_at", utc_now()},
      {"run_id", run.id() ? json(*run.id()) : json(nullptr)},
      {"rows", {{"train", ml::select_rows(ds, ml::Split::Train).size()}, {"validation", valid.size()}}},
      {"timings", {{"load_dataset_s", load_s}, {"tune_s", result.tune_seconds}, {"train_s", result.train_seconds}}}};
  if (!result.trials.empty()) {
    json trials = json::array();
    for (const auto& t : result.trials) {
      trials.push_back({{"trial", t.trial},
                        {"params", t.params},
                        {"mean_logloss", t.mean_logloss},
                        {"fold_logloss", t.fold_logloss},
                        {"seconds", t.seconds}});
    }
    lineage["tune"] = {{"config", config.tune.to_json()}, {"trials", trials}};
  }
  json meta = {{"name", o.name},
               {"kind", config.kind},
               {"reference", ml::make_reference(ref_rows.dense(), preds)},
               {"metrics", metrics},
               {"lineage", lineage},
               {"training",
                {{"metric", result.summary.metric},
                 {"rounds_run", result.summary.rounds_run},
                 {"best_round", result.summary.best_round}}}};
  const fs::path dir = o.out.empty() ? models_dir() / o.name : fs::path(o.out);
  meta["lineage"]["timings"]["total_s"] = since(t_start);
  meta = ml::write_bundle(dir, result.booster, meta);
  if (!result.trials.empty()) {
    std::ofstream(dir / "tune.json") << meta["lineage"]["tune"].dump(2) << "\n";
  }
  std::printf("model %s (%s, %s labels)\n  bundle %s\n  rounds %d (best %d), train %.1f s, total %.1f s\n",
              meta["version"].get<std::string>().c_str(), config.kind.c_str(),
              config.label == ml::LabelKind::Winner ? "winner" : "probability", dir.string().c_str(),
              result.summary.rounds_run, result.summary.best_round + 1, result.train_seconds, since(t_start));
  if (metrics.contains("validation")) {
    const json& v = metrics["validation"];
    std::printf("  validation: accuracy %.4f (Bayes ceiling %.4f), log-loss %.4f, ECE %.4f, mean |p - engine| %.4f\n",
                v["metrics"]["accuracy"].get<double>(), v["bayes_ceiling"]["realized_accuracy"].get<double>(),
                v["metrics"]["log_loss"].get<double>(), v["expected_calibration_error"].get<double>(),
                v["mean_abs_prob_error"].get<double>());
  }
  json run_metrics = {{"rounds_run", result.summary.rounds_run},
                      {"best_round", result.summary.best_round},
                      {"train_seconds", result.train_seconds}};
  if (metrics.contains("validation")) {
    run_metrics["validation_accuracy"] = metrics["validation"]["metrics"]["accuracy"];
    run_metrics["validation_log_loss"] = metrics["validation"]["metrics"]["log_loss"];
    run_metrics["validation_ece"] = metrics["validation"]["expected_calibration_error"];
  }
  run.succeed(run_metrics, json::array({artifact_entry("bundle", fs::absolute(dir).string(), meta["model_sha256"])}));
}

struct EvalOptions {
  std::string model = "default", dataset, gates = "configs/gates.json", split = "test";
  bool json_output = false, no_gates = false;
};

void print_figures(const char* label, const json& f) {
  std::printf("  %-16s acc %.4f  ceiling %.4f  gap %+.4f  AUC %s  log-loss %.4f  Brier %.4f  ECE %.4f  |p-q| %.4f\n",
              label, f["metrics"]["accuracy"].get<double>(), f["bayes_ceiling"]["realized_accuracy"].get<double>(),
              f["gap_to_bayes_ceiling"].get<double>(),
              f["metrics"]["roc_auc"].is_null()
                  ? "n/a"
                  : std::to_string(f["metrics"]["roc_auc"].get<double>()).substr(0, 6).c_str(),
              f["metrics"]["log_loss"].get<double>(), f["metrics"]["brier"].get<double>(),
              f["expected_calibration_error"].get<double>(), f["mean_abs_prob_error"].get<double>());
}

void evaluate_tracked(const EvalOptions& o, const fs::path& dir, const ml::Predictor& predictor, json meta,
                      const fs::path& dataset_dir, const ml::Dataset& ds, ml::Split split,
                      const std::optional<ml::GateConfig>& gates, TrackedRun& run);

void run_evaluate(const EvalOptions& o) {
  const fs::path dir = resolve_model_dir(o.model);
  const auto split = ml::parse_split(o.split);
  if (!split) throw CommandError(kUsage, "--split: expected train, validation or test, got '" + o.split + "'");
  std::optional<ml::GateConfig> gates;
  if (!o.no_gates) {
    try {
      gates = ml::GateConfig::from_json(read_json_file(o.gates, "--gates"));
    } catch (const std::invalid_argument& e) {
      throw CommandError(kInvalidData, o.gates + ": " + e.what());
    }
  }
  ml::Predictor predictor = [&] {
    try {
      return ml::Predictor::load(dir);
    } catch (const ml::BundleError& e) {
      throw CommandError(kInvalidData, e.what());
    }
  }();
  json meta = predictor.meta();
  std::string dataset_arg = o.dataset;
  if (dataset_arg.empty() && meta["lineage"].contains("dataset_dir"))
    dataset_arg = meta["lineage"]["dataset_dir"].get<std::string>();
  const fs::path dataset_dir = resolve_dataset_dir(dataset_arg);
  const ml::Dataset ds = load_dataset(dataset_dir);
  json inputs = {{"model_sha256", meta.value("model_sha256", "")}, {"dataset_sha256", ds.content_sha256}};
  if (!o.no_gates) inputs["gates_sha256"] = sha256_file_hex(o.gates);
  const json params = {{"model", dir.string()}, {"split", o.split}, {"gates", o.no_gates ? "" : o.gates}};
  with_tracked_run("evaluate", params, inputs, [&](TrackedRun& run) {
    evaluate_tracked(o, dir, predictor, meta, dataset_dir, ds, *split, gates, run);
  });
}

void evaluate_tracked(const EvalOptions& o, const fs::path& dir, const ml::Predictor& predictor, json meta,
                      const fs::path& dataset_dir, const ml::Dataset& ds, ml::Split split,
                      const std::optional<ml::GateConfig>& gates, TrackedRun& run) {
  json report;
  try {
    report = ml::evaluate_model(ds, predictor, split);
  } catch (const std::invalid_argument& e) {
    throw CommandError(kInvalidData, e.what());
  }
  report["dataset"] = {{"dir", dataset_dir.string()}, {"sha256", ds.content_sha256}};
  if (ds.content_sha256 != meta["lineage"]["dataset_sha256"]) {
    report["dataset"]["note"] = "not the dataset the model was trained on";
  }
  bool passed = true;
  if (gates) {
    const auto results = ml::check_gates(report, *gates);
    passed = ml::gates_passed(results);
    report["gates"] = ml::to_json(results);
    report["candidate"] = passed;
  }
  const fs::path out_dir = dir / "evaluation";
  fs::create_directories(out_dir);
  std::ofstream(out_dir / "evaluation.json") << report.dump(2) << "\n";
  ml::write_evaluation_plots(report, out_dir);
  meta["metrics"][o.split] = report["test"];
  meta["metrics"]["per_scenario"] = report["per_scenario"];
  meta["metrics"]["baseline"] = report["baseline"];
  if (gates) {
    meta["gates"] = report["gates"];
    meta["candidate"] = passed;
  }
  ml::rewrite_bundle_meta(dir, meta);
  if (o.json_output) {
    std::cout << report.dump(2) << "\n";
  } else {
    std::printf("model %s on %s split of %s (%zu decisive rows)\n", predictor.version().c_str(), o.split.c_str(),
                dataset_dir.string().c_str(), report["rows"].get<std::size_t>());
    print_figures("model", report["test"]);
    for (const auto& [name, f] : report["per_scenario"].items()) print_figures(name.c_str(), f);
    print_figures("baseline", report["baseline"]);
    std::printf("  top features:");
    for (std::size_t i = 0; i < std::min<std::size_t>(5, report["feature_importance"].size()); ++i) {
      std::printf(" %s (%.1f %%)", report["feature_importance"][i]["name"].get<std::string>().c_str(),
                  100 * report["feature_importance"][i]["share"].get<double>());
    }
    std::printf("\n  wrote %s/{evaluation.json,reliability.svg,confusion.svg,importance.svg}\n",
                out_dir.string().c_str());
    if (gates) {
      for (const auto& g : report["gates"]["gates"]) {
        std::printf("  gate %-26s %s  value %.4f  threshold %.4f\n", g["name"].get<std::string>().c_str(),
                    g["passed"].get<bool>() ? "ok  " : "FAIL", g["value"].get<double>(), g["threshold"].get<double>());
      }
      std::printf("  candidate: %s\n", passed ? "yes" : "no");
    }
  }
  json run_metrics = report["test"]["metrics"];
  run_metrics["expected_calibration_error"] = report["test"]["expected_calibration_error"];
  run_metrics["gap_to_bayes_ceiling"] = report["test"]["gap_to_bayes_ceiling"];
  run_metrics["rows"] = report["rows"];
  if (gates) run_metrics["gates_passed"] = passed;
  const json artifacts = json::array({artifact_entry("evaluation", fs::absolute(out_dir / "evaluation.json").string(),
                                                     sha256_file_hex(out_dir / "evaluation.json"))});
  if (!passed) {
    run.fail("quality gates failed: the model is not a candidate");
    throw CommandError(kInvalidData, "quality gates failed: the model is not a candidate");
  }
  run.succeed(run_metrics, artifacts);
}

}  // namespace

void add_model_commands(CLI::App& app) {
  CLI::App* model = app.add_subcommand("model", "Train and evaluate the battle model (XGBoost)");
  model->require_subcommand(1);

  auto t = std::make_shared<TrainOptions>();
  CLI::App* train = model->add_subcommand("train", "Train a model bundle on a dataset's train split");
  train->add_option("--dataset", t->dataset, "Dataset directory (default: datasets/LATEST)");
  train->add_option("--config", t->config,
                    "Model config (default configs/model.json; configs/model-rf.json for a random forest)");
  train->add_option("--name", t->name, "Bundle name: written to $PDEX_DATA_DIR/models/NAME (default 'default')");
  train->add_option("--out", t->out, "Bundle directory (overrides --name's location)");
  train->add_option("--seed", t->seed, "Override the XGBoost seed")
      ->check(unsigned_integer(std::numeric_limits<std::int64_t>::max()));
  train->add_flag("--soft-labels", t->soft, "Train on the engine's probabilities instead of sampled winners");
  train->add_flag("--tune", t->tune,
                  "Random hyperparameter search first (config 'tune'; folds grouped by species pair)");
  train->add_flag("--quiet", t->quiet, "No progress output");
  train->callback([t] { run_train(*t); });

  auto e = std::make_shared<EvalOptions>();
  CLI::App* evaluate =
      model->add_subcommand("evaluate", "Metrics, Bayes ceiling, baseline, plots and quality gates on the test split");
  evaluate->add_option("--model", e->model, "Bundle name or directory (default 'default')");
  evaluate->add_option("--dataset", e->dataset, "Dataset directory (default: the one the model was trained on)");
  evaluate->add_option("--gates", e->gates, "Quality gates (default configs/gates.json)");
  evaluate->add_flag("--no-gates", e->no_gates, "Do not check gates");
  evaluate->add_option("--split", e->split, "train | validation | test (default)");
  evaluate->add_flag("--json", e->json_output, "Print the report as JSON");
  evaluate->callback([e] { run_evaluate(*e); });
  evaluate->footer("Exit 3 when a quality gate fails (the report and plots are still written).");
}

}  // namespace pdex::cli
