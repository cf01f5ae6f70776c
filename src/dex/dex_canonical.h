// The data file's `content` object (docs/data-format.md) rebuilt from DexData, and its SHA-256 over the
// canonical serialisation (nlohmann's dump(): keys sorted, no whitespace, UTF-8). For a DexData parsed from
// a file whose records hold only the fields DexData models, content_sha256_of(data) == data.content_sha256;
// fields the importer ignores (forward-compatible extras) are not part of the rebuilt content.
// Used by the store to prove that what it reads back is exactly what it was given.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "dex/dex_data.h"

namespace pdex::dex {

// Throws std::invalid_argument when a learnset row names a species or move id absent from `data`.
nlohmann::json dex_content_json(const DexData& data);
std::string content_sha256_of(const DexData& data);

}  // namespace pdex::dex
