#include "common/secure_random.h"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace pdex {

std::string to_hex(const void* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* p = static_cast<const unsigned char*>(data);
  std::string out(2 * size, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[p[i] >> 4];
    out[2 * i + 1] = kHex[p[i] & 15];
  }
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (bytes > 0 && RAND_bytes(buf.data(), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: no secure random bytes available");
  }
  return to_hex(buf.data(), buf.size());
}

}  // namespace pdex
