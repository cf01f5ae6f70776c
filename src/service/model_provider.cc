#include "service/model_provider.h"

#include <mutex>
#include <stdexcept>

namespace pdex::service {
namespace {

std::mutex& loader_mutex() {
  static std::mutex m;
  return m;
}
ModelLoader& loader() {
  static ModelLoader l;
  return l;
}

}  // namespace

void set_model_loader(ModelLoader l) {
  std::lock_guard lock(loader_mutex());
  loader() = std::move(l);
}

std::shared_ptr<const ServedModel> load_model(const std::filesystem::path& path, const dex::Dex& dex) {
  ModelLoader l;
  {
    std::lock_guard lock(loader_mutex());
    l = loader();
  }
  if (!l) throw std::runtime_error("cannot load model " + path.string() + ": this build has no model loader");
  auto model = l(path, dex);
  if (!model) throw std::runtime_error("cannot load model " + path.string() + ": the loader returned nothing");
  return model;
}

}  // namespace pdex::service
