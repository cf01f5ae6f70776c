// The 18 types of Let's Go (Gen 6+ set, Fairy included).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pdex::dex {

// Order is the canonical one of data/lgpe-dex.json (ids 1..18 = index + 1).
enum class Type : std::uint8_t {
  Normal,
  Fire,
  Water,
  Electric,
  Grass,
  Ice,
  Fighting,
  Poison,
  Ground,
  Flying,
  Psychic,
  Bug,
  Rock,
  Ghost,
  Dragon,
  Dark,
  Steel,
  Fairy,
};
inline constexpr int kTypeCount = 18;

// English name as in the data file ("Fire").
std::string_view type_name(Type t);
// Case-insensitive parse of an English type name; nullopt if unknown.
std::optional<Type> parse_type(std::string_view name);

// One or two types; `second == first` for single-typed Pokémon.
struct Typing {
  Type first = Type::Normal;
  Type second = Type::Normal;
  bool dual() const { return first != second; }
  bool has(Type t) const { return first == t || second == t; }
  bool operator==(const Typing&) const = default;
};

}  // namespace pdex::dex
