// `pdex db check`: what the database holds and whether it is whole. The checks that can fail are the
// same on both backends (schema version, expected counts, a re-hash of everything read back compared with
// the hash stored at import and with the data file's content_sha256); the
// backend's own integrity checks (SQLite: PRAGMA integrity_check and foreign_key_check; PostgreSQL:
// every foreign key validated) are listed apart, since they necessarily differ.
#pragma once

#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "store/dex_repository.h"

namespace pdex::store {

// The LGPE roster facts every imported dex must satisfy (DESIGN §4).
inline constexpr int kExpectedTypes = 18;
inline constexpr int kExpectedChartRows = 18 * 18;
inline constexpr int kExpectedSpecies = 188;

struct CheckResult {
  std::string name;  // "species_count", "data_hash", ...
  bool ok = false;
  std::string detail;  // one line: what was found
};

struct CheckReport {
  std::string backend;  // "sqlite" | "postgresql"
  int schema_version = 0;
  int expected_schema_version = 0;
  std::optional<std::string> imported_at;
  std::optional<std::string> content_sha256;  // of the imported file's content, as stored
  std::optional<std::string> data_sha256;     // dex::content_sha256_of(load_dex()), recomputed now
  DexCounts counts;
  std::vector<CheckResult> checks;          // identical on both backends for the same data
  std::vector<CheckResult> backend_checks;  // backend-specific
  bool ok() const;
};

// Never throws for a database it can reach: a problem becomes a failed check. Throws DatabaseError only
// when the connection itself fails.
CheckReport check_dex(soci::session& sql);

// Machine-readable form: {"ok", "database": {"backend", "location", "imported_at", "backend_checks"},
// "schema_version", "content_sha256", "data_sha256", "counts": {...}, "checks": [{"name", "ok", "detail"}]}.
// Everything outside "database" is the same for the same data on either backend.
nlohmann::json check_report_json(const CheckReport& report, const std::string& location);
// Human-readable lines, one per count and check.
std::string check_report_text(const CheckReport& report, const std::string& location);

}  // namespace pdex::store
