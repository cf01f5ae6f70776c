// Whole battles against Pokémon Showdown: for every matchup of tests/fixtures/showdown-battles.json
// (scripts/ref-battles: 1000 battles each in Showdown's gen7letsgo simulator) the engine plays
// PDEX_REF_BATTLES seeded battles (default 10 000; lower it under sanitizers) with the same Pokémon, moves
// and policies, and its P1 win rate must agree with Showdown's.
//
// Test: two-sample z-test on the P1 win proportion with the pooled proportion p̄ = (x_e + x_s)/(n_e + n_s):
//   |p_e - p_s| <= 3.29 · sqrt(p̄ (1 - p̄) (1/n_e + 1/n_s))
// i.e. a two-sided 99.9 % acceptance region that accounts for the sampling error of both simulators. With
// ~90 matchups a correct engine still fails one with probability ≈ 9 %; every figure is printed so a
// borderline case can be told from a real disagreement (rerun Showdown with a larger --n to settle it).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <stdexcept>
#include <string>

#include "battle/battle_config.h"
#include "battle/battle_test_support.h"
#include "battle/odds.h"
#include "dex/dex.h"

namespace pdex::battle {
namespace {

using nlohmann::json;
using testing::source_dir;
using testing::the_dex;

constexpr double kZ999 = 3.2905267314919255;  // two-sided 99.9 %

// PDEX_REF_BATTLES, else 10 000 (2 000 under AddressSanitizer, where the engine is far slower).
std::int64_t engine_battles() {
#if defined(__SANITIZE_ADDRESS__)
  constexpr std::int64_t kDefault = 2'000;
#else
  constexpr std::int64_t kDefault = 10'000;
#endif
  return testing::battles_from_env("PDEX_REF_BATTLES", kDefault, 100);
}

json load_fixture() {
  const auto path = source_dir() / "tests/fixtures/showdown-battles.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string() + " (make it with scripts/ref-battles)");
  return json::parse(in);
}

// The engine's configuration for one side of a fixture matchup; throws naming the field on bad input.
PokemonConfig side_config(const json& side, const std::string& where) {
  PokemonConfig pc;
  const std::string sid = side.at("species").get<std::string>();
  pc.species = the_dex().find_species(sid);
  if (pc.species == nullptr) throw std::runtime_error(where + ".species: unknown " + sid);
  for (const json& m : side.at("moves")) {
    const dex::Move* move = the_dex().find_move(m.get<std::string>());
    if (move == nullptr) throw std::runtime_error(where + ".moves: unknown " + m.get<std::string>());
    pc.moves.push_back(move);
  }
  const std::string policy = side.at("policy").get<std::string>();
  const auto kind = parse_policy(policy);
  if (!kind || *kind == PolicyKind::Greedy) throw std::runtime_error(where + ".policy: unexpected " + policy);
  pc.policy = *kind;
  pc.fixed_move_index = 0;
  // Default spread: level 50, IVs 31, AVs 0, neutral nature — what the fixture's settings say.
  return pc;
}

TEST(ShowdownReference, EngineWinRatesMatchShowdown) {
  const json doc = load_fixture();
  ASSERT_EQ(doc.at("format").get<std::string>(), "predictiondex-showdown-battles");
  const json& settings = doc.at("settings");
  ASSERT_EQ(settings.at("level").get<int>(), 50);
  ASSERT_EQ(settings.at("ivs").get<int>(), 31);
  ASSERT_EQ(settings.at("avs").get<int>(), 0);
  const int turn_limit = settings.at("turn_limit").get<int>();
  const std::int64_t n_e = engine_battles();
  const json& matchups = doc.at("matchups");
  ASSERT_GE(matchups.size(), 60u);

  double largest_diff = 0, largest_z = 0;
  std::string largest_diff_key, largest_z_key;
  int failures = 0;
  std::cout << std::left << std::setw(36) << "matchup" << std::right << std::setw(10) << "showdown" << std::setw(10)
            << "engine" << std::setw(9) << "diff" << std::setw(9) << "allowed" << std::setw(7) << "z"
            << "\n";
  std::uint64_t seed = 0x5D0E;
  for (const json& m : matchups) {
    const std::string key = m.at("key").get<std::string>();
    BattleConfig config;
    config.side[0] = side_config(m.at("p1"), key + ".p1");
    config.side[1] = side_config(m.at("p2"), key + ".p2");
    config.turn_limit = turn_limit;
    if (auto bad = validate_config(the_dex(), config)) {
      ADD_FAILURE() << key << ": the engine cannot run this Showdown matchup: " << *bad;
      ++failures;
      continue;
    }
    const std::int64_t n_s = m.at("n").get<std::int64_t>();
    const std::int64_t x_s = m.at("p1_wins").get<std::int64_t>();
    const Odds odds = monte_carlo_odds(the_dex(), config, n_e, seed++);
    const double p_s = static_cast<double>(x_s) / static_cast<double>(n_s);
    const double p_e = odds.p1_win;
    const double x_e = p_e * static_cast<double>(n_e);
    const double pooled = (x_e + static_cast<double>(x_s)) / static_cast<double>(n_e + n_s);
    const double se =
        std::sqrt(pooled * (1 - pooled) * (1.0 / static_cast<double>(n_e) + 1.0 / static_cast<double>(n_s)));
    const double allowed = kZ999 * se;
    const double diff = std::abs(p_e - p_s);
    const double z = se > 0 ? diff / se : (diff > 0 ? INFINITY : 0.0);
    const bool ok = diff <= allowed + 1e-12;
    if (diff > largest_diff) {
      largest_diff = diff;
      largest_diff_key = key;
    }
    if (z > largest_z) {
      largest_z = z;
      largest_z_key = key;
    }
    std::cout << std::left << std::setw(36) << key << std::right << std::fixed << std::setprecision(4) << std::setw(10)
              << p_s << std::setw(10) << p_e << std::setw(9) << diff << std::setw(9) << allowed << std::setprecision(2)
              << std::setw(7) << z << (ok ? "" : "   <-- FAIL") << "\n";
    if (!ok) {
      ++failures;
      ADD_FAILURE() << key << ": engine P1 win rate " << p_e << " (n " << n_e << ") vs Showdown " << p_s << " (n "
                    << n_s << "): |diff| " << diff << " > " << allowed << " (z " << z << ")";
    }
  }
  std::cout << matchups.size() << " matchups, engine " << n_e << " battles each; largest |diff| "
            << std::setprecision(4) << largest_diff << " (" << largest_diff_key << "), largest z "
            << std::setprecision(2) << largest_z << " (" << largest_z_key << "), " << failures
            << " outside the 99.9 % region\n";
}

// Where the exact solver applies, Showdown's own counts must fit the exact probability: one-sample test
// |p_s - p| <= 3.29 · sqrt(p (1 - p) / n_s) (a certain outcome must be certain in Showdown too).
TEST(ShowdownReference, ExactOddsMatchShowdown) {
  const json doc = load_fixture();
  const int turn_limit = doc.at("settings").at("turn_limit").get<int>();
  int solvable = 0;
  for (const json& m : doc.at("matchups")) {
    const std::string key = m.at("key").get<std::string>();
    BattleConfig config;
    config.side[0] = side_config(m.at("p1"), key + ".p1");
    config.side[1] = side_config(m.at("p2"), key + ".p2");
    config.turn_limit = turn_limit;
    if (exact_unsupported_reason(the_dex(), config)) continue;
    ++solvable;
    const Odds exact = exact_odds(the_dex(), config);
    const double n_s = m.at("n").get<double>();
    const double p_s = m.at("p1_wins").get<double>() / n_s;
    const double allowed = kZ999 * std::sqrt(exact.p1_win * (1 - exact.p1_win) / n_s) + 1e-12;
    std::cout << std::left << std::setw(36) << key << std::right << std::fixed << std::setprecision(4) << " showdown "
              << p_s << "  exact " << exact.p1_win << "  allowed " << allowed << "\n";
    EXPECT_LE(std::abs(p_s - exact.p1_win), allowed)
        << key << ": Showdown P1 " << p_s << " (n " << n_s << ") vs exact " << exact.p1_win;
  }
  std::cout << solvable << " fixture matchups solvable exactly\n";
  EXPECT_GE(solvable, 10);
}

}  // namespace
}  // namespace pdex::battle
