// The whole game data as plain rows: what the JSON importer produces, what the store writes and reads
// back, and what Dex is built from. Sorted as in data/lgpe-dex.json (docs/data-format.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dex/learnset.h"
#include "dex/move.h"
#include "dex/species.h"
#include "dex/type_chart.h"

namespace pdex::dex {

struct TypeInfo {
  int id = 0;  // 1..18
  Type type = Type::Normal;
  std::string name;
  std::optional<std::string> name_fr;
  bool operator==(const TypeInfo&) const = default;
};

struct DexData {
  std::map<std::string, std::string> source_packages;  // "@pkmn/dex" -> "0.10.11"
  std::string content_sha256;
  std::vector<TypeInfo> types;  // 18
  TypeChart chart;
  std::vector<Species> species;          // sorted by id
  std::vector<Move> moves;               // sorted by id
  std::vector<LearnsetEntry> learnsets;  // sorted by (pokemon, move, method, level, inherited_from)
  bool operator==(const DexData&) const = default;
};

}  // namespace pdex::dex
