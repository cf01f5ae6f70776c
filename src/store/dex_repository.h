// Writing the game data (dex::DexData) into the database and reading it back. The schema is the one of
// migrations.cc; the caller migrates first. load_dex(import_dex(x)) == x for any data that passed
// dex::parse_dex_json's validation.
#pragma once

#include <soci/soci.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "dex/dex_data.h"

namespace pdex::store {

// What a dex holds, counted the same way for in-memory data and for stored rows.
struct DexCounts {
  int types = 0;
  int chart_rows = 0;
  int species = 0;
  int moves = 0;
  int damaging_moves = 0;
  int status_moves = 0;
  int learnset_rows = 0;
  int species_move_pairs = 0;  // distinct (species, move)
  int evolutions = 0;
  int mega_evolutions = 0;
  bool operator==(const DexCounts&) const = default;
};

DexCounts count_dex(const dex::DexData& data);
DexCounts count_stored_dex(soci::session& sql);  // by SQL COUNT over the tables

struct ImportOptions {
  // Test seam: called inside the transaction after each table is written, with the table's name.
  // Throwing from it aborts the import like any database error would.
  std::function<void(std::string_view table)> after_table;
};

struct ImportResult {
  bool changed = false;                        // false: the stored data already had this content hash
  std::optional<std::string> previous_sha256;  // stored before the import, if any
  std::string content_sha256;
  DexCounts counts;    // of the data now stored
  double seconds = 0;  // wall time of the transaction
};

// In one transaction: if the stored content hash equals data.content_sha256, changes nothing; otherwise
// deletes every dex row and inserts `data` (prepared bulk inserts), then commits. On any failure the
// transaction is rolled back, so the database is exactly as before, and DatabaseError is thrown naming
// the table (and record, when known). Precondition: the schema is migrated; data is valid (a reference
// to a species or type that `data` lacks is reported as DatabaseError, not undefined behaviour).
ImportResult import_dex(soci::session& sql, const dex::DexData& data, const ImportOptions& options = {});

// The dex_meta row: which content is stored and when it came.
struct DexMeta {
  std::string content_sha256;  // the data file's content_sha256
  std::string data_sha256;     // dex::content_sha256_of(data) at import, for re-checking what is read back
  std::string imported_at;     // ISO 8601 UTC
  std::string imported_by;     // "pdex 0.1.0"
};
// nullopt when nothing was imported yet.
std::optional<DexMeta> stored_dex_meta(soci::session& sql);

// Reads the whole dex back, in the data file's order, from one consistent snapshot. Throws
// DatabaseError if nothing was imported or a stored row cannot be represented (unknown type name...).
dex::DexData load_dex(soci::session& sql);

}  // namespace pdex::store
