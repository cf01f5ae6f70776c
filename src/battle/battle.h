// The LGPE 1-vs-1 battle engine: Showdown's gen7letsgo rules for two Pokémon, one action each per turn.
//
// Usage: build a BattleSetup once per configuration (it validates the config and precomputes stats and
// move data), then run as many battles as needed with a BattleRunner per thread:
//
//   BattleSetup setup(dex, config);
//   BattleRunner runner(setup);
//   Rng rng(seed);
//   BattleResult r = runner.run(rng);            // hot path: no allocation, no logging
//   EventLog log; runner.run(rng, &log);          // same rules, every event recorded
//
// Results depend only on the setup and the Rng's state.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "battle/battle_config.h"
#include "battle/damage.h"
#include "battle/event_log.h"
#include "battle/move_support.h"
#include "battle/rng.h"
#include "dex/dex.h"

namespace pdex::battle {

struct BattleResult {
  int winner = 0;  // 1 = p1, 2 = p2, 0 = draw (turn limit)
  int turns = 0;   // turns started
};

// Read-only description of a configured battle; safe to share between threads.
class BattleSetup {
 public:
  struct MoveInfo {
    const dex::Move* move = nullptr;  // as in the dex
    dex::Move resolved;               // power fixed where Showdown computes it per matchup (Low Kick, ...)
    MoveKind kind = MoveKind::Standard;
    int max_pp = 0;
  };
  struct SideInfo {
    const dex::Species* species = nullptr;
    dex::StatTable stats;
    int level = 50;
    dex::Typing types;
    std::array<MoveInfo, 4> moves;
    int move_count = 0;
    PolicyKind policy = PolicyKind::Greedy;
    int fixed_move_index = 0;
  };

  // Throws std::invalid_argument with validate_config's message when the config cannot be run.
  BattleSetup(const dex::Dex& dex, const BattleConfig& config);

  const dex::Dex& dex() const { return *dex_; }
  const SideInfo& side(int i) const { return sides_[i]; }
  int turn_limit() const { return turn_limit_; }
  // Showdown's Struggle (typeless, 50 power, never misses, recoil 1/4 of max HP).
  static const dex::Move& struggle();

 private:
  const dex::Dex* dex_;
  std::array<SideInfo, 2> sides_;
  int turn_limit_;
};

class Engine;

// Runs battles of one setup; keeps caches (damage rolls, greedy choices) between battles. One per thread.
class BattleRunner {
 public:
  explicit BattleRunner(const BattleSetup& setup);
  ~BattleRunner();
  BattleRunner(const BattleRunner&) = delete;
  BattleRunner& operator=(const BattleRunner&) = delete;

  BattleResult run(Rng& rng, EventLog* log = nullptr);

 private:
  std::unique_ptr<Engine> engine_;
};

// Convenience: one battle (validates the config; throws std::invalid_argument when it is invalid).
BattleResult run_battle(const dex::Dex& dex, const BattleConfig& config, Rng& rng, EventLog* log = nullptr);

}  // namespace pdex::battle
