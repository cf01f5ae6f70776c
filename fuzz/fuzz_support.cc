#include "fuzz_support.h"

#include <unistd.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "dex/dex_json.h"
#include "ml/bundle.h"
#include "ml/dataset.h"
#include "ml/trainer.h"

namespace pdex::fuzz {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path source_dir() {
  const char* env = std::getenv("PDEX_SOURCE_DIR");
  return env != nullptr && *env != '\0' ? fs::path(env) : fs::path(PDEX_SOURCE_DIR_DEFAULT);
}

fs::path temp_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("pdex_fuzz_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

void write_tiny_bundle(const fs::path& dir) {
  static const auto dex = std::make_shared<const dex::Dex>(dex::load_dex_json(source_dir() / "data/lgpe-dex.json"));
  ml::DatasetConfig dc;
  dc.seed = 7;
  dc.configs = {30, 20, 20};
  dc.mc_n = 8;
  dc.chunk_size = 32;
  const ml::Dataset ds = ml::build_dataset(*dex, dc, 1);
  const ml::ModelConfig mc = ml::ModelConfig::from_json(
      json{{"kind", "gbtree"},
           {"label", "winner"},
           {"xgboost", {{"num_boost_round", 4}, {"max_depth", 3}, {"eta", 0.3}, {"seed", 3}, {"nthread", 1}}}});
  ml::TrainResult r = ml::train_model(ds, mc, false);
  const ml::TrainingRows rows = ml::select_rows(ds, ml::Split::Train);
  const std::vector<float> preds = r.booster.predict_batch(rows.dense());
  json meta = {{"name", "fuzz"},
               {"kind", "gbtree"},
               {"reference", ml::make_reference(rows.dense(), preds, 5)},
               {"metrics", json::object()},
               {"lineage", {{"dataset_sha256", "d"}, {"seed", 3}, {"code_version", "fuzz"}}}};
  ml::write_bundle(dir, r.booster, meta);
}

}  // namespace pdex::fuzz
