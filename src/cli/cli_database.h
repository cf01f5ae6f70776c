// How CLI commands open PDEX_DATABASE_URL: one connection with the schema migrated, every database failure a
// CommandError(kFailure) with the database's one-line message.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace pdex::cli {

std::unique_ptr<store::Database> open_migrated_database(const std::string& url);

}  // namespace pdex::cli
