// Where the model pipeline keeps its artifacts under the data directory (PDEX_DATA_DIR, default ./var):
//   <data_dir>/datasets/<content hash, 16 hex>/   a dataset (docs/dataset-format.md)
//   <data_dir>/datasets/LATEST                    name of the last dataset built
//   <data_dir>/models/<name>/                     a model bundle (docs/model-bundle.md)
#pragma once

#include <filesystem>
#include <string>

namespace pdex::cli {

std::filesystem::path datasets_dir();
std::filesystem::path models_dir();
// `arg` if given, else the dataset named in datasets/LATEST; CommandError(kUsage) if there is none.
std::filesystem::path resolve_dataset_dir(const std::string& arg);
void set_latest_dataset(const std::string& name);
// `arg` if it names a directory, else models/<arg>.
std::filesystem::path resolve_model_dir(const std::string& arg);

}  // namespace pdex::cli
