// How a species learns a move in LGPE (a row of content.learnsets).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pdex::dex {

enum class LearnMethod : std::uint8_t { LevelUp, Tm, Tutor, Event };
std::string_view learn_method_name(LearnMethod m);  // "levelup", "tm", "tutor", "event"
std::optional<LearnMethod> parse_learn_method(std::string_view s);

struct LearnsetEntry {
  int pokemon_id = 0;  // Species::id
  int move_id = 0;     // Move::id
  LearnMethod method = LearnMethod::LevelUp;
  std::optional<int> level;           // LevelUp only; 0..100 where 0 means 'learned on evolution' (Showdown's 7L0)
  std::optional<int> inherited_from;  // Species::id of the pre-evolution / base species, if inherited
  bool operator==(const LearnsetEntry&) const = default;
};

}  // namespace pdex::dex
