// The model registry: registered models (default "battle_winner_model"), their numbered versions, the
// stage of each version and an audit trail of every transition (who, why, when).
//
// A version is an immutable record of one bundle copied into the content-addressed artifact directory
// (registry/artifact_store.h): its SHA-256, metrics, params, feature-spec hash and lineage (dataset hash,
// config, seed, code version), created at / by. Versions are numbered 1, 2, ... per model.
//
// Stages ("aliases"): none, candidate, production, archived. At most one version of a model is in
// production (a unique index enforces it). Transitions:
//   register  -> none or candidate
//   promote   X -> production; the previous production version (if any) -> archived
//   rollback  the production version -> archived; the version it replaced -> production
//   archive   any non-production version -> archived
// Every transition writes one row of model_transitions in the same transaction. Whether a promotion is
// allowed (quality gates, champion/challenger) is decided by the caller (registry/promotion.h); this
// repository only records.
//
// Thread safety: wraps one soci::session (not thread-safe).
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pdex::store {

inline constexpr const char* kDefaultModelName = "battle_winner_model";

// "candidate", "production", "archived", "none".
bool is_known_stage(const std::string& stage);
// Letters, digits, '_', '-', '.', 1..100 bytes. Throws std::invalid_argument naming the problem.
void validate_model_name(const std::string& name);

struct NewModelVersion {
  std::string model_name = kDefaultModelName;
  std::string stage = "none";  // "none" or "candidate"
  std::string artifact_sha256;
  std::string artifact_path;
  std::string bundle_version;  // bundle.json "version"
  std::string model_sha256;
  std::string feature_spec_hash;
  std::string dataset_sha256;
  nlohmann::json metrics = nlohmann::json::object();
  nlohmann::json params = nlohmann::json::object();
  nlohmann::json lineage = nlohmann::json::object();
  std::optional<std::int64_t> seed;
  std::string code_version;
  std::optional<std::int64_t> run_id;  // the training run, when known
  std::string created_by;
  std::string reason;  // for the audit row
};

struct ModelVersion {
  std::string model_name;
  int version = 0;
  std::string stage;
  std::string artifact_sha256, artifact_path, bundle_version, model_sha256, feature_spec_hash, dataset_sha256;
  nlohmann::json metrics, params, lineage;
  std::optional<std::int64_t> seed;
  std::string code_version;
  std::optional<std::int64_t> run_id;
  std::string created_at, created_by;

  nlohmann::json to_json() const;
};

struct Transition {
  std::int64_t id = 0;
  std::string model_name;
  int version = 0;
  std::string action, from_stage, to_stage;
  std::optional<int> replaced_version;  // promote / rollback: the version that left production
  std::string actor, reason;
  nlohmann::json details;  // e.g. the gate results of a promotion
  std::string at;

  nlohmann::json to_json() const;
};

struct RegisteredModel {
  std::string name, description, created_at, created_by;
  std::optional<int> production;  // version in production
  std::optional<int> candidate;   // the newest candidate
  int latest_version = 0;
  int version_count = 0;

  // {name, description, created_at, created_by, latest_version, aliases {production, candidate}, versions}
  // with `versions` as given: the CLI lists every field, the API strips local paths.
  nlohmann::json to_json(nlohmann::json versions) const;
};

// Refusals the caller turns into exit codes or HTTP statuses; what() names the model and version.
class RegistryError : public std::runtime_error {
 public:
  enum class Kind { NotFound, Conflict };
  RegistryError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class RegistryRepository {
 public:
  // Precondition: the schema is migrated.
  explicit RegistryRepository(soci::session& sql) : sql_(sql) {}

  // Creates the model if needed and adds the next version. Registering an artifact the model already has
  // returns that version unchanged (`created` false), so re-running a pipeline does not add versions.
  struct Registered {
    ModelVersion version;
    bool created = false;
  };
  Registered register_version(const NewModelVersion& v);

  std::vector<RegisteredModel> list_models();
  std::optional<RegisteredModel> find_model(const std::string& name);
  // Newest first.
  std::vector<ModelVersion> versions(const std::string& name);
  std::optional<ModelVersion> find_version(const std::string& name, int version);
  std::optional<ModelVersion> production(const std::string& name);
  // Oldest first.
  std::vector<Transition> history(const std::string& name);

  // Each throws RegistryError (NotFound, or Conflict: already in that stage, archiving the production
  // version, nothing to roll back to) and DatabaseError. `details` goes into the audit row.
  ModelVersion promote(const std::string& name, int version, const std::string& actor, const std::string& reason,
                       const nlohmann::json& details = nlohmann::json::object());
  // Restores the version the current production version replaced when it was promoted. Returns it.
  ModelVersion rollback(const std::string& name, const std::string& actor, const std::string& reason);
  ModelVersion archive(const std::string& name, int version, const std::string& actor, const std::string& reason);
  // The version a rollback would restore, if any.
  std::optional<int> rollback_target(const std::string& name);

 private:
  void record(const std::string& name, int version, const std::string& action, const std::string& from,
              const std::string& to, std::optional<int> replaced, const std::string& actor, const std::string& reason,
              const nlohmann::json& details);
  void set_stage(const std::string& name, int version, const std::string& stage);

  soci::session& sql_;
};

}  // namespace pdex::store
