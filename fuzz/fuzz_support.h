// What every fuzz target may use: the repository root (data/, docs/) and a small real model bundle. The
// in-process server of the route fuzzers is in fuzz_server.h.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace pdex::fuzz {

// $PDEX_SOURCE_DIR, else the source directory the fuzzers were configured from.
std::filesystem::path source_dir();

// A fresh directory under the system temp directory, unique to this process and `name`.
std::filesystem::path temp_dir(const std::string& name);

// Writes a tiny trained bundle (model.json, bundle.json) into `dir`.
void write_tiny_bundle(const std::filesystem::path& dir);

}  // namespace pdex::fuzz
