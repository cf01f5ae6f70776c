// The one place CLI commands get the Dex from: the data file named by PDEX_DEX_FILE (default
// data/lgpe-dex.json), loaded once per process and shared read-only.
#pragma once

#include "common/settings.h"
#include "dex/dex.h"

namespace pdex::cli {

// Loads on first call (thread safe); later calls return the same Dex. Throws CommandError: kFailure
// for a malformed environment, kInvalidData (the importer's one-line message) for a bad data file.
const dex::Dex& load_dex_for_cli();

// Settings::from_environment with errors as CommandError(kFailure).
Settings settings_for_cli();

}  // namespace pdex::cli
