// The database schema, as numbered migrations applied in order and recorded in `schema_version`
// (version, applied_at, description). Every statement is plain SQL that SQLite and PostgreSQL both
// accept, so one migration list serves both backends.
#pragma once

#include <soci/soci.h>

#include <span>
#include <string_view>
#include <vector>

namespace pdex::store {

struct Migration {
  int version;  // 1, 2, ... without gaps
  std::string_view description;
  std::vector<std::string_view> statements;  // one SQL statement each (SQLite prepares one at a time)
};

std::span<const Migration> all_migrations();
int latest_schema_version();

// The highest applied version; 0 for an empty database. Throws DatabaseError if the schema_version
// table exists but is unreadable.
int schema_version(soci::session& sql);

struct MigrationResult {
  int before = 0;  // version found
  int after = 0;   // version now (latest_schema_version())
};

// Applies the missing migrations, each in its own transaction (DDL is transactional in both backends,
// so a failing migration leaves the previous version intact). Idempotent. Throws DatabaseError naming
// the migration that failed, or when the database is newer than this program.
MigrationResult migrate(soci::session& sql);

}  // namespace pdex::store
