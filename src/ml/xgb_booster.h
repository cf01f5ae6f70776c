// RAII C++ wrapper over the XGBoost 1.7 C API: train a binary classifier from a dense matrix,
// save/load it as JSON, predict (batch and single row), feature importance.
//
// Errors: every C API return code is checked; a failure throws XgbError whose message names the
// operation (and the file, for file operations) followed by XGBGetLastError(). Bad inputs (sizes,
// non-finite labels, labels outside [0,1], negative weights, unknown parameters) throw before any
// C API call with the offending field or row named.
//
// Thread safety (XGBoost >= 1.4, gbtree boosters; dmlc/xgboost PR #6648 "Make prediction thread
// safe"): prediction on one Booster from several threads at once is safe. The C API's output
// buffers are thread-local (per thread and per booster), and this wrapper copies them out before
// returning. The learner configures itself lazily on the first prediction behind a double-checked
// mutex; load_json_*() runs one warm-up prediction so that this happens before sharing. So: all
// `const` member functions may be called concurrently on one XgbBooster (tested with 4 threads
// mixing the proxy and DMatrix paths). Non-const ones (set_nthread, moves, destruction) need
// exclusive access. DART boosters are NOT thread safe for prediction in 1.7; train() never creates
// them and load_json_*() rejects them.
//
// Single-row latency (bench/ml_bench.cc, 200 trees of depth 8, CPU time on this 2-core machine):
// DMatrix per call ~50 us, XGBoosterPredictFromDense without a proxy ~42 us (a new proxy per call
// whose context re-reads the cgroup CPU quota), with a proxy DMatrix reused per thread ~20-27 us,
// TreeEvaluator ~3 us.
//
// Determinism: with tree_method "hist" and a fixed nthread and seed, training the same data twice
// yields byte-identical JSON (tested). Different nthread values may change histogram summation
// order and hence the model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pdex::ml {

class XgbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A row-major dense float matrix that the caller owns: row r is values[r*cols, (r+1)*cols).
// NaN means "missing" everywhere in this library.
struct DenseRows {
  std::span<const float> values;
  std::size_t rows = 0;
  std::size_t cols = 0;

  std::span<const float> row(std::size_t r) const { return values.subspan(r * cols, cols); }
  // Throws std::invalid_argument (naming `what`) unless values.size() == rows * cols and cols > 0.
  void validate(std::string_view what) const;
};

// Training examples: labels are probabilities of the positive class (0/1, or soft labels in [0,1]);
// weights are optional (empty = all 1).
struct LabeledRows {
  DenseRows features;
  std::span<const float> labels;
  std::span<const float> weights;
};

// Training hyper-parameters. Field names follow XGBoost's; to_params() gives the exact strings passed
// to XGBoosterSetParam (`extra` last, so it can override anything).
struct XgbTrainConfig {
  std::string objective = "binary:logistic";
  int num_boost_round = 200;  // a.k.a. n_estimators
  int max_depth = 6;
  double eta = 0.1;
  double subsample = 1.0;
  double colsample_bytree = 1.0;
  double colsample_bynode = 1.0;
  double min_child_weight = 1.0;
  double lambda = 1.0;
  int num_parallel_tree = 1;
  std::uint64_t seed = 0;
  int nthread = 1;  // fixed, so that training is reproducible
  std::string tree_method = "hist";
  int max_bin = 256;
  std::string eval_metric = "logloss";
  // Stop when the validation metric has not improved for this many rounds (0 = off; needs a
  // validation set). The returned booster is cut to the best round.
  int early_stopping_rounds = 0;
  // Passed verbatim after the fields above. XGBoost 1.7 accepts unknown names silently (it only
  // logs "might not be used"), so a misspelt key here is ignored, not rejected.
  std::map<std::string, std::string> extra;

  // A random forest: num_trees trees grown in one round on row/column subsamples, eta 1.
  static XgbTrainConfig random_forest(int num_trees, int max_depth, double subsample = 0.8,
                                      double colsample_bynode = 0.8);

  // Throws std::invalid_argument naming the field when a value is out of range.
  void validate() const;
  std::vector<std::pair<std::string, std::string>> to_params() const;
  // Round-trips through from_json; for lineage records.
  nlohmann::json to_json() const;
  // Accepts the field names above, plus "n_estimators" as an alias of "num_boost_round"; unknown
  // keys throw std::invalid_argument naming the key (put XGBoost-only options under "extra").
  static XgbTrainConfig from_json(const nlohmann::json& j);
};

struct RoundReport {
  int round = 0;  // 0-based
  double train_metric = 0;
  std::optional<double> valid_metric;
  int best_round = 0;  // best so far on validation (or the current round without validation)
};
using ProgressCallback = std::function<void(const RoundReport&)>;

struct TrainSummary {
  std::string metric;  // eval_metric
  int rounds_run = 0;
  int best_round = 0;  // the booster returned by train() has best_round + 1 rounds
  std::vector<double> train_history;
  std::vector<double> valid_history;  // empty without a validation set
};

enum class ImportanceType { kWeight, kGain, kCover, kTotalGain, kTotalCover };
std::string_view to_string(ImportanceType t);

struct FeatureImportance {
  std::size_t feature = 0;  // column index
  double score = 0;
};

class XgbBooster {
 public:
  // Trains on `train`, evaluating `valid` (may be null) after every round. Throws XgbError or
  // std::invalid_argument. `summary` and `progress` may be null.
  static XgbBooster train(const XgbTrainConfig& config, const LabeledRows& train, const LabeledRows* valid,
                          const ProgressCallback& progress = {}, TrainSummary* summary = nullptr);

  // Loads a model saved with save_json*. A missing, truncated or corrupt file, or a model this
  // library cannot serve (not gbtree, not a binary logistic objective), throws XgbError naming
  // `path` / `source`. Prediction uses `nthread` OpenMP threads (1 suits per-request serving).
  static XgbBooster load_json_file(const std::filesystem::path& path, int nthread = 1);
  static XgbBooster load_json_buffer(std::string_view json, std::string_view source, int nthread = 1);

  XgbBooster(XgbBooster&& other) noexcept;
  XgbBooster& operator=(XgbBooster&& other) noexcept;
  XgbBooster(const XgbBooster&) = delete;
  XgbBooster& operator=(const XgbBooster&) = delete;
  ~XgbBooster();

  // The model as XGBoost's JSON (deterministic bytes for a deterministic model).
  std::string save_json_buffer() const;
  // Writes atomically (temporary file + rename); throws XgbError naming the path.
  void save_json_file(const std::filesystem::path& path) const;

  std::size_t num_features() const { return num_features_; }
  int boosted_rounds() const;
  // Not thread safe: no prediction may run concurrently.
  void set_nthread(int nthread);

  // Probabilities of the positive class, one per row, through a DMatrix (uses the booster's nthread).
  std::vector<float> predict_batch(const DenseRows& rows) const;
  // One row, in-place prediction through a proxy DMatrix reused per thread (the fastest C API path
  // measured in bench/ml_bench.cc). row.size() must equal num_features().
  float predict_row(std::span<const float> row) const;
  // One row through a fresh DMatrix; slower, for comparison.
  float predict_row_dmatrix(std::span<const float> row) const;
  // One row through XGBoosterPredictFromDense without a proxy; slower, for comparison.
  float predict_row_inplace_no_proxy(std::span<const float> row) const;

  // Scores of features used by at least one split, sorted by score descending, then index.
  std::vector<FeatureImportance> feature_importance(ImportanceType type) const;

  // The raw handle, for code that needs a C API call this class does not wrap.
  void* handle() const { return handle_; }

 private:
  explicit XgbBooster(void* handle);
  void refresh_metadata(std::string_view source);
  float single_output(const float* out, std::uint64_t out_len, std::string_view op) const;

  void* handle_ = nullptr;  // BoosterHandle
  std::size_t num_features_ = 0;
  std::string inplace_config_;  // predict config JSON, fixed after load
};

}  // namespace pdex::ml
