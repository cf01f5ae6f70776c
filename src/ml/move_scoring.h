// What one move is worth against one opponent at the start of a battle (no stages, no status, full
// HP): the greedy policy's score (battle/policy.h) evaluated on turn 1, plus the details a player reads
// off a damage calculator. Shared by the feature function, the dataset's "greedy best move" scenario
// and `pdex predict`'s recommended move, so all three agree on what "the best move" is.
#pragma once

#include <span>
#include <vector>

#include "dex/dex.h"

namespace pdex::ml {

// One side as the scorer sees it.
struct Combatant {
  const dex::Species* species = nullptr;
  int level = 50;
  dex::StatTable stats;  // dex::compute_stats at `level`
};
// Precondition: species non-null; spread valid.
Combatant make_combatant(const dex::Species& species, const dex::StatSpread& spread);

struct MoveScore {
  const dex::Move* move = nullptr;
  double expected_damage = 0;  // greedy score: P(hit) · E[hits] · E[damage per hit] (halved for charge/recharge)
  double hit_chance = 0;       // 0..1 (OHKO: the OHKO rule)
  double effectiveness = 1;    // type multiplier against the defender (0, ¼ .. 4); 1 for typeless/fixed
  bool stab = false;
  int power = 0;        // base power as used (Low Kick, Pika Papow resolved); 0 for status/fixed/OHKO
  double min_roll = 0;  // smallest non-crit damage of one hit (0 for status/immune/OHKO)
  double max_roll = 0;  // largest non-crit damage of one hit
};

// Scores `move` used by `attacker` against `defender`. Status moves, immune targets and Dream Eater
// score 0. Never throws for a move of the Dex.
MoveScore score_move(const dex::Dex& dex, const Combatant& attacker, const Combatant& defender, const dex::Move& move);

// The move the greedy rule picks on turn 1 among `moves`: highest score, ties to the earliest; when no
// move scores above 0, the first status move, else the first move. Precondition: `moves` non-empty.
std::size_t greedy_choice(std::span<const MoveScore> scores);

// Moves a species may bring to a battle: its usable LGPE moves (levelup, tm, tutor) that the engine
// implements (battle::classify_move), sorted by id. `damaging_only` keeps non-status moves only.
std::vector<const dex::Move*> battle_moves(const dex::Dex& dex, int species_id, bool damaging_only);

// The recommended move of `attacker` against `defender`: the greedy choice over battle_moves (all of
// them, status included). nullptr when the species has no supported move.
const dex::Move* recommended_move(const dex::Dex& dex, const Combatant& attacker, const Combatant& defender);

}  // namespace pdex::ml
