#include "dex/type_chart.h"

#include <stdexcept>

#include <gtest/gtest.h>

#include "dex/learnset.h"
#include "dex/move.h"
#include "dex/test_dex_document.h"
#include "dex/type.h"

namespace pdex::dex {
namespace {

TypeChart showdown_chart() {
  TypeChart chart;
  for (int a = 0; a < kTypeCount; ++a) {
    for (int d = 0; d < kTypeCount; ++d) {
      const char c = testing::kShowdownChart[a][d];
      chart.set(static_cast<Type>(a), static_cast<Type>(d), c == '0' ? 0 : c == 'h' ? 0.5 : c - '0');
    }
  }
  return chart;
}

Typing typing(Type a, Type b) {
  return {a, b};
}
Typing typing(Type a) {
  return {a, a};
}

TEST(TypeNames, RoundTripAndCaseInsensitive) {
  for (int i = 0; i < kTypeCount; ++i) {
    const auto t = static_cast<Type>(i);
    EXPECT_EQ(parse_type(type_name(t)), t);
  }
  EXPECT_EQ(type_name(Type::Fairy), "Fairy");
  EXPECT_EQ(parse_type("fire"), Type::Fire);
  EXPECT_EQ(parse_type("PSYCHIC"), Type::Psychic);
  EXPECT_FALSE(parse_type("Fir").has_value());
  EXPECT_FALSE(parse_type("").has_value());
  EXPECT_FALSE(parse_type("???").has_value());
}

TEST(Typing, DualAndHas) {
  EXPECT_FALSE(typing(Type::Fire).dual());
  EXPECT_TRUE(typing(Type::Fire, Type::Flying).dual());
  EXPECT_TRUE(typing(Type::Fire, Type::Flying).has(Type::Flying));
  EXPECT_FALSE(typing(Type::Fire, Type::Flying).has(Type::Water));
}

TEST(TypeChart, DefaultIsNeutral) {
  TypeChart chart;
  EXPECT_EQ(chart.multiplier(Type::Fire, Type::Grass), 1.0);
  EXPECT_EQ(chart.quarters(Type::Fire, typing(Type::Grass, Type::Bug)), 4);
}

TEST(TypeChart, RejectsOtherMultipliers) {
  TypeChart chart;
  EXPECT_THROW(chart.set(Type::Fire, Type::Grass, 4), std::invalid_argument);
  EXPECT_THROW(chart.set(Type::Fire, Type::Grass, 0.25), std::invalid_argument);
}

TEST(TypeChart, Gen6Counts) {
  const TypeChart chart = showdown_chart();
  int super = 0, resisted = 0, immune = 0;
  for (int a = 0; a < kTypeCount; ++a) {
    for (int d = 0; d < kTypeCount; ++d) {
      const double m = chart.multiplier(static_cast<Type>(a), static_cast<Type>(d));
      super += m == 2;
      resisted += m == 0.5;
      immune += m == 0;
    }
  }
  EXPECT_EQ(super, 51);
  EXPECT_EQ(resisted, 61);
  EXPECT_EQ(immune, 8);
}

TEST(TypeChart, SingleTypeFacts) {
  const TypeChart chart = showdown_chart();
  EXPECT_EQ(chart.multiplier(Type::Fire, Type::Grass), 2);
  EXPECT_EQ(chart.multiplier(Type::Water, Type::Fire), 2);
  EXPECT_EQ(chart.multiplier(Type::Normal, Type::Ghost), 0);
  EXPECT_EQ(chart.multiplier(Type::Dragon, Type::Fairy), 0);
  EXPECT_EQ(chart.multiplier(Type::Electric, Type::Ground), 0);
  EXPECT_EQ(chart.multiplier(Type::Steel, Type::Fairy), 2);
  EXPECT_EQ(chart.multiplier(Type::Fairy, Type::Steel), 0.5);
  EXPECT_EQ(chart.multiplier(Type::Ghost, Type::Psychic), 2);  // Gen 1 had it immune; LGPE uses the Gen 6+ chart
  EXPECT_EQ(chart.multiplier(Type::Bug, Type::Poison), 0.5);
  EXPECT_EQ(chart.quarters(Type::Fire, typing(Type::Grass)), 8);
}

TEST(TypeChart, DualTypeProducts) {
  const TypeChart chart = showdown_chart();
  EXPECT_EQ(chart.multiplier(Type::Ground, typing(Type::Fire, Type::Flying)), 0);
  EXPECT_EQ(chart.quarters(Type::Ground, typing(Type::Fire, Type::Flying)), 0);
  EXPECT_EQ(chart.multiplier(Type::Ice, typing(Type::Dragon, Type::Flying)), 4);
  EXPECT_EQ(chart.quarters(Type::Ice, typing(Type::Dragon, Type::Flying)), 16);
  EXPECT_EQ(chart.multiplier(Type::Fighting, typing(Type::Bug, Type::Poison)), 0.25);
  EXPECT_EQ(chart.quarters(Type::Fighting, typing(Type::Bug, Type::Poison)), 1);
  EXPECT_EQ(chart.multiplier(Type::Rock, typing(Type::Fire, Type::Flying)), 4);
  EXPECT_EQ(chart.multiplier(Type::Water, typing(Type::Water, Type::Dragon)), 0.25);
  EXPECT_EQ(chart.multiplier(Type::Electric, typing(Type::Water, Type::Flying)), 4);
  EXPECT_EQ(chart.multiplier(Type::Fire, typing(Type::Water, Type::Grass)), 1);  // 0.5 × 2
  EXPECT_EQ(chart.multiplier(Type::Psychic, typing(Type::Psychic, Type::Fairy)), 0.5);
}

TEST(MoveNames, CategoryStatusFlags) {
  EXPECT_EQ(category_name(MoveCategory::Special), "Special");
  EXPECT_EQ(parse_category("Physical"), MoveCategory::Physical);
  EXPECT_FALSE(parse_category("physical").has_value());
  for (Status s :
       {Status::None, Status::Burn, Status::Freeze, Status::Paralysis, Status::Poison, Status::Toxic, Status::Sleep}) {
    EXPECT_EQ(parse_status_id(status_id(s)), s);
  }
  EXPECT_EQ(status_id(Status::Toxic), "tox");
  EXPECT_EQ(parse_status_id(""), Status::None);
  EXPECT_FALSE(parse_status_id("burn").has_value());
  Move m;
  m.flags = {"contact", "protect"};
  EXPECT_TRUE(m.has_flag("contact"));
  EXPECT_FALSE(m.has_flag("sound"));
}

TEST(LearnMethods, RoundTrip) {
  for (LearnMethod m : {LearnMethod::LevelUp, LearnMethod::Tm, LearnMethod::Tutor, LearnMethod::Event}) {
    EXPECT_EQ(parse_learn_method(learn_method_name(m)), m);
  }
  EXPECT_EQ(learn_method_name(LearnMethod::LevelUp), "levelup");
  EXPECT_FALSE(parse_learn_method("LevelUp").has_value());
  EXPECT_FALSE(parse_learn_method("egg").has_value());
}

}  // namespace
}  // namespace pdex::dex
