#include "store/dex_check.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "dex/dex_canonical.h"
#include "store/migrations.h"
#include "store/store_test_support.h"

namespace pdex::store {
namespace {

const CheckResult* find_check(const CheckReport& r, const std::string& name) {
  for (const auto* list : {&r.checks, &r.backend_checks}) {
    for (const auto& c : *list) {
      if (c.name == name) return &c;
    }
  }
  return nullptr;
}

bool check_ok(const CheckReport& r, const std::string& name) {
  const CheckResult* c = find_check(r, name);
  EXPECT_NE(c, nullptr) << "no check named " << name;
  return c != nullptr && c->ok;
}

using DexCheckTest = testing::StoreTest;

TEST_P(DexCheckTest, EmptyDatabaseFailsTheSchemaCheck) {
  const CheckReport r = check_dex(sql());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.schema_version, 0);
  EXPECT_FALSE(check_ok(r, "schema_version"));
}

TEST_P(DexCheckTest, MigratedButNotImportedFails) {
  migrate(sql());
  const CheckReport r = check_dex(sql());
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(check_ok(r, "schema_version"));
  EXPECT_FALSE(check_ok(r, "imported"));
  EXPECT_FALSE(check_ok(r, "species"));
}

TEST_P(DexCheckTest, ImportedRealDataPassesEveryCheck) {
  migrate(sql());
  import_dex(sql(), testing::real_dex());
  const CheckReport r = check_dex(sql());
  for (const auto* list : {&r.checks, &r.backend_checks}) {
    for (const auto& c : *list) EXPECT_TRUE(c.ok) << c.name << ": " << c.detail;
  }
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.backend, backend_name(GetParam()));
  EXPECT_EQ(r.counts, count_dex(testing::real_dex()));
  EXPECT_EQ(r.content_sha256, testing::real_dex().content_sha256);
  EXPECT_EQ(r.data_sha256, dex::content_sha256_of(testing::real_dex()));
  EXPECT_FALSE(r.backend_checks.empty());
  const auto json = check_report_json(r, "somewhere");
  EXPECT_EQ(json["ok"], true);
  EXPECT_EQ(json["counts"]["species"], 188);
  EXPECT_EQ(json["database"]["location"], "somewhere");
  EXPECT_NE(check_report_text(r, "somewhere").find("All checks passed."), std::string::npos);
}

TEST_P(DexCheckTest, ATamperedRowFailsTheHashCheck) {
  migrate(sql());
  import_dex(sql(), testing::real_dex());
  sql() << "UPDATE moves SET power = power + 1 WHERE id = 85";  // Thunderbolt 90 -> 91
  const CheckReport r = check_dex(sql());
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(check_ok(r, "data_hash"));
  EXPECT_FALSE(check_ok(r, "content_hash"));
  EXPECT_TRUE(check_ok(r, "species"));
}

TEST_P(DexCheckTest, ADeletedLearnsetRowFailsTheHashCheck) {
  migrate(sql());
  import_dex(sql(), testing::real_dex());
  sql() << "DELETE FROM learnsets WHERE id = 100";
  const CheckReport r = check_dex(sql());
  EXPECT_FALSE(check_ok(r, "data_hash"));
  EXPECT_EQ(r.counts.learnset_rows, count_dex(testing::real_dex()).learnset_rows - 1);
}

TEST_P(DexCheckTest, TooFewSpeciesFailsTheCountCheck) {
  migrate(sql());
  import_dex(sql(), testing::small_dex());
  const CheckReport r = check_dex(sql());
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(check_ok(r, "species"));
  EXPECT_NE(find_check(r, "species")->detail.find("expected 188"), std::string::npos);
  EXPECT_TRUE(check_ok(r, "types"));
  EXPECT_TRUE(check_ok(r, "type_chart"));
  EXPECT_TRUE(check_ok(r, "data_hash"));
  EXPECT_TRUE(check_ok(r, "content_hash"));
}

PDEX_INSTANTIATE_STORE_TEST(DexCheckTest);

// The same data gives the same report on both backends, apart from the "database" object.
TEST(DexCheckAcrossBackendsTest, ReportsAreIdenticalApartFromTheDatabaseObject) {
  const std::string pg = testing::postgres_url();
  if (pg.empty()) GTEST_SKIP() << "PDEX_TEST_PG_URL is not set: run under scripts/with-postgres";
  const auto dir = std::filesystem::temp_directory_path() / ("pdex-check-cross-" + std::to_string(::getpid()));
  const std::string schema = "check_cross_" + std::to_string(::getpid());
  Database admin(pg);
  admin.session() << "CREATE SCHEMA " + schema;
  nlohmann::json reports[2];
  {
    Database lite("sqlite://" + (dir / "x.sqlite").string());
    Database postgres(pg + (pg.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema);
    Database* both[] = {&lite, &postgres};
    for (int i = 0; i < 2; ++i) {
      migrate(both[i]->session());
      import_dex(both[i]->session(), testing::real_dex());
      reports[i] = check_report_json(check_dex(both[i]->session()), both[i]->location());
    }
  }
  admin.session() << "DROP SCHEMA " + schema + " CASCADE";
  std::filesystem::remove_all(dir);
  EXPECT_EQ(reports[0]["database"]["backend"], "sqlite");
  EXPECT_EQ(reports[1]["database"]["backend"], "postgresql");
  reports[0].erase("database");
  reports[1].erase("database");
  EXPECT_EQ(reports[0].dump(1), reports[1].dump(1));
  EXPECT_EQ(reports[0]["ok"], true);
}

}  // namespace
}  // namespace pdex::store
