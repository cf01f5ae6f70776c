// The model the server predicts with, swappable at run time (promotion, rollback) without a restart.
//
// The ml side implements ServedModel over its predictor (src/ml/predictor.h: bundle loading, features,
// inference) and installs it with ModelProvider::set; handlers take ModelProvider::current() once per
// request, so a request finishes with the model it started with while a swap happens. No model
// (nullptr): GET /ready answers 503 and the predict routes 503 problem+json "model not loaded".
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "battle/battle_config.h"
#include "dex/dex.h"

namespace pdex::service {

class ServedModel {
 public:
  virtual ~ServedModel() = default;
  // Registry version ("battle-winner/3") or the bundle's content hash: pdex_model_info{version}, responses.
  virtual std::string version() const = 0;
  // The model card for GET /api/v1/model (version, metrics, features, trained_at, lineage).
  virtual nlohmann::json card() const = 0;
  // P(side 1 wins) for a battle that passed battle::validate_config. Thread-safe. May throw
  // std::invalid_argument with a client-facing reason (answered 422).
  virtual double predict_p1_win(const dex::Dex& dex, const battle::BattleConfig& config) const = 0;
  // The same prediction, also giving the feature vector the model saw (in feature-spec order) for the
  // prediction log's `features` and `feature_digest` (drift monitoring, audits). The default leaves
  // `features` empty; a model that builds features should override it to fill them without extra work.
  virtual double predict_p1_win_with_features(const dex::Dex& dex, const battle::BattleConfig& config,
                                              std::vector<float>& features) const {
    features.clear();
    return predict_p1_win(dex, config);
  }
  // The bundle's `reference` object (docs/model-bundle.md: per-feature quantile bins, a sample of rows, the
  // prediction distribution) that drift monitoring compares recent predictions with; nullptr: none.
  virtual const nlohmann::json* drift_reference() const { return nullptr; }
};

class ModelProvider {
 public:
  std::shared_ptr<const ServedModel> current() const { return current_.load(std::memory_order_acquire); }
  // nullptr unloads.
  void set(std::shared_ptr<const ServedModel> model) { current_.store(std::move(model), std::memory_order_release); }

 private:
  std::atomic<std::shared_ptr<const ServedModel>> current_;
};

// How `pdex serve --model PATH` turns a bundle path into a ServedModel. The ml library registers its loader
// here (set_model_loader) once the predictor exists; until then --model fails with a clear message.
using ModelLoader = std::function<std::shared_ptr<const ServedModel>(const std::filesystem::path&, const dex::Dex&)>;
void set_model_loader(ModelLoader loader);
// Throws std::runtime_error when no loader is registered or loading fails.
std::shared_ptr<const ServedModel> load_model(const std::filesystem::path& path, const dex::Dex& dex);

}  // namespace pdex::service
