#include "store/database.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <soci/sqlite3/soci-sqlite3.h>

#include "common/settings.h"
#include "store/store_test_support.h"

namespace pdex::store {
namespace {

TEST(DatabaseUrlTest, SqliteRelativeAndAbsolutePaths) {
  const DatabaseUrl rel = parse_database_url("sqlite://var/pdex.sqlite");
  EXPECT_EQ(rel.backend, Backend::Sqlite);
  EXPECT_EQ(rel.sqlite_path, "var/pdex.sqlite");
  EXPECT_EQ(parse_database_url("sqlite:///tmp/x/pdex.sqlite").sqlite_path, "/tmp/x/pdex.sqlite");
}

TEST(DatabaseUrlTest, PostgresqlBecomesQuotedLibpqKeywords) {
  const DatabaseUrl u =
      parse_database_url("postgresql://us%40er:p%27a%20ss@db.example:6543/pdex?sslmode=require&application_name=t");
  EXPECT_EQ(u.backend, Backend::Postgresql);
  EXPECT_EQ(u.soci_connect,
            "host='db.example' port='6543' dbname='pdex' user='us@er' password='p\\'a ss' sslmode='require' "
            "application_name='t' connect_timeout='5'");
  EXPECT_EQ(u.masked, "postgresql://us%40er:***@db.example:6543/pdex?sslmode=require&application_name=t");
  EXPECT_EQ(parse_database_url("postgres://h/db?connect_timeout=1").soci_connect,
            "host='h' dbname='db' connect_timeout='1'");
  EXPECT_EQ(parse_database_url("postgresql://[::1]:5433/db").soci_connect,
            "host='::1' port='5433' dbname='db' connect_timeout='5'");
}

TEST(DatabaseUrlTest, BadUrlsAreNamedWithoutPassword) {
  for (const char* url :
       {"postgresql://u:hunter2@h:port/db", "postgresql://u:hunter2@h:5432/", "mysql://u:hunter2@h/db", "sqlite://",
        "sqlite://a=b.db", "postgresql://u:hunter2@h/db?novalue", "postgresql://u:hunter2@h/db%zz"}) {
    try {
      parse_database_url(url);
      ADD_FAILURE() << "accepted " << url;
    } catch (const DatabaseError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
      EXPECT_NE(what.find("database URL"), std::string::npos) << what;
    }
  }
}

TEST(DatabaseTest, UnreachablePostgresqlIsOneLineWithoutPassword) {
  try {
    Database db("postgresql://pdex:topsecret@127.0.0.1:1/db?connect_timeout=2");
    FAIL() << "connected to port 1";
  } catch (const DatabaseError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("topsecret"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_NE(what.find("postgresql://pdex:***@127.0.0.1:1/db"), std::string::npos) << what;
    EXPECT_NE(what.find("refused"), std::string::npos) << what;
  }
}

TEST(DatabaseTest, SqliteCreatesParentDirectoryAndSetsPragmas) {
  const auto dir = std::filesystem::temp_directory_path() / ("pdex-db-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    Database db("sqlite://" + (dir / "a" / "b" / "x.sqlite").string());
    EXPECT_EQ(db.backend(), Backend::Sqlite);
    EXPECT_TRUE(std::filesystem::exists(dir / "a" / "b" / "x.sqlite"));
    int fk = 0, timeout = 0;
    std::string mode;
    db.session() << "PRAGMA foreign_keys", soci::into(fk);
    db.session() << "PRAGMA journal_mode", soci::into(mode);
    db.session() << "PRAGMA busy_timeout", soci::into(timeout);
    EXPECT_EQ(fk, 1);
    EXPECT_EQ(mode, "wal");
    EXPECT_GT(timeout, 0);
    db.session() << "CREATE TABLE t (x INTEGER)";
  }
  {
    Database db("sqlite://" + (dir / "a" / "b" / "x.sqlite").string());  // reopened: keeps its pages
    int page_size = 0;
    db.session() << "PRAGMA page_size", soci::into(page_size);
    EXPECT_EQ(page_size, 16384);
  }
  {
    // A database made elsewhere with 4 KiB pages keeps them (the size only applies to an empty file).
    {
      soci::session raw(soci::sqlite3, "db=" + (dir / "old.sqlite").string());
      raw << "PRAGMA page_size=4096";
      raw << "CREATE TABLE t (x INTEGER)";
    }
    Database db("sqlite://" + (dir / "old.sqlite").string());
    int page_size = 0, rows = -1;
    db.session() << "PRAGMA page_size", soci::into(page_size);
    db.session() << "SELECT COUNT(*) FROM t", soci::into(rows);
    EXPECT_EQ(page_size, 4096);
    EXPECT_EQ(rows, 0);
  }
  std::filesystem::remove_all(dir);
}

TEST(DatabaseTest, OneLineJoinsDriverMessages) {
  EXPECT_EQ(one_line("Cannot establish connection.\n  connection refused\n\tIs the server running?\n"),
            "Cannot establish connection. connection refused Is the server running?");
}

using DatabaseBackendTest = testing::StoreTest;

TEST_P(DatabaseBackendTest, ReportsItsBackend) {
  EXPECT_EQ(backend_of(sql()), GetParam());
  EXPECT_EQ(db().backend(), GetParam());
  EXPECT_EQ(db().location(), mask_url_password(url()));
}

PDEX_INSTANTIATE_STORE_TEST(DatabaseBackendTest);

}  // namespace
}  // namespace pdex::store
