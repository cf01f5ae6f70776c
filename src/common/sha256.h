// SHA-256 (OpenSSL EVP), as lowercase hex.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace pdex {

std::string sha256_hex(std::string_view bytes);
// Throws std::runtime_error naming the path when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace pdex
