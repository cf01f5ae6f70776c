#include "store/migrations.h"

#include <gtest/gtest.h>

#include "store/store_test_support.h"

namespace pdex::store {
namespace {

TEST(MigrationListTest, VersionsAreContiguousFromOne) {
  int expected = 1;
  for (const Migration& m : all_migrations()) {
    EXPECT_EQ(m.version, expected++);
    EXPECT_FALSE(m.description.empty());
    EXPECT_FALSE(m.statements.empty());
  }
  EXPECT_EQ(latest_schema_version(), expected - 1);
}

using MigrationsTest = testing::StoreTest;

int count(soci::session& sql, const std::string& from) {
  int n = -1;
  sql << "SELECT COUNT(*) FROM " + from, soci::into(n);
  return n;
}

TEST_P(MigrationsTest, FreshDatabaseMigratesToLatest) {
  EXPECT_EQ(schema_version(sql()), 0);
  const MigrationResult r = migrate(sql());
  EXPECT_EQ(r.before, 0);
  EXPECT_EQ(r.after, latest_schema_version());
  EXPECT_EQ(schema_version(sql()), latest_schema_version());
  EXPECT_EQ(count(sql(), "schema_version"), static_cast<int>(all_migrations().size()));
  std::string applied_at, description;
  sql() << "SELECT applied_at, description FROM schema_version WHERE version = 1", soci::into(applied_at),
      soci::into(description);
  EXPECT_EQ(applied_at.size(), 20u) << applied_at;  // 2024-01-01T00:00:00Z
  EXPECT_EQ(description, all_migrations()[0].description);
  // Every dex table exists and is empty.
  for (const char* table : {"types", "type_effectiveness", "pokemon", "pokemon_types", "evolutions", "mega_evolutions",
                            "moves", "move_boosts", "move_secondaries", "move_secondary_boosts", "move_flags",
                            "learnsets", "dex_meta", "dex_source_packages"}) {
    EXPECT_EQ(count(sql(), table), 0) << table;
  }
}

TEST_P(MigrationsTest, MigratingAgainChangesNothingAndKeepsData) {
  migrate(sql());
  import_dex(sql(), testing::small_dex());
  std::string first_applied;
  sql() << "SELECT applied_at FROM schema_version WHERE version = 1", soci::into(first_applied);

  const MigrationResult again = migrate(sql());
  EXPECT_EQ(again.before, latest_schema_version());
  EXPECT_EQ(again.after, latest_schema_version());
  EXPECT_EQ(count(sql(), "schema_version"), static_cast<int>(all_migrations().size()));
  std::string applied;
  sql() << "SELECT applied_at FROM schema_version WHERE version = 1", soci::into(applied);
  EXPECT_EQ(applied, first_applied);
  EXPECT_EQ(load_dex(sql()), testing::small_dex());
  // A second connection sees the same version and migrates nothing either.
  auto other = connect();
  EXPECT_EQ(migrate(other->session()).before, latest_schema_version());
}

TEST_P(MigrationsTest, NewerSchemaIsRefused) {
  migrate(sql());
  sql() << "INSERT INTO schema_version (version, applied_at, description) VALUES (999, 'x', 'from the future')";
  try {
    migrate(sql());
    FAIL() << "migrated a database from the future";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("999"), std::string::npos) << e.what();
  }
}

// The prediction log is written once per prediction on the serving machine: each secondary index costs every
// insert, so the table keeps only the one its time-range reads use (migration 4 dropped the model_version one).
TEST_P(MigrationsTest, PredictionLogKeepsOnlyTheIndexItsReadsUse) {
  migrate(sql());
  std::vector<std::string> names(16);
  if (GetParam() == Backend::Sqlite) {
    sql() << "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'predictions' "
             "AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name",
        soci::into(names);
  } else {
    sql() << "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'predictions' "
             "AND indexname <> 'predictions_pkey' ORDER BY indexname",
        soci::into(names);
  }
  EXPECT_EQ(names, std::vector<std::string>{"predictions_by_created_at"});
}

PDEX_INSTANTIATE_STORE_TEST(MigrationsTest);

}  // namespace
}  // namespace pdex::store
