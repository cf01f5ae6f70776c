#include "battle/battle_config.h"

#include <gtest/gtest.h>

#include <memory>

#include "dex/dex_json.h"

namespace pdex::battle {
namespace {

const dex::Dex& test_dex() {
  static const std::unique_ptr<dex::Dex> dex = std::make_unique<dex::Dex>(dex::load_dex_json("data/lgpe-dex.json"));
  return *dex;
}

TEST(ApplySideSpec, FillsEveryFieldFromIdsAndNames) {
  SideSpec spec;
  spec.species = "25";  // numeric id
  spec.moves = {"thunderbolt", "Quick Attack"};
  spec.level = 37;
  spec.ivs = dex::StatTable::all(0);
  spec.avs = dex::StatTable::all(200);
  spec.nature = "Timid";
  spec.policy = PolicyKind::Random;
  PokemonConfig side;
  EXPECT_TRUE(apply_side_spec(test_dex(), spec, side).empty());
  ASSERT_NE(side.species, nullptr);
  EXPECT_EQ(side.species->name, "Pikachu");
  ASSERT_EQ(side.moves.size(), 2u);
  EXPECT_EQ(side.moves[0]->name, "Thunderbolt");
  EXPECT_EQ(side.moves[1]->name, "Quick Attack");
  EXPECT_EQ(side.spread.level, 37);
  EXPECT_EQ(side.spread.ivs, dex::StatTable::all(0));
  EXPECT_EQ(side.spread.avs, dex::StatTable::all(200));
  EXPECT_EQ(side.spread.nature->name, "Timid");
  EXPECT_EQ(side.policy, PolicyKind::Random);
  BattleConfig config;
  config.side[0] = side;
  config.side[1] = side;
  EXPECT_EQ(validate_config(test_dex(), config), std::nullopt);
}

TEST(ApplySideSpec, AbsentFieldsKeepTheDefaults) {
  SideSpec spec;
  spec.species = "eevee";
  PokemonConfig side;
  EXPECT_TRUE(apply_side_spec(test_dex(), spec, side).empty());
  const PokemonConfig defaults;
  EXPECT_TRUE(side.moves.empty());
  EXPECT_EQ(side.spread.level, defaults.spread.level);
  EXPECT_EQ(side.spread.ivs, defaults.spread.ivs);
  EXPECT_EQ(side.spread.avs, defaults.spread.avs);
  EXPECT_EQ(side.spread.nature, defaults.spread.nature);
  EXPECT_EQ(side.policy, defaults.policy);
}

TEST(ApplySideSpec, ReportsEveryUnknownKeyInFieldOrder) {
  SideSpec spec;
  spec.species = "missingno";
  spec.moves = {"tackle", "flyingpress", "nosuchmove"};
  spec.nature = "Grumpy";
  PokemonConfig side;
  const auto errors = apply_side_spec(test_dex(), spec, side);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].field, SideSpecError::Field::Species);
  EXPECT_EQ(errors[0].message, "unknown Pokémon 'missingno'");
  EXPECT_EQ(errors[1].field, SideSpecError::Field::Move);
  EXPECT_EQ(errors[1].move_index, 1u);
  EXPECT_EQ(errors[1].message, "unknown move 'flyingpress'");
  EXPECT_EQ(errors[2].move_index, 2u);
  EXPECT_EQ(errors[3].field, SideSpecError::Field::Nature);
  EXPECT_EQ(errors[3].message, "unknown nature 'Grumpy'");
  EXPECT_EQ(side.species, nullptr);
  // Move indexes stay aligned with the spec: the unknown ones are null.
  ASSERT_EQ(side.moves.size(), 3u);
  EXPECT_NE(side.moves[0], nullptr);
  EXPECT_EQ(side.moves[1], nullptr);
  EXPECT_EQ(side.moves[2], nullptr);
  EXPECT_EQ(side.spread.nature, &dex::neutral_nature());
}

}  // namespace
}  // namespace pdex::battle
