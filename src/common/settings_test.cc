#include "common/settings.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace pdex {
namespace {

TEST(Settings, MasksPasswordsInUrls) {
  EXPECT_EQ(mask_url_password("postgresql://u:secret@127.0.0.1:5432/db"), "postgresql://u:***@127.0.0.1:5432/db");
  EXPECT_EQ(mask_url_password("postgresql://u@127.0.0.1/db"), "postgresql://u@127.0.0.1/db");
  EXPECT_EQ(mask_url_password("sqlite://var/pdex.sqlite"), "sqlite://var/pdex.sqlite");
  // Found by fuzz_config: everything up to the last '@' is masked, so no part of the password shows.
  EXPECT_EQ(mask_url_password("postgresql://u:p@ss@127.0.0.1/db"), "postgresql://u:***@127.0.0.1/db");
  EXPECT_EQ(mask_url_password("postgresql://u:secret@hel://u:secret@host/db"), "postgresql://u:***@host/db");
}

TEST(Settings, DefaultsFollowDataDir) {
  ::unsetenv("PDEX_DATABASE_URL");
  ::setenv("PDEX_DATA_DIR", "/tmp/pdex-x", 1);
  const Settings s = Settings::from_environment();
  EXPECT_EQ(s.database_url, "sqlite:///tmp/pdex-x/pdex.sqlite");
  ::unsetenv("PDEX_DATA_DIR");
}

TEST(Settings, RejectsUnknownDatabaseScheme) {
  ::setenv("PDEX_DATABASE_URL", "mysql://x", 1);
  EXPECT_THROW(Settings::from_environment(), std::invalid_argument);
  ::unsetenv("PDEX_DATABASE_URL");
}

TEST(Settings, ServeSettingsFromEnvironment) {
  ::setenv("PDEX_HOST", "0.0.0.0", 1);
  ::setenv("PDEX_PORT", "9001", 1);
  ::setenv("PDEX_MAX_BODY_BYTES", "1024", 1);
  ::setenv("PDEX_CORS_ORIGINS", "https://a.example", 1);
  Settings s = Settings::from_environment();
  EXPECT_EQ(s.host, "0.0.0.0");
  EXPECT_EQ(s.port, 9001);
  EXPECT_EQ(s.max_body_bytes, 1024u);
  EXPECT_EQ(s.describe().at("PDEX_CORS_ORIGINS"), "https://a.example");
  for (const char* bad : {"abc", "-1", "70000", "1.5", " 80"}) {
    ::setenv("PDEX_PORT", bad, 1);
    try {
      Settings::from_environment();
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("PDEX_PORT"), std::string::npos);
    }
  }
  for (const char* v : {"PDEX_HOST", "PDEX_PORT", "PDEX_MAX_BODY_BYTES", "PDEX_CORS_ORIGINS"}) ::unsetenv(v);
  s = Settings::from_environment();
  EXPECT_EQ(s.port, 8000);
  EXPECT_EQ(s.threads, 0);
}

}  // namespace
}  // namespace pdex
