#include "dex/stats.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace pdex::dex {
namespace {

constexpr std::array<std::string_view, kStatCount> kStatKeys = {"hp", "atk", "def", "spa", "spd", "spe"};

// The standard order (index = internal nature number): 5 rows of plus-stat, 5 columns of minus-stat.
constexpr std::array<Nature, 25> kNatures = {{
    {"Hardy", std::nullopt, std::nullopt},   {"Lonely", Stat::Atk, Stat::Def},  {"Brave", Stat::Atk, Stat::Spe},
    {"Adamant", Stat::Atk, Stat::SpA},       {"Naughty", Stat::Atk, Stat::SpD}, {"Bold", Stat::Def, Stat::Atk},
    {"Docile", std::nullopt, std::nullopt},  {"Relaxed", Stat::Def, Stat::Spe}, {"Impish", Stat::Def, Stat::SpA},
    {"Lax", Stat::Def, Stat::SpD},           {"Timid", Stat::Spe, Stat::Atk},   {"Hasty", Stat::Spe, Stat::Def},
    {"Serious", std::nullopt, std::nullopt}, {"Jolly", Stat::Spe, Stat::SpA},   {"Naive", Stat::Spe, Stat::SpD},
    {"Modest", Stat::SpA, Stat::Atk},        {"Mild", Stat::SpA, Stat::Def},    {"Quiet", Stat::SpA, Stat::Spe},
    {"Bashful", std::nullopt, std::nullopt}, {"Rash", Stat::SpA, Stat::SpD},    {"Calm", Stat::SpD, Stat::Atk},
    {"Gentle", Stat::SpD, Stat::Def},        {"Sassy", Stat::SpD, Stat::Spe},   {"Careful", Stat::SpD, Stat::SpA},
    {"Quirky", std::nullopt, std::nullopt},
}};

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Showdown's trunc(x, bits): to an unsigned 32-bit integer, then modulo 2^bits when bits > 0.
std::uint32_t trunc_bits(std::int64_t x, int bits) {
  const auto u = static_cast<std::uint32_t>(x);
  return bits > 0 ? u % (std::uint32_t{1} << bits) : u;
}

// Friendship fixed at 70 by Showdown: trunc((70 / 255 / 10 + 1) * 100) = 102.
constexpr int kFriendshipPercent = 102;

std::string range_error(const std::string& field, int lo, int hi, int got) {
  return field + " must be " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + std::to_string(got);
}

}  // namespace

std::string_view stat_key(Stat s) {
  const auto i = static_cast<std::size_t>(s);
  return i < kStatKeys.size() ? kStatKeys[i] : std::string_view("?");
}

std::optional<Stat> parse_stat_key(std::string_view key) {
  for (int i = 0; i < kStatCount; ++i) {
    if (kStatKeys[i] == key) return static_cast<Stat>(i);
  }
  return std::nullopt;
}

std::span<const Nature> all_natures() {
  return kNatures;
}

const Nature& neutral_nature() {
  return kNatures[0];
}

const Nature* find_nature(std::string_view name) {
  for (const Nature& n : kNatures) {
    if (iequals(n.name, name)) return &n;
  }
  return nullptr;
}

StatTable compute_stats(const StatTable& base, const StatSpread& spread) {
  const Nature& nature = spread.nature != nullptr ? *spread.nature : neutral_nature();
  const std::int64_t level = spread.level;
  StatTable out;
  out[Stat::HP] =
      static_cast<int>((2 * base[Stat::HP] + spread.ivs[Stat::HP] + 100) * level / 100 + 10) + spread.avs[Stat::HP];
  for (int i = 1; i < kStatCount; ++i) {
    const auto s = static_cast<Stat>(i);
    std::int64_t stat = (2 * base[s] + spread.ivs[s]) * level / 100 + 5;
    if (nature.plus == s) {
      stat = trunc_bits(stat * 110, 16) / 100;
    } else if (nature.minus == s) {
      stat = trunc_bits(stat * 90, 16) / 100;
    }
    stat = stat * kFriendshipPercent / 100;
    if (spread.av_rule == AvRule::Game) stat += spread.avs[s];
    out[s] = static_cast<int>(stat);
  }
  return out;
}

std::optional<std::string> validate_spread(const StatSpread& spread) {
  if (spread.level < 1 || spread.level > 100) return range_error("level", 1, 100, spread.level);
  for (int i = 0; i < kStatCount; ++i) {
    const auto s = static_cast<Stat>(i);
    if (spread.ivs[s] < 0 || spread.ivs[s] > 31) {
      return range_error("ivs." + std::string(stat_key(s)), 0, 31, spread.ivs[s]);
    }
  }
  for (int i = 0; i < kStatCount; ++i) {
    const auto s = static_cast<Stat>(i);
    if (spread.avs[s] < 0 || spread.avs[s] > 200) {
      return range_error("avs." + std::string(stat_key(s)), 0, 200, spread.avs[s]);
    }
  }
  return std::nullopt;
}

}  // namespace pdex::dex
