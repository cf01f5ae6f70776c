#include "service/registry_model_watcher.h"

#include <exception>

#include "registry/artifact_store.h"
#include "service/prediction_monitor.h"

namespace pdex::service {

using nlohmann::json;

RegistryServedModel::RegistryServedModel(std::shared_ptr<const ServedModel> inner, const store::ModelVersion& v,
                                         json aliases)
    : inner_(std::move(inner)),
      version_(v.model_name + "/" + std::to_string(v.version)),
      artifact_sha256_(v.artifact_sha256),
      card_(inner_->card()) {
  card_["bundle_version"] = inner_->version();
  card_["version"] = version_;
  card_["registry"] = {{"model", v.model_name},
                       {"version", v.version},
                       {"stage", v.stage},
                       {"aliases", std::move(aliases)},
                       {"artifact_sha256", v.artifact_sha256},
                       {"dataset_sha256", v.dataset_sha256},
                       {"code_version", v.code_version},
                       {"lineage", v.lineage},
                       {"created_at", v.created_at},
                       {"created_by", v.created_by}};
}

RegistryModelWatcher::RegistryModelWatcher(const std::string& database_url, std::string model_name)
    : url_(database_url), model_name_(std::move(model_name)), db_(std::make_unique<store::Database>(database_url)) {}

WatchOutcome RegistryModelWatcher::poll(ServiceState& state) {
  WatchOutcome out;
  std::optional<store::ModelVersion> production;
  std::optional<store::RegisteredModel> model;
  try {
    if (!db_) db_ = std::make_unique<store::Database>(url_);
    store::RegistryRepository repo(db_->session());
    production = repo.production(model_name_);
    if (production) model = repo.find_model(model_name_);
  } catch (const std::exception& e) {
    db_.reset();
    if (e.what() == last_db_error_) return out;
    last_db_error_ = e.what();
    out.kind = WatchOutcome::Kind::Unavailable;
    out.error = e.what();
    return out;
  }
  last_db_error_.clear();
  if (!production) {
    out.kind = WatchOutcome::Kind::NoProduction;
    return out;
  }
  out.version = model_name_ + "/" + std::to_string(production->version);
  out.path = production->artifact_path;
  if (production->artifact_sha256 == served_sha_) return out;  // Unchanged
  served_sha_ = production->artifact_sha256;
  try {
    registry::verify_artifact(production->artifact_path, production->artifact_sha256);
    auto inner = load_model(production->artifact_path, *state.dex);
    json aliases = {{"production", production->version},
                    {"candidate", model && model->candidate ? json(*model->candidate) : json(nullptr)}};
    state.models.set(std::make_shared<RegistryServedModel>(std::move(inner), *production, std::move(aliases)));
    out.kind = WatchOutcome::Kind::Loaded;
    if (state.monitor) state.monitor->record_model_reload(true);
  } catch (const std::exception& e) {
    out.kind = WatchOutcome::Kind::Failed;
    out.error = e.what();
    if (state.monitor) state.monitor->record_model_reload(false);
  }
  return out;
}

}  // namespace pdex::service
