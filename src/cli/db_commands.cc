// `pdex db init|import|check`: the database that holds the game data (SQLite file by default, or
// PostgreSQL), named by PDEX_DATABASE_URL.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "common/settings.h"
#include "dex/dex_json.h"
#include "store/database.h"
#include "store/dex_check.h"
#include "store/dex_repository.h"
#include "store/migrations.h"

namespace pdex::cli {
namespace {

constexpr const char* kDatabaseFooter =
    "The database is PDEX_DATABASE_URL: sqlite://PATH (default sqlite://$PDEX_DATA_DIR/pdex.sqlite, PDEX_DATA_DIR\n"
    "defaults to ./var) or postgresql://user:pass@host:port/dbname. Passwords are never printed.\n";

Settings settings() {
  try {
    return Settings::from_environment();
  } catch (const std::invalid_argument& e) {
    throw CommandError(kFailure, e.what());
  }
}

// Opens and migrates; every database failure becomes exit code 1 with one line.
std::unique_ptr<store::Database> open(const Settings& s, bool migrate, store::MigrationResult* migration = nullptr) {
  try {
    auto db = std::make_unique<store::Database>(s.database_url);
    if (migrate) {
      const auto m = store::migrate(db->session());
      if (migration != nullptr) *migration = m;
    }
    return db;
  } catch (const store::DatabaseError& e) {
    throw CommandError(kFailure, e.what());
  }
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", s);
  return buf;
}

std::string counts_line(const store::DexCounts& c) {
  return std::to_string(c.types) + " types, " + std::to_string(c.chart_rows) + " type chart rows, " +
         std::to_string(c.species) + " species, " + std::to_string(c.moves) + " moves (" +
         std::to_string(c.damaging_moves) + " damaging, " + std::to_string(c.status_moves) + " status), " +
         std::to_string(c.learnset_rows) + " learnset rows (" + std::to_string(c.species_move_pairs) +
         " species-move pairs), " + std::to_string(c.evolutions) + " evolutions, " + std::to_string(c.mega_evolutions) +
         " mega evolutions";
}

void run_init() {
  const Settings s = settings();
  store::MigrationResult m;
  auto db = open(s, /*migrate=*/true, &m);
  std::cout << "Database: " << db->location() << " (" << store::backend_name(db->backend()) << ")\n";
  if (m.before == m.after) {
    std::cout << "Schema version " << m.after << ", already up to date.\n";
  } else {
    std::cout << "Schema version " << m.after << " (migrated from " << m.before << ").\n";
  }
}

void run_import(const std::string& file_option) {
  const Settings s = settings();
  const std::filesystem::path file = file_option.empty() ? s.dex_file : std::filesystem::path(file_option);
  const auto start = std::chrono::steady_clock::now();
  dex::DexData data;
  try {
    data = dex::load_dex_json(file);
  } catch (const dex::DataError& e) {
    throw CommandError(kInvalidData, e.what());
  }
  const double parse_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto db = open(s, /*migrate=*/true);
  std::cout << "Database: " << db->location() << " (" << store::backend_name(db->backend()) << ", schema version "
            << store::latest_schema_version() << ")\n";
  std::cout << "Read " << file.string() << " in " << seconds(parse_seconds) << " (content sha256 "
            << data.content_sha256 << ")\n";
  store::ImportResult r;
  try {
    r = store::import_dex(db->session(), data);
  } catch (const store::DatabaseError& e) {
    throw CommandError(kFailure, std::string(e.what()) + " (database unchanged)");
  }
  if (!r.changed) {
    std::cout << "Database already up to date, nothing changed (" << counts_line(r.counts) << ").\n";
    return;
  }
  std::cout << "Imported " << counts_line(r.counts) << " in " << seconds(r.seconds) << ".\n";
}

void run_check(bool json) {
  const Settings s = settings();
  auto db = open(s, /*migrate=*/false);
  store::CheckReport report;
  try {
    report = store::check_dex(db->session());
  } catch (const store::DatabaseError& e) {
    throw CommandError(kFailure, e.what());
  }
  if (json) {
    std::cout << store::check_report_json(report, db->location()).dump(2) << "\n";
  } else {
    std::cout << store::check_report_text(report, db->location());
  }
  if (!report.ok()) {
    std::string failed;
    for (const auto* list : {&report.checks, &report.backend_checks}) {
      for (const auto& c : *list) {
        if (!c.ok) failed += (failed.empty() ? "" : ", ") + c.name + " (" + c.detail + ")";
      }
    }
    throw CommandError(kInvalidData, "database check failed: " + failed);
  }
}

}  // namespace

void add_db_commands(CLI::App& app) {
  CLI::App* db = app.add_subcommand("db", "Create, fill and check the database (SQLite file or PostgreSQL).");
  db->require_subcommand(1);
  db->footer(kDatabaseFooter);

  CLI::App* init = db->add_subcommand(
      "init", "Create the schema or migrate it to the latest version; prints the database and the schema version.");
  init->footer(kDatabaseFooter);
  init->callback(run_init);

  auto file = std::make_shared<std::string>();
  CLI::App* import = db->add_subcommand(
      "import",
      "Validate the data file and import it in one transaction (creating the schema if needed). Running it again\n"
      "with the same content changes nothing. Invalid data: one line naming file, record and field, exit code 3,\n"
      "database untouched.");
  import->add_option("FILE", *file, "Data file (default: PDEX_DEX_FILE, or data/lgpe-dex.json)");
  import->footer(kDatabaseFooter);
  import->callback([file] { run_import(*file);
});

auto json = std::make_shared<bool>(false);
CLI::App* check = db->add_subcommand(
    "check",
    "Count what the database holds and verify it: schema version, 18 types, 324 chart rows, 188 species, a\n"
    "re-hash of everything read back, and the backend's integrity checks. Exit code 3 if a check fails.");
check->add_flag("--json", *json, "Print the report as JSON");
check->footer(kDatabaseFooter);
check->callback([json] { run_check(*json); });
}  // namespace pdex::cli

}  // namespace pdex::cli
