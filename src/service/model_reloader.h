// Replacing the served model at run time (SIGHUP, registry promotion): the bundle is loaded and validated on the
// caller's thread, off the request path, then swapped in atomically (ModelProvider::set). Requests in flight
// finish with the model they started with; a bundle that fails to load is refused and the current model keeps
// serving. Thread-safe (concurrent reloads: the last to finish wins).
#pragma once

#include <filesystem>
#include <string>

#include "service/service_state.h"

namespace pdex::service {

struct ReloadOutcome {
  bool ok = false;
  std::string version;       // ok: the version now served
  std::string error;         // !ok: why the bundle was refused
  std::string kept_version;  // !ok: the version still served ("" when none)
};

// Loads `path` with load_model (model_provider.h) against state.dex and swaps it in when it loads.
ReloadOutcome reload_model(ServiceState& state, const std::filesystem::path& path);

}  // namespace pdex::service
