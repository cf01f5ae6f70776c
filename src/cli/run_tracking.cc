#include "cli/run_tracking.h"

#include <cstdio>
#include <cstdlib>

#include "cli/cli_database.h"
#include "cli/command.h"
#include "cli/dex_source.h"
#include "common/version.h"
#include "store/run_repository.h"

namespace pdex::cli {

using nlohmann::json;

namespace {

bool tracking_enabled() {
  const char* v = std::getenv("PDEX_TRACK_RUNS");
  return v == nullptr || (std::string(v) != "off" && std::string(v) != "0" && std::string(v) != "false");
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

}  // namespace

std::string code_version() {
  return std::string(kVersion) + "+" + kGitHash;
}

std::unique_ptr<store::Database> open_tracking_database() {
  return open_migrated_database(settings_for_cli().database_url);
}

json artifact_entry(const std::string& name, const std::string& path, const std::string& sha256) {
  return {{"name", name}, {"path", path}, {"sha256", sha256}};
}

TrackedRun::TrackedRun(const std::string& kind, const json& params, const json& inputs) {
  if (!tracking_enabled()) return;
  try {
    db_ = open_tracking_database();
    store::NewRun run;
    run.kind = kind;
    run.params = params;
    run.inputs = inputs;
    run.code_version = code_version();
    run.input_key = env_or_empty("PDEX_RUN_INPUT_KEY");
    const std::string parent = env_or_empty("PDEX_RUN_PARENT");
    if (!parent.empty()) run.parent_id = std::stoll(parent);
    id_ = store::RunRepository(db_->session()).start(run);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: %s run not recorded: %s\n", kind.c_str(), e.what());
    db_.reset();
  }
}

TrackedRun::~TrackedRun() {
  if (id_ && !ended_) fail("the command ended without completing");
}

void TrackedRun::succeed(const json& metrics, const json& artifacts) {
  if (!id_ || ended_) return;
  ended_ = true;
  try {
    store::RunRepository(db_->session()).succeed(*id_, metrics, artifacts);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: cannot record the end of run %lld: %s\n", static_cast<long long>(*id_), e.what());
  }
}

void TrackedRun::fail(const std::string& error) {
  if (!id_ || ended_) return;
  ended_ = true;
  try {
    store::RunRepository(db_->session()).fail(*id_, error);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: cannot record the end of run %lld: %s\n", static_cast<long long>(*id_), e.what());
  }
}

void with_tracked_run(const std::string& kind, const json& params, const json& inputs,
                      const std::function<void(TrackedRun&)>& body) {
  TrackedRun run(kind, params, inputs);
  try {
    body(run);
  } catch (const std::exception& e) {
    run.fail(e.what());
    throw;
  }
}

}  // namespace pdex::cli
