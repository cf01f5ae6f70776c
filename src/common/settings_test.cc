#include "common/settings.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace pdex {
namespace {

TEST(Settings, MasksPasswordsInUrls) {
  EXPECT_EQ(mask_url_password("postgresql://u:secret@127.0.0.1:5432/db"), "postgresql://u:***@127.0.0.1:5432/db");
  EXPECT_EQ(mask_url_password("postgresql://u@127.0.0.1/db"), "postgresql://u@127.0.0.1/db");
  EXPECT_EQ(mask_url_password("sqlite://var/pdex.sqlite"), "sqlite://var/pdex.sqlite");
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

}  // namespace
}  // namespace pdex
