// The exact solver against hand-computed cases and against the engine itself (Monte Carlo), on the real
// roster. PDEX_EXACT_MC_N sets the engine battles per matchup (default 10^6 in release builds).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "battle/battle.h"
#include "battle/battle_test_support.h"
#include "battle/exact_odds_internal.h"
#include "battle/odds.h"
#include "dex/dex.h"

namespace pdex::battle {
namespace {

using testing::the_dex;

// Engine battles per matchup: PDEX_EXACT_MC_N, else 10^6 in optimised builds, fewer in debug and sanitizer
// builds (where the engine runs 10-50× slower).
std::int64_t mc_battles() {
#if defined(__SANITIZE_ADDRESS__)
  constexpr std::int64_t kDefault = 20'000;
#elif !defined(NDEBUG)
  constexpr std::int64_t kDefault = 100'000;
#else
  constexpr std::int64_t kDefault = 1'000'000;
#endif
  return testing::battles_from_env("PDEX_EXACT_MC_N", kDefault, 1000);
}

const dex::Species& species(const char* key) {
  const dex::Species* s = the_dex().find_species(key);
  if (s == nullptr) throw std::invalid_argument(std::string("no species ") + key);
  return *s;
}

const dex::Move* move(const char* key) {
  const dex::Move* m = the_dex().find_move(key);
  if (m == nullptr) throw std::invalid_argument(std::string("no move ") + key);
  return m;
}

BattleConfig one_move(const char* s1, const char* m1, const char* s2, const char* m2, int level1 = 50,
                      int level2 = 50) {
  BattleConfig c;
  c.side[0].species = &species(s1);
  c.side[0].moves = {move(m1)};
  c.side[0].policy = PolicyKind::Fixed;
  c.side[0].spread.level = level1;
  c.side[1].species = &species(s2);
  c.side[1].moves = {move(m2)};
  c.side[1].policy = PolicyKind::Fixed;
  c.side[1].spread.level = level2;
  return c;
}

Odds solve(const BattleConfig& c) {
  const auto why = exact_unsupported_reason(the_dex(), c);
  EXPECT_FALSE(why.has_value()) << *why;
  return exact_odds(the_dex(), c);
}

void expect_sums_to_one(const Odds& o) {
  EXPECT_NEAR(o.p1_win + o.p2_win + o.draw, 1.0, 1e-12);
  EXPECT_EQ(o.method, OddsMethod::Exact);
  EXPECT_EQ(o.n, 0);
}

// --- hand-checkable cases ------------------------------------------------------------------------------

TEST(ExactOdds, FasterGuaranteedOhkoWins) {
  // Level 100 Mewtwo's Earthquake (100 % accurate) on a level 5 Machamp: even the lowest roll kills, and
  // Mewtwo is faster.
  const Odds o = solve(one_move("mewtwo", "earthquake", "machamp", "brickbreak", 100, 5));
  EXPECT_DOUBLE_EQ(o.p1_win, 1.0);
  EXPECT_DOUBLE_EQ(o.p2_win, 0.0);
  expect_sums_to_one(o);
}

TEST(ExactOdds, SeismicTossMirrorIsACoinFlip) {
  // 325 HP each, 50 damage per toss: both need 7 hits; the speed tie of turn 7 decides.
  const Odds o = solve(one_move("chansey", "seismictoss", "chansey", "seismictoss"));
  EXPECT_DOUBLE_EQ(o.p1_win, 0.5);
  EXPECT_DOUBLE_EQ(o.p2_win, 0.5);
  expect_sums_to_one(o);
}

TEST(ExactOdds, FewerHitsNeededWinsWhateverTheOrder) {
  // Snorlax (235 HP) falls to the 5th toss, Chansey (325 HP) would need 7: Chansey wins.
  const Odds o = solve(one_move("chansey", "seismictoss", "snorlax", "seismictoss"));
  EXPECT_DOUBLE_EQ(o.p1_win, 1.0);
  expect_sums_to_one(o);
}

TEST(ExactOdds, ImmunityNeverDamages) {
  // Earthquake cannot touch Dragonite (Flying); three Dragon Rages (40) take Dugtrio's 110 HP.
  const Odds o = solve(one_move("dragonite", "dragonrage", "dugtrio", "earthquake"));
  EXPECT_DOUBLE_EQ(o.p1_win, 1.0);
  expect_sums_to_one(o);
}

TEST(ExactOdds, SelfKoUserLoses) {
  // Explosion faints its user first; the target faints last (or not at all) and wins.
  const Odds o = solve(one_move("electrode", "explosion", "snorlax", "tackle"));
  EXPECT_DOUBLE_EQ(o.p2_win, 1.0);
  expect_sums_to_one(o);
  // Mirror at equal speed: whoever explodes first loses.
  const Odds m = solve(one_move("golem", "explosion", "golem", "explosion"));
  EXPECT_DOUBLE_EQ(m.p1_win, 0.5);
  EXPECT_DOUBLE_EQ(m.p2_win, 0.5);
}

TEST(ExactOdds, TurnLimitGivesADraw) {
  // Night Shade cannot hit Snorlax (Normal), Seismic Toss cannot hit Gengar (Ghost): nothing happens until
  // the PP run out (24 and 32 turns), so a 10-turn limit is a certain draw.
  BattleConfig c = one_move("gengar", "nightshade", "snorlax", "seismictoss");
  c.turn_limit = 10;
  const Odds o = solve(c);
  EXPECT_DOUBLE_EQ(o.draw, 1.0);
  expect_sums_to_one(o);
}

TEST(ExactOdds, AccuracyOnlyBinomial) {
  // Dugtrio's Fissure (level 40 < 50) always fails, and its Struggle (from turn 9) kills Dugtrio by recoil
  // before it can KO Electrode. Electrode's Sonic Boom (90 %, 20 damage) needs 5 hits on 90 HP. So P(p1)
  // = 1, but the turn on which it happens is binomial: with an 8-turn limit, P(p1) = P(Bin(8, 0.9) >= 5).
  BattleConfig c = one_move("electrode", "sonicboom", "dugtrio", "fissure", 50, 40);
  c.turn_limit = 8;
  double expected = 0;
  for (int k = 5; k <= 8; ++k) {
    double binom = 1;
    for (int j = 0; j < k; ++j) binom = binom * (8 - j) / (j + 1);
    expected += binom * std::pow(0.9, k) * std::pow(0.1, 8 - k);
  }
  const Odds o = solve(c);
  EXPECT_NEAR(o.p1_win, expected, 1e-12);
  EXPECT_NEAR(o.draw, 1 - expected, 1e-12);
  c.turn_limit = 500;
  EXPECT_NEAR(solve(c).p1_win, 1.0, 1e-12);
}

// --- what the solver refuses ---------------------------------------------------------------------------

TEST(ExactOdds, NamesWhyABattleIsNotSolvable) {
  BattleConfig c = one_move("pikachu", "thunderwave", "snorlax", "tackle");
  auto why = exact_unsupported_reason(the_dex(), c);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("p1.moves[0]: Thunder Wave"), std::string::npos) << *why;
  EXPECT_THROW(exact_odds(the_dex(), c), std::invalid_argument);

  c = one_move("pikachu", "thunderbolt", "snorlax", "tackle");  // 10 % paralysis
  why = exact_unsupported_reason(the_dex(), c);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("secondary"), std::string::npos) << *why;

  c = one_move("arcanine", "flareblitz", "tauros", "tackle");  // recoil is fine, the 10 % burn is not
  why = exact_unsupported_reason(the_dex(), c);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("p1.moves[0]: Flare Blitz has a chance-based secondary effect"), std::string::npos) << *why;

  c = one_move("snorlax", "tackle", "tauros", "tackle");
  c.side[0].moves = {move("tackle"), move("hyperbeam")};
  c.side[0].policy = PolicyKind::Random;
  why = exact_unsupported_reason(the_dex(), c);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("p1.policy: random"), std::string::npos) << *why;
  // Fixed on a plain move, but once its PP run out the engine falls back to Hyper Beam: refused too.
  c.side[0].policy = PolicyKind::Fixed;
  why = exact_unsupported_reason(the_dex(), c);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("Hyper Beam"), std::string::npos) << *why;

  BattleConfig empty;  // bad input: named, never a crash
  why = exact_unsupported_reason(the_dex(), empty);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("p1.species"), std::string::npos) << *why;
  EXPECT_THROW(exact_odds(the_dex(), empty), std::invalid_argument);

  c.side[0].fixed_move_index = 7;
  why = exact_unsupported_reason(the_dex(), c);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("fixed_move_index"), std::string::npos) << *why;
}

TEST(ExactOdds, FasterRecoilUserThatKosWins) {
  // Level 100 Tauros' Double-Edge (100 % accurate) KOs a level 5 Tauros before it moves; the recoil is a
  // third of the few HP dealt, far from the user's HP.
  const Odds o = solve(one_move("tauros", "doubleedge", "tauros", "tackle", 100, 5));
  EXPECT_DOUBLE_EQ(o.p1_win, 1.0);
  expect_sums_to_one(o);
}

// --- against the engine ---------------------------------------------------------------------------------

// Small deterministic generator for picking matchups (independent of the engine's Rng).
struct Lcg {
  std::uint64_t s;
  std::uint32_t next(std::uint32_t n) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>((s >> 33) % n);
  }
};

// Hand-picked matchups that exercise each supported mechanism, then random solvable ones from the roster.
std::vector<BattleConfig> solvable_matchups(int random_count) {
  std::vector<BattleConfig> out = {
      one_move("pikachu", "quickattack", "jolteon", "doublekick"),   // priority vs multi-hit
      one_move("tauros", "earthquake", "tauros", "earthquake"),      // speed-tie mirror
      one_move("fearow", "drillpeck", "charizard", "dragonpulse"),   // equal speed
      one_move("dugtrio", "fissure", "golem", "earthquake"),         // OHKO
      one_move("kingler", "crabhammer", "gyarados", "surf"),         // high crit, 90 %
      one_move("gengar", "nightshade", "snorlax", "seismictoss"),    // both immune: PP, then Struggle
      one_move("electrode", "sonicboom", "pikachu", "seismictoss"),  // fixed damage
      one_move("cloyster", "iceshard", "dragonite", "earthquake"),   // priority, 4x
      one_move("chansey", "doubleslap", "electrode", "sonicboom"),   // 2-5 hits
      one_move("marowak", "bonemerang", "nidoking", "earthquake"),   // 2 hits
      one_move("golem", "selfdestruct", "onix", "rockthrow"),        // self-KO
      one_move("persian", "slash", "scyther", "slash"),              // high crit
      one_move("charizardmegax", "dragonpulse", "mewtwomegay", "earthquake", 60, 55),
      // Joint solver: recoil, drain, Super Fang.
      one_move("tauros", "doubleedge", "snorlax", "tackle"),
      one_move("golem", "takedown", "machamp", "submission"),
      one_move("eeveestarter", "takedown", "pikachustarter", "seismictoss"),
      one_move("parasect", "absorb", "kingler", "crabhammer"),
      one_move("gengar", "megadrain", "vaporeon", "surf"),
      one_move("raticate", "superfang", "persian", "slash"),
      one_move("tauros", "doubleedge", "tauros", "doubleedge"),
  };
  // Drop hand-picked entries whose moves have effects the solver refuses in this data (e.g. a flinch
  // chance), so the list stays honest if the data changes.
  std::erase_if(out, [](const BattleConfig& c) { return exact_unsupported_reason(the_dex(), c).has_value(); });

  const auto roster = the_dex().all_species();
  Lcg rng{12345};
  int guard = 0;
  int added = 0;
  while (added < random_count && guard++ < 100000) {
    BattleConfig c;
    for (int i = 0; i < 2; ++i) {
      const dex::Species& s = roster[rng.next(static_cast<std::uint32_t>(roster.size()))];
      const auto& usable = the_dex().usable_moves(s.id);
      if (usable.empty()) break;
      c.side[i].species = &s;
      c.side[i].policy = PolicyKind::Fixed;
      c.side[i].moves = {the_dex().move_by_id(usable[rng.next(static_cast<std::uint32_t>(usable.size()))])};
      // Every fourth matchup also gets a second move (the engine falls back to it after the first's PP).
      if (added % 4 == 3) {
        const dex::Move* second = the_dex().move_by_id(usable[rng.next(static_cast<std::uint32_t>(usable.size()))]);
        if (second != c.side[i].moves[0]) c.side[i].moves.push_back(second);
      }
      c.side[i].spread.level = added % 5 == 4 ? 20 + static_cast<int>(rng.next(81)) : 50;
    }
    if (c.side[0].species == nullptr || c.side[1].species == nullptr) continue;
    if (exact_unsupported_reason(the_dex(), c)) continue;
    // Keep mostly contested matchups (a certain outcome only checks that the engine never deviates).
    const double p1 = exact_odds(the_dex(), c).p1_win;
    if ((p1 < 0.03 || p1 > 0.97) && added % 6 != 5) continue;
    out.push_back(c);
    ++added;
  }
  return out;
}

// The matchups both engine-facing tests use (generated once).
const std::vector<BattleConfig>& test_matchups() {
  static const std::vector<BattleConfig> matchups = solvable_matchups(45);
  return matchups;
}

std::string describe(const BattleConfig& c) {
  std::string s;
  for (int i = 0; i < 2; ++i) {
    if (i) s += " vs ";
    s += c.side[i].species->showdown_id + "@" + std::to_string(c.side[i].spread.level) + "[";
    for (std::size_t k = 0; k < c.side[i].moves.size(); ++k) s += (k ? "," : "") + c.side[i].moves[k]->showdown_id;
    s += "]";
  }
  return s;
}

TEST(ExactOdds, FactorisedAndJointSolversAgree) {
  // The factorised algorithm rests on an independence argument; the joint DP makes no such assumption.
  int compared = 0;
  for (const BattleConfig& c : test_matchups()) {
    const Odds a = exact_odds(the_dex(), c);
    const Odds b = exact_odds_joint(the_dex(), c);
    EXPECT_NEAR(a.p1_win, b.p1_win, 1e-10) << describe(c);
    EXPECT_NEAR(a.p2_win, b.p2_win, 1e-10) << describe(c);
    EXPECT_NEAR(a.draw, b.draw, 1e-10) << describe(c);
    ++compared;
  }
  EXPECT_GE(compared, 50);
}

TEST(ExactOdds, AgreesWithTheEngineWithinFourStandardErrors) {
  const std::int64_t n = mc_battles();
  const auto& matchups = test_matchups();
  ASSERT_GE(matchups.size(), 50u);
  double worst_z = 0;
  std::string worst;
  int index = 0;
  for (const BattleConfig& c : matchups) {
    const Odds exact = exact_odds(the_dex(), c);
    expect_sums_to_one(exact);
    const Odds mc = monte_carlo_odds(the_dex(), c, n, 0xE6AC7ull + static_cast<std::uint64_t>(index++));
    const double observed[3] = {mc.p1_win, mc.p2_win, mc.draw};
    const double expected[3] = {exact.p1_win, exact.p2_win, exact.draw};
    for (int k = 0; k < 3; ++k) {
      const double p = expected[k];
      const double se = std::sqrt(std::max(p * (1 - p), 0.0) / static_cast<double>(n));
      const double diff = std::abs(observed[k] - p);
      // A certain (or impossible) outcome must be certain (impossible) in every sampled battle too.
      const double allowed = 4 * se + 1e-12;
      const double z = se > 0 ? diff / se : (diff > 1e-12 ? 1e9 : 0);
      if (z > worst_z) {
        worst_z = z;
        worst = describe(c);
      }
      EXPECT_LE(diff, allowed) << describe(c) << ": outcome " << k << " exact " << p << " engine " << observed[k]
                               << " (n " << n << ")";
    }
    std::cout << std::fixed << std::setprecision(5) << "  " << std::left << std::setw(64) << describe(c) << " exact "
              << exact.p1_win << "/" << exact.p2_win << "/" << exact.draw << "  engine " << mc.p1_win << "/"
              << mc.p2_win << "/" << mc.draw << "  states " << exact.states << "\n";
  }
  std::cout << matchups.size() << " matchups, " << n
            << " engine battles each; largest |exact - engine| / se = " << worst_z << " (" << worst << ")\n";
}

}  // namespace
}  // namespace pdex::battle
