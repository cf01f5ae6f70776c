// Exact win probabilities for battles decided only by damage rolls, critical hits, accuracy and move order.
//
// Scope (exact_unsupported_reason names what is refused). Each side's sequence of moves is fixed in
// advance: the Fixed policy (its move, then, as the engine does once that move's PP is gone, the first
// move that still has PP, and so on), or any policy with a single move; Struggle once every move is out
// of PP (PP are modelled exactly: Showdown's max PP, pp·8/5, one per turn, so the turn number says which
// move each side uses). Every move in that sequence is a damaging move whose only effects are damage,
// multi-hit, fixed damage (level, constant, half the target's HP), one-hit KO, priority, recoil, drain and
// self-KO (Explosion): no status, no chance-based secondary effect, no stat change, no charge or recharge,
// no healing move. Struggle (typeless, never misses, recoil ¼ of max HP) is included. Speed ties are
// 50/50 each turn; the turn limit gives a draw, counted as the engine counts turns.
//
// Two algorithms, same results (exact_odds_test checks they agree to 1e-10):
//
// Factorised (no recoil, drain or Super Fang). Side A's HP then changes only through B's attacks (their
// accuracy, crits, rolls and hit counts, drawn independently of anything else) and through A's own
// Struggle recoil, a fixed amount on fixed turns. So, while both sides stand, A's HP and B's HP are two
// independent Markov chains indexed by the turn number, and P(battle still on at turn t with HPs (x, y))
// = a_t(x) · b_t(y), where a_t, b_t are the chains' alive-mass vectors. Move order (priority, speed, coin
// on ties) only decides who wins inside the turn where someone faints: whether both survive a whole turn
// does not depend on the order (HP after the turn is h - damage - recoil either way). Per turn: the
// probability of each terminal event for both orders from sums over a_t and b_t, then both chains
// advance. Cost O(HP × distinct damage values) per side and turn.
//
// Joint (recoil, drain or Super Fang tie one side's HP to the other's). Dynamic programming over the
// joint (HP1, HP2) alive mass, turn by turn, enumerating both orders and both attacks' outcomes per cell.
// The turn index in the state replaces the self-loops a turn-free formulation would have (both miss:
// same HPs, one turn later, one PP less).
//
// The winner of a double faint follows the engine (Showdown's Gen 5+ checkWin): the side that fainted
// last wins, so a recoil (or Struggle) user whose hit KOs the foe and whose recoil then KOs itself wins,
// and a self-KO move's user loses. Odds::states counts the HP cells (factorised: per side) visited.
#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "battle/battle.h"
#include "battle/damage.h"
#include "battle/exact_odds_internal.h"
#include "battle/mechanics.h"
#include "battle/move_support.h"
#include "battle/odds.h"

namespace pdex::battle {
namespace {

constexpr int kStruggle = -1;

// Moves whose effect ties the user's HP to the damage dealt (recoil, drain) or to the target's current HP
// (Super Fang): the two HP chains are no longer independent, so the joint solver handles them.
bool needs_joint(const dex::Move& m) {
  return m.recoil || m.drain || (m.fixed_damage && m.fixed_damage->kind == dex::FixedDamage::Kind::HalfHp);
}

// Why one move cannot be part of an exactly solved battle; nullopt when it can.
std::optional<std::string> move_unsupported(const dex::Move& m) {
  if (!m.is_damaging()) return "is a status move";
  const MoveSupport support = classify_move(m);
  if (support.unsupported) return "is not implemented by the engine";
  switch (support.kind) {
    case MoveKind::Standard:
    case MoveKind::BrickBreak:       // no screens can exist in a solvable battle: a plain hit
    case MoveKind::Facade:           // no status can exist: base power
    case MoveKind::LowKick:          // power fixed by the matchup (BattleSetup resolves it)
    case MoveKind::FriendshipPower:  // ditto
    case MoveKind::Feint:            // no Protect can exist: a plain hit
      break;
    default:
      return "has an effect beyond damage";
  }
  if (m.charge) return "charges for a turn";
  if (m.recharge) return "needs a recharge turn";
  if (m.heal) return "heals";
  if (!m.secondaries.empty()) return "has a chance-based secondary effect";
  if (m.status != dex::Status::None || m.volatile_status || m.side_condition) return "inflicts a condition";
  if (m.boosts || m.self_boosts) return "changes stat stages";
  return std::nullopt;
}

// The move slots one side uses, in order, before it struggles (BattleRunner's choose() for this class).
std::vector<int> move_sequence(const PokemonConfig& side) {
  const int n = static_cast<int>(side.moves.size());
  if (n == 1) return {0};
  std::vector<int> seq{side.fixed_move_index};
  for (int i = 0; i < n; ++i) {
    if (i != side.fixed_move_index) seq.push_back(i);
  }
  return seq;
}

// Damage one attack deals to the target, as a distribution over 0..max_hp (clamped: max_hp = KO).
struct AttackDist {
  std::vector<double> p;     // p[d], d = 0..max_hp of the target
  std::vector<double> tail;  // tail[x] = P(damage >= x), x = 0..max_hp + 1
  std::vector<int> support;  // d with p[d] > 0
  int priority = 0;
  int recoil = 0;  // Struggle's recoil on the user (0 for other moves)
  bool self_ko = false;
  // Joint solver only.
  double p_hit = 0;                          // P(the move connects): accuracy, immunity
  bool half_hp = false;                      // Super Fang: max(1, target HP / 2) when it connects
  std::optional<dex::Fraction> drain;        // heal round(dealt · num / den)
  std::optional<dex::Fraction> recoil_frac;  // recoil max(1, round(dealt · num / den))
};

void finish(AttackDist& a) {
  const int n = static_cast<int>(a.p.size());
  a.tail.assign(n + 1, 0.0);
  for (int d = n - 1; d >= 0; --d) a.tail[d] = a.tail[d + 1] + a.p[d];
  a.support.clear();
  for (int d = 0; d < n; ++d) {
    if (a.p[d] > 0) a.support.push_back(d);
  }
}

class Solver {
 public:
  Solver(const dex::Dex& dex, const BattleConfig& config) : config_(config), setup_(dex, config) {}

  Odds solve();        // factorised: the two HP chains are independent (no needs_joint move)
  Odds solve_joint();  // dynamic programming over the joint (HP1, HP2) distribution, turn by turn

 private:
  struct Phase {
    int turns;  // turns this phase lasts (the move's max PP); Struggle: unbounded
    AttackDist attack;
  };
  // Each side's phases: its moves in the order the engine uses them, then Struggle.
  void build_phases(std::vector<Phase> (&phases)[2]) const;
  AttackDist attack(int user, int slot) const;
  const dex::TypeChart& chart() const { return setup_.dex().chart(); }

  const BattleConfig& config_;
  BattleSetup setup_;
};

AttackDist Solver::attack(int user, int slot) const {
  const BattleSetup::SideInfo& u = setup_.side(user);
  const BattleSetup::SideInfo& t = setup_.side(1 - user);
  const int target_hp = t.stats[dex::Stat::HP];
  AttackDist a;
  a.p.assign(target_hp + 1, 0.0);
  const bool struggle = slot == kStruggle;
  const dex::Move& move = struggle ? BattleSetup::struggle() : u.moves[slot].resolved;
  a.priority = move.priority;
  a.self_ko = move.self_destruct;
  a.drain = move.drain;
  a.recoil_frac = move.recoil;
  a.half_hp = move.fixed_damage && move.fixed_damage->kind == dex::FixedDamage::Kind::HalfHp;
  if (struggle) a.recoil = std::max(1, (2 * u.stats[dex::Stat::HP] + 4) / 8);  // Math.round(maxhp / 4)
  auto clamp_dmg = [&](long long d) { return static_cast<int>(std::min<long long>(d, target_hp)); };

  // Type immunity and accuracy, as the engine checks them (Struggle ignores both).
  double p_hit = 1.0;
  if (!struggle) {
    if (move.ohko) {
      p_hit = ohko_hit_chance(chart(), move, u.types, u.level, t.types, t.level).p();
    } else if (is_immune(chart(), move.type, t.types)) {
      p_hit = 0.0;
    } else {
      const Chance c = hit_chance(move, 0, 0);
      p_hit = c.certain() ? 1.0 : c.p();
    }
  }
  a.p[0] += 1.0 - p_hit;
  a.p_hit = p_hit;
  if (p_hit <= 0 || a.half_hp) {
    finish(a);
    return a;
  }

  // One hit's damage distribution.
  std::vector<double> hit(target_hp + 1, 0.0);
  if (move.ohko) {
    hit[target_hp] = 1.0;
  } else if (move.fixed_damage) {
    const int d = move.fixed_damage->kind == dex::FixedDamage::Kind::Level ? u.level : move.fixed_damage->amount;
    hit[clamp_dmg(d)] = 1.0;
  } else {
    AttackerView av;
    av.level = u.level;
    av.stats = u.stats;
    av.types = u.types;
    DefenderView dv;
    dv.stats = t.stats;
    dv.types = t.types;
    dv.current_hp = target_hp;
    MoveAdjustments adjust;
    adjust.typeless = struggle;
    const Chance cc = crit_chance(move, 0);
    const double p_crit = cc.certain() ? 1.0 : (cc.num > 0 ? cc.p() : 0.0);
    for (int crit = 0; crit < 2; ++crit) {
      const double pc = crit ? p_crit : 1.0 - p_crit;
      if (pc <= 0) continue;
      HitOptions opt;
      opt.crit = crit == 1;
      const DamageRolls rolls = damage_rolls(chart(), av, dv, move, opt, adjust);
      for (int v : rolls.values) hit[clamp_dmg(std::max(v, 0))] += pc / 16.0;
    }
  }

  // Hit count (the engine's Gen 5+ table for 2-5, else the fixed count), then the sum, clamped.
  std::vector<std::pair<int, double>> counts{{1, 1.0}};
  if (!move.ohko && move.multihit) {
    if (move.multihit->first == 2 && move.multihit->second == 5) {
      counts = {{2, 7 / 20.0}, {3, 7 / 20.0}, {4, 3 / 20.0}, {5, 3 / 20.0}};
    } else {
      counts = {{move.multihit->first, 1.0}};
    }
  }
  std::vector<double> total(target_hp + 1, 0.0);
  total[0] = 1.0;
  int done = 0;
  for (const auto& [n, pn] : counts) {
    for (; done < n; ++done) {
      std::vector<double> next(target_hp + 1, 0.0);
      for (int s = 0; s <= target_hp; ++s) {
        if (total[s] == 0) continue;
        if (s == target_hp) {
          next[s] += total[s];  // already a KO: later hits do not happen
          continue;
        }
        for (int d = 0; d <= target_hp; ++d) {
          if (hit[d] > 0) next[std::min(s + d, target_hp)] += total[s] * hit[d];
        }
      }
      total.swap(next);
    }
    for (int s = 0; s <= target_hp; ++s) a.p[s] += p_hit * pn * total[s];
  }
  finish(a);
  return a;
}

// What happens to one side during a turn, summed over its alive-mass vector `m` (index = HP), given the
// foe's attack `foe` and the side's own recoil `r` this turn.
struct TurnSums {
  double mass = 0;
  double killed_before_recoil = 0;  // foe's hit first (foe moves first): hit KOs
  double recoil_after_hit = 0;      // foe moves first: survives the hit, own recoil KOs
  double recoil_first = 0;          // side moves first: own recoil KOs before the foe's hit
  double killed_after_recoil = 0;   // side moves first: survives recoil, foe's hit KOs
  double survives = 0;              // alive at the end of the turn (either order)
};

TurnSums turn_sums(const std::vector<double>& m, int lo, int hi, const AttackDist& foe, int r) {
  TurnSums s;
  auto tail = [&](int x) { return x <= 0 ? 1.0 : foe.tail[std::min<int>(x, static_cast<int>(foe.tail.size()) - 1)]; };
  for (int h = lo; h <= hi; ++h) {
    const double w = m[h];
    if (w == 0) continue;
    s.mass += w;
    s.killed_before_recoil += w * tail(h);
    s.recoil_after_hit += w * (tail(h - r) - tail(h));
    if (h <= r) {
      s.recoil_first += w;
    } else {
      s.killed_after_recoil += w * tail(h - r);
    }
    s.survives += w * (1.0 - tail(h - r));
  }
  return s;
}

struct Chain {
  std::vector<double> m;  // alive mass by HP
  int lo = 0, hi = 0;     // support bounds
};

// Advance one chain by a turn: HP h -> h - d - r, keeping only survivors.
std::int64_t advance(Chain& c, const AttackDist& foe, int r) {
  std::vector<double> next(c.m.size(), 0.0);
  int lo = static_cast<int>(c.m.size()), hi = 0;
  std::int64_t cells = 0;
  for (int h = c.lo; h <= c.hi; ++h) {
    const double w = c.m[h];
    if (w == 0) continue;
    ++cells;
    for (int d : foe.support) {
      const int left = h - d - r;
      if (left <= 0) break;  // support is ascending
      next[left] += w * foe.p[d];
      lo = std::min(lo, left);
      hi = std::max(hi, left);
    }
  }
  c.m.swap(next);
  c.lo = lo;
  c.hi = hi;
  if (lo > hi) c.lo = c.hi = 0;
  return cells;
}

void Solver::build_phases(std::vector<Phase> (&phases)[2]) const {
  for (int i = 0; i < 2; ++i) {
    for (int slot : move_sequence(config_.side[i])) {
      phases[i].push_back({setup_.side(i).moves[slot].max_pp, attack(i, slot)});
    }
    phases[i].push_back({-1, attack(i, kStruggle)});
  }
}

Odds Solver::solve() {
  std::vector<Phase> phases[2];
  build_phases(phases);
  const int speed[2] = {effective_speed(setup_.side(0).stats[dex::Stat::Spe], 0, false),
                        effective_speed(setup_.side(1).stats[dex::Stat::Spe], 0, false)};

  Chain chain[2];
  for (int i = 0; i < 2; ++i) {
    const int hp = setup_.side(i).stats[dex::Stat::HP];
    chain[i].m.assign(hp + 1, 0.0);
    chain[i].m[hp] = 1.0;
    chain[i].lo = chain[i].hi = hp;
  }
  std::size_t phase_index[2] = {0, 0};
  int phase_used[2] = {0, 0};
  double win[2] = {0, 0};
  std::int64_t states = 0;

  for (int turn = 1; turn <= setup_.turn_limit(); ++turn) {
    double mass[2];
    for (int i = 0; i < 2; ++i) {
      mass[i] = 0;
      for (int h = chain[i].lo; h <= chain[i].hi; ++h) mass[i] += chain[i].m[h];
    }
    if (mass[0] * mass[1] <= 0) break;
    // This turn's move of each side.
    const AttackDist* att[2];
    for (int i = 0; i < 2; ++i) {
      Phase& ph = phases[i][phase_index[i]];
      if (ph.turns >= 0 && phase_used[i] >= ph.turns) {
        ++phase_index[i];
        phase_used[i] = 0;
      }
      att[i] = &phases[i][phase_index[i]].attack;
      ++phase_used[i];
    }
    TurnSums s[2];
    for (int i = 0; i < 2; ++i) {
      s[i] = turn_sums(chain[i].m, chain[i].lo, chain[i].hi, *att[1 - i], att[i]->recoil);
    }
    // P(side 0 moves first): priority, then speed, then the engine's fair coin.
    double first0;
    if (att[0]->priority != att[1]->priority) {
      first0 = att[0]->priority > att[1]->priority ? 1.0 : 0.0;
    } else if (speed[0] != speed[1]) {
      first0 = speed[0] > speed[1] ? 1.0 : 0.0;
    } else {
      first0 = 0.5;
    }
    for (int f = 0; f < 2; ++f) {
      const double p_order = f == 0 ? first0 : 1.0 - first0;
      if (p_order <= 0) continue;
      const int g = 1 - f;  // second mover
      const TurnSums& F = s[f];
      const TurnSums& G = s[g];
      double wins_f = 0, wins_g = 0;
      if (att[f]->self_ko) {
        wins_g = F.mass * G.mass;  // the user faints first: the foe faints last or not at all
      } else {
        wins_f += F.mass * G.killed_before_recoil;
        const double g_alive = G.mass - G.killed_before_recoil;
        wins_g += g_alive * F.recoil_first;
        if (att[g]->self_ko) {
          wins_f += g_alive * (F.mass - F.recoil_first);
        } else {
          wins_g += g_alive * F.killed_after_recoil;
          wins_f += G.recoil_after_hit * F.survives;
        }
      }
      win[f] += p_order * wins_f;
      win[g] += p_order * wins_g;
    }
    if (att[0]->self_ko || att[1]->self_ko) {
      chain[0].m.assign(chain[0].m.size(), 0.0);
      chain[0].lo = chain[0].hi = 0;
      break;
    }
    for (int i = 0; i < 2; ++i) states += advance(chain[i], *att[1 - i], att[i]->recoil);
  }
  double alive[2];
  for (int i = 0; i < 2; ++i) {
    alive[i] = 0;
    for (int h = chain[i].lo; h <= chain[i].hi; ++h) alive[i] += chain[i].m[h];
  }
  Odds odds;
  odds.method = OddsMethod::Exact;
  odds.p1_win = win[0];
  odds.p2_win = win[1];
  odds.draw = alive[0] * alive[1];  // still standing after the last allowed turn
  odds.p1_ci99_low = odds.p1_ci99_high = odds.p1_win;
  odds.n = 0;
  odds.states = states;
  return odds;
}

// One attack in the joint solver: the outcomes (probability, user HP after, target HP after) of `a` used
// by a Pokémon with `hu` HP (max `max_u`) on one with `ht` HP, with the engine's drain and recoil rules
// (drain heals round(dealt·num/den) capped at max HP; recoil max(1, round(dealt·num/den)), Struggle's its
// fixed amount, both only when the move dealt damage).
struct Outcome {
  double p;
  int hu, ht;
};

int js_round(long long x, int num, int den) {
  return static_cast<int>((2 * x * num + den) / (2LL * den));
}

void attack_outcomes(const AttackDist& a, int hu, int max_u, int ht, std::vector<Outcome>& out) {
  out.clear();
  auto apply = [&](double p, int d) {
    const int dealt = std::min(d, ht);
    int u = hu;
    if (dealt > 0 && a.drain) {
      const int amount = js_round(dealt, a.drain->num, a.drain->den);
      if (amount > 0 && u < max_u) u = std::min(max_u, u + amount);
    }
    if (dealt > 0) {
      int recoil = a.recoil;
      if (a.recoil_frac) recoil = std::max(1, js_round(dealt, a.recoil_frac->num, a.recoil_frac->den));
      u = std::max(0, u - recoil);
    }
    out.push_back({p, u, ht - dealt});
  };
  if (a.half_hp) {
    if (a.p_hit < 1) apply(1 - a.p_hit, 0);
    if (a.p_hit > 0) apply(a.p_hit, std::max(1, ht / 2));
    return;
  }
  for (int d : a.support) apply(a.p[d], d);
}

Odds Solver::solve_joint() {
  std::vector<Phase> phases[2];
  build_phases(phases);
  const int speed[2] = {effective_speed(setup_.side(0).stats[dex::Stat::Spe], 0, false),
                        effective_speed(setup_.side(1).stats[dex::Stat::Spe], 0, false)};
  const int max_hp[2] = {setup_.side(0).stats[dex::Stat::HP], setup_.side(1).stats[dex::Stat::HP]};
  const int width = max_hp[1] + 1;
  auto cell = [width](int x, int y) { return static_cast<std::size_t>(x) * width + y; };
  std::vector<double> cur(static_cast<std::size_t>(max_hp[0] + 1) * width, 0.0), next(cur.size(), 0.0);
  std::vector<std::size_t> live{cell(max_hp[0], max_hp[1])}, next_live;
  cur[live[0]] = 1.0;
  std::size_t phase_index[2] = {0, 0};
  int phase_used[2] = {0, 0};
  double win[2] = {0, 0};
  std::int64_t states = 0;
  std::vector<double> mid(cur.size(), 0.0);
  std::vector<std::size_t> mid_live;
  std::vector<Outcome> outcomes;

  for (int turn = 1; turn <= setup_.turn_limit() && !live.empty(); ++turn) {
    const AttackDist* att[2];
    for (int i = 0; i < 2; ++i) {
      const Phase& ph = phases[i][phase_index[i]];
      if (ph.turns >= 0 && phase_used[i] >= ph.turns) {
        ++phase_index[i];
        phase_used[i] = 0;
      }
      att[i] = &phases[i][phase_index[i]].attack;
      ++phase_used[i];
    }
    double first0;
    if (att[0]->priority != att[1]->priority) {
      first0 = att[0]->priority > att[1]->priority ? 1.0 : 0.0;
    } else if (speed[0] != speed[1]) {
      first0 = speed[0] > speed[1] ? 1.0 : 0.0;
    } else {
      first0 = 0.5;
    }
    // Two passes per move order: the first mover's attack over every live cell into `mid`, then the
    // second mover's attack over `mid` into `next` (cells × outcomes per pass, not cells × outcomes²).
    next_live.clear();
    auto add = [&](std::vector<double>& grid, std::vector<std::size_t>& list, int hp0, int hp1, double w) {
      const std::size_t k = cell(hp0, hp1);
      if (grid[k] == 0) list.push_back(k);
      grid[k] += w;
    };
    states += static_cast<std::int64_t>(live.size());
    for (int f = 0; f < 2; ++f) {
      const double p_order = f == 0 ? first0 : 1.0 - first0;
      if (p_order <= 0) continue;
      const int g = 1 - f;
      mid_live.clear();
      for (const std::size_t k : live) {
        const double w = cur[k] * p_order;
        if (w == 0) continue;
        const int hp[2] = {static_cast<int>(k / width), static_cast<int>(k % width)};
        if (att[f]->self_ko) {
          win[g] += w;  // the user faints first
          continue;
        }
        attack_outcomes(*att[f], hp[f], max_hp[f], hp[g], outcomes);
        for (const Outcome& o : outcomes) {
          const double w1 = w * o.p;
          if (o.ht == 0) {
            win[f] += w1;  // the target fell to the hit; the user, if its recoil KOs it, fainted last
          } else if (o.hu == 0) {
            win[g] += w1;
          } else if (att[g]->self_ko) {
            win[f] += w1;  // the second mover faints as it moves
          } else {
            add(mid, mid_live, f == 0 ? o.hu : o.ht, f == 0 ? o.ht : o.hu, w1);
          }
        }
      }
      for (const std::size_t k : mid_live) {
        const double w = mid[k];
        mid[k] = 0;
        const int hp[2] = {static_cast<int>(k / width), static_cast<int>(k % width)};
        attack_outcomes(*att[g], hp[g], max_hp[g], hp[f], outcomes);
        for (const Outcome& o : outcomes) {
          const double w2 = w * o.p;
          if (o.ht == 0) {
            win[g] += w2;
          } else if (o.hu == 0) {
            win[f] += w2;
          } else {
            add(next, next_live, g == 0 ? o.hu : o.ht, g == 0 ? o.ht : o.hu, w2);
          }
        }
      }
    }
    for (const std::size_t k : live) cur[k] = 0;
    live.swap(next_live);
    cur.swap(next);
  }
  double draw = 0;
  for (const std::size_t k : live) draw += cur[k];
  Odds odds;
  odds.method = OddsMethod::Exact;
  odds.p1_win = win[0];
  odds.p2_win = win[1];
  odds.draw = draw;
  odds.p1_ci99_low = odds.p1_ci99_high = odds.p1_win;
  odds.states = states;
  return odds;
}

}  // namespace

std::optional<std::string> exact_unsupported_reason(const dex::Dex& dex, const BattleConfig& config) {
  if (auto bad = validate_config(dex, config)) return bad;
  for (int i = 0; i < 2; ++i) {
    const PokemonConfig& side = config.side[i];
    const std::string who = i == 0 ? "p1" : "p2";
    if (side.moves.size() > 1 && side.policy != PolicyKind::Fixed) {
      return who + ".policy: " + std::string(policy_name(side.policy)) + " chooses among " +
             std::to_string(side.moves.size()) + " moves; exact odds need the fixed policy or a single move";
    }
    for (int slot : move_sequence(side)) {
      const dex::Move* m = side.moves[static_cast<std::size_t>(slot)];
      if (m == nullptr) return who + ".moves[" + std::to_string(slot) + "]: missing";
      if (auto why = move_unsupported(*m)) {
        return who + ".moves[" + std::to_string(slot) + "]: " + m->name + " " + *why;
      }
    }
  }
  return std::nullopt;
}

Odds exact_odds(const dex::Dex& dex, const BattleConfig& config) {
  if (auto bad = exact_unsupported_reason(dex, config)) throw std::invalid_argument(*bad);
  Solver solver(dex, config);
  bool joint = false;
  for (const PokemonConfig& side : config.side) {
    for (const dex::Move* m : side.moves) joint = joint || needs_joint(*m);
  }
  return joint ? solver.solve_joint() : solver.solve();
}

Odds exact_odds_joint(const dex::Dex& dex, const BattleConfig& config) {
  if (auto bad = exact_unsupported_reason(dex, config)) throw std::invalid_argument(*bad);
  return Solver(dex, config).solve_joint();
}

}  // namespace pdex::battle
