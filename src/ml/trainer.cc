#include "ml/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "battle/rng.h"
#include "ml/features.h"
#include "ml/json_number.h"
#include "ml/metrics.h"

namespace pdex::ml {

using nlohmann::json;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TuneConfig TuneConfig::from_json(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("tune: expected an object");
  TuneConfig t;
  for (const auto& [key, v] : j.items()) {
    try {
      if (key == "trials")
        t.trials = json_integer<int>(v, "tune.trials");
      else if (key == "folds")
        t.folds = json_integer<int>(v, "tune.folds");
      else if (key == "seed")
        t.seed = json_integer<std::uint64_t>(v, "tune.seed");
      else if (key == "num_boost_round")
        t.num_boost_round = json_integer<int>(v, "tune.num_boost_round");
      else if (key == "max_rows")
        t.max_rows = json_integer<std::size_t>(v, "tune.max_rows");
      else if (key == "max_seconds")
        t.max_seconds = json_real(v, "tune.max_seconds");
      else if (key == "space") {
        if (!v.is_object()) throw std::invalid_argument("tune.space: expected an object of value lists");
        for (const auto& [name, values] : v.items()) {
          if (!values.is_array() || values.empty()) {
            throw std::invalid_argument("tune.space." + name + ": expected a non-empty list of numbers");
          }
          t.space[name] = values.get<std::vector<double>>();
        }
      } else if (key.starts_with("_")) {
      } else {
        throw std::invalid_argument("tune." + key + ": unknown key");
      }
    } catch (const json::exception& e) {
      throw std::invalid_argument("tune." + key + ": wrong type (" + e.what() + ")");
    }
  }
  if (t.trials < 1 || t.trials > 1000) throw std::invalid_argument("tune.trials: expected 1..1000");
  if (t.folds < 2 || t.folds > 20) throw std::invalid_argument("tune.folds: expected 2..20");
  if (t.num_boost_round < 1) throw std::invalid_argument("tune.num_boost_round: expected >= 1");
  if (t.max_rows < 100) throw std::invalid_argument("tune.max_rows: expected >= 100");
  return t;
}

json TuneConfig::to_json() const {
  return {{"trials", trials},     {"folds", folds},
          {"seed", seed},         {"num_boost_round", num_boost_round},
          {"max_rows", max_rows}, {"max_seconds", max_seconds},
          {"space", space}};
}

ModelConfig ModelConfig::from_json(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("model config: expected a JSON object");
  ModelConfig c;
  c.source = j;
  json xgb = json::object();
  json rf = json::object();
  for (const auto& [key, v] : j.items()) {
    if (key == "kind") {
      c.kind = v.is_string() ? v.get<std::string>() : "";
      if (c.kind != "gbtree" && c.kind != "random_forest") {
        throw std::invalid_argument("kind: expected gbtree or random_forest, got " + v.dump());
      }
    } else if (key == "label") {
      const std::string l = v.is_string() ? v.get<std::string>() : "";
      if (l == "winner")
        c.label = LabelKind::Winner;
      else if (l == "probability")
        c.label = LabelKind::Probability;
      else
        throw std::invalid_argument("label: expected winner or probability, got " + v.dump());
    } else if (key == "xgboost") {
      xgb = v;
    } else if (key == "random_forest") {
      rf = v;
    } else if (key == "tune") {
      c.tune = TuneConfig::from_json(v);
    } else if (key.starts_with("_")) {
    } else {
      throw std::invalid_argument(key + ": unknown key");
    }
  }
  try {
    if (c.kind == "gbtree") {
      c.xgb = XgbTrainConfig::from_json(xgb);
    } else {
      if (!rf.is_object()) throw std::invalid_argument("random_forest: expected an object");
      const int trees = rf.contains("num_trees") ? json_integer<int>(rf["num_trees"], "random_forest.num_trees") : 200;
      const int depth = rf.contains("max_depth") ? json_integer<int>(rf["max_depth"], "random_forest.max_depth") : 10;
      const double subsample = rf.contains("subsample") ? json_real(rf["subsample"], "random_forest.subsample") : 0.8;
      const double colsample =
          rf.contains("colsample_bynode") ? json_real(rf["colsample_bynode"], "random_forest.colsample_bynode") : 0.8;
      for (const auto& [key, v] : rf.items()) {
        if (key != "num_trees" && key != "max_depth" && key != "subsample" && key != "colsample_bynode") {
          throw std::invalid_argument("random_forest." + key + ": unknown key");
        }
      }
      c.xgb = XgbTrainConfig::random_forest(trees, depth, subsample, colsample);
      // seed, nthread, max_bin, min_child_weight from the xgboost section.
      const XgbTrainConfig common = XgbTrainConfig::from_json(xgb);
      c.xgb.seed = common.seed;
      c.xgb.nthread = common.nthread;
      c.xgb.max_bin = common.max_bin;
      if (xgb.contains("min_child_weight")) c.xgb.min_child_weight = common.min_child_weight;
      c.xgb.validate();
    }
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string("random_forest: ") + e.what());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(c.kind == "gbtree" ? "xgboost: " : "") + e.what());
  }
  return c;
}

TrainingRows select_rows(const Dataset& ds, Split split) {
  TrainingRows t;
  t.cols = ds.feature_count;
  for (std::size_t r = 0; r < ds.rows.size(); ++r) {
    const DatasetRow& row = ds.rows[r];
    if (row.split != split || row.winner == 0) continue;
    t.index.push_back(r);
    const auto f = ds.row_features(r);
    t.x.insert(t.x.end(), f.begin(), f.end());
    t.winner.push_back(row.winner == 1 ? 1.0f : 0.0f);
    t.probability.push_back(static_cast<float>(row.p1_decisive()));
    t.scenario.push_back(row.scenario);
  }
  return t;
}

namespace {

TrainingRows subset(const TrainingRows& all, const std::vector<std::size_t>& pick) {
  TrainingRows t;
  t.cols = all.cols;
  for (std::size_t i : pick) {
    t.index.push_back(all.index[i]);
    t.x.insert(t.x.end(), all.x.begin() + static_cast<std::ptrdiff_t>(i * all.cols),
               all.x.begin() + static_cast<std::ptrdiff_t>((i + 1) * all.cols));
    t.winner.push_back(all.winner[i]);
    t.probability.push_back(all.probability[i]);
    t.scenario.push_back(all.scenario[i]);
  }
  return t;
}

XgbTrainConfig with_params(const XgbTrainConfig& base, const std::map<std::string, double>& params) {
  json j = base.to_json();
  for (const auto& [name, value] : params) {
    if (value == std::floor(value) && std::abs(value) < 1e9) {
      j[name] = static_cast<std::int64_t>(value);
    } else {
      j[name] = value;
    }
  }
  return XgbTrainConfig::from_json(j);
}

std::vector<TuneTrial> tune(const Dataset& ds, const TrainingRows& train, const ModelConfig& config,
                            XgbTrainConfig* best, const TrainLog& log) {
  const TuneConfig& tc = config.tune;
  if (tc.space.empty()) throw std::invalid_argument("tune.space: empty, nothing to search");
  battle::Rng rng(tc.seed);
  // Deterministic subsample of the train rows, then folds by unordered species pair.
  std::vector<std::size_t> order(train.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (order.size() > tc.max_rows) {
    for (std::size_t i = 0; i < tc.max_rows; ++i) {
      std::swap(order[i], order[i + rng.below(static_cast<std::uint32_t>(order.size() - i))]);
    }
    order.resize(tc.max_rows);
    std::sort(order.begin(), order.end());
  }
  std::vector<int> fold_of(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const DatasetRow& row = ds.rows[train.index[order[k]]];
    std::uint64_t h = tc.seed ^ (static_cast<std::uint64_t>(std::min(row.species[0], row.species[1])) << 32) ^
                      static_cast<std::uint64_t>(std::max(row.species[0], row.species[1]));
    fold_of[k] = static_cast<int>(battle::splitmix64(h) % static_cast<std::uint64_t>(tc.folds));
  }
  std::vector<TrainingRows> fold_train, fold_valid;
  for (int f = 0; f < tc.folds; ++f) {
    std::vector<std::size_t> a, b;
    for (std::size_t k = 0; k < order.size(); ++k) (fold_of[k] == f ? b : a).push_back(order[k]);
    fold_train.push_back(subset(train, a));
    fold_valid.push_back(subset(train, b));
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<TuneTrial> trials;
  double best_loss = INFINITY;
  for (int t = 0; t < tc.trials; ++t) {
    if (t > 0 && seconds_since(start) > tc.max_seconds) {
      if (log)
        log("tune: budget of " + std::to_string(tc.max_seconds) + " s reached after " + std::to_string(t) + " trials");
      break;
    }
    const auto trial_start = std::chrono::steady_clock::now();
    TuneTrial trial;
    trial.trial = t;
    for (const auto& [name, values] : tc.space) {
      trial.params[name] = values[rng.below(static_cast<std::uint32_t>(values.size()))];
    }
    XgbTrainConfig cfg = with_params(config.xgb, trial.params);
    cfg.num_boost_round = tc.num_boost_round;
    cfg.early_stopping_rounds = 0;
    double sum = 0;
    for (int f = 0; f < tc.folds; ++f) {
      const XgbBooster b =
          XgbBooster::train(cfg, fold_train[static_cast<std::size_t>(f)].labeled(config.label), nullptr);
      const std::vector<float> p = b.predict_batch(fold_valid[static_cast<std::size_t>(f)].dense());
      const double loss = log_loss(fold_valid[static_cast<std::size_t>(f)].winner, p);
      trial.fold_logloss.push_back(loss);
      sum += loss;
    }
    trial.mean_logloss = sum / tc.folds;
    trial.seconds = seconds_since(trial_start);
    if (log) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "tune: trial %d/%d  mean log-loss %.5f  (%.1f s)  %s", t + 1, tc.trials,
                    trial.mean_logloss, trial.seconds, json(trial.params).dump().c_str());
      log(buf);
    }
    if (trial.mean_logloss < best_loss) {
      best_loss = trial.mean_logloss;
      *best = with_params(config.xgb, trial.params);
    }
    trials.push_back(std::move(trial));
  }
  return trials;
}

}  // namespace

TrainResult train_model(const Dataset& ds, const ModelConfig& config, bool do_tune, const TrainLog& log) {
  if (ds.feature_spec_hash != feature_spec().hash) {
    throw std::invalid_argument("dataset feature spec hash " + ds.feature_spec_hash + " differs from the code's " +
                                feature_spec().hash + ": rebuild the dataset");
  }
  const TrainingRows train = select_rows(ds, Split::Train);
  const TrainingRows valid = select_rows(ds, Split::Validation);
  if (train.size() == 0) throw std::invalid_argument("dataset: the train split has no decisive row");
  XgbTrainConfig cfg = config.xgb;
  std::vector<TuneTrial> trials;
  double tune_seconds = 0;
  if (do_tune) {
    if (config.kind != "gbtree") throw std::invalid_argument("--tune: only for kind gbtree");
    const auto t0 = std::chrono::steady_clock::now();
    trials = tune(ds, train, config, &cfg, log);
    tune_seconds = seconds_since(t0);
  }
  const bool use_valid = valid.size() > 0;
  if (!use_valid) cfg.early_stopping_rounds = 0;
  const LabeledRows valid_rows = valid.labeled(config.label);
  const auto t0 = std::chrono::steady_clock::now();
  TrainSummary summary;
  const int report_every = std::max(1, cfg.num_boost_round / 10);
  auto progress = [&](const RoundReport& r) {
    if (!log || (r.round + 1) % report_every != 0) return;
    char buf[160];
    if (r.valid_metric) {
      std::snprintf(buf, sizeof buf, "train: round %d/%d  train %s %.5f  validation %.5f", r.round + 1,
                    cfg.num_boost_round, cfg.eval_metric.c_str(), r.train_metric, *r.valid_metric);
    } else {
      std::snprintf(buf, sizeof buf, "train: round %d/%d  train %s %.5f", r.round + 1, cfg.num_boost_round,
                    cfg.eval_metric.c_str(), r.train_metric);
    }
    log(buf);
  };
  XgbBooster booster =
      XgbBooster::train(cfg, train.labeled(config.label), use_valid ? &valid_rows : nullptr, progress, &summary);
  TrainResult result{std::move(booster), summary, cfg, std::move(trials), seconds_since(t0), tune_seconds};
  return result;
}

float baseline_probability(std::span<const float> features) {
  static const std::size_t race = [] {
    const auto& names = feature_spec().names;
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), "ko_race") - names.begin());
  }();
  if (race >= features.size()) throw std::invalid_argument("baseline: no ko_race feature");
  return 0.5f + 0.4f * features[race];
}

}  // namespace pdex::ml
