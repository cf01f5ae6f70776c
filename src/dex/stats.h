// Stats and the LGPE stat formula (DESIGN §4).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pdex::dex {

enum class Stat : std::uint8_t { HP, Atk, Def, SpA, SpD, Spe };
inline constexpr int kStatCount = 6;
// Short lowercase key as in the data file and the API ("hp", "atk", "def", "spa", "spd", "spe").
std::string_view stat_key(Stat s);
std::optional<Stat> parse_stat_key(std::string_view key);

struct StatTable {
  std::array<int, kStatCount> v{};
  int& operator[](Stat s) { return v[static_cast<int>(s)]; }
  int operator[](Stat s) const { return v[static_cast<int>(s)]; }
  static StatTable all(int x) { return {{x, x, x, x, x, x}}; }
  bool operator==(const StatTable&) const = default;
};

// The 25 natures; `plus`/`minus` are nullopt for the neutral ones.
struct Nature {
  std::string_view name;
  std::optional<Stat> plus;
  std::optional<Stat> minus;
};
const Nature& neutral_nature();  // Hardy
// All 25 in the standard order (Hardy, Lonely, Brave, ..., Quirky).
std::span<const Nature> all_natures();
// Case-insensitive; nullopt if unknown.
const Nature* find_nature(std::string_view name);

// How Awakening Values enter the stats.
enum class AvRule : std::uint8_t {
  Showdown,  // Showdown's gen7letsgo battle code: AVs added to HP only (the engine's default, so it matches Showdown)
  Game,      // the real game: AVs added to every stat
};

// Everything that, with the base stats, fixes a Pokémon's stats.
struct StatSpread {
  int level = 50;                      // 1..100
  StatTable ivs = StatTable::all(31);  // each 0..31
  StatTable avs = StatTable::all(0);   // each 0..200
  const Nature* nature = &neutral_nature();
  AvRule av_rule = AvRule::Showdown;
};

// LGPE stats at level: HP = ⌊(2B+IV)·L/100⌋ + L + 10 + AV; other stats =
// ⌊⌊(⌊(2B+IV)·L/100⌋ + 5)·nature⌋ · 102/100⌋ (friendship 70, as Showdown fixes it) [+ AV under AvRule::Game].
// Precondition: values in the ranges above (validate_spread checks them).
StatTable compute_stats(const StatTable& base, const StatSpread& spread);

// nullopt if valid, else a message naming the offending field ("level must be 1..100, got 0").
std::optional<std::string> validate_spread(const StatSpread& spread);

}  // namespace pdex::dex
