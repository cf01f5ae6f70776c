// The one importer of data/lgpe-dex.json (format: docs/data-format.md).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "dex/dex_data.h"

namespace pdex::dex {

// Thrown for any invalid data file. what() is one line naming the file, the record and the field, e.g.
// "data/lgpe-dex.json: pokemon[24] (pikachu): base_stats.atk: must be 1..255, got -5".
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses and fully validates (types, ranges, references between records, duplicates, content hash).
// `label` names the source in messages (usually the path).
DexData parse_dex_json(std::string_view text, const std::string& label);
DexData load_dex_json(const std::filesystem::path& path);  // DataError also for unreadable files

}  // namespace pdex::dex
