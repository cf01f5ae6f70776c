// A model bundle: everything serving and monitoring need about one trained model, in one directory
// (docs/model-bundle.md):
//   model.json    the XGBoost model (XGBoost's JSON; byte-identical for identical training)
//   bundle.json   format, name, version, kind, model_sha256, feature spec (names, order, hash),
//                 reference distributions for drift (per-feature quantile bins and a sample of rows;
//                 the prediction distribution), metrics, lineage (dataset hash, config, seed, code
//                 version, timings), gates (after evaluation)
//   evaluation/   evaluation.json and SVG plots, written by `pdex model evaluate`
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ml/xgb_booster.h"

namespace pdex::ml {

// Any reason a bundle cannot be written or served; the message names the file and field.
class BundleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Fields that bundle.json must have (dotted paths); read_bundle_meta refuses a bundle missing one.
const std::vector<std::string>& required_bundle_fields();

// Reference distributions from the rows a model was validated on: per feature, quantile bin edges
// (drift_stats, 10 bins) and the fractions of `x` in them; the first `sample_rows` rows; and the
// prediction distribution (edges and fractions of `predictions`).
nlohmann::json make_reference(const DenseRows& x, std::span<const float> predictions, std::size_t sample_rows = 500);

// Writes model.json and bundle.json into `dir` (created). `meta` holds name, kind, reference,
// metrics, lineage...; format, version, model_file, model_sha256 and feature_spec are filled in here.
// Returns the completed bundle.json content.
nlohmann::json write_bundle(const std::filesystem::path& dir, const XgbBooster& booster, nlohmann::json meta);

// Reads bundle.json and checks format, required fields, the feature spec against the code and
// model.json's sha256. Throws BundleError.
nlohmann::json read_bundle_meta(const std::filesystem::path& dir);

// Replaces bundle.json atomically (after evaluation adds metrics.test and gates).
void rewrite_bundle_meta(const std::filesystem::path& dir, const nlohmann::json& meta);

}  // namespace pdex::ml
