// Run tracking for CLI commands (store/run_repository.h): `pdex dataset build`, `model train`,
// `model evaluate`, `model register|promote` and `pipeline run` record themselves as runs in the database
// named by PDEX_DATABASE_URL (default sqlite://$PDEX_DATA_DIR/pdex.sqlite), migrated on first use.
//
// PDEX_TRACK_RUNS=off disables recording. When the database cannot be opened, the command still runs and
// one warning line says the run was not recorded. `pdex pipeline run` passes PDEX_RUN_PARENT (its run id)
// and PDEX_RUN_INPUT_KEY (the step's input hash) to the steps it starts.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "store/database.h"

namespace pdex::cli {

// "0.1.0+<git hash>" (common/version.h).
std::string code_version();

class TrackedRun {
 public:
  TrackedRun(const std::string& kind, const nlohmann::json& params, const nlohmann::json& inputs);
  ~TrackedRun();  // a run neither succeeded nor failed is recorded as failed
  TrackedRun(const TrackedRun&) = delete;
  TrackedRun& operator=(const TrackedRun&) = delete;

  std::optional<std::int64_t> id() const { return id_; }
  void succeed(const nlohmann::json& metrics, const nlohmann::json& artifacts);
  void fail(const std::string& error);

 private:
  std::unique_ptr<store::Database> db_;
  std::optional<std::int64_t> id_;
  bool ended_ = false;
};

// Runs `body` inside a TrackedRun; an exception is recorded as the run's error and rethrown.
void with_tracked_run(const std::string& kind, const nlohmann::json& params, const nlohmann::json& inputs,
                      const std::function<void(TrackedRun&)>& body);

// Opens (and migrates) PDEX_DATABASE_URL; CommandError(kFailure) naming the database when it fails.
std::unique_ptr<store::Database> open_tracking_database();

// {"name", "path", "sha256"} for a run's artifact list.
nlohmann::json artifact_entry(const std::string& name, const std::string& path, const std::string& sha256);

}  // namespace pdex::cli
