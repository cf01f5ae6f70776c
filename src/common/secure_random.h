// Cryptographically secure random tokens (OpenSSL RAND_bytes): API key secrets, session ids, prediction ids.
#pragma once

#include <cstddef>
#include <string>

namespace pdex {

// `bytes` random bytes as 2*bytes lowercase hex digits. Throws std::runtime_error if OpenSSL's generator
// fails (it never silently falls back to a weaker source).
std::string random_hex(std::size_t bytes);

// Lowercase hex of arbitrary bytes.
std::string to_hex(const void* data, std::size_t size);

}  // namespace pdex
