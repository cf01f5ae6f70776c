// The engine's random source: xoshiro256** seeded through splitmix64. Fast, small, reproducible across
// platforms for a given seed. Draws follow Showdown's PRNG interface (random(n), randomChance(num, den),
// sample) so the engine's probabilities are exact rationals like the simulator's.
#pragma once

#include <cstdint>

namespace pdex::battle {

// splitmix64 step: also used to derive independent per-chunk seeds from one user seed.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) { reseed(seed); }

  void reseed(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform integer in [0, n), n >= 1 (multiply-shift on 32 bits; bias below 2^-32 · n, far below
  // anything Monte Carlo can see).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  // Showdown's random(m, n): uniform integer in [m, n).
  int range(int m, int n) { return m + static_cast<int>(below(static_cast<std::uint32_t>(n - m))); }
  // Showdown's randomChance(num, den): true with probability num/den exactly (up to the generator).
  bool chance(int num, int den) { return static_cast<int>(below(static_cast<std::uint32_t>(den))) < num; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace pdex::battle
