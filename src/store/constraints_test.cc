// The schema itself rejects bad rows (CHECK, UNIQUE, FOREIGN KEY), on both backends, whoever writes them.
#include <gtest/gtest.h>

#include <string>

#include "store/dex_repository.h"
#include "store/migrations.h"
#include "store/store_test_support.h"

namespace pdex::store {
namespace {

class ConstraintsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    migrate(sql());
    import_dex(sql(), testing::small_dex());  // pikachu 25, raichu 26, ...; thunderbolt 85, growl 45
  }

  // The statement must fail and leave the table as it was.
  void expect_rejected(const std::string& statement, const std::string& table) {
    const int before = rows(table);
    EXPECT_THROW(sql() << statement, soci::soci_error) << statement;
    EXPECT_EQ(rows(table), before) << statement;
  }

  void expect_accepted(const std::string& statement) { EXPECT_NO_THROW(sql() << statement) << statement; }

  int rows(const std::string& table) {
    int n = -1;
    sql() << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return n;
  }
};

const std::string kPokemonColumns =
    "INSERT INTO pokemon (id, showdown_id, name, num, base_species_id, hp, atk, def, spa, spd, spe, weight_hg, "
    "is_mega, is_alola, is_starter) VALUES ";

TEST_P(ConstraintsTest, PokemonStatsAndFlags) {
  expect_accepted(kPokemonColumns + "(900, 'a', 'A', 900, 25, 1, 255, 50, 50, 50, 50, 1, 0, 0, 0)");
  expect_rejected(kPokemonColumns + "(901, 'b', 'B', 901, 25, 0, 50, 50, 50, 50, 50, 10, 0, 0, 0)", "pokemon");
  expect_rejected(kPokemonColumns + "(901, 'b', 'B', 901, 25, 50, 256, 50, 50, 50, 50, 10, 0, 0, 0)", "pokemon");
  expect_rejected(kPokemonColumns + "(901, 'b', 'B', 901, 25, 50, 50, -5, 50, 50, 50, 10, 0, 0, 0)", "pokemon");
  expect_rejected(kPokemonColumns + "(901, 'b', 'B', 901, 25, 50, 50, 50, 50, 50, 50, 0, 0, 0, 0)", "pokemon");
  expect_rejected(kPokemonColumns + "(901, 'b', 'B', 901, 25, 50, 50, 50, 50, 50, 50, 10, 2, 0, 0)", "pokemon");
  expect_rejected(kPokemonColumns + "(901, 'a', 'B', 901, 25, 50, 50, 50, 50, 50, 50, 10, 0, 0, 0)",
                  "pokemon");  // duplicate showdown id
  expect_rejected(kPokemonColumns + "(901, 'b', 'B', 901, 4242, 50, 50, 50, 50, 50, 50, 10, 0, 0, 0)",
                  "pokemon");  // unknown base species (deferred FK, checked at the statement's commit)
  expect_rejected("UPDATE pokemon SET prevo_id = 4242 WHERE id = 26", "pokemon");
  int prevo = 0;
  sql() << "SELECT prevo_id FROM pokemon WHERE id = 26", soci::into(prevo);
  EXPECT_EQ(prevo, 25);
}

TEST_P(ConstraintsTest, TypesAndChart) {
  expect_rejected("UPDATE type_effectiveness SET multiplier = 4 WHERE attacking_type_id = 1 AND defending_type_id = 1",
                  "type_effectiveness");
  expect_rejected("UPDATE type_effectiveness SET multiplier = 0.25 WHERE attacking_type_id = 1", "type_effectiveness");
  double m = -1;
  sql() << "SELECT multiplier FROM type_effectiveness WHERE attacking_type_id = 1 AND defending_type_id = 1",
      soci::into(m);
  EXPECT_EQ(m, 1.0);
  expect_rejected("INSERT INTO type_effectiveness (attacking_type_id, defending_type_id, multiplier) VALUES (1, 1, 1)",
                  "type_effectiveness");  // duplicate pair
  expect_rejected("INSERT INTO types (id, name) VALUES (19, 'Shadow')", "types");
  expect_rejected("INSERT INTO pokemon_types (pokemon_id, slot, type_id) VALUES (25, 3, 2)", "pokemon_types");
  expect_rejected("INSERT INTO pokemon_types (pokemon_id, slot, type_id) VALUES (25, 2, 77)", "pokemon_types");
  expect_rejected("INSERT INTO pokemon_types (pokemon_id, slot, type_id) VALUES (25, 2, 4)",
                  "pokemon_types");  // Electric twice
}

const std::string kMoveColumns =
    "INSERT INTO moves (id, showdown_id, name, type_id, category, power, accuracy, pp, priority, crit_ratio, "
    "will_crit, self_destruct, ohko, charge, recharge, target, is_partner_move, short_desc, self_switch, force_switch, "
    "crash_damage) VALUES ";

TEST_P(ConstraintsTest, Moves) {
  expect_accepted(kMoveColumns +
                  "(900, 'a', 'A', 1, 'Physical', 40, NULL, 10, 0, 1, 0, 0, 0, 0, 0, 'normal', 0, '', 0, 0, 0)");
  expect_rejected(
      kMoveColumns + "(901, 'b', 'B', 1, 'Physical', 40, 0, 10, 0, 1, 0, 0, 0, 0, 0, 'normal', 0, '', 0, 0, 0)",
      "moves");
  expect_rejected(
      kMoveColumns + "(901, 'b', 'B', 1, 'Physical', 40, 101, 10, 0, 1, 0, 0, 0, 0, 0, 'normal', 0, '', 0, 0, 0)",
      "moves");
  expect_rejected(
      kMoveColumns + "(901, 'b', 'B', 1, 'Magic', 40, 100, 10, 0, 1, 0, 0, 0, 0, 0, 'normal', 0, '', 0, 0, 0)",
      "moves");
  expect_rejected(
      kMoveColumns + "(901, 'b', 'B', 1, 'Physical', -1, 100, 10, 0, 1, 0, 0, 0, 0, 0, 'normal', 0, '', 0, 0, 0)",
      "moves");
  expect_rejected(
      kMoveColumns + "(901, 'b', 'B', 1, 'Status', 40, 100, 10, 0, 1, 0, 0, 0, 0, 0, 'normal', 0, '', 0, 0, 0)",
      "moves");
  expect_rejected(
      kMoveColumns + "(901, 'b', 'B', 1, 'Physical', 40, 100, 0, 0, 1, 0, 0, 0, 0, 0, 'normal', 0, '', 0, 0, 0)",
      "moves");
  expect_rejected(
      kMoveColumns + "(901, 'b', 'B', 1, 'Physical', 40, 100, 10, 9, 1, 0, 0, 0, 0, 0, 'normal', 0, '', 0, 0, 0)",
      "moves");
  expect_rejected(
      kMoveColumns + "(901, 'b', 'B', 99, 'Physical', 40, 100, 10, 0, 1, 0, 0, 0, 0, 0, 'normal', 0, '', 0, 0, 0)",
      "moves");
  expect_rejected("UPDATE moves SET status = 'zzz' WHERE id = 85", "moves");
  expect_rejected("UPDATE moves SET multihit_min = 2 WHERE id = 85", "moves");  // max missing
  expect_rejected("UPDATE moves SET drain_num = 1, drain_den = 0 WHERE id = 85", "moves");
  expect_rejected("INSERT INTO move_secondaries (move_id, ordinal, chance) VALUES (85, 9, 0)", "move_secondaries");
  expect_rejected("INSERT INTO move_secondaries (move_id, ordinal, chance) VALUES (85, 1, 10)",
                  "move_secondaries");  // ordinal taken
  expect_rejected(
      "INSERT INTO move_boosts (move_id, scope, atk, def, spa, spd, spe, accuracy, evasion) "
      "VALUES (85, 'target', 7, 0, 0, 0, 0, 0, 0)",
      "move_boosts");
  expect_rejected("INSERT INTO move_flags (move_id, ordinal, flag) VALUES (4242, 1, 'contact')", "move_flags");
}

const std::string kLearnsetColumns =
    "INSERT INTO learnsets (id, pokemon_id, move_id, method, level, inherited_from_id) VALUES ";

TEST_P(ConstraintsTest, Learnsets) {
  expect_accepted(kLearnsetColumns + "(1000, 25, 94, 'levelup', 0, NULL)");
  expect_rejected(kLearnsetColumns + "(1001, 25, 94, 'levelup', 101, NULL)", "learnsets");
  expect_rejected(kLearnsetColumns + "(1001, 25, 94, 'levelup', -1, NULL)", "learnsets");
  expect_rejected(kLearnsetColumns + "(1001, 25, 94, 'egg', NULL, NULL)", "learnsets");
  expect_rejected(kLearnsetColumns + "(1001, 25, 94, 'tm', 5, NULL)", "learnsets");       // level only for levelup
  expect_rejected(kLearnsetColumns + "(1001, 25, 4242, 'tm', NULL, NULL)", "learnsets");  // unknown move
  expect_rejected(kLearnsetColumns + "(1001, 4242, 94, 'tm', NULL, NULL)", "learnsets");  // unknown species
  expect_rejected(kLearnsetColumns + "(1001, 25, 94, 'tm', NULL, 4242)", "learnsets");    // unknown ancestor
  // pikachu learns thunderbolt by TM in the small dex: the same row again, NULLs included, is a duplicate.
  expect_rejected(kLearnsetColumns + "(1001, 25, 85, 'tm', NULL, NULL)", "learnsets");
  expect_accepted(kLearnsetColumns + "(1001, 25, 85, 'tm', NULL, 26)");  // differs by inherited_from
}

TEST_P(ConstraintsTest, EvolutionsAndMeta) {
  expect_rejected(
      "INSERT INTO evolutions (pokemon_id, ordinal, evolves_to_id, trigger_kind) VALUES (25, 9, 26, 'moonPhase')",
      "evolutions");
  expect_rejected(
      "INSERT INTO evolutions (pokemon_id, ordinal, evolves_to_id, trigger_kind, min_level) "
      "VALUES (25, 9, 26, 'levelUp', 0)",
      "evolutions");
  expect_rejected(
      "INSERT INTO evolutions (pokemon_id, ordinal, evolves_to_id, trigger_kind) VALUES (25, 9, 4242, 'trade')",
      "evolutions");
  expect_rejected("INSERT INTO mega_evolutions (pokemon_id, ordinal, mega_id) VALUES (25, 1, 4242)", "mega_evolutions");
  expect_rejected(
      "INSERT INTO dex_meta (id, content_sha256, data_sha256, imported_at, imported_by) "
      "VALUES (2, 'x', 'y', 'now', 'me')",
      "dex_meta");
  expect_rejected("DELETE FROM pokemon WHERE id = 25", "pokemon");  // still referenced
}

PDEX_INSTANTIATE_STORE_TEST(ConstraintsTest);

}  // namespace
}  // namespace pdex::store
