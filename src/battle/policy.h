// How each side picks its move every turn (PolicyKind in battle_config.h).
//
// Greedy, precisely (other tools reproduce it, e.g. the Showdown reference fixture):
//   score(move) = P(hit) · E[hits] · E[damage per hit], where
//     E[damage per hit] = (1 − p_crit) · mean(16 normal rolls) + p_crit · mean(16 crit rolls) for formula
//       moves (current stages, burn, screens and types included); the fixed amount for fixed-damage moves
//       (level, 20/40, ⌊HP/2⌋, Psywave: level); OHKO moves: P(hit) · target's current HP;
//     E[hits] = 3.1 for 2–5-hit moves (35/35/15/15 %), n for fixed n-hit moves, else 1;
//     score 0 for status moves, moves the target is immune to and Dream Eater against an awake target;
//     charge (Solar Beam, Fly…) and recharge (Hyper Beam) moves score half (one hit per two turns).
//   Pick the highest score among moves with PP; ties go to the earliest move in the list. If no move
//   scores above 0, pick the first usable status move, else the first usable move. Struggle when no
//   move has PP. Two-turn, recharge and locked (Thrash) turns are forced by the rules, not chosen.
// Fixed: the configured move; once it has no PP, the first move that has.
// Random: uniform among moves with PP.
#pragma once

namespace pdex::battle {

// Mean number of hits of a 2–5-hit move in Gen 5+ (2, 3: 35 % each; 4, 5: 15 % each).
inline constexpr double kExpectedHits2To5 = 3.1;

// The greedy rule above over precomputed scores. Precondition: at least one move is usable, n in 1..4.
int greedy_pick(const double scores[], const bool usable[], const bool status_move[], int n);

}  // namespace pdex::battle
