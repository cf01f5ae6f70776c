// Run tracking: every import, dataset build, training, evaluation, registration and pipeline is a run
// with its params, input hashes, metrics, artifacts (path + SHA-256), code version, start, end,
// duration and status.
//
// A run starts as "running" and ends "succeeded" or "failed". A process that dies leaves its run
// "running"; mark_abandoned turns such runs of dead local processes into "failed", so that the
// pipeline, which skips a step when a succeeded run has the same input_key, reruns it cleanly.
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

// "import", "dataset", "train", "evaluate", "register", "promote", "pipeline".
bool is_known_run_kind(const std::string& kind);

struct NewRun {
  std::string kind;
  std::optional<std::int64_t> parent_id;  // the pipeline run this step belongs to
  std::string input_key;                  // hash of everything the result depends on; empty: none
  nlohmann::json params = nlohmann::json::object();
  nlohmann::json inputs = nlohmann::json::object();  // name -> hash (dataset_sha256, config_sha256, ...)
  std::string code_version;
  std::string created_by;
};

struct Run {
  std::int64_t id = 0;
  std::string kind, status;
  std::optional<std::int64_t> parent_id;
  std::string input_key;
  nlohmann::json params, inputs, metrics, artifacts;  // artifacts: [{"name", "path", "sha256"}]
  std::string code_version, started_at;
  std::optional<std::string> ended_at;
  std::optional<double> duration_s;
  std::optional<std::string> error;
  std::string created_by, host;
  std::int64_t pid = 0;

  nlohmann::json to_json() const;
};

class RunRepository {
 public:
  explicit RunRepository(soci::session& sql) : sql_(sql) {}

  // Records a running run (started now, by this host and process). Throws std::invalid_argument for an
  // unknown kind, DatabaseError.
  std::int64_t start(const NewRun& run);
  // Ends a running run; duration is measured from its start. Ending a run twice throws DatabaseError.
  void succeed(std::int64_t id, const nlohmann::json& metrics, const nlohmann::json& artifacts);
  void fail(std::int64_t id, const std::string& error);
  // Adds keys to the stored params/metrics (e.g. the output hash, known only at the end).
  void merge_params(std::int64_t id, const nlohmann::json& params);

  std::optional<Run> find(std::int64_t id);
  // Newest first; `kind` empty: every kind; `limit` 0: no limit.
  std::vector<Run> list(const std::string& kind = "", std::size_t limit = 0);
  std::vector<Run> children(std::int64_t parent_id);
  // The newest succeeded run of `kind` with this input key.
  std::optional<Run> latest_succeeded(const std::string& kind, const std::string& input_key);
  // Runs still "running" that were started on this host by a process that no longer exists become
  // "failed" ("abandoned: process N is gone"). Returns how many.
  int mark_abandoned();

 private:
  void end(std::int64_t id, const std::string& status, const nlohmann::json& metrics, const nlohmann::json& artifacts,
           const std::optional<std::string>& error);

  soci::session& sql_;
};

// "user" from the environment (USER, LOGNAME), else "uid:<n>".
std::string current_os_user();
std::string current_host();

}  // namespace pdex::store
