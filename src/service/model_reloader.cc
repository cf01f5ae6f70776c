#include "service/model_reloader.h"

#include <exception>

#include "service/prediction_monitor.h"

namespace pdex::service {

ReloadOutcome reload_model(ServiceState& state, const std::filesystem::path& path) {
  ReloadOutcome out;
  try {
    auto model = load_model(path, *state.dex);
    out.version = model->version();
    state.models.set(std::move(model));
    out.ok = true;
  } catch (const std::exception& e) {
    out.error = e.what();
    if (auto current = state.models.current()) out.kept_version = current->version();
  }
  if (state.monitor) state.monitor->record_model_reload(out.ok);
  return out;
}

}  // namespace pdex::service
