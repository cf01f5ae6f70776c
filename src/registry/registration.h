// Registering a model bundle: the bundle is validated (ml::read_bundle_meta: checksums, feature spec),
// copied into the content-addressed artifact store and recorded as the next version of a registered
// model with its metrics, params, feature-spec hash and lineage (dataset hash, config, seed, code version).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "store/registry_repository.h"

namespace pdex::registry {

struct RegisterRequest {
  std::filesystem::path bundle_dir;
  std::filesystem::path artifacts_root;  // <data_dir>/artifacts
  std::string model_name = store::kDefaultModelName;
  std::string stage = "none";  // "none" or "candidate"
  std::string actor;
  std::string reason;
  std::optional<std::int64_t> run_id;
};

// Throws ml::BundleError (invalid bundle), ArtifactError, std::invalid_argument, store::DatabaseError.
store::RegistryRepository::Registered register_bundle(store::RegistryRepository& repo, const RegisterRequest& request);

}  // namespace pdex::registry
