#include "dex/type.h"

#include <array>

namespace pdex::dex {
namespace {

constexpr std::array<std::string_view, kTypeCount> kTypeNames = {
    "Normal", "Fire",    "Water", "Electric", "Grass", "Ice",    "Fighting", "Poison", "Ground",
    "Flying", "Psychic", "Bug",   "Rock",     "Ghost", "Dragon", "Dark",     "Steel",  "Fairy",
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view type_name(Type t) {
  const auto i = static_cast<std::size_t>(t);
  return i < kTypeNames.size() ? kTypeNames[i] : std::string_view("?");
}

std::optional<Type> parse_type(std::string_view name) {
  for (int i = 0; i < kTypeCount; ++i) {
    if (iequals(name, kTypeNames[i])) return static_cast<Type>(i);
  }
  return std::nullopt;
}

}  // namespace pdex::dex
