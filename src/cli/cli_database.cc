#include "cli/cli_database.h"

#include "cli/command.h"
#include "store/migrations.h"

namespace pdex::cli {

std::unique_ptr<store::Database> open_migrated_database(const std::string& url) {
  try {
    auto db = std::make_unique<store::Database>(url);
    store::migrate(db->session());
    return db;
  } catch (const store::DatabaseError& e) {
    throw CommandError(kFailure, e.what());
  }
}

}  // namespace pdex::cli
