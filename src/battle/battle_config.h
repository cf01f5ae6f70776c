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

// One side of a battle as a user describes it (the CLI's --pN options, the API's pokemon_N_* fields); every
// key is a numeric id, Showdown id or name. Absent values keep PokemonConfig's defaults.
struct SideSpec {
  std::optional<std::string> species;
  std::vector<std::string> moves;
  std::optional<int> level;
  std::optional<dex::StatTable> ivs, avs;
  std::optional<std::string> nature;
  std::optional<PolicyKind> policy;
};

// A key of a SideSpec that names nothing in the Dex. `message` is "unknown Pokémon 'KEY'", "unknown move
// 'KEY'" or "unknown nature 'KEY'"; the caller prefixes its own name of the field.
struct SideSpecError {
  enum class Field { Species, Move, Nature };
  Field field;
  std::size_t move_index = 0;  // for Field::Move: the index in SideSpec::moves
  std::string message;
};

// Fills `side` from `spec`: looks up species, moves and nature, and sets level, IVs, AVs and policy. An unknown
// move leaves nullptr at its index (so indexes match the spec's); an unknown species leaves species null; an
// unknown nature leaves the nature as it was. Returns the failed lookups in field order (species, moves,
// nature); ranges are not checked here (validate_config does).
std::vector<SideSpecError> apply_side_spec(const dex::Dex& dex, const SideSpec& spec, PokemonConfig& side);

// nullopt if the battle can be run, else one line naming the side and field
// ("p1.moves[2]: Metronome is not implemented by the engine").
std::optional<std::string> validate_config(const dex::Dex& dex, const BattleConfig& config);

}  // namespace pdex::battle
