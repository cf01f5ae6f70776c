#include "dex/stats.h"

#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace pdex::dex {
namespace {

StatTable stats(int hp, int atk, int def, int spa, int spd, int spe) {
  return {{hp, atk, def, spa, spd, spe}};
}

TEST(StatKeys, RoundTrip) {
  for (int i = 0; i < kStatCount; ++i) {
    const auto s = static_cast<Stat>(i);
    EXPECT_EQ(parse_stat_key(stat_key(s)), s);
  }
  EXPECT_EQ(stat_key(Stat::SpA), "spa");
  EXPECT_FALSE(parse_stat_key("Atk").has_value());
  EXPECT_FALSE(parse_stat_key("").has_value());
}

// Expected values: pokemon-showdown's Dex.natures.all() (name, plus, minus), printed with node.
TEST(Natures, MatchShowdownTable) {
  const std::set<std::tuple<std::string, std::string, std::string>> expected = {
      {"Adamant", "atk", "spa"}, {"Bashful", "-", "-"},     {"Bold", "def", "atk"},   {"Brave", "atk", "spe"},
      {"Calm", "spd", "atk"},    {"Careful", "spd", "spa"}, {"Docile", "-", "-"},     {"Gentle", "spd", "def"},
      {"Hardy", "-", "-"},       {"Hasty", "spe", "def"},   {"Impish", "def", "spa"}, {"Jolly", "spe", "spa"},
      {"Lax", "def", "spd"},     {"Lonely", "atk", "def"},  {"Mild", "spa", "def"},   {"Modest", "spa", "atk"},
      {"Naive", "spe", "spd"},   {"Naughty", "atk", "spd"}, {"Quiet", "spa", "spe"},  {"Quirky", "-", "-"},
      {"Rash", "spa", "spd"},    {"Relaxed", "def", "spe"}, {"Sassy", "spd", "spe"},  {"Serious", "-", "-"},
      {"Timid", "spe", "atk"},
  };
  std::set<std::tuple<std::string, std::string, std::string>> actual;
  for (const Nature& n : all_natures()) {
    EXPECT_EQ(n.plus.has_value(), n.minus.has_value()) << n.name;
    actual.emplace(std::string(n.name), n.plus ? std::string(stat_key(*n.plus)) : "-",
                   n.minus ? std::string(stat_key(*n.minus)) : "-");
  }
  EXPECT_EQ(all_natures().size(), 25u);
  EXPECT_EQ(actual, expected);
}

TEST(Natures, FindIsCaseInsensitive) {
  EXPECT_EQ(neutral_nature().name, "Hardy");
  EXPECT_FALSE(neutral_nature().plus.has_value());
  ASSERT_NE(find_nature("adamant"), nullptr);
  EXPECT_EQ(find_nature("ADAMANT")->name, "Adamant");
  EXPECT_EQ(find_nature("Adamant")->plus, Stat::Atk);
  EXPECT_EQ(find_nature("Adamant")->minus, Stat::SpA);
  EXPECT_EQ(find_nature("hardy"), &neutral_nature());
  EXPECT_EQ(find_nature("Adamantt"), nullptr);
  EXPECT_EQ(find_nature(""), nullptr);
}

struct StatCase {
  const char* species;
  StatTable base;
  int level;
  const char* nature;
  int iv;  // all six
  int av;  // all six
  StatTable expected;
};

// Expected stats: pokemon-showdown 'gen7letsgoou' Battle objects (maxhp and storedStats of the side's Pokémon),
// printed by scratch/dex_stats.js (`node scratch/dex_stats.js`). Showdown adds AVs to HP only.
const StatCase kShowdownCases[] = {
    {"Pikachu", stats(35, 55, 40, 50, 50, 90), 50, "Hardy", 31, 0, stats(110, 76, 61, 71, 71, 112)},
    {"Pikachu", stats(35, 55, 40, 50, 50, 90), 100, "Adamant", 31, 0, stats(211, 163, 118, 124, 138, 220)},
    {"Charizard", stats(78, 84, 78, 109, 85, 100), 50, "Modest", 31, 200, stats(353, 94, 99, 143, 107, 122)},
    {"Mewtwo", stats(106, 110, 90, 154, 90, 130), 100, "Timid", 31, 200, stats(553, 234, 220, 350, 220, 331)},
    {"Snorlax", stats(160, 110, 65, 65, 110, 30), 37, "Brave", 15, 100, stats(270, 102, 59, 59, 92, 28)},
    {"Chansey", stats(250, 5, 5, 35, 105, 50), 1, "Bold", 0, 0, stats(16, 4, 5, 5, 7, 6)},
    {"Magikarp", stats(20, 10, 55, 15, 20, 80), 7, "Jolly", 20, 50, stats(71, 7, 14, 7, 9, 18)},
    {"Raichu-Alola", stats(60, 85, 50, 95, 85, 110), 64, "Quiet", 5, 10, stats(164, 119, 73, 143, 119, 136)},
    {"Charizard-Mega-Y", stats(78, 104, 78, 159, 115, 100), 75, "Lonely", 31, 0, stats(225, 206, 132, 271, 204, 181)},
};

TEST(ComputeStats, MatchesShowdownGen7LetsGo) {
  for (const StatCase& c : kShowdownCases) {
    StatSpread spread;
    spread.level = c.level;
    spread.nature = find_nature(c.nature);
    spread.ivs = StatTable::all(c.iv);
    spread.avs = StatTable::all(c.av);
    ASSERT_NE(spread.nature, nullptr);
    ASSERT_EQ(validate_spread(spread), std::nullopt);
    EXPECT_EQ(compute_stats(c.base, spread), c.expected) << c.species << " L" << c.level << " " << c.nature;
  }
}

TEST(ComputeStats, GameRuleAddsAvsToEveryStat) {
  const StatCase& c = kShowdownCases[2];  // Charizard, AV 200
  StatSpread spread;
  spread.level = c.level;
  spread.nature = find_nature(c.nature);
  spread.avs = StatTable::all(c.av);
  spread.av_rule = AvRule::Game;
  StatTable expected = c.expected;
  for (int i = 1; i < kStatCount; ++i) expected.v[i] += c.av;
  EXPECT_EQ(compute_stats(c.base, spread), expected);
}

TEST(ComputeStats, DefaultsAndNullNatureAreNeutral) {
  StatSpread spread;  // L50, IV 31, AV 0, Hardy
  const StatTable base = stats(35, 55, 40, 50, 50, 90);
  EXPECT_EQ(compute_stats(base, spread), stats(110, 76, 61, 71, 71, 112));
  spread.nature = nullptr;
  EXPECT_EQ(compute_stats(base, spread), stats(110, 76, 61, 71, 71, 112));
}

TEST(ComputeStats, ExtremesStayPositive) {
  StatSpread spread;
  spread.level = 100;
  spread.avs = StatTable::all(200);
  spread.av_rule = AvRule::Game;
  spread.nature = find_nature("Adamant");
  const StatTable high = compute_stats(StatTable::all(255), spread);
  // 2*255+31 = 541 -> 546, ×1.1 = 600, ×1.02 = 612, +200.
  EXPECT_EQ(high[Stat::Atk], 812);
  spread.level = 1;
  spread.ivs = StatTable::all(0);
  spread.avs = StatTable::all(0);
  const StatTable low = compute_stats(StatTable::all(1), spread);
  EXPECT_EQ(low[Stat::HP], 11);
  EXPECT_EQ(low[Stat::SpA], 4);  // 5 × 0.9 = 4 (floored), × 1.02 = 4
}

TEST(ValidateSpread, NamesTheField) {
  StatSpread ok;
  EXPECT_EQ(validate_spread(ok), std::nullopt);

  StatSpread s = ok;
  s.level = 0;
  EXPECT_EQ(validate_spread(s), "level must be 1..100, got 0");
  s.level = 101;
  EXPECT_EQ(validate_spread(s), "level must be 1..100, got 101");

  s = ok;
  s.ivs[Stat::Atk] = 40;
  EXPECT_EQ(validate_spread(s), "ivs.atk must be 0..31, got 40");
  s = ok;
  s.ivs[Stat::HP] = -1;
  EXPECT_EQ(validate_spread(s), "ivs.hp must be 0..31, got -1");

  s = ok;
  s.avs[Stat::Spe] = 201;
  EXPECT_EQ(validate_spread(s), "avs.spe must be 0..200, got 201");
  s.avs[Stat::Spe] = 200;
  EXPECT_EQ(validate_spread(s), std::nullopt);
}

}  // namespace
}  // namespace pdex::dex
