#include "battle/mechanics.h"

#include <gtest/gtest.h>

namespace pdex::battle {
namespace {

using dex::Type;

dex::Move move_with(std::optional<int> accuracy, int crit_ratio = 1) {
  dex::Move m;
  m.name = "test";
  m.category = dex::MoveCategory::Physical;
  m.power = 50;
  m.accuracy = accuracy;
  m.crit_ratio = crit_ratio;
  m.target = "normal";
  return m;
}

TEST(ApplyStage, ShowdownTable) {
  EXPECT_EQ(apply_stage(100, 0), 100);
  EXPECT_EQ(apply_stage(100, 1), 150);
  EXPECT_EQ(apply_stage(101, 1), 151);  // floor(151.5)
  EXPECT_EQ(apply_stage(100, 6), 400);
  EXPECT_EQ(apply_stage(100, -1), 66);  // floor(100 / 1.5)
  EXPECT_EQ(apply_stage(100, -6), 25);
  EXPECT_EQ(apply_stage(3, -1), 2);
  EXPECT_EQ(apply_stage(100, 9), 400);  // clamped
  EXPECT_EQ(apply_stage(100, -9), 25);
}

TEST(CritChance, Gen7Table) {
  auto expect = [](Chance c, int num, int den) {
    EXPECT_EQ(c.num, num);
    EXPECT_EQ(c.den, den);
  };
  expect(crit_chance(move_with(100, 1)), 1, 24);
  expect(crit_chance(move_with(100, 2)), 1, 8);
  expect(crit_chance(move_with(100, 3)), 1, 2);
  expect(crit_chance(move_with(100, 4)), 1, 1);
  expect(crit_chance(move_with(100, 1), 1), 1, 8);
  expect(crit_chance(move_with(100, 2), 5), 1, 1);
  expect(crit_chance(move_with(100, 0)), 0, 1);
  auto zippy = move_with(100);
  zippy.will_crit = true;
  expect(crit_chance(zippy), 1, 1);
  auto growl = move_with(100);
  growl.category = dex::MoveCategory::Status;
  expect(crit_chance(growl), 0, 1);
  EXPECT_DOUBLE_EQ(crit_chance(move_with(100)).p(), 1.0 / 24);
}

TEST(HitChance, AccuracyAndEvasionStages) {
  EXPECT_EQ(hit_chance(move_with(100), 0, 0).num, 100);
  EXPECT_EQ(hit_chance(move_with(100), 0, 0).den, 100);
  EXPECT_EQ(hit_chance(move_with(70), 0, 0).num, 70);
  EXPECT_EQ(hit_chance(move_with(70), 1, 0).num, 93);   // trunc(70 * 4 / 3)
  EXPECT_EQ(hit_chance(move_with(70), 0, 1).num, 52);   // trunc(70 * 3 / 4)
  EXPECT_EQ(hit_chance(move_with(70), 1, 1).num, 70);   // net 0
  EXPECT_EQ(hit_chance(move_with(70), -6, 0).num, 23);  // trunc(70 * 3 / 9)
  EXPECT_EQ(hit_chance(move_with(100), 0, 6).num, 33);
  EXPECT_EQ(hit_chance(move_with(70), 6, -6).num, 100);  // 210 % is a sure hit
  EXPECT_EQ(hit_chance(move_with(70), -6, 6).num, 23);   // net clamped to -6
  EXPECT_EQ(hit_chance(move_with(70), 9, 0).num, 100);   // accuracy stage clamped first: +6 -> 210
  const Chance never_miss = hit_chance(move_with(std::nullopt), -6, 6);
  EXPECT_TRUE(never_miss.certain());
  auto swords = move_with(std::nullopt);
  swords.category = dex::MoveCategory::Status;
  swords.target = "self";
  swords.accuracy = 100;
  EXPECT_TRUE(hit_chance(swords, -6, 6).certain());
}

TEST(OhkoHitChance, LevelDifference) {
  EXPECT_EQ(ohko_hit_chance(50, 50).num, 30);
  EXPECT_EQ(ohko_hit_chance(60, 50).num, 40);
  EXPECT_EQ(ohko_hit_chance(100, 1).num, 100);
  EXPECT_TRUE(ohko_hit_chance(49, 50).impossible());

  dex::TypeChart chart;
  chart.set(Type::Ground, Type::Flying, 0);
  auto fissure = move_with(30);
  fissure.showdown_id = "fissure";
  fissure.type = Type::Ground;
  fissure.ohko = true;
  EXPECT_EQ(ohko_hit_chance(chart, fissure, {Type::Normal, Type::Normal}, 55, {Type::Water, Type::Water}, 50).num, 35);
  EXPECT_TRUE(
      ohko_hit_chance(chart, fissure, {Type::Normal, Type::Normal}, 55, {Type::Flying, Type::Normal}, 50).impossible());
  auto sheer_cold = fissure;
  sheer_cold.showdown_id = "sheercold";
  sheer_cold.type = Type::Ice;
  EXPECT_EQ(ohko_hit_chance(chart, sheer_cold, {Type::Water, Type::Water}, 50, {Type::Normal, Type::Normal}, 50).num,
            20);
  EXPECT_EQ(ohko_hit_chance(chart, sheer_cold, {Type::Ice, Type::Ice}, 50, {Type::Normal, Type::Normal}, 50).num, 30);
  EXPECT_TRUE(ohko_hit_chance(chart, sheer_cold, {Type::Ice, Type::Ice}, 50, {Type::Ice, Type::Ice}, 50).impossible());
}

TEST(IsImmune, FromTheChart) {
  dex::TypeChart chart;
  chart.set(Type::Normal, Type::Ghost, 0);
  chart.set(Type::Normal, Type::Rock, 0.5);
  EXPECT_TRUE(is_immune(chart, Type::Normal, {Type::Ghost, Type::Poison}));
  EXPECT_FALSE(is_immune(chart, Type::Normal, {Type::Rock, Type::Rock}));
}

TEST(EffectiveSpeed, StagesThenParalysis) {
  EXPECT_EQ(effective_speed(100, 0, false), 100);
  EXPECT_EQ(effective_speed(100, 0, true), 50);
  EXPECT_EQ(effective_speed(101, 0, true), 50);
  EXPECT_EQ(effective_speed(101, 1, true), 75);  // floor(151 * 50 / 100)
  EXPECT_EQ(effective_speed(100, -1, false), 66);
  EXPECT_EQ(effective_speed(9000, 6, false), 10000 % 8192);  // capped at 10000, then 13-bit truncation
}

TEST(CallbackBasePower, LowKickAndFriendshipMoves) {
  dex::Move low_kick = move_with(100);
  low_kick.showdown_id = "lowkick";
  EXPECT_EQ(callback_base_power(low_kick, 99), 20);
  EXPECT_EQ(callback_base_power(low_kick, 100), 40);
  EXPECT_EQ(callback_base_power(low_kick, 250), 60);
  EXPECT_EQ(callback_base_power(low_kick, 500), 80);
  EXPECT_EQ(callback_base_power(low_kick, 1000), 100);
  EXPECT_EQ(callback_base_power(low_kick, 2000), 120);
  dex::Move papow = move_with(std::nullopt);
  papow.showdown_id = "pikapapow";
  EXPECT_EQ(callback_base_power(papow, 60), 28);
  EXPECT_EQ(callback_base_power(papow, 60, 255), 102);
  EXPECT_EQ(callback_base_power(papow, 60, 0), 1);
  dex::Move tackle = move_with(100);
  tackle.showdown_id = "tackle";
  EXPECT_FALSE(callback_base_power(tackle, 60).has_value());
}

}  // namespace
}  // namespace pdex::battle
