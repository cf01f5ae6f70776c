// One LGPE species or form (a row of content.pokemon in data/lgpe-dex.json).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dex/stats.h"
#include "dex/type.h"

namespace pdex::dex {

struct Evolution {
  std::string to;       // showdown id of the evolved form (in the roster)
  std::string trigger;  // "levelUp" | "useItem" | "trade" | "levelFriendship" | "other"
  std::optional<int> level;
  std::optional<std::string> item;
  std::optional<std::string> condition;
  bool operator==(const Evolution&) const = default;
};

struct Species {
  int id = 0;  // DESIGN §3: national dex number; other forms 10000+
  std::string showdown_id;
  std::string name;
  std::optional<std::string> name_fr;
  int num = 0;                       // national dex number of the species
  std::string base_species;          // showdown id
  std::optional<std::string> forme;  // "Alola", "Mega", "Mega-X", "Mega-Y", "Starter"
  Typing types;
  StatTable base_stats;
  int weight_hg = 0;
  bool is_mega = false;
  bool is_alola = false;
  bool is_starter = false;
  std::optional<std::string> prevo;  // showdown id, when in the roster
  std::vector<Evolution> evolutions;
  std::vector<std::string> mega_evolutions;  // showdown ids
  bool operator==(const Species&) const = default;
};

}  // namespace pdex::dex
