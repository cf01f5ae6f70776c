#include "store/registry_repository.h"

#include <gtest/gtest.h>

#include "common/sha256.h"
#include "store/migrations.h"
#include "store/store_test_support.h"

namespace pdex::store {
namespace {

using nlohmann::json;
using testing::StoreTest;

class RegistryRepositoryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    migrate(sql());
  }

  NewModelVersion version_of(const std::string& content, const std::string& stage = "candidate") {
    NewModelVersion v;
    v.stage = stage;
    v.artifact_sha256 = sha256_hex(content);
    v.artifact_path = "/artifacts/" + v.artifact_sha256;
    v.bundle_version = "default-" + v.artifact_sha256.substr(0, 12);
    v.model_sha256 = sha256_hex("model " + content);
    v.feature_spec_hash = "spec";
    v.dataset_sha256 = sha256_hex("dataset");
    v.metrics = {{"test", {{"accuracy", 0.8}}}};
    v.params = {{"max_depth", 3}};
    v.lineage = {{"seed", 7}};
    v.seed = 7;
    v.code_version = "0.1.0+abc";
    v.created_by = "tester";
    return v;
  }
};

TEST_P(RegistryRepositoryTest, VersionsAreNumberedPerModelAndRegistrationIsIdempotent) {
  RegistryRepository repo(sql());
  const auto a = repo.register_version(version_of("a"));
  const auto b = repo.register_version(version_of("b"));
  EXPECT_TRUE(a.created);
  EXPECT_EQ(a.version.version, 1);
  EXPECT_EQ(b.version.version, 2);
  EXPECT_EQ(a.version.model_name, kDefaultModelName);
  EXPECT_EQ(a.version.metrics["test"]["accuracy"], 0.8);
  EXPECT_EQ(a.version.seed.value_or(0), 7);
  const auto again = repo.register_version(version_of("a"));
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.version.version, 1);
  auto other = version_of("a");
  other.model_name = "other_model";
  EXPECT_EQ(repo.register_version(other).version.version, 1);
  EXPECT_EQ(repo.versions(kDefaultModelName).size(), 2u);
  EXPECT_EQ(repo.versions(kDefaultModelName).front().version, 2);  // newest first
  const auto models = repo.list_models();
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].name, kDefaultModelName);
  EXPECT_EQ(models[0].latest_version, 2);
  EXPECT_EQ(models[0].candidate.value_or(0), 2);
  EXPECT_FALSE(models[0].production);
}

TEST_P(RegistryRepositoryTest, RejectsBadInput) {
  RegistryRepository repo(sql());
  auto v = version_of("a");
  v.model_name = "bad name";
  EXPECT_THROW(repo.register_version(v), std::invalid_argument);
  v = version_of("a", "production");
  EXPECT_THROW(repo.register_version(v), std::invalid_argument);
  v = version_of("a");
  v.artifact_sha256 = "abc";
  EXPECT_THROW(repo.register_version(v), std::invalid_argument);
  EXPECT_TRUE(repo.list_models().empty());
}

TEST_P(RegistryRepositoryTest, PromoteArchivesTheChampionAndRollbackWalksBack) {
  RegistryRepository repo(sql());
  for (const char* c : {"a", "b", "c"}) repo.register_version(version_of(c));
  repo.promote(kDefaultModelName, 1, "alice", "first");
  repo.promote(kDefaultModelName, 2, "bob", "better");
  repo.promote(kDefaultModelName, 3, "carol", "even better", json{{"gates", "ok"}});
  EXPECT_EQ(repo.production(kDefaultModelName)->version, 3);
  EXPECT_EQ(repo.find_version(kDefaultModelName, 2)->stage, "archived");
  EXPECT_EQ(repo.rollback_target(kDefaultModelName).value_or(0), 2);

  EXPECT_EQ(repo.rollback(kDefaultModelName, "dave", "v3 misbehaves").version, 2);
  EXPECT_EQ(repo.production(kDefaultModelName)->version, 2);
  EXPECT_EQ(repo.find_version(kDefaultModelName, 3)->stage, "archived");
  EXPECT_EQ(repo.rollback(kDefaultModelName, "dave", "v2 too").version, 1);
  try {
    repo.rollback(kDefaultModelName, "dave", "again");
    FAIL() << "rolled back past the first production version";
  } catch (const RegistryError& e) {
    EXPECT_EQ(e.kind(), RegistryError::Kind::Conflict);
  }
  EXPECT_EQ(repo.production(kDefaultModelName)->version, 1);

  const auto history = repo.history(kDefaultModelName);
  ASSERT_FALSE(history.empty());
  const Transition& last = history.back();
  EXPECT_EQ(last.action, "rollback");
  EXPECT_EQ(last.version, 1);
  EXPECT_EQ(last.replaced_version.value_or(0), 2);
  EXPECT_EQ(last.actor, "dave");
  EXPECT_EQ(last.reason, "v2 too");
  int promotes = 0;
  for (const auto& t : history) {
    if (t.action == "promote") {
      ++promotes;
      if (t.version == 3) {
        EXPECT_EQ(t.details["gates"], "ok");
      }
    }
  }
  EXPECT_EQ(promotes, 3);
}

TEST_P(RegistryRepositoryTest, OneProductionVersionAndArchiveRules) {
  RegistryRepository repo(sql());
  repo.register_version(version_of("a"));
  repo.register_version(version_of("b"));
  repo.promote(kDefaultModelName, 1, "u", "r");
  EXPECT_THROW(repo.promote(kDefaultModelName, 1, "u", "r"), RegistryError);
  EXPECT_THROW(repo.promote(kDefaultModelName, 9, "u", "r"), RegistryError);
  EXPECT_THROW(repo.archive(kDefaultModelName, 1, "u", "r"), RegistryError);
  EXPECT_EQ(repo.archive(kDefaultModelName, 2, "u", "stale").stage, "archived");
  EXPECT_THROW(repo.archive(kDefaultModelName, 2, "u", "r"), RegistryError);
  // The unique index itself refuses a second production row, whatever the code does.
  EXPECT_ANY_THROW(sql() << "UPDATE model_versions SET stage = 'production' WHERE version = 2");
  EXPECT_THROW(repo.rollback("no_such_model", "u", "r"), RegistryError);
}

PDEX_INSTANTIATE_STORE_TEST(RegistryRepositoryTest);

}  // namespace
}  // namespace pdex::store
