#include "registry/registration.h"

#include "ml/bundle.h"
#include "registry/artifact_store.h"

namespace pdex::registry {

using nlohmann::json;

namespace {

std::string string_at(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

store::RegistryRepository::Registered register_bundle(store::RegistryRepository& repo, const RegisterRequest& r) {
  store::validate_model_name(r.model_name);
  const json meta = ml::read_bundle_meta(r.bundle_dir);
  const StoredArtifact artifact = store_bundle(r.bundle_dir, r.artifacts_root);
  const json lineage = meta.value("lineage", json::object());
  store::NewModelVersion v;
  v.model_name = r.model_name;
  v.stage = r.stage;
  v.artifact_sha256 = artifact.sha256;
  v.artifact_path = artifact.path.string();
  v.bundle_version = string_at(meta, "version");
  v.model_sha256 = string_at(meta, "model_sha256");
  v.feature_spec_hash = meta.contains("feature_spec") ? string_at(meta["feature_spec"], "hash") : "";
  v.dataset_sha256 = string_at(lineage, "dataset_sha256");
  v.metrics = meta.value("metrics", json::object());
  if (meta.contains("gates")) v.metrics["gates"] = meta["gates"];
  v.params = lineage.value("xgboost_params", json::object());
  v.params["kind"] = meta.value("kind", json(nullptr));
  v.params["label"] = lineage.value("label", json(nullptr));
  v.lineage = lineage;
  v.lineage.erase("tune");  // trials are in the bundle's tune.json; the registry keeps the summary
  if (lineage.contains("seed") && lineage["seed"].is_number_integer()) v.seed = lineage["seed"].get<std::int64_t>();
  v.code_version = string_at(lineage, "code_version");
  v.run_id = r.run_id;
  v.created_by = r.actor;
  v.reason = r.reason;
  return repo.register_version(v);
}

}  // namespace pdex::registry
