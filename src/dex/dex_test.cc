#include "dex/dex.h"

#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

#include "dex/dex_json.h"
#include "dex/test_dex_document.h"

namespace pdex::dex {
namespace {

Dex minimal_dex() {
  return Dex(parse_dex_json(testing::with_hash(testing::minimal_document()), "test"));
}

int move_id(const Dex& dex, std::string_view key) {
  const Move* m = dex.find_move(key);
  return m ? m->id : -1;
}

TEST(ToShowdownId, Reduces) {
  EXPECT_EQ(to_showdown_id("Mr. Mime"), "mrmime");
  EXPECT_EQ(to_showdown_id("Raichu-Alola"), "raichualola");
  EXPECT_EQ(to_showdown_id("  Farfetch’d "), "farfetchd");
  EXPECT_EQ(to_showdown_id("Charizard-Mega-X"), "charizardmegax");
  EXPECT_EQ(to_showdown_id("Porygon2"), "porygon2");
  EXPECT_EQ(to_showdown_id(""), "");
  // Accented Latin letters fold to ASCII and ♀/♂ become f/m, so French names and "Nidoran♀" reduce sensibly.
  EXPECT_EQ(to_showdown_id("Nidoran♀"), "nidoranf");
  EXPECT_EQ(to_showdown_id("Nidoran♂"), "nidoranm");
  EXPECT_EQ(to_showdown_id("Mélofée"), "melofee");
  EXPECT_EQ(to_showdown_id("ÉLECTRODE"), "electrode");
  EXPECT_EQ(to_showdown_id("Flabébé"), "flabebe");
  EXPECT_EQ(to_showdown_id("Œil"), "oeil");
  EXPECT_EQ(to_showdown_id("\xC3"), "");  // truncated UTF-8 is dropped, not read past the end
}

TEST(Dex, SpeciesLookups) {
  const Dex dex = minimal_dex();
  ASSERT_NE(dex.species_by_id(25), nullptr);
  EXPECT_EQ(dex.species_by_id(25)->name, "Pikachu");
  EXPECT_EQ(dex.species_by_id(24), nullptr);
  EXPECT_EQ(dex.find_species("25"), dex.species_by_id(25));
  EXPECT_EQ(dex.find_species(" 10100 "), dex.species_by_id(10100));
  EXPECT_EQ(dex.find_species("raichualola")->id, 10100);
  EXPECT_EQ(dex.find_species("Raichu-Alola")->id, 10100);
  EXPECT_EQ(dex.find_species("raichu alola")->id, 10100);
  EXPECT_EQ(dex.find_species("RAICHU")->id, 26);
  EXPECT_EQ(dex.find_species("Mr. Mime")->showdown_id, "mrmime");
  EXPECT_EQ(dex.find_species("mr mime")->id, 122);
  EXPECT_EQ(dex.find_species("999"), nullptr);
  EXPECT_EQ(dex.find_species("-25"), nullptr);  // not a number: reduces to "25", which is no Showdown id
  EXPECT_EQ(dex.find_species("Charizard"), nullptr);
  EXPECT_EQ(dex.find_species(""), nullptr);
  EXPECT_EQ(dex.find_species("99999999999999999999"), nullptr);
  EXPECT_EQ(dex.all_species().size(), 5u);
}

TEST(Dex, MoveLookups) {
  const Dex dex = minimal_dex();
  EXPECT_EQ(dex.move_by_id(85)->name, "Thunderbolt");
  EXPECT_EQ(dex.move_by_id(1), nullptr);
  EXPECT_EQ(move_id(dex, "Thunder Shock"), 84);
  EXPECT_EQ(move_id(dex, "thundershock"), 84);
  EXPECT_EQ(move_id(dex, "QUICK attack"), 98);
  EXPECT_EQ(move_id(dex, "98"), 98);
  EXPECT_EQ(move_id(dex, "hyperbeam"), -1);
  EXPECT_EQ(dex.all_moves().size(), 6u);
  EXPECT_EQ(dex.chart().multiplier(Type::Ice, Typing{Type::Dragon, Type::Flying}), 4);
}

TEST(Dex, LearnsetsGroupedBySpecies) {
  const Dex dex = minimal_dex();
  const auto pikachu = dex.learnset(25);
  ASSERT_EQ(pikachu.size(), 6u);
  for (const LearnsetEntry& e : pikachu) EXPECT_EQ(e.pokemon_id, 25);
  EXPECT_EQ(pikachu[0].move_id, 45);  // file order kept within a species
  EXPECT_EQ(dex.learnset(10100).size(), 2u);
  EXPECT_TRUE(dex.learnset(1).empty());
}

TEST(Dex, UsableMovesExcludeEventAndDeduplicate) {
  const Dex dex = minimal_dex();
  // Pikachu: growl, thundershock (own and inherited: once), thunderbolt (tm), quickattack; thunder is event-only.
  EXPECT_EQ(dex.usable_moves(25), (std::vector<int>{45, 84, 85, 98}));
  EXPECT_TRUE(dex.can_learn(25, 85));
  EXPECT_FALSE(dex.can_learn(25, 87));
  EXPECT_FALSE(dex.can_learn(25, 94));
  EXPECT_EQ(dex.usable_moves(26), (std::vector<int>{84, 85, 98}));  // quickattack inherited from pikachu
  EXPECT_EQ(dex.usable_moves(10100), (std::vector<int>{85, 94}));   // thunderbolt via tutor
  EXPECT_TRUE(dex.usable_moves(1).empty());
  EXPECT_FALSE(dex.can_learn(1, 85));
}

TEST(Dex, LearnsetsOutOfOrderAreGrouped) {
  DexData data = parse_dex_json(testing::with_hash(testing::minimal_document()), "test");
  std::reverse(data.learnsets.begin(), data.learnsets.end());
  const Dex dex(std::move(data));
  EXPECT_EQ(dex.learnset(25).size(), 6u);
  EXPECT_EQ(dex.usable_moves(25), (std::vector<int>{45, 84, 85, 98}));
}

TEST(Dex, ConcurrentReadsAgree) {
  const Dex dex = minimal_dex();
  std::vector<std::thread> threads;
  std::vector<int> found(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) found[t] += dex.find_species("Raichu-Alola")->id == 10100 && dex.can_learn(25, 85);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(found, (std::vector<int>{1000, 1000, 1000, 1000}));
}

}  // namespace
}  // namespace pdex::dex
