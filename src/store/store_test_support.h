// Test-only: one fixture for every store test, run once on a fresh SQLite file and once on a fresh
// PostgreSQL schema (when PDEX_TEST_PG_URL is set, as scripts/with-postgres does; otherwise those cases
// are skipped with a message), plus the dex data the tests import.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "dex/dex_json.h"
#include "dex/test_dex_document.h"
#include "store/database.h"
#include "store/dex_repository.h"

namespace pdex::store::testing {

inline std::filesystem::path source_dir() {
  const char* dir = std::getenv("PDEX_SOURCE_DIR");
  return (dir != nullptr && *dir != '\0') ? std::filesystem::path(dir) : std::filesystem::current_path();
}

// data/lgpe-dex.json, parsed once per test binary.
inline const dex::DexData& real_dex() {
  static const dex::DexData data = dex::load_dex_json(source_dir() / "data" / "lgpe-dex.json");
  return data;
}

// The dex engineer's five-species document (src/dex/test_dex_document.h).
inline const dex::DexData& small_dex() {
  static const dex::DexData data =
      dex::parse_dex_json(dex::testing::with_hash(dex::testing::minimal_document()), "small-dex.json");
  return data;
}

inline std::string postgres_url() {
  const char* url = std::getenv("PDEX_TEST_PG_URL");
  return url != nullptr ? url : "";
}

inline std::string param_name(const ::testing::TestParamInfo<Backend>& info) {
  return std::string(backend_name(info.param));
}

// A fresh, empty database per test: an SQLite file in a new temporary directory, or a new PostgreSQL
// schema (selected through libpq's `options=-csearch_path=...`) dropped afterwards, so that tests and
// other binaries sharing the server never see each other's tables.
class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const std::string unique = std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (GetParam() == Backend::Sqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("pdex-store-test-" + unique);
      std::filesystem::remove_all(dir_);
      url_ = "sqlite://" + (dir_ / "sub" / "test.sqlite").string();
    } else {
      const std::string base = postgres_url();
      if (base.empty()) GTEST_SKIP() << "PDEX_TEST_PG_URL is not set: run under scripts/with-postgres";
      schema_ = "store_test_" + unique;
      admin_ = std::make_unique<Database>(base);
      admin_->session() << "CREATE SCHEMA " + schema_;
      url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
    }
    db_ = std::make_unique<Database>(url_);
  }

  void TearDown() override {
    db_.reset();
    if (admin_) admin_->session() << "DROP SCHEMA " + schema_ + " CASCADE";
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  soci::session& sql() { return db_->session(); }
  Database& db() { return *db_; }
  const std::string& url() const { return url_; }
  // A second, independent connection to the same database.
  std::unique_ptr<Database> connect() const { return std::make_unique<Database>(url_); }

 private:
  std::filesystem::path dir_;
  std::string schema_;
  std::string url_;
  std::unique_ptr<Database> admin_;
  std::unique_ptr<Database> db_;
};

#define PDEX_INSTANTIATE_STORE_TEST(Fixture)                                                                      \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture,                                                                     \
                           ::testing::Values(::pdex::store::Backend::Sqlite, ::pdex::store::Backend::Postgresql), \
                           ::pdex::store::testing::param_name)

}  // namespace pdex::store::testing
