// Checks against the committed data/lgpe-dex.json (skipped when it is absent). Expected figures: DESIGN §4 and
// docs/data-format.md; expected stats: pokemon-showdown battles (`node scratch/dex_stats.js`).
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "dex/dex.h"
#include "dex/dex_json.h"

namespace pdex::dex {
namespace {

std::filesystem::path data_file() {
  const char* root = std::getenv("PDEX_SOURCE_DIR");
  return std::filesystem::path(root ? root : ".") / "data" / "lgpe-dex.json";
}

class RealData : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::filesystem::exists(data_file())) dex_ = std::make_unique<Dex>(load_dex_json(data_file()));
  }
  void SetUp() override {
    if (!dex_) GTEST_SKIP() << data_file() << " not found (run `node scripts/export-dex`)";
  }
  static const Dex& dex() { return *dex_; }
  static const Species& species(std::string_view key) {
    const Species* s = dex_->find_species(key);
    if (s == nullptr) throw std::runtime_error("no species " + std::string(key));
    return *s;
  }

 private:
  static inline std::unique_ptr<Dex> dex_;
};

TEST_F(RealData, Counts) {
  const DexData& d = dex().data();
  EXPECT_EQ(d.species.size(), 188u);
  EXPECT_EQ(d.types.size(), 18u);
  EXPECT_EQ(d.moves.size(), 226u);
  EXPECT_EQ(d.learnsets.size(), 6357u);
  int damaging = 0;
  for (const Move& m : d.moves) damaging += m.is_damaging();
  EXPECT_EQ(damaging, 157);
  std::size_t usable_pairs = 0;
  for (const Species& s : d.species) usable_pairs += dex().usable_moves(s.id).size();
  EXPECT_EQ(usable_pairs, 5248u);  // docs/data-format.md: 5 249 pairs, 5 248 without event-only rows
  EXPECT_EQ(d.source_packages.at("@pkmn/dex"), "0.10.11");
}

TEST_F(RealData, ChartCounts) {
  int super = 0, resisted = 0, immune = 0, neutral = 0;
  for (int a = 0; a < kTypeCount; ++a) {
    for (int t = 0; t < kTypeCount; ++t) {
      const double m = dex().chart().multiplier(static_cast<Type>(a), static_cast<Type>(t));
      super += m == 2;
      resisted += m == 0.5;
      immune += m == 0;
      neutral += m == 1;
    }
  }
  EXPECT_EQ(super, 51);
  EXPECT_EQ(resisted, 61);
  EXPECT_EQ(immune, 8);
  EXPECT_EQ(neutral, 204);
  EXPECT_EQ(dex().chart().multiplier(Type::Ground, species("Charizard").types), 0);
  EXPECT_EQ(dex().chart().multiplier(Type::Ice, species("Dragonite").types), 4);
  EXPECT_EQ(dex().chart().multiplier(Type::Fighting, species("Venomoth").types), 0.25);
}

TEST_F(RealData, Lookups) {
  EXPECT_EQ(species("25").name, "Pikachu");
  EXPECT_EQ(dex().species_by_id(25)->showdown_id, "pikachu");
  EXPECT_EQ(species("raichualola").id, 10100);
  EXPECT_EQ(species("Raichu-Alola").id, 10100);
  EXPECT_EQ(species("raichu alola").id, 10100);
  EXPECT_EQ(species("Mr. Mime").showdown_id, "mrmime");
  EXPECT_EQ(species("Farfetch’d").showdown_id, "farfetchd");
  EXPECT_EQ(species("Nidoran-F").id, 29);
  EXPECT_EQ(species("Charizard-Mega-X").id, 10034);
  EXPECT_EQ(species("charizardmegax").types, (Typing{Type::Fire, Type::Dragon}));
  EXPECT_EQ(species("Pikachu-Starter").id, 10158);
  EXPECT_EQ(species("809").name, "Melmetal");
  EXPECT_EQ(species("Nidoran♀").id, 29);  // English name "Nidoran-F"; French name "Nidoran♀"
  EXPECT_EQ(species("Ronflex").id, 143);  // French names are accepted too
  EXPECT_EQ(species("M. Mime").id, 122);
  EXPECT_EQ(species("Mélofée").id, 35);
  EXPECT_EQ(species("Raichu").id, 26);              // forms share the French name; the base species wins
  EXPECT_EQ(dex().find_species("Pichu"), nullptr);  // not in LGPE
  EXPECT_EQ(dex().find_move("Thunderbolt")->id, 85);
  EXPECT_EQ(dex().find_move("85")->showdown_id, "thunderbolt");
  EXPECT_TRUE(dex().can_learn(25, 85));
  EXPECT_FALSE(dex().can_learn(25, dex().find_move("Flamethrower")->id));
}

TEST_F(RealData, LgpeMoveValues) {
  EXPECT_EQ(dex().find_move("Absorb")->power, 40);
  EXPECT_EQ(dex().find_move("Mega Drain")->power, 75);
  EXPECT_EQ(dex().find_move("Solar Beam")->power, 200);
  EXPECT_EQ(dex().find_move("Sky Attack")->power, 200);
  EXPECT_EQ(dex().find_move("Teleport")->priority, -6);
  EXPECT_EQ(dex().find_move("Hyper Beam")->self_volatile_status, "mustrecharge");
  int partner = 0;
  for (const Move& m : dex().all_moves()) partner += m.is_partner_move;
  EXPECT_EQ(partner, 13);
  EXPECT_TRUE(dex().can_learn(10158, dex().find_move("Zippy Zap")->id));
  EXPECT_FALSE(dex().can_learn(25, dex().find_move("Zippy Zap")->id));
}

TEST_F(RealData, StatsMatchShowdown) {
  struct Case {
    const char* species;
    int level;
    const char* nature;
    int iv, av;
    StatTable expected;
  };
  // pokemon-showdown gen7letsgoou battles, `node scratch/dex_stats.js`.
  const Case cases[] = {
      {"Pikachu", 50, "Hardy", 31, 0, {{110, 76, 61, 71, 71, 112}}},
      {"Mewtwo", 100, "Timid", 31, 200, {{553, 234, 220, 350, 220, 331}}},
      {"Snorlax", 37, "Brave", 15, 100, {{270, 102, 59, 59, 92, 28}}},
      {"Raichu-Alola", 64, "Quiet", 5, 10, {{164, 119, 73, 143, 119, 136}}},
      {"Charizard-Mega-Y", 75, "Lonely", 31, 0, {{225, 206, 132, 271, 204, 181}}},
      {"Pikachu-Starter", 50, "Hardy", 31, 0, {{120, 102, 71, 96, 81, 142}}},
      {"Melmetal", 100, "Brave", 31, 200, {{611, 361, 328, 199, 169, 94}}},
      {"Mr. Mime", 42, "Calm", 12, 3, {{93, 42, 65, 95, 123, 86}}},
  };
  for (const Case& c : cases) {
    StatSpread spread;
    spread.level = c.level;
    spread.nature = find_nature(c.nature);
    spread.ivs = StatTable::all(c.iv);
    spread.avs = StatTable::all(c.av);
    EXPECT_EQ(compute_stats(species(c.species).base_stats, spread), c.expected) << c.species;
  }
}

TEST_F(RealData, LearnsetsAreGroupedAndReferToRoster) {
  for (const Species& s : dex().all_species()) {
    for (const LearnsetEntry& e : dex().learnset(s.id)) {
      ASSERT_EQ(e.pokemon_id, s.id);
      ASSERT_NE(dex().move_by_id(e.move_id), nullptr);
      if (e.inherited_from) {
        ASSERT_NE(dex().species_by_id(*e.inherited_from), nullptr);
      }
    }
    EXPECT_FALSE(dex().usable_moves(s.id).empty()) << s.showdown_id;
  }
}

}  // namespace
}  // namespace pdex::dex
