#include "store/dex_check.h"

#include <sstream>

#include "dex/dex_canonical.h"
#include "store/database.h"
#include "store/migrations.h"

namespace pdex::store {
namespace {

CheckResult count_check(const char* name, const char* what, int found, int expected) {
  return {name, found == expected,
          std::to_string(found) + " " + what + (found == expected ? "" : ", expected " + std::to_string(expected))};
}

// Runs `f`, turning any error into a failed check: check_dex reports, it does not abort.
template <class F>
CheckResult guarded(const char* name, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return {name, false, one_line(e.what())};
  }
}

void sqlite_checks(soci::session& sql, std::vector<CheckResult>& out) {
  out.push_back(guarded("sqlite_integrity_check", [&] {
    std::vector<std::string> lines(100);
    sql << "SELECT integrity_check FROM pragma_integrity_check", soci::into(lines);
    const bool ok = lines.size() == 1 && lines[0] == "ok";
    std::string detail = "PRAGMA integrity_check:";
    for (std::size_t i = 0; i < lines.size() && i < 3; ++i) detail += " " + lines[i];
    return CheckResult{"sqlite_integrity_check", ok, detail};
  }));
  out.push_back(guarded("sqlite_foreign_key_check", [&] {
    int violations = 0;
    sql << "SELECT COUNT(*) FROM pragma_foreign_key_check", soci::into(violations);
    int enabled = 0;
    sql << "PRAGMA foreign_keys", soci::into(enabled);
    return CheckResult{"sqlite_foreign_key_check", violations == 0 && enabled == 1,
                       "PRAGMA foreign_key_check: " + std::to_string(violations) +
                           " violations; foreign_keys=" + (enabled == 1 ? "ON" : "OFF")};
  }));
}

void postgresql_checks(soci::session& sql, std::vector<CheckResult>& out) {
  out.push_back(guarded("postgresql_foreign_keys_validated", [&] {
    int total = 0, not_validated = 0;
    sql << "SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.convalidated THEN 0 ELSE 1 END), 0) FROM pg_constraint c "
           "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() AND c.contype = 'f'",
        soci::into(total), soci::into(not_validated);
    return CheckResult{"postgresql_foreign_keys_validated", total > 0 && not_validated == 0,
                       std::to_string(total) + " foreign keys, " + std::to_string(not_validated) + " not validated"};
  }));
}

}  // namespace

bool CheckReport::ok() const {
  for (const auto& c : checks) {
    if (!c.ok) return false;
  }
  for (const auto& c : backend_checks) {
    if (!c.ok) return false;
  }
  return true;
}

CheckReport check_dex(soci::session& sql) {
  CheckReport r;
  r.backend = std::string(backend_name(backend_of(sql)));
  r.expected_schema_version = latest_schema_version();
  r.schema_version = schema_version(sql);  // DatabaseError here means the connection itself is unusable
  r.checks.push_back({"schema_version", r.schema_version == r.expected_schema_version,
                      "version " + std::to_string(r.schema_version) +
                          (r.schema_version == r.expected_schema_version
                               ? ""
                               : ", expected " + std::to_string(r.expected_schema_version) + " (run `pdex db init`)")});
  if (r.schema_version == 0) return r;

  std::optional<DexMeta> meta;
  r.checks.push_back(guarded("imported", [&] {
    meta = stored_dex_meta(sql);
    return CheckResult{"imported", meta.has_value(),
                       meta ? "content " + meta->content_sha256 : "no dex imported (run `pdex db import`)"};
  }));
  if (meta) {
    r.imported_at = meta->imported_at;
    r.content_sha256 = meta->content_sha256;
  }
  try {
    r.counts = count_stored_dex(sql);
  } catch (const std::exception& e) {
    r.checks.push_back({"counts", false, one_line(e.what())});
  }
  r.checks.push_back(count_check("types", "types", r.counts.types, kExpectedTypes));
  r.checks.push_back(count_check("type_chart", "type chart rows", r.counts.chart_rows, kExpectedChartRows));
  r.checks.push_back(count_check("species", "species", r.counts.species, kExpectedSpecies));
  r.checks.push_back(guarded("species_typed", [&] {
    int untyped = 0;
    sql << "SELECT COUNT(*) FROM pokemon WHERE id NOT IN (SELECT pokemon_id FROM pokemon_types WHERE slot = 1)",
        soci::into(untyped);
    return CheckResult{"species_typed", untyped == 0, std::to_string(untyped) + " species without a first type"};
  }));
  if (meta) {
    r.checks.push_back(guarded("data_hash", [&] {
      const dex::DexData data = load_dex(sql);
      r.data_sha256 = dex::content_sha256_of(data);
      const bool ok = *r.data_sha256 == meta->data_sha256;
      return CheckResult{"data_hash", ok,
                         ok ? "everything read back hashes to the value stored at import (" + *r.data_sha256 + ")"
                            : "read back hashes to " + *r.data_sha256 + ", stored at import " + meta->data_sha256};
    }));
    if (r.data_sha256) {
      // Holds while DexData models every field of the file: then the database reproduces the file's hash.
      const bool same = *r.data_sha256 == meta->content_sha256;
      r.checks.push_back({"content_hash", same,
                          same ? "read back reproduces the data file's content_sha256"
                               : "read back hashes to " + *r.data_sha256 + ", the data file's content_sha256 is " +
                                     meta->content_sha256});
    }
  }

  if (r.backend == "sqlite") {
    sqlite_checks(sql, r.backend_checks);
  } else {
    postgresql_checks(sql, r.backend_checks);
  }
  return r;
}

nlohmann::json check_report_json(const CheckReport& r, const std::string& location) {
  using nlohmann::json;
  auto results = [](const std::vector<CheckResult>& v) {
    json a = json::array();
    for (const auto& c : v) a.push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
    return a;
  };
  auto or_null = [](const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); };
  const DexCounts& c = r.counts;
  return {{"ok", r.ok()},
          {"database",
           {{"backend", r.backend},
            {"location", location},
            {"imported_at", or_null(r.imported_at)},
            {"backend_checks", results(r.backend_checks)}}},
          {"schema_version", r.schema_version},
          {"content_sha256", or_null(r.content_sha256)},
          {"data_sha256", or_null(r.data_sha256)},
          {"counts",
           {{"types", c.types},
            {"type_chart_rows", c.chart_rows},
            {"species", c.species},
            {"moves", c.moves},
            {"moves_damaging", c.damaging_moves},
            {"moves_status", c.status_moves},
            {"learnset_rows", c.learnset_rows},
            {"species_move_pairs", c.species_move_pairs},
            {"evolutions", c.evolutions},
            {"mega_evolutions", c.mega_evolutions}}},
          {"checks", results(r.checks)}};
}

std::string check_report_text(const CheckReport& r, const std::string& location) {
  std::ostringstream out;
  const DexCounts& c = r.counts;
  out << "Database: " << location << " (" << r.backend << ", schema version " << r.schema_version << ")\n";
  if (r.imported_at)
    out << "Imported: " << *r.imported_at << ", content sha256 " << r.content_sha256.value_or("") << "\n";
  out << "Counts: " << c.types << " types, " << c.chart_rows << " type chart rows, " << c.species << " species, "
      << c.moves << " moves (" << c.damaging_moves << " damaging, " << c.status_moves << " status), " << c.learnset_rows
      << " learnset rows (" << c.species_move_pairs << " species-move pairs), " << c.evolutions << " evolutions, "
      << c.mega_evolutions << " mega evolutions\n";
  for (const auto* list : {&r.checks, &r.backend_checks}) {
    for (const auto& check : *list) {
      out << (check.ok ? "  ok    " : "  FAIL  ") << check.name << ": " << check.detail << "\n";
    }
  }
  out << (r.ok() ? "All checks passed." : "Some checks FAILED.") << "\n";
  return out.str();
}

}  // namespace pdex::store
