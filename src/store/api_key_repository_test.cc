#include "store/api_key_repository.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "store/migrations.h"
#include "store/store_test_support.h"

namespace pdex::store {
namespace {

using testing::StoreTest;

TEST(ApiKeyFormat, ScopesParseAndNameTheUnknownOne) {
  EXPECT_EQ(parse_scopes("read, predict"), (std::set<std::string>{"predict", "read"}));
  EXPECT_EQ(parse_scopes("admin,read,admin"), (std::set<std::string>{"admin", "read"}));
  try {
    parse_scopes("read,wrte");
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown scope 'wrte'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_scopes(""), std::invalid_argument);
  EXPECT_THROW(parse_scopes(" , "), std::invalid_argument);
  EXPECT_EQ(join_scopes({"read", "predict"}), "predict,read");
}

TEST(ApiKeyFormat, ParsesOnlyWellFormedKeys) {
  const std::string id = "0123456789ab";
  const std::string secret(64, 'f');
  auto parts = parse_api_key("pdex_" + id + "_" + secret);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->id, id);
  EXPECT_EQ(parts->secret, secret);
  EXPECT_FALSE(parse_api_key(""));
  EXPECT_FALSE(parse_api_key("pdex_" + id + "_" + secret + "0"));
  EXPECT_FALSE(parse_api_key("pdex_" + id + "-" + secret));
  EXPECT_FALSE(parse_api_key("pdex_" + id + "_" + std::string(63, 'f') + "G"));
  EXPECT_FALSE(parse_api_key("PDEX_" + id + "_" + secret));
}

TEST(ApiKeyFormat, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(ApiKeyFormat, CheckDistinguishesEveryCase) {
  StoredApiKey stored;
  stored.record.id = "0123456789ab";
  const std::string key = "pdex_0123456789ab_" + std::string(64, 'a');
  stored.key_hash = hash_api_key(key);
  EXPECT_EQ(check_api_key(key, &stored), KeyCheck::Ok);
  EXPECT_EQ(check_api_key("nonsense", &stored), KeyCheck::Malformed);
  EXPECT_EQ(check_api_key(key, nullptr), KeyCheck::Unknown);
  EXPECT_EQ(check_api_key("pdex_0123456789ab_" + std::string(64, 'b'), &stored), KeyCheck::WrongSecret);
  stored.record.revoked_at = "2024-01-01T00:00:00.000Z";
  EXPECT_EQ(check_api_key(key, &stored), KeyCheck::Revoked);
  // A wrong secret for a revoked key is "wrong secret", not "revoked".
  EXPECT_EQ(check_api_key("pdex_0123456789ab_" + std::string(64, 'b'), &stored), KeyCheck::WrongSecret);
}

class ApiKeyRepositoryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    migrate(sql());
  }
};

TEST_P(ApiKeyRepositoryTest, CreateFindVerifyRevoke) {
  ApiKeyRepository repo(sql());
  const CreatedApiKey created = repo.create("ci", {"read", "predict"});
  const auto parts = parse_api_key(created.key);
  ASSERT_TRUE(parts) << created.key;
  EXPECT_EQ(parts->id, created.record.id);

  auto stored = repo.find(created.record.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->record.name, "ci");
  EXPECT_EQ(stored->record.scopes, (std::set<std::string>{"predict", "read"}));
  EXPECT_EQ(stored->key_hash, hash_api_key(created.key));
  EXPECT_FALSE(stored->record.revoked());
  EXPECT_EQ(check_api_key(created.key, &*stored), KeyCheck::Ok);

  EXPECT_EQ(repo.revoke(created.record.id), ApiKeyRepository::RevokeResult::Revoked);
  EXPECT_EQ(repo.revoke(created.record.id), ApiKeyRepository::RevokeResult::AlreadyRevoked);
  EXPECT_EQ(repo.revoke("ffffffffffff"), ApiKeyRepository::RevokeResult::NotFound);
  stored = repo.find(created.record.id);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->record.revoked());
  EXPECT_EQ(check_api_key(created.key, &*stored), KeyCheck::Revoked);
  EXPECT_FALSE(repo.find("ffffffffffff"));
}

TEST_P(ApiKeyRepositoryTest, ListNeverCarriesSecretsAndKeysAreDistinct) {
  ApiKeyRepository repo(sql());
  const auto a = repo.create("a", {"read"});
  const auto b = repo.create("", {"admin"});
  EXPECT_NE(a.key, b.key);
  EXPECT_NE(a.record.id, b.record.id);
  const auto keys = repo.list();
  ASSERT_EQ(keys.size(), 2u);
  std::set<std::string> ids{keys[0].id, keys[1].id};
  EXPECT_TRUE(ids.count(a.record.id) && ids.count(b.record.id));
}

TEST_P(ApiKeyRepositoryTest, RejectsBadInput) {
  ApiKeyRepository repo(sql());
  EXPECT_THROW(repo.create("x", {}), std::invalid_argument);
  EXPECT_THROW(repo.create("x", {"root"}), std::invalid_argument);
  EXPECT_THROW(repo.create(std::string(201, 'n'), {"read"}), std::invalid_argument);
  EXPECT_TRUE(repo.list().empty());
}

TEST_P(ApiKeyRepositoryTest, TouchNeverMovesBackwards) {
  ApiKeyRepository repo(sql());
  const auto k = repo.create("t", {"read"});
  repo.touch({{k.record.id, "2024-05-01T00:00:02.000Z"}});
  repo.touch({{k.record.id, "2024-05-01T00:00:01.000Z"}});
  EXPECT_EQ(repo.find(k.record.id)->record.last_used_at.value_or(""), "2024-05-01T00:00:02.000Z");
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_P(ApiKeyRepositoryTest, OnlyTheHashReachesTheDatabaseFile) {
  if (GetParam() != Backend::Sqlite) GTEST_SKIP() << "file inspection is SQLite-only";
  ApiKeyRepository repo(sql());
  const auto k = repo.create("grep-me", {"read"});
  const auto parts = parse_api_key(k.key);
  const std::string path = parse_database_url(url()).sqlite_path;
  // WAL mode: recent pages may live in the -wal file; look at both.
  const std::string bytes = file_bytes(path) + file_bytes(path + "-wal");
  ASSERT_NE(bytes.find("grep-me"), std::string::npos) << "did not read the database's bytes";
  EXPECT_NE(bytes.find(hash_api_key(k.key)), std::string::npos);
  EXPECT_EQ(bytes.find(parts->secret), std::string::npos) << "the secret is stored in clear";
  EXPECT_EQ(bytes.find(parts->secret.substr(0, 16)), std::string::npos);
}

PDEX_INSTANTIATE_STORE_TEST(ApiKeyRepositoryTest);

}  // namespace
}  // namespace pdex::store
