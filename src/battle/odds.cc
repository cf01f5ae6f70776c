#include "battle/odds.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <thread>
#include <vector>

#include "battle/battle.h"

namespace pdex::battle {

std::string_view odds_method_name(OddsMethod m) {
  switch (m) {
    case OddsMethod::Auto:
      return "auto";
    case OddsMethod::Exact:
      return "exact";
    case OddsMethod::MonteCarlo:
      return "mc";
  }
  return "?";
}

std::optional<OddsMethod> parse_odds_method(std::string_view s) {
  if (s == "auto") return OddsMethod::Auto;
  if (s == "exact") return OddsMethod::Exact;
  if (s == "mc") return OddsMethod::MonteCarlo;
  return std::nullopt;
}

namespace {

// Battles per chunk; chunk k always runs with the k-th seed derived from the user's seed, so results do
// not depend on how many threads share the chunks.
constexpr std::int64_t kChunk = 4096;

struct Tally {
  std::int64_t wins[3] = {0, 0, 0};  // [draw, p1, p2]
};

// 99 % Wilson score interval for a binomial proportion.
void wilson99(std::int64_t successes, std::int64_t n, double* low, double* high) {
  if (n <= 0) {
    *low = 0;
    *high = 1;
    return;
  }
  constexpr double z = 2.5758293035489004;
  const double p = static_cast<double>(successes) / static_cast<double>(n);
  const double nn = static_cast<double>(n);
  const double denom = 1 + z * z / nn;
  const double center = (p + z * z / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  *low = std::max(0.0, center - half);
  *high = std::min(1.0, center + half);
}

}  // namespace

Odds monte_carlo_odds(const dex::Dex& dex, const BattleConfig& config, std::int64_t n, std::uint64_t seed) {
  if (n <= 0) throw std::invalid_argument("n: must be positive, got " + std::to_string(n));
  const BattleSetup setup(dex, config);
  const std::int64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<Tally> per_chunk(static_cast<std::size_t>(chunks));
  std::atomic<std::int64_t> next{0};
  auto worker = [&] {
    BattleRunner runner(setup);
    Rng rng;
    for (;;) {
      const std::int64_t c = next.fetch_add(1);
      if (c >= chunks) break;
      std::uint64_t sm = seed ^ (0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(c + 1));
      rng.reseed(splitmix64(sm));
      const std::int64_t count = std::min(kChunk, n - c * kChunk);
      Tally& t = per_chunk[static_cast<std::size_t>(c)];
      for (std::int64_t i = 0; i < count; ++i) t.wins[runner.run(rng).winner]++;
    }
  };
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const unsigned threads = static_cast<unsigned>(std::min<std::int64_t>(hw, chunks));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();

  Tally total;
  for (const Tally& t : per_chunk) {
    for (int k = 0; k < 3; ++k) total.wins[k] += t.wins[k];
  }
  Odds odds;
  odds.method = OddsMethod::MonteCarlo;
  odds.n = n;
  const double nn = static_cast<double>(n);
  odds.draw = static_cast<double>(total.wins[0]) / nn;
  odds.p1_win = static_cast<double>(total.wins[1]) / nn;
  odds.p2_win = static_cast<double>(total.wins[2]) / nn;
  wilson99(total.wins[1], n, &odds.p1_ci99_low, &odds.p1_ci99_high);
  return odds;
}

Odds compute_odds(const dex::Dex& dex, const BattleConfig& config, OddsMethod method, std::int64_t n,
                  std::uint64_t seed) {
  if (auto bad = validate_config(dex, config)) throw std::invalid_argument(*bad);
  switch (method) {
    case OddsMethod::Exact:
      if (auto why = exact_unsupported_reason(dex, config)) {
        throw std::invalid_argument("method exact: not applicable: " + *why);
      }
      return exact_odds(dex, config);
    case OddsMethod::Auto:
      if (!exact_unsupported_reason(dex, config)) return exact_odds(dex, config);
      return monte_carlo_odds(dex, config, n, seed);
    case OddsMethod::MonteCarlo:
      return monte_carlo_odds(dex, config, n, seed);
  }
  return monte_carlo_odds(dex, config, n, seed);
}

}  // namespace pdex::battle
