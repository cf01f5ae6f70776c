// Hand-checked values of the Gen 7 damage formula; the exhaustive check against Showdown is
// damage_reference_test.cc.
#include "battle/damage.h"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>

namespace pdex::battle {
namespace {

using dex::MoveCategory;
using dex::Stat;
using dex::Type;

dex::Move make_move(std::string id, Type type, MoveCategory category, int power) {
  dex::Move m;
  m.showdown_id = id;
  m.name = id;
  m.type = type;
  m.category = category;
  m.power = power;
  m.accuracy = 100;
  return m;
}

dex::StatTable stats(int hp, int atk, int def, int spa, int spd, int spe) {
  return {{hp, atk, def, spa, spd, spe}};
}

dex::TypeChart chart() {
  dex::TypeChart c;
  c.set(Type::Electric, Type::Flying, 2);
  c.set(Type::Electric, Type::Ground, 0);
  c.set(Type::Electric, Type::Electric, 0.5);
  c.set(Type::Electric, Type::Grass, 0.5);
  c.set(Type::Normal, Type::Ghost, 0);
  c.set(Type::Fighting, Type::Ghost, 0);
  c.set(Type::Ghost, Type::Normal, 0);
  c.set(Type::Fighting, Type::Rock, 2);
  c.set(Type::Dragon, Type::Fairy, 0);
  c.set(Type::Dragon, Type::Steel, 0.5);
  return c;
}

MoveAdjustments typeless() {
  MoveAdjustments m;
  m.typeless = true;
  return m;
}

MoveAdjustments power(int bp) {
  MoveAdjustments m;
  m.base_power = bp;
  return m;
}

AttackerView attacker(int level, dex::StatTable s, Type t1, Type t2) {
  AttackerView a;
  a.level = level;
  a.stats = s;
  a.types = {t1, t2};
  return a;
}

DefenderView defender(dex::StatTable s, Type t1, Type t2) {
  DefenderView d;
  d.stats = s;
  d.types = {t1, t2};
  d.current_hp = s[Stat::HP];
  return d;
}

// Pikachu (Lv 50, IV 31, AV 0, Hardy) Thunderbolt vs Charizard: the sim's own 16 rolls (Showdown 0.11.11,
// gen7letsgo, BattleActions.getDamage with the random factor forced). By hand: floor(2*50/5+2) = 22;
// 22*90*71/107 = 1313; /50 = 26; +2 = 28. Roll 85: 23, STAB modify(23, 1.5) = 34 (34.5 rounds down), x2 = 68.
TEST(DamageRolls, ThunderboltPikachuVsCharizardMatchesShowdown) {
  const auto a = attacker(50, stats(110, 76, 61, 71, 71, 112), Type::Electric, Type::Electric);
  const auto d = defender(stats(153, 106, 99, 131, 107, 122), Type::Fire, Type::Flying);
  const auto r = damage_rolls(chart(), a, d, make_move("thunderbolt", Type::Electric, MoveCategory::Special, 90), {});
  const std::array<int, 16> expected = {68, 72, 72, 72, 72, 74, 74, 74, 78, 78, 78, 78, 80, 80, 80, 84};
  EXPECT_EQ(r.values, expected);
  EXPECT_EQ(r.effectiveness_quarters, 8);
  EXPECT_TRUE(r.stab);
  EXPECT_FALSE(r.fixed);
  EXPECT_FALSE(r.immune());
}

TEST(DamageRolls, ImmunityGivesZeros) {
  const auto a = attacker(50, stats(110, 76, 61, 71, 71, 112), Type::Electric, Type::Electric);
  const auto d = defender(stats(100, 100, 100, 100, 100, 100), Type::Ground, Type::Ground);
  const auto r = damage_rolls(chart(), a, d, make_move("thunderbolt", Type::Electric, MoveCategory::Special, 90), {});
  EXPECT_TRUE(r.immune());
  for (int v : r.values) EXPECT_EQ(v, 0);
}

// Level 100, Atk 200 at -2 vs Def 150 at +2, Tackle (STAB). A crit ignores both stages:
// 42*40*200/150 = 2240; /50 = 44; +2 = 46; crit floor(46*1.5) = 69; roll 85: 58 -> STAB 87; roll 100: 69 -> 103.
// Without the crit: A = 100, D = 300: 42*40*100/300 = 560; /50 = 11; +2 = 13; roll 85: 11 -> 16; roll 100: 13 -> 19.
TEST(DamageRolls, CritIgnoresHarmfulStagesOnly) {
  auto a = attacker(100, stats(300, 200, 100, 100, 100, 100), Type::Normal, Type::Normal);
  auto d = defender(stats(300, 100, 150, 100, 100, 100), Type::Water, Type::Water);
  a.atk_stage = -2;
  d.def_stage = 2;
  const auto tackle = make_move("tackle", Type::Normal, MoveCategory::Physical, 40);
  const auto crit = damage_rolls(chart(), a, d, tackle, {.crit = true});
  EXPECT_EQ(crit.values.front(), 87);
  EXPECT_EQ(crit.values.back(), 103);
  const auto normal = damage_rolls(chart(), a, d, tackle, {});
  EXPECT_EQ(normal.values.front(), 16);
  EXPECT_EQ(normal.values.back(), 19);
  // Helpful stages stay on a crit: A = 400, D = 75: 42*40*400/75 = 8960; /50 = 179; +2 = 181; crit 271;
  // roll 100: STAB modify(271, 1.5) = 406.
  a.atk_stage = 2;
  d.def_stage = -2;
  EXPECT_EQ(damage_rolls(chart(), a, d, tackle, {.crit = true}).values.back(), 406);
}

// Level 50, Atk 100 vs Def 100, Tackle without STAB: 22*40*100/100 = 880; /50 = 17; +2 = 19.
// Roll 85: 16, roll 100: 19. Burn: modify(x, 0.5) rounds halves down: 19 -> 9, 16 -> 8.
TEST(DamageRolls, BurnHalvesPhysicalOnly) {
  auto a = attacker(50, stats(150, 100, 100, 100, 100, 100), Type::Fire, Type::Fire);
  const auto d = defender(stats(150, 100, 100, 100, 100, 100), Type::Water, Type::Water);
  const auto tackle = make_move("tackle", Type::Normal, MoveCategory::Physical, 40);
  const auto swift = make_move("swift", Type::Normal, MoveCategory::Special, 40);
  EXPECT_EQ(damage_rolls(chart(), a, d, tackle, {}).values.front(), 16);
  EXPECT_EQ(damage_rolls(chart(), a, d, tackle, {}).values.back(), 19);
  a.burned = true;
  EXPECT_EQ(damage_rolls(chart(), a, d, tackle, {}).values.front(), 8);
  EXPECT_EQ(damage_rolls(chart(), a, d, tackle, {}).values.back(), 9);
  EXPECT_EQ(damage_rolls(chart(), a, d, swift, {}).values.back(), 19);
}

TEST(DamageRolls, ScreensHalveTheirCategoryExceptOnCrits) {
  auto a = attacker(50, stats(150, 100, 100, 100, 100, 100), Type::Fire, Type::Fire);
  auto d = defender(stats(150, 100, 100, 100, 100, 100), Type::Water, Type::Water);
  const auto tackle = make_move("tackle", Type::Normal, MoveCategory::Physical, 40);
  const auto swift = make_move("swift", Type::Normal, MoveCategory::Special, 40);
  d.reflect = true;
  EXPECT_EQ(damage_rolls(chart(), a, d, tackle, {}).values.back(), 9);
  EXPECT_EQ(damage_rolls(chart(), a, d, swift, {}).values.back(), 19);
  EXPECT_EQ(damage_rolls(chart(), a, d, tackle, {.crit = true}).values.back(), 28);  // floor(19 * 1.5)
  a.burned = true;                                                                   // burn, then the screen
  EXPECT_EQ(damage_rolls(chart(), a, d, tackle, {}).values.back(), 4);
  d.reflect = false;
  d.light_screen = true;
  EXPECT_EQ(damage_rolls(chart(), a, d, swift, {}).values.back(), 9);
  EXPECT_EQ(damage_rolls(chart(), a, d, tackle, {}).values.back(), 9);  // burn only
}

// Power 80, Atk 100 vs Def 100, level 50: 22*80*100/100 = 1760; /50 = 35; +2 = 37. Quarter effectiveness halves
// twice with truncation: roll 100: 37 -> 18 -> 9; roll 85: 31 -> 15 -> 7.
TEST(DamageRolls, QuarterEffectivenessHalvesTwice) {
  const auto a = attacker(50, stats(150, 100, 100, 100, 100, 100), Type::Water, Type::Water);
  const auto d = defender(stats(150, 100, 100, 100, 100, 100), Type::Electric, Type::Grass);
  const auto r = damage_rolls(chart(), a, d, make_move("discharge", Type::Electric, MoveCategory::Special, 80), {});
  EXPECT_EQ(r.effectiveness_quarters, 1);
  EXPECT_EQ(r.values.front(), 7);
  EXPECT_EQ(r.values.back(), 9);
}

TEST(DamageRolls, AtLeastOne) {
  const auto a = attacker(1, stats(11, 5, 5, 5, 5, 5), Type::Water, Type::Water);
  const auto d = defender(stats(300, 200, 200, 200, 200, 200), Type::Electric, Type::Grass);
  const auto r = damage_rolls(chart(), a, d, make_move("thundershock", Type::Electric, MoveCategory::Special, 10), {});
  for (int v : r.values) EXPECT_EQ(v, 1);
}

TEST(DamageRolls, FixedDamage) {
  const auto a = attacker(37, stats(100, 10, 10, 10, 10, 10), Type::Normal, Type::Normal);
  auto d = defender(stats(151, 100, 100, 100, 100, 100), Type::Rock, Type::Rock);
  d.current_hp = 77;
  auto toss = make_move("seismictoss", Type::Fighting, MoveCategory::Physical, 0);
  toss.fixed_damage = dex::FixedDamage{dex::FixedDamage::Kind::Level, 0};
  auto rage = make_move("dragonrage", Type::Dragon, MoveCategory::Special, 0);
  rage.fixed_damage = dex::FixedDamage{dex::FixedDamage::Kind::Constant, 40};
  auto fang = make_move("superfang", Type::Normal, MoveCategory::Physical, 0);
  fang.fixed_damage = dex::FixedDamage{dex::FixedDamage::Kind::HalfHp, 0};

  const auto r = damage_rolls(chart(), a, d, toss, {.crit = true});  // super effective, crit: still the level
  EXPECT_TRUE(r.fixed);
  for (int v : r.values) EXPECT_EQ(v, 37);
  for (int v : damage_rolls(chart(), a, d, rage, {}).values) EXPECT_EQ(v, 40);
  for (int v : damage_rolls(chart(), a, d, fang, {}).values) EXPECT_EQ(v, 38);  // floor(77 / 2)
  d.current_hp = 1;
  for (int v : damage_rolls(chart(), a, d, fang, {}).values) EXPECT_EQ(v, 1);

  // Type immunities still apply.
  const auto ghost = defender(stats(100, 100, 100, 100, 100, 100), Type::Ghost, Type::Ghost);
  EXPECT_TRUE(damage_rolls(chart(), a, ghost, toss, {}).immune());
  EXPECT_TRUE(damage_rolls(chart(), a, ghost, fang, {}).immune());
  const auto fairy = defender(stats(100, 100, 100, 100, 100, 100), Type::Fairy, Type::Fairy);
  EXPECT_TRUE(damage_rolls(chart(), a, fairy, rage, {}).immune());
  auto shade = make_move("nightshade", Type::Ghost, MoveCategory::Special, 0);
  shade.fixed_damage = dex::FixedDamage{dex::FixedDamage::Kind::Level, 0};
  const auto normal = defender(stats(100, 100, 100, 100, 100, 100), Type::Normal, Type::Normal);
  for (int v : damage_rolls(chart(), a, normal, shade, {}).values) EXPECT_EQ(v, 0);
}

TEST(DamageRolls, TypelessHitHasNoStabNoEffectiveness) {
  const auto a = attacker(50, stats(150, 100, 100, 100, 100, 100), Type::Normal, Type::Normal);
  const auto ghost = defender(stats(150, 100, 100, 100, 100, 100), Type::Ghost, Type::Ghost);
  const auto struggle = make_move("struggle", Type::Normal, MoveCategory::Physical, 50);
  const auto r = damage_rolls(chart(), a, ghost, struggle, {}, typeless());
  // 22*50*100/100 = 1100; /50 = 22; +2 = 24.
  EXPECT_EQ(r.values.back(), 24);
  EXPECT_FALSE(r.stab);
  EXPECT_EQ(r.effectiveness_quarters, 4);
}

TEST(DamageRolls, BasePowerOptionAndPreconditions) {
  const auto a = attacker(50, stats(150, 100, 100, 100, 100, 100), Type::Fire, Type::Fire);
  const auto d = defender(stats(150, 100, 100, 100, 100, 100), Type::Water, Type::Water);
  const auto papow = make_move("pikapapow", Type::Electric, MoveCategory::Special, 0);
  EXPECT_THROW(damage_rolls(chart(), a, d, papow, {}), std::invalid_argument);
  // 22*28*100/100 = 616; /50 = 12; +2 = 14.
  EXPECT_EQ(damage_rolls(chart(), a, d, papow, {}, power(28)).values.back(), 14);
  auto growl = make_move("growl", Type::Normal, MoveCategory::Status, 0);
  EXPECT_THROW(damage_rolls(chart(), a, d, growl, {}), std::invalid_argument);
  auto fissure = make_move("fissure", Type::Ground, MoveCategory::Physical, 0);
  fissure.ohko = true;
  EXPECT_THROW(damage_rolls(chart(), a, d, fissure, {}), std::invalid_argument);
}

// Level 50, Atk 100 vs Def 100, Facade 70 without STAB: 22*70*100/100 = 1540; /50 = 30; +2 = 32.
// Any status but sleep doubles the power (22*140*100/100 = 3080; /50 = 61; +2 = 63) and a burn does not halve it.
TEST(DamageRolls, FacadeDoublesUnderStatusAndIgnoresBurn) {
  auto a = attacker(50, stats(150, 100, 100, 100, 100, 100), Type::Fire, Type::Fire);
  const auto d = defender(stats(150, 100, 100, 100, 100, 100), Type::Water, Type::Water);
  const auto facade = make_move("facade", Type::Normal, MoveCategory::Physical, 70);
  EXPECT_EQ(damage_rolls(chart(), a, d, facade, {}).values.back(), 32);
  a.status = dex::Status::Sleep;
  EXPECT_EQ(damage_rolls(chart(), a, d, facade, {}).values.back(), 32);
  a.status = dex::Status::Paralysis;
  EXPECT_EQ(damage_rolls(chart(), a, d, facade, {}).values.back(), 63);
  a.status = dex::Status::None;
  a.burned = true;
  EXPECT_EQ(damage_rolls(chart(), a, d, facade, {}).values.back(), 63);
}

// Foul Play uses the target's Atk (and Atk stage), the user's level: 22*95*200/100 = 4180; /50 = 83; +2 = 85.
TEST(DamageRolls, FoulPlayUsesTheTargetsAttack) {
  const auto a = attacker(50, stats(150, 10, 100, 100, 100, 100), Type::Fire, Type::Fire);
  auto d = defender(stats(150, 200, 100, 100, 100, 100), Type::Water, Type::Water);
  const auto foul_play = make_move("foulplay", Type::Dark, MoveCategory::Physical, 95);
  EXPECT_EQ(damage_rolls(chart(), a, d, foul_play, {}).values.back(), 85);
  d.atk_stage = -2;  // 22*95*100/100 = 2090; /50 = 41; +2 = 43; a crit ignores the drop: 85 * 1.5 = 127
  EXPECT_EQ(damage_rolls(chart(), a, d, foul_play, {}).values.back(), 43);
  EXPECT_EQ(damage_rolls(chart(), a, d, foul_play, {.crit = true}).values.back(), 127);
}

TEST(DamageRolls, BrickBreakIgnoresScreens) {
  const auto a = attacker(50, stats(150, 100, 100, 100, 100, 100), Type::Water, Type::Water);
  auto d = defender(stats(150, 100, 100, 100, 100, 100), Type::Water, Type::Water);
  d.reflect = true;
  const auto brick_break = make_move("brickbreak", Type::Fighting, MoveCategory::Physical, 75);
  const auto karate_chop = make_move("karatechop", Type::Fighting, MoveCategory::Physical, 75);
  EXPECT_EQ(damage_rolls(chart(), a, d, brick_break, {}).values.back(),
            2 * damage_rolls(chart(), a, d, karate_chop, {}).values.back() + 1);  // 35 vs 17
}

TEST(DamageRolls, RollsAscendInTheNormalRange) {
  const auto a = attacker(77, stats(250, 180, 120, 150, 110, 130), Type::Fire, Type::Flying);
  const auto d = defender(stats(260, 90, 95, 100, 85, 80), Type::Normal, Type::Normal);
  const auto r = damage_rolls(chart(), a, d, make_move("ember", Type::Fire, MoveCategory::Special, 40), {});
  for (int i = 1; i < 16; ++i) EXPECT_LE(r.values[i - 1], r.values[i]);
  EXPECT_GT(r.values.back(), r.values.front());
}

}  // namespace
}  // namespace pdex::battle
