// Serving the model registry's production version (store/registry_repository.h): `pdex serve` without
// --model asks the database which version of the registered model is in production, loads its artifact,
// and polls the production alias (PDEX_MODEL_POLL seconds) so that a promotion or rollback, made by any
// process on any replica, is picked up without a restart. A version that fails to load (artifact missing
// or altered, bundle refused) is logged and the current model keeps serving; it is retried only when the
// production alias changes again.
//
// The served model carries the registry's identity: version() is "<model>/<version>" (so predictions
// and pdex_model_info name the registry version) and card() gains "registry": {model, version, stage,
// aliases, artifact_sha256, lineage, created_at, created_by} for GET /api/v1/model.
//
// Thread safety: a watcher is used by one thread at a time (the serve command's reload thread).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "service/model_provider.h"
#include "service/service_state.h"
#include "store/database.h"
#include "store/registry_repository.h"

namespace pdex::service {

class RegistryServedModel : public ServedModel {
 public:
  RegistryServedModel(std::shared_ptr<const ServedModel> inner, const store::ModelVersion& version,
                      nlohmann::json aliases);

  std::string version() const override { return version_; }
  nlohmann::json card() const override { return card_; }
  double predict_p1_win(const dex::Dex& dex, const battle::BattleConfig& config) const override {
    return inner_->predict_p1_win(dex, config);
  }
  double predict_p1_win_with_features(const dex::Dex& dex, const battle::BattleConfig& config,
                                      std::vector<float>& features) const override {
    return inner_->predict_p1_win_with_features(dex, config, features);
  }
  // The bundle's reference, so drift monitoring works for registry-served models too.
  const nlohmann::json* drift_reference() const override { return inner_->drift_reference(); }
  const std::string& artifact_sha256() const { return artifact_sha256_; }

 private:
  std::shared_ptr<const ServedModel> inner_;
  std::string version_;
  std::string artifact_sha256_;
  nlohmann::json card_;
};

struct WatchOutcome {
  // Unavailable: the registry cannot be read (database down, schema not migrated), reported once per error.
  enum class Kind { Unchanged, NoProduction, Loaded, Failed, Unavailable } kind = Kind::Unchanged;
  std::string version;  // Loaded: now served; Failed: the production version that was refused
  std::string error;    // Failed, Unavailable
  std::string path;     // the artifact
};

class RegistryModelWatcher {
 public:
  // Throws store::DatabaseError when the database cannot be opened.
  RegistryModelWatcher(const std::string& database_url, std::string model_name);

  // Reads the production alias; when it names another artifact than the one served, verifies the artifact
  // against its SHA-256, loads it and swaps it into state.models (counted by state.monitor as a reload).
  // Never throws: a database error is reported once as Unavailable (the connection is reopened on the
  // next poll).
  WatchOutcome poll(ServiceState& state);
  // The next poll loads the production version even if it is the one served (SIGHUP).
  void forget_served() { served_sha_.clear(); }

 private:
  std::string url_;
  std::string model_name_;
  std::unique_ptr<store::Database> db_;
  std::string served_sha_;     // artifact served (or last refused), so a bad version is not retried each poll
  std::string last_db_error_;  // a database error is reported once, not at every poll
};

}  // namespace pdex::service
