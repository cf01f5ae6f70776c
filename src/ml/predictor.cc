#include "ml/predictor.h"

#include <cmath>
#include <cstdio>

#include "ml/features.h"

namespace pdex::ml {

using nlohmann::json;

Predictor::Predictor(json meta, XgbBooster booster, TreeEvaluator evaluator)
    : meta_(std::move(meta)), booster_(std::move(booster)), evaluator_(std::move(evaluator)) {
  name_ = meta_["name"].is_string() ? meta_["name"].get<std::string>() : "";
  version_ = meta_["version"].is_string() ? meta_["version"].get<std::string>() : "";
}

Predictor Predictor::load(const std::filesystem::path& dir) {
  json meta = read_bundle_meta(dir);
  const std::filesystem::path model_path = dir / meta["model_file"].get<std::string>();
  // The flattened evaluator first: it checks every tree's structure (children in range, each node reached once,
  // split features in range), which XGBoost's predictor trusts — a corrupt model.json made it read out of bounds
  // or loop on its first prediction (fuzz_model_bundle).
  TreeEvaluator evaluator = [&] {
    try {
      return TreeEvaluator::from_json_file(model_path);
    } catch (const std::exception& e) {
      throw BundleError(model_path.string() + ": cannot load the model: " + e.what());
    }
  }();
  XgbBooster booster = [&] {
    try {
      return XgbBooster::load_json_file(model_path, 1);
    } catch (const std::exception& e) {
      throw BundleError(model_path.string() + ": cannot load the model: " + e.what());
    }
  }();
  const FeatureSpec& spec = feature_spec();
  if (booster.num_features() != spec.size()) {
    throw BundleError(model_path.string() + ": model has " + std::to_string(booster.num_features()) +
                      " features, the feature spec " + std::to_string(spec.size()));
  }
  // The evaluator must reproduce XGBoost on the reference sample before it may serve.
  const json& sample = meta["reference"]["sample"];
  if (!sample.is_array() || sample.empty())
    throw BundleError((dir / "bundle.json").string() + ": reference.sample: empty");
  std::vector<float> rows;
  for (std::size_t r = 0; r < sample.size(); ++r) {
    const json& row = sample[r];
    if (!row.is_array() || row.size() != spec.size()) {
      throw BundleError((dir / "bundle.json").string() + ": reference.sample[" + std::to_string(r) + "]: expected " +
                        std::to_string(spec.size()) + " numbers");
    }
    for (const json& v : row) {
      if (!v.is_number())
        throw BundleError((dir / "bundle.json").string() + ": reference.sample[" + std::to_string(r) +
                          "]: not a number");
      rows.push_back(v.get<float>());
    }
  }
  const DenseRows dense{rows, sample.size(), spec.size()};
  const double diff = evaluator.max_abs_diff_against(booster, dense);
  if (!(diff <= 1e-5)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g", diff);
    throw BundleError(model_path.string() + ": flattened evaluator differs from XGBoost by " + buf +
                      " on the reference sample (limit 1e-5)");
  }
  Predictor p(std::move(meta), std::move(booster), std::move(evaluator));
  p.evaluator_max_diff_ = diff;
  return p;
}

float Predictor::predict_raw(std::span<const float> x) const {
  return evaluator_.predict(x);
}

double Predictor::predict_features(std::span<const float> x) const {
  const std::vector<float> m = mirror_features(x);
  return 0.5 * (static_cast<double>(evaluator_.predict(x)) + 1.0 - static_cast<double>(evaluator_.predict(m)));
}

double Predictor::predict(const dex::Dex& dex, const battle::BattleConfig& config) const {
  return predict_features(compute_features(dex, config));
}

}  // namespace pdex::ml
