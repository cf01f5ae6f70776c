#include "battle/battle.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "battle/move_support.h"
#include "battle/odds.h"
#include "battle/policy.h"
#include "dex/dex_json.h"

namespace pdex::battle {
namespace {

const dex::Dex& test_dex() {
  static const std::unique_ptr<dex::Dex> dex = std::make_unique<dex::Dex>(dex::load_dex_json("data/lgpe-dex.json"));
  return *dex;
}

PokemonConfig side(const std::string& species, std::initializer_list<const char*> moves, int level = 50,
                   PolicyKind policy = PolicyKind::Fixed) {
  const dex::Dex& dex = test_dex();
  PokemonConfig pc;
  pc.species = dex.find_species(species);
  EXPECT_NE(pc.species, nullptr) << species;
  for (const char* m : moves) {
    const dex::Move* move = dex.find_move(m);
    EXPECT_NE(move, nullptr) << m;
    pc.moves.push_back(move);
  }
  pc.spread.level = level;
  pc.policy = policy;
  return pc;
}

BattleConfig config(PokemonConfig a, PokemonConfig b, int turn_limit = 500) {
  BattleConfig c;
  c.side[0] = std::move(a);
  c.side[1] = std::move(b);
  c.turn_limit = turn_limit;
  return c;
}

std::string text_of(const EventLog& log) {
  std::string out;
  for (const Event& e : log.events) out += std::to_string(e.turn) + " " + describe(log, e) + "\n";
  return out;
}

TEST(Battle, SameSeedSameBattle) {
  const BattleConfig c = config(side("pikachu", {"thunderbolt", "quickattack"}, 50, PolicyKind::Random),
                                side("charizard", {"flamethrower", "slash"}, 50, PolicyKind::Random));
  for (std::uint64_t seed : {1u, 2u, 99u}) {
    Rng r1(seed), r2(seed);
    EventLog l1, l2;
    const BattleResult a = run_battle(test_dex(), c, r1, &l1);
    const BattleResult b = run_battle(test_dex(), c, r2, &l2);
    EXPECT_EQ(a.winner, b.winner);
    EXPECT_EQ(a.turns, b.turns);
    EXPECT_EQ(text_of(l1), text_of(l2));
  }
}

TEST(Battle, LoggingDoesNotChangeTheOutcome) {
  const BattleConfig c = config(side("snorlax", {"bodyslam"}), side("tauros", {"doubleedge"}));
  BattleSetup setup(test_dex(), c);
  BattleRunner runner(setup);
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    Rng r1(seed), r2(seed);
    EventLog log;
    const BattleResult a = runner.run(r1);
    const BattleResult b = runner.run(r2, &log);
    EXPECT_EQ(a.winner, b.winner);
    EXPECT_EQ(a.turns, b.turns);
  }
}

TEST(Battle, ParalysisHalvesSpeedForMoveOrder) {
  // Pikachu (Spe 112) paralyzes Starmie (Spe 136 -> 68): from then on Pikachu moves first.
  const BattleConfig c =
      config(side("pikachu", {"thunderwave", "thundershock"}, 50, PolicyKind::Random), side("starmie", {"tackle"}));
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    Rng rng(seed);
    EventLog log;
    run_battle(test_dex(), c, rng, &log);
    bool paralyzed = false;
    int first_mover_turn = -1;
    for (const Event& e : log.events) {
      if (e.kind == EventKind::Status && e.side == 1 && e.detail == "par") paralyzed = true;
      if (e.kind == EventKind::Turn) first_mover_turn = -1;
      if ((e.kind == EventKind::Move || e.kind == EventKind::Cant) && first_mover_turn == -1) {
        first_mover_turn = e.side;
        if (paralyzed && e.turn > 1) {
          EXPECT_EQ(e.side, 0) << "turn " << e.turn << " seed " << seed;
        }
      }
    }
  }
}

TEST(Battle, ProtectBlocksAndConsecutiveUseUsuallyFails) {
  const BattleConfig c = config(side("chansey", {"protect"}), side("snorlax", {"tackle"}), 2);
  int second_success = 0;
  const int runs = 3000;
  for (int seed = 0; seed < runs; ++seed) {
    Rng rng(static_cast<std::uint64_t>(seed));
    EventLog log;
    run_battle(test_dex(), c, rng, &log);
    int protected_turn1 = 0;
    for (const Event& e : log.events) {
      if (e.kind == EventKind::Protected && e.turn == 1) ++protected_turn1;
      if (e.kind == EventKind::Protected && e.turn == 2) ++second_success;
    }
    EXPECT_EQ(protected_turn1, 1);
  }
  EXPECT_NEAR(second_success / static_cast<double>(runs), 1.0 / 3.0, 0.035);
}

TEST(Battle, HyperBeamUserRechargesNextTurn) {
  const BattleConfig c = config(side("snorlax", {"hyperbeam"}), side("chansey", {"splash"}), 3);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Rng rng(seed);
    EventLog log;
    run_battle(test_dex(), c, rng, &log);
    bool hit_turn1 = false, recharge_turn2 = false;
    for (const Event& e : log.events) {
      if (e.kind == EventKind::Damage && e.turn == 1 && e.side == 1) hit_turn1 = true;
      if (e.kind == EventKind::Cant && e.turn == 2 && e.side == 0 && e.detail == "recharge") recharge_turn2 = true;
    }
    EXPECT_EQ(hit_turn1, recharge_turn2) << "seed " << seed;
  }
}

TEST(Battle, ExplosionDoubleKoGoesToTheTarget) {
  // Electrode explodes, both faint; Showdown's checkWin gives the win to the side that fainted last.
  const BattleConfig c = config(side("electrode", {"explosion"}), side("caterpie", {"tackle"}, 5));
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Rng rng(seed);
    const BattleResult r = run_battle(test_dex(), c, rng);
    EXPECT_EQ(r.winner, 2);
    EXPECT_EQ(r.turns, 1);
  }
}

TEST(Battle, RecoilDoubleKoGoesToTheAttacker) {
  // The target faints first, then the recoil KOs the attacker: the attacker fainted last and wins.
  PokemonConfig tauros = side("tauros", {"doubleedge"});
  BattleConfig c = config(tauros, side("caterpie", {"tackle"}, 40));
  int attacker_wins_double_ko = 0;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    Rng rng(seed);
    EventLog log;
    const BattleResult r = run_battle(test_dex(), c, rng, &log);
    int faints = 0;
    for (const Event& e : log.events) faints += e.kind == EventKind::Faint;
    if (faints == 2) {
      EXPECT_EQ(r.winner, 1);
      ++attacker_wins_double_ko;
    }
  }
  (void)attacker_wins_double_ko;
}

TEST(Battle, StruggleOnlyAfterEveryMoveIsOutOfPp) {
  // Splash has 40 PP (64 with PP Ups): turn 65 is the first Struggle.
  const BattleConfig c = config(side("chansey", {"splash"}), side("chansey", {"splash"}), 66);
  Rng rng(5);
  EventLog log;
  run_battle(test_dex(), c, rng, &log);
  int first_struggle = 0;
  for (const Event& e : log.events) {
    if (e.kind == EventKind::Move && e.move && e.move->name == "Struggle" && first_struggle == 0)
      first_struggle = e.turn;
  }
  EXPECT_EQ(first_struggle, 65);
}

TEST(Battle, ToxicDamageGrowsEachTurn) {
  const BattleConfig c = config(side("muk", {"toxic"}), side("chansey", {"splash"}), 6);
  BattleSetup setup(test_dex(), c);
  const int max_hp = setup.side(1).stats[dex::Stat::HP];
  Rng rng(11);
  EventLog log;
  BattleRunner(setup).run(rng, &log);
  int stage = 0;
  for (const Event& e : log.events) {
    if (e.kind == EventKind::Residual && e.detail == "tox") {
      ++stage;
      if (e.hp_after > 0) {
        EXPECT_EQ(e.value, max_hp * stage / 16) << "stage " << stage;
      }
    }
  }
  EXPECT_GE(stage, 4);  // Muk is Poison-type: its Toxic never misses
}

TEST(Battle, SleepLastsOneToThreeTurns) {
  // Jolteon (faster) puts Snorlax to sleep on turn 1 before it acts; count Snorlax's first sleep spell.
  const BattleConfig c = config(side("jolteon", {"spore"}), side("snorlax", {"splash"}), 6);
  int counts[5] = {0, 0, 0, 0, 0};
  const int runs = 900;
  for (std::uint64_t seed = 0; seed < static_cast<std::uint64_t>(runs); ++seed) {
    Rng rng(seed);
    EventLog log;
    run_battle(test_dex(), c, rng, &log);
    int asleep = 0;
    for (const Event& e : log.events) {
      if (e.kind == EventKind::CureStatus && e.side == 1) break;
      asleep += e.kind == EventKind::Cant && e.side == 1 && e.detail == "slp";
    }
    ASSERT_LE(asleep, 3);
    counts[asleep]++;
  }
  EXPECT_EQ(counts[0], 0);
  for (int k = 1; k <= 3; ++k) EXPECT_NEAR(counts[k] / static_cast<double>(runs), 1.0 / 3.0, 0.06) << k;
}

TEST(Battle, TurnLimitIsADraw) {
  const BattleConfig c = config(side("chansey", {"splash"}), side("snorlax", {"splash"}), 10);
  Rng rng(1);
  const BattleResult r = run_battle(test_dex(), c, rng);
  EXPECT_EQ(r.winner, 0);
  EXPECT_EQ(r.turns, 10);
}

TEST(Battle, GhostIsImmuneToNormalMoves) {
  const BattleConfig c = config(side("snorlax", {"bodyslam"}), side("gengar", {"sludgebomb"}));
  Rng rng(3);
  EventLog log;
  const BattleResult r = run_battle(test_dex(), c, rng, &log);
  EXPECT_EQ(r.winner, 2);
  for (const Event& e : log.events) EXPECT_NE(e.kind == EventKind::Damage && e.side == 1, true);
}

TEST(ValidateConfig, RejectsUnimplementedAndMalformed) {
  const dex::Dex& dex = test_dex();
  BattleConfig c = config(side("clefable", {"metronome"}), side("pikachu", {"thunderbolt"}));
  auto why = validate_config(dex, c);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("p1.moves[0]"), std::string::npos) << *why;
  EXPECT_NE(why->find("Metronome"), std::string::npos) << *why;
  EXPECT_THROW(BattleSetup(dex, c), std::invalid_argument);

  c = config(side("pikachu", {"thunderbolt", "thunderbolt"}), side("pikachu", {"thunderbolt"}));
  why = validate_config(dex, c);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("p1.moves[1]"), std::string::npos) << *why;

  c = config(side("pikachu", {}), side("pikachu", {"thunderbolt"}));
  ASSERT_TRUE(validate_config(dex, c));

  c = config(side("pikachu", {"thunderbolt"}), side("pikachu", {"thunderbolt"}));
  c.side[1].fixed_move_index = 3;
  why = validate_config(dex, c);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("p2.fixed_move_index"), std::string::npos) << *why;

  c = config(side("pikachu", {"thunderbolt"}), side("pikachu", {"thunderbolt"}), 0);
  EXPECT_TRUE(validate_config(dex, c));
  c = config(side("pikachu", {"thunderbolt"}), side("pikachu", {"thunderbolt"}));
  EXPECT_FALSE(validate_config(dex, c));
}

TEST(MoveSupport, EveryDataMoveIsClassified) {
  int unsupported = 0;
  for (const dex::Move& m : test_dex().all_moves()) {
    const MoveSupport s = classify_move(m);
    if (s.unsupported) {
      ++unsupported;
      EXPECT_FALSE(s.unsupported->empty()) << m.showdown_id;
    }
  }
  // Counter, Mirror Coat, Bide, Disable, Encore, Taunt, Mimic, Metronome, Mirror Move, Transform,
  // Conversion, Rage.
  EXPECT_EQ(unsupported, 12);
}

TEST(Policy, GreedyPickRules) {
  const double scores[4] = {10, 30, 30, 0};
  const bool usable[4] = {true, true, true, true};
  const bool status[4] = {false, false, false, true};
  EXPECT_EQ(greedy_pick(scores, usable, status, 4), 1);  // ties: earliest
  const double zero[4] = {0, 0, 0, 0};
  EXPECT_EQ(greedy_pick(zero, usable, status, 4), 3);  // nothing damages: first status move
  const bool usable2[4] = {false, true, true, true};
  EXPECT_EQ(greedy_pick(scores, usable2, status, 4), 1);
}

TEST(MonteCarlo, DeterministicAndConsistent) {
  const BattleConfig c = config(side("pikachu", {"thunderbolt"}), side("charizard", {"flamethrower"}));
  const Odds a = monte_carlo_odds(test_dex(), c, 10001, 42);
  const Odds b = monte_carlo_odds(test_dex(), c, 10001, 42);
  EXPECT_EQ(a.p1_win, b.p1_win);
  EXPECT_EQ(a.n, 10001);
  EXPECT_NEAR(a.p1_win + a.p2_win + a.draw, 1.0, 1e-12);
  EXPECT_LE(a.p1_ci99_low, a.p1_win);
  EXPECT_GE(a.p1_ci99_high, a.p1_win);
  EXPECT_EQ(a.method, OddsMethod::MonteCarlo);
  EXPECT_THROW(monte_carlo_odds(test_dex(), c, 0, 1), std::invalid_argument);
}

}  // namespace
}  // namespace pdex::battle
