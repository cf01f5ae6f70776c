// What a 1-vs-1 battle is set up from: two configured Pokémon, a move-choice policy per side, limits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dex/dex.h"

namespace pdex::battle {

enum class PolicyKind : std::uint8_t {
  Fixed,   // the move at `fixed_move_index`; once it has no PP, the first move that has (Showdown only
           // allows Struggle when every move is out of PP)
  Greedy,  // the usable move with the highest expected damage against the current opponent (policy.h)
  Random,  // uniformly random among usable moves
};
std::string_view policy_name(PolicyKind p);  // "fixed", "greedy", "random"
std::optional<PolicyKind> parse_policy(std::string_view name);

struct PokemonConfig {
  const dex::Species* species = nullptr;
  dex::StatSpread spread;               // level, IVs, AVs, nature
  std::vector<const dex::Move*> moves;  // 1..4, distinct
  PolicyKind policy = PolicyKind::Greedy;
  int fixed_move_index = 0;  // for PolicyKind::Fixed
};

struct BattleConfig {
  PokemonConfig side[2];
  int turn_limit = 500;  // reaching it is a draw
};

// nullopt if the battle can be run, else one line naming the side and field
// ("p1.moves[2]: Metronome is not implemented by the engine").
std::optional<std::string> validate_config(const dex::Dex& dex, const BattleConfig& config);

}  // namespace pdex::battle
