#include "ml/xgb_booster.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "ml/json_number.h"

namespace pdex::ml {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
// Normal prediction of all trees; "missing" only matters for in-place prediction.
constexpr char kPredictConfig[] =
    R"({"type":0,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false,"cache_id":0,"missing":NaN})";

void check(int rc, std::string_view context) {
  if (rc != 0) {
    throw XgbError(std::string(context) + ": " + XGBGetLastError());
  }
}

// Owns a DMatrixHandle.
class DMatrix {
 public:
  DMatrix() = default;
  explicit DMatrix(DMatrixHandle h) : h_(h) {}
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  ~DMatrix() {
    if (h_ != nullptr) XGDMatrixFree(h_);
  }
  DMatrixHandle get() const { return h_; }
  DMatrixHandle* out() { return &h_; }

 private:
  DMatrixHandle h_ = nullptr;
};

// Owns a BoosterHandle until released.
class BoosterGuard {
 public:
  BoosterGuard() = default;
  BoosterGuard(const BoosterGuard&) = delete;
  BoosterGuard& operator=(const BoosterGuard&) = delete;
  ~BoosterGuard() {
    if (h_ != nullptr) XGBoosterFree(h_);
  }
  BoosterHandle get() const { return h_; }
  BoosterHandle* out() { return &h_; }
  BoosterHandle release() { return std::exchange(h_, nullptr); }
  void reset(BoosterHandle h) {
    if (h_ != nullptr) XGBoosterFree(h_);
    h_ = h;
  }

 private:
  BoosterHandle h_ = nullptr;
};

void dmatrix_from_rows(const DenseRows& rows, int nthread, std::string_view what, DMatrix* out) {
  rows.validate(what);
  check(XGDMatrixCreateFromMat_omp(rows.values.data(), rows.rows, rows.cols, kMissing, out->out(), nthread),
        std::string("creating the ") + std::string(what) + " DMatrix");
}

void validate_labeled(const LabeledRows& data, std::string_view what) {
  data.features.validate(what);
  if (data.features.rows == 0) throw std::invalid_argument(std::string(what) + ": no rows");
  if (data.labels.size() != data.features.rows) {
    throw std::invalid_argument(std::string(what) + ": " + std::to_string(data.labels.size()) + " labels for " +
                                std::to_string(data.features.rows) + " rows");
  }
  for (std::size_t i = 0; i < data.labels.size(); ++i) {
    const float y = data.labels[i];
    if (!(y >= 0.0f && y <= 1.0f)) {
      throw std::invalid_argument(std::string(what) + ": label of row " + std::to_string(i) + " is " +
                                  std::to_string(y) + ", not a probability in [0,1]");
    }
  }
  if (!data.weights.empty()) {
    if (data.weights.size() != data.features.rows) {
      throw std::invalid_argument(std::string(what) + ": " + std::to_string(data.weights.size()) + " weights for " +
                                  std::to_string(data.features.rows) + " rows");
    }
    for (std::size_t i = 0; i < data.weights.size(); ++i) {
      const float w = data.weights[i];
      if (!(w >= 0.0f) || !std::isfinite(w)) {
        throw std::invalid_argument(std::string(what) + ": weight of row " + std::to_string(i) + " is " +
                                    std::to_string(w) + ", not a finite value >= 0");
      }
    }
  }
}

void labeled_dmatrix(const LabeledRows& data, int nthread, std::string_view what, DMatrix* out) {
  validate_labeled(data, what);
  dmatrix_from_rows(data.features, nthread, what, out);
  check(XGDMatrixSetFloatInfo(out->get(), "label", data.labels.data(), data.labels.size()),
        std::string("setting the ") + std::string(what) + " labels");
  if (!data.weights.empty()) {
    check(XGDMatrixSetFloatInfo(out->get(), "weight", data.weights.data(), data.weights.size()),
          std::string("setting the ") + std::string(what) + " weights");
  }
}

// Shortest decimal text that reads back as the same double, so parameters are reproducible.
std::string number_text(double v) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

// Reads "<name>-<metric>:<value>" out of XGBoosterEvalOneIter's "[i]\ttrain-logloss:0.1\tvalid-logloss:0.2".
double parse_eval_value(std::string_view eval, std::string_view name, std::string_view metric) {
  const std::string key = "\t" + std::string(name) + "-" + std::string(metric) + ":";
  const std::size_t pos = eval.find(key);
  if (pos == std::string_view::npos) {
    throw XgbError("evaluation output '" + std::string(eval) + "' has no " + key.substr(1));
  }
  const std::string rest(eval.substr(pos + key.size()));
  char* end = nullptr;
  const double v = std::strtod(rest.c_str(), &end);
  if (end == rest.c_str()) throw XgbError("evaluation output '" + std::string(eval) + "': unreadable " + key.substr(1));
  return v;
}

bool metric_higher_is_better(std::string_view metric) {
  return metric.starts_with("auc") || metric.starts_with("aucpr") || metric.starts_with("map") ||
         metric.starts_with("ndcg") || metric.starts_with("pre");
}

std::string read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw XgbError("cannot open model file " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw XgbError("cannot read model file " + path.string());
  return ss.str();
}

// Checks what XGBoost itself would accept silently or crash on, and what this library can serve.
void validate_model_json(std::string_view json, std::string_view source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for a numeric overflow
    throw XgbError("model " + std::string(source) + " is not valid JSON (truncated or corrupt?): " + e.what());
  }
  const auto fail = [&](const std::string& why) { throw XgbError("model " + std::string(source) + ": " + why); };
  if (!doc.is_object() || !doc.contains("learner") || !doc["learner"].is_object()) fail("no 'learner' object");
  const auto& learner = doc["learner"];
  const auto* gb = learner.contains("gradient_booster") ? &learner["gradient_booster"] : nullptr;
  if (gb == nullptr || !gb->is_object() || gb->value("name", "") != "gbtree") {
    fail("learner.gradient_booster.name is not 'gbtree' (only tree boosters are supported)");
  }
  const auto* obj = learner.contains("objective") ? &learner["objective"] : nullptr;
  const std::string objective = (obj != nullptr && obj->is_object()) ? obj->value("name", "") : "";
  if (objective != "binary:logistic" && objective != "reg:logistic") {
    fail("objective '" + objective + "' is not binary:logistic or reg:logistic");
  }
}

struct ProxyDMatrix {
  DMatrixHandle h = nullptr;
  ProxyDMatrix() { check(XGProxyDMatrixCreate(&h), "creating a proxy DMatrix"); }
  ProxyDMatrix(const ProxyDMatrix&) = delete;
  ProxyDMatrix& operator=(const ProxyDMatrix&) = delete;
  ~ProxyDMatrix() { XGDMatrixFree(h); }
};

// __array_interface__ of one float row, as XGBoost's in-place prediction wants it.
void row_array_interface(std::span<const float> row, char (&buf)[160]) {
  std::snprintf(buf, sizeof buf, R"({"data":[%llu,true],"shape":[1,%zu],"typestr":"<f4","version":3})",
                static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(row.data())), row.size());
}

}  // namespace

void DenseRows::validate(std::string_view what) const {
  if (cols == 0) throw std::invalid_argument(std::string(what) + ": zero columns");
  if (values.size() != rows * cols) {
    throw std::invalid_argument(std::string(what) + ": " + std::to_string(values.size()) + " values for " +
                                std::to_string(rows) + " rows x " + std::to_string(cols) + " columns");
  }
}

XgbTrainConfig XgbTrainConfig::random_forest(int num_trees, int max_depth, double subsample, double colsample_bynode) {
  XgbTrainConfig c;
  c.num_boost_round = 1;
  c.num_parallel_tree = num_trees;
  c.max_depth = max_depth;
  c.eta = 1.0;
  c.subsample = subsample;
  c.colsample_bynode = colsample_bynode;
  return c;
}

void XgbTrainConfig::validate() const {
  const auto fail = [](const std::string& field, const std::string& why) {
    throw std::invalid_argument("training config: " + field + " " + why);
  };
  if (seed > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    fail("seed",
         "must be 0..9223372036854775807 (XGBoost reads it as a signed 64-bit integer), got " + std::to_string(seed));
  }
  if (objective != "binary:logistic" && objective != "reg:logistic") {
    fail("objective", "'" + objective + "' is not binary:logistic or reg:logistic");
  }
  if (num_boost_round < 1) fail("num_boost_round", "must be >= 1");
  if (max_depth < 0) fail("max_depth", "must be >= 0");
  if (!(eta > 0 && eta <= 1)) fail("eta", "must be in (0,1]");
  if (!(subsample > 0 && subsample <= 1)) fail("subsample", "must be in (0,1]");
  if (!(colsample_bytree > 0 && colsample_bytree <= 1)) fail("colsample_bytree", "must be in (0,1]");
  if (!(colsample_bynode > 0 && colsample_bynode <= 1)) fail("colsample_bynode", "must be in (0,1]");
  if (!(min_child_weight >= 0)) fail("min_child_weight", "must be >= 0");
  if (!(lambda >= 0)) fail("lambda", "must be >= 0");
  if (num_parallel_tree < 1) fail("num_parallel_tree", "must be >= 1");
  if (nthread < 1) fail("nthread", "must be >= 1 (a fixed count keeps training reproducible)");
  if (tree_method != "hist" && tree_method != "exact" && tree_method != "approx") {
    fail("tree_method", "'" + tree_method + "' is not hist, exact or approx");
  }
  if (max_bin < 2) fail("max_bin", "must be >= 2");
  if (eval_metric.empty()) fail("eval_metric", "must not be empty");
  if (early_stopping_rounds < 0) fail("early_stopping_rounds", "must be >= 0");
}

std::vector<std::pair<std::string, std::string>> XgbTrainConfig::to_params() const {
  std::vector<std::pair<std::string, std::string>> p = {
      {"booster", "gbtree"},
      {"objective", objective},
      {"max_depth", std::to_string(max_depth)},
      {"eta", number_text(eta)},
      {"subsample", number_text(subsample)},
      {"colsample_bytree", number_text(colsample_bytree)},
      {"colsample_bynode", number_text(colsample_bynode)},
      {"min_child_weight", number_text(min_child_weight)},
      {"lambda", number_text(lambda)},
      {"num_parallel_tree", std::to_string(num_parallel_tree)},
      {"seed", std::to_string(seed)},
      {"nthread", std::to_string(nthread)},
      {"tree_method", tree_method},
      {"max_bin", std::to_string(max_bin)},
      {"eval_metric", eval_metric},
  };
  for (const auto& [k, v] : extra) p.emplace_back(k, v);
  return p;
}

nlohmann::json XgbTrainConfig::to_json() const {
  return nlohmann::json{{"objective", objective},
                        {"num_boost_round", num_boost_round},
                        {"max_depth", max_depth},
                        {"eta", eta},
                        {"subsample", subsample},
                        {"colsample_bytree", colsample_bytree},
                        {"colsample_bynode", colsample_bynode},
                        {"min_child_weight", min_child_weight},
                        {"lambda", lambda},
                        {"num_parallel_tree", num_parallel_tree},
                        {"seed", seed},
                        {"nthread", nthread},
                        {"tree_method", tree_method},
                        {"max_bin", max_bin},
                        {"eval_metric", eval_metric},
                        {"early_stopping_rounds", early_stopping_rounds},
                        {"extra", extra}};
}

XgbTrainConfig XgbTrainConfig::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw std::invalid_argument("training config: not a JSON object");
  XgbTrainConfig c;
  for (const auto& [key, value] : j.items()) {
    try {
      if (key == "objective")
        c.objective = value.get<std::string>();
      else if (key == "num_boost_round" || key == "n_estimators")
        c.num_boost_round = json_integer<int>(value, "training config: " + key);
      else if (key == "max_depth")
        c.max_depth = json_integer<int>(value, "training config: " + key);
      else if (key == "eta" || key == "learning_rate")
        c.eta = json_real(value, "training config: " + key);
      else if (key == "subsample")
        c.subsample = json_real(value, "training config: " + key);
      else if (key == "colsample_bytree")
        c.colsample_bytree = json_real(value, "training config: " + key);
      else if (key == "colsample_bynode")
        c.colsample_bynode = json_real(value, "training config: " + key);
      else if (key == "min_child_weight")
        c.min_child_weight = json_real(value, "training config: " + key);
      else if (key == "lambda" || key == "reg_lambda")
        c.lambda = json_real(value, "training config: " + key);
      else if (key == "num_parallel_tree")
        c.num_parallel_tree = json_integer<int>(value, "training config: " + key);
      else if (key == "seed")
        c.seed = json_integer<std::uint64_t>(value, "training config: " + key);
      else if (key == "nthread")
        c.nthread = json_integer<int>(value, "training config: " + key);
      else if (key == "tree_method")
        c.tree_method = value.get<std::string>();
      else if (key == "max_bin")
        c.max_bin = json_integer<int>(value, "training config: " + key);
      else if (key == "eval_metric")
        c.eval_metric = value.get<std::string>();
      else if (key == "early_stopping_rounds")
        c.early_stopping_rounds = json_integer<int>(value, "training config: " + key);
      else if (key == "extra")
        c.extra = value.get<std::map<std::string, std::string>>();
      else
        throw std::invalid_argument("training config: unknown key '" + key + "'");
    } catch (const nlohmann::json::exception& e) {
      throw std::invalid_argument("training config: key '" + key + "' has the wrong type: " + e.what());
    }
  }
  c.validate();
  return c;
}

std::string_view to_string(ImportanceType t) {
  switch (t) {
    case ImportanceType::kWeight:
      return "weight";
    case ImportanceType::kGain:
      return "gain";
    case ImportanceType::kCover:
      return "cover";
    case ImportanceType::kTotalGain:
      return "total_gain";
    case ImportanceType::kTotalCover:
      return "total_cover";
  }
  return "gain";
}

XgbBooster::XgbBooster(void* handle) : handle_(handle), inplace_config_(kPredictConfig) {}

XgbBooster::XgbBooster(XgbBooster&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      num_features_(other.num_features_),
      inplace_config_(std::move(other.inplace_config_)) {}

XgbBooster& XgbBooster::operator=(XgbBooster&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGBoosterFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    num_features_ = other.num_features_;
    inplace_config_ = std::move(other.inplace_config_);
  }
  return *this;
}

XgbBooster::~XgbBooster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

void XgbBooster::refresh_metadata(std::string_view source) {
  bst_ulong n = 0;
  check(XGBoosterGetNumFeature(handle_, &n), "reading the feature count of " + std::string(source));
  if (n == 0) throw XgbError("model " + std::string(source) + " has no features");
  num_features_ = n;
}

XgbBooster XgbBooster::train(const XgbTrainConfig& config, const LabeledRows& train, const LabeledRows* valid,
                             const ProgressCallback& progress, TrainSummary* summary) {
  config.validate();
  if (config.early_stopping_rounds > 0 && valid == nullptr) {
    throw std::invalid_argument("training config: early_stopping_rounds needs a validation set");
  }
  DMatrix dtrain;
  labeled_dmatrix(train, config.nthread, "training set", &dtrain);
  DMatrix dvalid;
  if (valid != nullptr) {
    if (valid->features.cols != train.features.cols) {
      throw std::invalid_argument("validation set: " + std::to_string(valid->features.cols) +
                                  " columns, the training set has " + std::to_string(train.features.cols));
    }
    labeled_dmatrix(*valid, config.nthread, "validation set", &dvalid);
  }
  DMatrixHandle dmats[2] = {dtrain.get(), dvalid.get()};
  const char* names[2] = {"train", "valid"};
  const bst_ulong n_eval = valid != nullptr ? 2 : 1;

  BoosterGuard booster;
  check(XGBoosterCreate(dmats, n_eval, booster.out()), "creating the booster");
  check(XGBoosterSetParam(booster.get(), "verbosity", "0"), "setting verbosity");
  for (const auto& [k, v] : config.to_params()) {
    check(XGBoosterSetParam(booster.get(), k.c_str(), v.c_str()), "setting parameter " + k + "=" + v);
  }

  TrainSummary s;
  s.metric = config.eval_metric;
  const bool higher_better = metric_higher_is_better(config.eval_metric);
  double best_score = 0;
  for (int round = 0; round < config.num_boost_round; ++round) {
    check(XGBoosterUpdateOneIter(booster.get(), round, dtrain.get()), "training round " + std::to_string(round));
    const char* eval = nullptr;
    check(XGBoosterEvalOneIter(booster.get(), round, dmats, names, n_eval, &eval),
          "evaluating round " + std::to_string(round));
    RoundReport report;
    report.round = round;
    report.train_metric = parse_eval_value(eval, "train", config.eval_metric);
    s.train_history.push_back(report.train_metric);
    const double score = report.train_metric;
    if (valid != nullptr) {
      report.valid_metric = parse_eval_value(eval, "valid", config.eval_metric);
      s.valid_history.push_back(*report.valid_metric);
    }
    const double tracked = report.valid_metric.value_or(score);
    if (round == 0 || (higher_better ? tracked > best_score : tracked < best_score)) {
      best_score = tracked;
      s.best_round = round;
    }
    if (valid == nullptr) s.best_round = round;  // without validation every round counts
    report.best_round = s.best_round;
    s.rounds_run = round + 1;
    if (progress) progress(report);
    if (config.early_stopping_rounds > 0 && round - s.best_round >= config.early_stopping_rounds) break;
  }

  if (s.best_round + 1 < s.rounds_run) {
    BoosterHandle sliced = nullptr;
    check(XGBoosterSlice(booster.get(), 0, s.best_round + 1, 1, &sliced),
          "cutting the booster to its best round " + std::to_string(s.best_round));
    booster.reset(sliced);
  }
  XgbBooster result(booster.release());
  result.refresh_metadata("the trained booster");
  if (summary != nullptr) *summary = std::move(s);
  return result;
}

XgbBooster XgbBooster::load_json_file(const std::filesystem::path& path, int nthread) {
  return load_json_buffer(read_file_bytes(path), path.string(), nthread);
}

XgbBooster XgbBooster::load_json_buffer(std::string_view json, std::string_view source, int nthread) {
  validate_model_json(json, source);
  BoosterGuard booster;
  check(XGBoosterCreate(nullptr, 0, booster.out()), "creating a booster for " + std::string(source));
  check(XGBoosterLoadModelFromBuffer(booster.get(), json.data(), json.size()), "loading model " + std::string(source));
  check(XGBoosterSetParam(booster.get(), "verbosity", "0"), "setting verbosity");
  XgbBooster result(booster.release());
  result.set_nthread(nthread);
  result.refresh_metadata(source);
  // Warm-up: the learner configures itself lazily on the first prediction.
  const std::vector<float> missing_row(result.num_features_, kMissing);
  const float p = result.predict_row(missing_row);
  if (!(p >= 0.0f && p <= 1.0f)) {
    throw XgbError("model " + std::string(source) + " predicts " + std::to_string(p) + ", not a probability");
  }
  return result;
}

std::string XgbBooster::save_json_buffer() const {
  bst_ulong len = 0;
  const char* data = nullptr;
  check(XGBoosterSaveModelToBuffer(handle_, R"({"format":"json"})", &len, &data), "saving the model as JSON");
  return std::string(data, len);
}

void XgbBooster::save_json_file(const std::filesystem::path& path) const {
  const std::string bytes = save_json_buffer();
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw XgbError("cannot write model file " + tmp.string());
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw XgbError("cannot write model file " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw XgbError("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
}

int XgbBooster::boosted_rounds() const {
  int n = 0;
  check(XGBoosterBoostedRounds(handle_, &n), "reading the boosted rounds");
  return n;
}

void XgbBooster::set_nthread(int nthread) {
  if (nthread < 1) throw std::invalid_argument("nthread must be >= 1");
  check(XGBoosterSetParam(handle_, "nthread", std::to_string(nthread).c_str()), "setting nthread");
}

float XgbBooster::single_output(const float* out, std::uint64_t out_len, std::string_view op) const {
  if (out_len != 1) {
    throw XgbError(std::string(op) + ": expected 1 output, got " + std::to_string(out_len));
  }
  return out[0];
}

std::vector<float> XgbBooster::predict_batch(const DenseRows& rows) const {
  if (rows.cols != num_features_) {
    throw std::invalid_argument("predict: rows have " + std::to_string(rows.cols) + " columns, the model " +
                                std::to_string(num_features_));
  }
  if (rows.rows == 0) return {};
  DMatrix dm;
  dmatrix_from_rows(rows, 1, "prediction", &dm);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  check(XGBoosterPredictFromDMatrix(handle_, dm.get(), kPredictConfig, &shape, &dim, &out), "predicting");
  bst_ulong n = 1;
  for (bst_ulong i = 0; i < dim; ++i) n *= shape[i];
  if (n != rows.rows) {
    throw XgbError("predict: " + std::to_string(n) + " outputs for " + std::to_string(rows.rows) + " rows");
  }
  return std::vector<float>(out, out + n);
}

float XgbBooster::predict_row(std::span<const float> row) const {
  if (row.size() != num_features_) {
    throw std::invalid_argument("predict: row has " + std::to_string(row.size()) + " values, the model " +
                                std::to_string(num_features_) + " features");
  }
  // One per thread: creating a DMatrix per call costs more than the prediction (1.7 re-reads the
  // cgroup CPU quota for every new DMatrix context).
  thread_local ProxyDMatrix proxy;
  char ai[160];
  row_array_interface(row, ai);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  check(XGBoosterPredictFromDense(handle_, ai, inplace_config_.c_str(), proxy.h, &shape, &dim, &out),
        "predicting one row in place");
  return single_output(out, dim == 0 ? 0 : shape[0], "predict_row");
}

float XgbBooster::predict_row_inplace_no_proxy(std::span<const float> row) const {
  if (row.size() != num_features_) throw std::invalid_argument("predict: row size does not match the model");
  char ai[160];
  row_array_interface(row, ai);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  check(XGBoosterPredictFromDense(handle_, ai, inplace_config_.c_str(), nullptr, &shape, &dim, &out),
        "predicting one row in place");
  return single_output(out, dim == 0 ? 0 : shape[0], "predict_row_inplace_no_proxy");
}

float XgbBooster::predict_row_dmatrix(std::span<const float> row) const {
  const std::vector<float> p = predict_batch(DenseRows{row, 1, row.size()});
  return single_output(p.data(), p.size(), "predict_row_dmatrix");
}

std::vector<FeatureImportance> XgbBooster::feature_importance(ImportanceType type) const {
  const std::string config = R"({"importance_type":")" + std::string(to_string(type)) + R"("})";
  bst_ulong n_features = 0;
  const char** names = nullptr;
  bst_ulong dim = 0;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  check(XGBoosterFeatureScore(handle_, config.c_str(), &n_features, &names, &dim, &shape, &scores),
        "computing feature importance (" + std::string(to_string(type)) + ")");
  std::vector<FeatureImportance> result;
  result.reserve(n_features);
  for (bst_ulong i = 0; i < n_features; ++i) {
    // Without feature names XGBoost names column k "f<k>".
    const std::string_view name = names[i];
    std::size_t index = 0;
    if (name.size() < 2 || name[0] != 'f' ||
        std::from_chars(name.data() + 1, name.data() + name.size(), index).ec != std::errc()) {
      throw XgbError("feature importance: unexpected feature name '" + std::string(name) + "'");
    }
    result.push_back({index, scores[i]});
  }
  std::sort(result.begin(), result.end(), [](const FeatureImportance& a, const FeatureImportance& b) {
    return a.score != b.score ? a.score > b.score : a.feature < b.feature;
  });
  return result;
}

}  // namespace pdex::ml
