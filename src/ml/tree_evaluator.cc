#include "ml/tree_evaluator.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace pdex::ml {
namespace {

using nlohmann::json;

[[noreturn]] void fail(std::string_view source, const std::string& why) {
  throw XgbError("model " + std::string(source) + ": " + why);
}

const json& member(const json& j, const char* key, std::string_view source, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) fail(source, where + " has no '" + key + "'");
  return j[key];
}

// XGBoost writes its model parameters as strings ("5E-1", "20").
float param_float(const json& j, const char* key, std::string_view source, const std::string& where) {
  const json& v = member(j, key, source, where);
  if (!v.is_string()) fail(source, where + "." + key + " is not a string");
  const std::string s = v.get<std::string>();
  char* end = nullptr;
  const float f = std::strtof(s.c_str(), &end);
  if (s.empty() || *end != '\0') fail(source, where + "." + key + " = '" + s + "' is not a number");
  return f;
}

long param_int(const json& j, const char* key, std::string_view source, const std::string& where) {
  const json& v = member(j, key, source, where);
  if (!v.is_string()) fail(source, where + "." + key + " is not a string");
  const std::string s = v.get<std::string>();
  char* end = nullptr;
  const long n = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0') fail(source, where + "." + key + " = '" + s + "' is not an integer");
  return n;
}

template <typename T>
std::vector<T> number_array(const json& tree, const char* key, std::size_t expected, std::string_view source,
                            const std::string& where) {
  const json& a = member(tree, key, source, where);
  if (!a.is_array()) fail(source, where + "." + key + " is not an array");
  if (a.size() != expected) {
    fail(source,
         where + "." + key + " has " + std::to_string(a.size()) + " entries, expected " + std::to_string(expected));
  }
  std::vector<T> out;
  out.reserve(expected);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_number()) fail(source, where + "." + key + "[" + std::to_string(i) + "] is not a number");
    out.push_back(a[i].get<T>());
  }
  return out;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw XgbError("cannot open model file " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TreeEvaluator TreeEvaluator::from_json_file(const std::filesystem::path& path) {
  return from_json(read_all(path), path.string());
}

TreeEvaluator TreeEvaluator::from_booster(const XgbBooster& booster) {
  return from_json(booster.save_json_buffer(), "(in-memory booster)");
}

TreeEvaluator TreeEvaluator::from_json(std::string_view model_json, std::string_view source) {
  json doc;
  try {
    doc = json::parse(model_json);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number that overflows a double
    fail(source, std::string("not valid JSON (truncated or corrupt?): ") + e.what());
  }
  const json& learner = member(doc, "learner", source, "document");
  const json& objective = member(learner, "objective", source, "learner");
  const std::string objective_name = member(objective, "name", source, "learner.objective").get<std::string>();
  if (objective_name != "binary:logistic" && objective_name != "reg:logistic") {
    fail(source, "objective '" + objective_name + "' is not binary:logistic or reg:logistic");
  }
  const json& mparam = member(learner, "learner_model_param", source, "learner");
  const float base_score = param_float(mparam, "base_score", source, "learner.learner_model_param");
  if (!(base_score > 0.0f && base_score < 1.0f)) {
    fail(source, "base_score " + std::to_string(base_score) + " is not in (0,1)");
  }
  const long num_class = param_int(mparam, "num_class", source, "learner.learner_model_param");
  if (num_class > 1) fail(source, "multi-class models (num_class " + std::to_string(num_class) + ") are not supported");
  const long num_feature = param_int(mparam, "num_feature", source, "learner.learner_model_param");
  if (num_feature < 1 || num_feature > static_cast<long>(kFeatureMask)) {
    fail(source, "num_feature " + std::to_string(num_feature) + " is out of range");
  }

  const json& gb = member(learner, "gradient_booster", source, "learner");
  const std::string gb_name = member(gb, "name", source, "learner.gradient_booster").get<std::string>();
  if (gb_name != "gbtree") fail(source, "booster '" + gb_name + "' is not gbtree");
  const json& model = member(gb, "model", source, "learner.gradient_booster");
  const json& trees = member(model, "trees", source, "learner.gradient_booster.model");
  if (!trees.is_array()) fail(source, "learner.gradient_booster.model.trees is not an array");

  TreeEvaluator ev;
  ev.num_features_ = static_cast<std::size_t>(num_feature);
  // Same float arithmetic as XGBoost's RegLossObj<LogisticClassification>::ProbToMargin.
  ev.base_margin_ = -std::log(1.0f / base_score - 1.0f);
  ev.roots_.reserve(trees.size());

  for (std::size_t t = 0; t < trees.size(); ++t) {
    const json& tree = trees[t];
    const std::string where = "tree " + std::to_string(t);
    const long num_nodes =
        param_int(member(tree, "tree_param", source, where), "num_nodes", source, where + ".tree_param");
    const long leaf_vector = param_int(tree["tree_param"], "size_leaf_vector", source, where + ".tree_param");
    if (leaf_vector != 0) fail(source, where + ": vector leaves are not supported");
    if (num_nodes < 1) fail(source, where + ": num_nodes " + std::to_string(num_nodes) + " < 1");
    const auto n = static_cast<std::size_t>(num_nodes);
    const auto left = number_array<long long>(tree, "left_children", n, source, where);
    const auto right = number_array<long long>(tree, "right_children", n, source, where);
    const auto feature = number_array<long long>(tree, "split_indices", n, source, where);
    const auto condition = number_array<float>(tree, "split_conditions", n, source, where);
    const auto default_left = number_array<int>(tree, "default_left", n, source, where);
    if (tree.contains("split_type")) {
      const auto split_type = number_array<int>(tree, "split_type", n, source, where);
      for (std::size_t i = 0; i < n; ++i) {
        if (split_type[i] != 0) fail(source, where + " node " + std::to_string(i) + ": categorical split");
      }
    }

    // Breadth-first relabelling; `order[k]` is the original id of the tree's k-th flat node.
    const auto base = static_cast<std::uint32_t>(ev.nodes_.size());
    std::vector<long long> order = {0};
    std::vector<std::uint32_t> node_depth = {0};
    std::uint32_t tree_depth = 0;
    std::vector<bool> seen(n, false);
    seen[0] = true;
    for (std::size_t k = 0; k < order.size(); ++k) {
      const auto o = static_cast<std::size_t>(order[k]);
      const std::string node_where = where + " node " + std::to_string(o);
      Node node{};
      const auto self = static_cast<std::uint32_t>(base + k);
      if (left[o] == -1 && right[o] == -1) {
        node = Node{condition[o], kLeafBit, self};
        tree_depth = std::max(tree_depth, node_depth[k]);
      } else {
        for (const long long child : {left[o], right[o]}) {
          if (child < 0 || child >= num_nodes)
            fail(source, node_where + ": child " + std::to_string(child) + " out of range");
          if (seen[static_cast<std::size_t>(child)])
            fail(source, node_where + ": child " + std::to_string(child) + " reached twice");
          seen[static_cast<std::size_t>(child)] = true;
        }
        if (feature[o] < 0 || feature[o] >= num_feature) {
          fail(source, node_where + ": split feature " + std::to_string(feature[o]) + " not in [0," +
                           std::to_string(num_feature) + ")");
        }
        if (std::isnan(condition[o])) {
          fail(source, node_where + ": split condition is NaN");
        }
        const auto flat_left = static_cast<std::uint32_t>(base + order.size());
        order.push_back(left[o]);
        order.push_back(right[o]);
        node_depth.push_back(node_depth[k] + 1);
        node_depth.push_back(node_depth[k] + 1);
        node = Node{condition[o], static_cast<std::uint32_t>(feature[o]) | (default_left[o] != 0 ? kDefaultLeft : 0u),
                    flat_left};
      }
      ev.nodes_.push_back(node);
    }
    ev.roots_.push_back(base);
    ev.depths_.push_back(tree_depth);
  }
  if (ev.nodes_.size() > kFeatureMask) fail(source, "too many nodes");
  return ev;
}

namespace {

// One level down. Branch-free, so that the CPU overlaps the walks of consecutive trees instead of
// stalling on unpredictable branches: `x < value` is false for NaN, which then goes left only when
// default_left is set; a leaf points to itself, so extra steps past it are harmless.
inline std::uint32_t step(const TreeEvaluator::Node* nodes, std::uint32_t i, const float* row) {
  const TreeEvaluator::Node& n = nodes[i];
  const float x = row[n.feature & TreeEvaluator::kFeatureMask];
  const bool stay_left = (x < n.value) | (std::isnan(x) & ((n.feature & TreeEvaluator::kDefaultLeft) != 0)) |
                         ((n.feature & TreeEvaluator::kLeafBit) != 0);
  return n.left + static_cast<std::uint32_t>(!stay_left);
}

}  // namespace

float TreeEvaluator::margin_unchecked(const float* row) const {
  constexpr std::size_t kLanes = 8;
  float sum = base_margin_;
  const Node* nodes = nodes_.data();
  std::size_t t = 0;
  // Independent walks side by side give the memory system several loads in flight instead of one.
  for (; t + kLanes <= roots_.size(); t += kLanes) {
    std::uint32_t at[kLanes];
    std::uint32_t depth = 0;
    for (std::size_t l = 0; l < kLanes; ++l) {
      at[l] = roots_[t + l];
      depth = std::max(depth, depths_[t + l]);
    }
    for (std::uint32_t k = 0; k < depth; ++k) {
      for (std::size_t l = 0; l < kLanes; ++l) at[l] = step(nodes, at[l], row);
    }
    for (std::size_t l = 0; l < kLanes; ++l) sum += nodes[at[l]].value;  // in tree order, as XGBoost adds them
  }
  for (; t < roots_.size(); ++t) {
    std::uint32_t i = roots_[t];
    for (std::uint32_t k = depths_[t]; k > 0; --k) i = step(nodes, i, row);
    sum += nodes[i].value;
  }
  return sum;
}

float TreeEvaluator::predict_margin(std::span<const float> row) const {
  if (row.size() != num_features_) {
    throw std::invalid_argument("predict: row has " + std::to_string(row.size()) + " values, the model " +
                                std::to_string(num_features_) + " features");
  }
  return margin_unchecked(row.data());
}

float TreeEvaluator::predict(std::span<const float> row) const {
  const float margin = predict_margin(row);
  return 1.0f / (1.0f + std::exp(-margin));
}

std::vector<float> TreeEvaluator::predict_batch(const DenseRows& rows) const {
  rows.validate("prediction rows");
  if (rows.cols != num_features_) {
    throw std::invalid_argument("predict: rows have " + std::to_string(rows.cols) + " columns, the model " +
                                std::to_string(num_features_));
  }
  std::vector<float> out(rows.rows);
  for (std::size_t r = 0; r < rows.rows; ++r) out[r] = margin_unchecked(rows.values.data() + r * rows.cols);
  for (float& p : out) p = 1.0f / (1.0f + std::exp(-p));
  return out;
}

double TreeEvaluator::max_abs_diff_against(const XgbBooster& booster, const DenseRows& rows) const {
  if (booster.num_features() != num_features_) {
    throw std::invalid_argument("evaluator has " + std::to_string(num_features_) + " features, the booster " +
                                std::to_string(booster.num_features()));
  }
  const std::vector<float> expected = booster.predict_batch(rows);
  const std::vector<float> actual = predict_batch(rows);
  double worst = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double d = std::abs(static_cast<double>(expected[i]) - actual[i]);
    if (std::isnan(d)) return d;
    worst = std::max(worst, d);
  }
  return worst;
}

}  // namespace pdex::ml
