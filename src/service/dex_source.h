// Where `pdex serve` gets the Dex: the database named by PDEX_DATABASE_URL when `pdex db import` filled it,
// else the data file PDEX_DEX_FILE (so a fresh checkout serves without a database step).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/settings.h"
#include "dex/dex.h"

namespace pdex::service {

struct LoadedDex {
  std::shared_ptr<const dex::Dex> dex;
  std::string source;                    // "database sqlite://var/pdex.sqlite" | "file data/lgpe-dex.json"
  std::optional<std::string> db_reason;  // why the database was not used, when it was not
};

// Throws std::runtime_error when neither source works, naming both reasons.
LoadedDex load_service_dex(const Settings& settings);

// nullopt when the database answers a trivial query, else a one-line reason (password masked).
std::optional<std::string> check_database(const std::string& url);

}  // namespace pdex::service
