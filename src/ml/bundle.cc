#include "ml/bundle.h"

#include <fstream>
#include <sstream>

#include "common/sha256.h"
#include "ml/drift_stats.h"
#include "ml/features.h"

namespace pdex::ml {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<std::string>& required_bundle_fields() {
  static const std::vector<std::string> fields = {"format",
                                                  "format_version",
                                                  "name",
                                                  "version",
                                                  "kind",
                                                  "model_file",
                                                  "model_sha256",
                                                  "feature_spec.names",
                                                  "feature_spec.hash",
                                                  "reference.features",
                                                  "reference.sample",
                                                  "reference.prediction",
                                                  "metrics",
                                                  "lineage.dataset_sha256",
                                                  "lineage.seed",
                                                  "lineage.code_version"};
  return fields;
}

namespace {

void write_atomic(const fs::path& path, std::string_view bytes) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw BundleError(tmp.string() + ": cannot open for writing");
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) throw BundleError(tmp.string() + ": write failed");
  }
  fs::rename(tmp, path);
}

std::vector<double> to_doubles(std::span<const float> v) {
  return {v.begin(), v.end()};
}

}  // namespace

json make_reference(const DenseRows& x, std::span<const float> predictions, std::size_t sample_rows) {
  const FeatureSpec& spec = feature_spec();
  json features = json::array();
  std::vector<double> column(x.rows);
  for (std::size_t c = 0; c < x.cols; ++c) {
    for (std::size_t r = 0; r < x.rows; ++r) column[r] = x.values[r * x.cols + c];
    json f = {{"name", c < spec.size() ? spec.names[c] : std::to_string(c)}};
    const std::vector<double> edges = quantile_bin_edges(column, 10);
    f["edges"] = edges;
    f["fractions"] = bin_fractions(edges, column);
    features.push_back(std::move(f));
  }
  json sample = json::array();
  for (std::size_t r = 0; r < std::min(sample_rows, x.rows); ++r) {
    const auto row = x.row(r);
    sample.push_back(std::vector<float>(row.begin(), row.end()));
  }
  const std::vector<double> preds = to_doubles(predictions);
  const std::vector<double> pedges = quantile_bin_edges(preds, 10);
  return {{"features", features},
          {"sample", sample},
          {"prediction", {{"edges", pedges}, {"fractions", bin_fractions(pedges, preds)}, {"count", preds.size()}}},
          {"rows", x.rows}};
}

json write_bundle(const fs::path& dir, const XgbBooster& booster, json meta) {
  fs::create_directories(dir);
  const std::string model = booster.save_json_buffer();
  write_atomic(dir / "model.json", model);
  const FeatureSpec& spec = feature_spec();
  const std::string model_sha = sha256_hex(model);
  meta["format"] = "predictiondex-model-bundle";
  meta["format_version"] = 1;
  meta["model_file"] = "model.json";
  meta["model_sha256"] = model_sha;
  meta["version"] = meta.value("name", std::string("model")) + "-" + model_sha.substr(0, 12);
  meta["feature_spec"] = {{"names", spec.names}, {"hash", spec.hash}, {"count", spec.size()}};
  write_atomic(dir / "bundle.json", meta.dump(1) + "\n");
  return meta;
}

void rewrite_bundle_meta(const fs::path& dir, const json& meta) {
  write_atomic(dir / "bundle.json", meta.dump(1) + "\n");
}

json read_bundle_meta(const fs::path& dir) {
  const fs::path path = dir / "bundle.json";
  std::ifstream f(path, std::ios::binary);
  if (!f) throw BundleError(path.string() + ": cannot open (not a model bundle directory?)");
  std::stringstream ss;
  ss << f.rdbuf();
  json meta;
  try {
    meta = json::parse(ss.str());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number that overflows a double
    throw BundleError(path.string() + ": malformed JSON (truncated?): " + e.what());
  }
  for (const std::string& field : required_bundle_fields()) {
    const json* node = &meta;
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = field.find('.', start);
      const std::string key = field.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (!node->is_object() || !node->contains(key)) throw BundleError(path.string() + ": missing field " + field);
      node = &node->at(key);
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
  }
  if (meta["format"] != "predictiondex-model-bundle" || meta["format_version"] != 1) {
    throw BundleError(path.string() + ": format: expected predictiondex-model-bundle version 1");
  }
  const FeatureSpec& spec = feature_spec();
  if (!meta["feature_spec"]["hash"].is_string() || meta["feature_spec"]["hash"].get<std::string>() != spec.hash) {
    throw BundleError(path.string() + ": feature_spec.hash " + meta["feature_spec"]["hash"].dump() +
                      " differs from this code's feature spec " + spec.hash +
                      ": the model was trained on other features; retrain it with this version");
  }
  if (meta["feature_spec"]["names"] != json(spec.names)) {
    throw BundleError(path.string() + ": feature_spec.names do not match the code's feature order");
  }
  if (!meta["model_file"].is_string()) throw BundleError(path.string() + ": model_file: expected a string");
  // A plain file name inside the bundle: "../x" or "/etc/x" would make the loader read outside its directory.
  const std::string model_file = meta["model_file"].get<std::string>();
  if (model_file.empty() || model_file == "." || model_file == ".." ||
      model_file.find_first_of(std::string("/\\\0", 3)) != std::string::npos) {
    throw BundleError(path.string() + ": model_file: must be a file name inside the bundle directory, got " +
                      meta["model_file"].dump());
  }
  const fs::path model_path = dir / model_file;
  std::string actual;
  try {
    actual = sha256_file_hex(model_path);
  } catch (const std::exception& e) {
    throw BundleError(model_path.string() + ": cannot read: " + e.what());
  }
  if (meta["model_sha256"] != actual) {
    throw BundleError(model_path.string() + ": sha256 " + actual + " does not match bundle.json model_sha256 " +
                      meta["model_sha256"].dump() + " (file truncated or modified)");
  }
  return meta;
}

}  // namespace pdex::ml
