#include "battle/battle.h"

#include <algorithm>
#include <stdexcept>

#include "battle/mechanics.h"
#include "battle/policy.h"

namespace pdex::battle {

using dex::Status;

// ---------------------------------------------------------------------------------------------------------
// Setup

const dex::Move& BattleSetup::struggle() {
  static const dex::Move kStruggle = [] {
    dex::Move m;
    m.id = 165;
    m.showdown_id = "struggle";
    m.name = "Struggle";
    m.type = dex::Type::Normal;
    m.category = dex::MoveCategory::Physical;
    m.power = 50;
    m.accuracy = std::nullopt;
    m.pp = 1;
    m.flags = {"contact", "protect"};
    m.target = "randomNormal";
    return m;
  }();
  return kStruggle;
}

namespace {}  // namespace

BattleSetup::BattleSetup(const dex::Dex& dex, const BattleConfig& config) : dex_(&dex), turn_limit_(config.turn_limit) {
  if (auto bad = validate_config(dex, config)) throw std::invalid_argument(*bad);
  for (int i = 0; i < 2; ++i) {
    const PokemonConfig& pc = config.side[i];
    SideInfo& s = sides_[i];
    s.species = pc.species;
    s.stats = dex::compute_stats(pc.species->base_stats, pc.spread);
    s.level = pc.spread.level;
    s.types = pc.species->types;
    s.policy = pc.policy;
    s.fixed_move_index = pc.fixed_move_index;
    s.move_count = static_cast<int>(pc.moves.size());
    for (int m = 0; m < s.move_count; ++m) {
      MoveInfo& mi = s.moves[m];
      mi.move = pc.moves[m];
      mi.kind = classify_move(*mi.move).kind;
      mi.max_pp = mi.move->pp * 8 / 5;  // Showdown gives every move 3 PP Ups
      mi.resolved = *mi.move;
      const dex::Species& foe = *config.side[1 - i].species;
      // Low Kick, Pika Papow, Veevee Volley: the power Showdown's basePowerCallback gives (fixed per matchup).
      if (auto power = callback_base_power(*mi.move, foe.weight_hg)) mi.resolved.power = *power;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Engine

namespace {

enum BoostIndex { kAtk, kDef, kSpa, kSpd, kSpe, kAcc, kEva, kBoostCount };
constexpr std::string_view kBoostNames[kBoostCount] = {"atk", "def", "spa", "spd", "spe", "accuracy", "evasion"};

enum class Invulnerable : std::uint8_t { None, Fly, Dig };

constexpr int kStruggleSlot = 4;  // move slot index used for Struggle
constexpr int kRechargeSlot = 5;  // the forced "recharge" action after Hyper Beam

struct Mon {
  // Fixed for the battle.
  const BattleSetup::SideInfo* info = nullptr;
  int max_hp = 0;
  // State.
  int hp = 0;
  std::array<int, kBoostCount> boosts{};
  Status status = Status::None;
  int sleep_time = 0;
  int toxic_stage = 0;
  std::array<int, 4> pp{};
  int move_actions = 0;
  bool fainted = false;
  bool faint_queued = false;
  // Volatiles.
  int confusion_time = 0;
  bool flinch = false;
  int recharge = 0;        // mustrecharge duration
  int charging_slot = -1;  // twoturnmove: the locked move
  int twoturn_duration = 0;
  bool charged = false;  // the move's own volatile (removed when it fires)
  Invulnerable invulnerable = Invulnerable::None;
  bool protect = false;
  int stall_counter = 0;
  int stall_duration = 0;
  int substitute_hp = 0;
  bool focus_energy = false;
  bool minimized = false;
  bool leech_seeded = false;
  int trap_duration = 0;
  int yawn_duration = 0;
  bool roost = false;
  int locked_slot = -1;  // lockedmove (Thrash, Outrage, Petal Dance)
  int locked_duration = 0;
  int locked_true_duration = 0;
  // Side conditions (one Pokémon per side).
  int reflect = 0;
  int light_screen = 0;
  int mist = 0;
};

struct Action {
  int slot = 0;  // 0..3, kStruggleSlot, kRechargeSlot
  int priority = 0;
  int speed = 0;
  bool done = false;
};

struct RollCache {
  std::uint32_t key = 0xFFFFFFFFu;
  DamageRolls rolls;
};

struct ChoiceCache {
  std::uint64_t key = ~0ull;
  int slot = 0;
};

bool targets_foe(const dex::Move& m) {
  return m.target == "normal" || m.target == "any" || m.target == "adjacentFoe" || m.target == "allAdjacentFoes" ||
         m.target == "allAdjacent" || m.target == "randomNormal";
}

// round(x·num/den) as JavaScript's Math.round does it for non-negative values.
int js_round_frac(long long x, int num, int den) {
  return static_cast<int>((2 * x * num + den) / (2LL * den));
}

}  // namespace

class Engine {
 public:
  explicit Engine(const BattleSetup& setup) : s_(setup), chart_(setup.dex().chart()) {}

  BattleResult run(Rng& rng, EventLog* log);

 private:
  // --- helpers
  void emit(Event e) {
    if (!log_) return;
    e.turn = turn_;
    log_->add(e);
  }
  void emit_simple(EventKind k, int side, std::string_view detail = {}, const dex::Move* move = nullptr,
                   int value = 0) {
    if (!log_) return;
    Event e;
    e.kind = k;
    e.side = side;
    e.detail = detail;
    e.move = move;
    e.value = value;
    emit(e);
  }
  void emit_hp(EventKind k, int side, int value, std::string_view detail) {
    if (!log_) return;
    Event e;
    e.kind = k;
    e.side = side;
    e.value = value;
    e.detail = detail;
    e.hp_after = mon_[side].hp;
    e.max_hp = mon_[side].max_hp;
    emit(e);
  }
  const dex::Move& move_of(int side, int slot) const {
    if (slot == kStruggleSlot) return BattleSetup::struggle();
    return *mon_[side].info->moves[slot].move;
  }
  MoveKind kind_of(int side, int slot) const {
    if (slot == kStruggleSlot) return MoveKind::Standard;
    return mon_[side].info->moves[slot].kind;
  }
  dex::Typing typing(int side) const {
    dex::Typing t = mon_[side].info->types;
    if (mon_[side].roost && t.has(dex::Type::Flying)) {
      if (!t.dual()) return {dex::Type::Normal, dex::Type::Normal};
      dex::Type other = t.first == dex::Type::Flying ? t.second : t.first;
      return {other, other};
    }
    return t;
  }
  int speed(int side) const {
    const Mon& m = mon_[side];
    return effective_speed(m.info->stats[dex::Stat::Spe], m.boosts[kSpe], m.status == Status::Paralysis);
  }

  // Damage to HP from anything; returns HP actually lost and queues the faint.
  int damage(int side, int amount) {
    Mon& m = mon_[side];
    if (m.hp <= 0 || amount <= 0) return 0;
    amount = std::min(amount, m.hp);
    m.hp -= amount;
    if (m.hp == 0) queue_faint(side);
    return amount;
  }
  int heal(int side, int amount) {
    Mon& m = mon_[side];
    if (m.hp <= 0 || amount <= 0 || m.hp >= m.max_hp) return 0;
    const int healed = std::min(amount, m.max_hp - m.hp);
    m.hp += healed;
    return healed;
  }
  void queue_faint(int side) {
    Mon& m = mon_[side];
    if (m.faint_queued) return;
    m.faint_queued = true;
    faint_queue_[faint_queue_len_++] = side;
  }
  // Showdown's faintMessages: processes queued faints in order; with check_win, ends the battle when a
  // side has no Pokémon left. When both are gone, the side that fainted last wins (Gen 5+ checkWin).
  void process_faints(bool check_win) {
    for (int i = 0; i < faint_queue_len_; ++i) {
      const int side = faint_queue_[i];
      mon_[side].fainted = true;
      last_fainted_ = side;
      emit_simple(EventKind::Faint, side);
    }
    faint_queue_len_ = 0;
    if (check_win) this->check_win();
  }
  void check_win() {
    if (ended_) return;
    const bool f0 = mon_[0].fainted, f1 = mon_[1].fainted;
    if (f0 && f1) {
      end_battle(last_fainted_ + 1);
    } else if (f0) {
      end_battle(2);
    } else if (f1) {
      end_battle(1);
    }
  }
  void end_battle(int winner) {
    ended_ = true;
    winner_ = winner;
    emit_simple(EventKind::Win, winner - 1);
  }

  // --- stats and statuses
  bool boost(int target, int source, const dex::Boosts& b);
  bool set_status(int target, Status st);
  void cure_status(int side);
  bool add_confusion(int side);
  void clear_boosts(int side) { mon_[side].boosts.fill(0); }

  // --- damage
  const DamageRolls& rolls(int attacker, int slot, bool crit);
  int hit_damage(int attacker, int defender, int slot, int* roll_out, bool* crit_out, int* eff_out);
  int confusion_damage(int side);

  // --- turn structure
  int choose(int side);
  int choose_greedy(int side);
  double expected_damage(int attacker, int slot);
  void run_action(int side, Action& a);
  void use_move(int user, int slot);
  bool move_hit_loop(int user, int target, int slot);
  void after_hit_effects(int user, int target, int slot, bool hit_substitute);
  void move_failed(int user, int slot);
  void residual();
  bool residual_damage_step(int order);

  const BattleSetup& s_;
  const dex::TypeChart& chart_;
  Rng* rng_ = nullptr;
  EventLog* log_ = nullptr;
  std::array<Mon, 2> mon_;
  std::array<Action, 2> actions_;
  int turn_ = 0;
  bool ended_ = false;
  int winner_ = 0;
  int faint_queue_[4] = {};
  int faint_queue_len_ = 0;
  int last_fainted_ = 0;
  std::array<std::array<std::array<RollCache, 2>, 5>, 2> roll_cache_;  // [side][slot][crit]
  std::array<ChoiceCache, 2> choice_cache_;
};

// ---------------------------------------------------------------------------------------------------------
// Stages, statuses, volatiles

bool Engine::boost(int target, int source, const dex::Boosts& b) {
  Mon& m = mon_[target];
  if (m.hp <= 0) return false;
  const int deltas[kBoostCount] = {b.atk, b.def, b.spa, b.spd, b.spe, b.accuracy, b.evasion};
  bool changed = false;
  for (int i = 0; i < kBoostCount; ++i) {
    int d = deltas[i];
    if (d == 0) continue;
    if (d < 0 && source != target && m.mist > 0) continue;  // Mist: onTryBoost drops foe-caused drops
    const int before = m.boosts[i];
    m.boosts[i] = std::clamp(before + d, -6, 6);
    if (m.boosts[i] != before) {
      changed = true;
      emit_simple(EventKind::Boost, target, kBoostNames[i], nullptr, m.boosts[i] - before);
    }
  }
  return changed;
}

bool Engine::set_status(int target, Status st) {
  Mon& m = mon_[target];
  if (m.hp <= 0 || m.status != Status::None) return false;
  // Natural immunities (typechart's status immunities, Gen 6+).
  const dex::Typing t = typing(target);
  switch (st) {
    case Status::Burn:
      if (t.has(dex::Type::Fire)) return false;
      break;
    case Status::Paralysis:
      if (t.has(dex::Type::Electric)) return false;
      break;
    case Status::Poison:
    case Status::Toxic:
      if (t.has(dex::Type::Poison) || t.has(dex::Type::Steel)) return false;
      break;
    case Status::Freeze:
      if (t.has(dex::Type::Ice)) return false;
      break;
    default:
      break;
  }
  m.status = st;
  if (st == Status::Sleep) m.sleep_time = rng_->range(2, 5);
  if (st == Status::Toxic) m.toxic_stage = 0;
  emit_simple(EventKind::Status, target, dex::status_id(st));
  return true;
}

void Engine::cure_status(int side) {
  Mon& m = mon_[side];
  if (m.status == Status::None) return;
  emit_simple(EventKind::CureStatus, side, dex::status_id(m.status));
  m.status = Status::None;
}

bool Engine::add_confusion(int side) {
  Mon& m = mon_[side];
  if (m.hp <= 0 || m.confusion_time > 0) return false;
  m.confusion_time = rng_->range(2, 6);
  emit_simple(EventKind::Volatile, side, "confusion");
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Damage

const DamageRolls& Engine::rolls(int attacker, int slot, bool crit) {
  const int defender = 1 - attacker;
  const Mon& a = mon_[attacker];
  const Mon& d = mon_[defender];
  const dex::Move& base = move_of(attacker, slot);
  const MoveKind kind = kind_of(attacker, slot);
  const bool physical = base.category == dex::MoveCategory::Physical;
  const bool foul_play = kind == MoveKind::FoulPlay;
  const bool facade_boost = kind == MoveKind::Facade && a.status != Status::None && a.status != Status::Sleep;
  const int atk_stage = foul_play ? d.boosts[kAtk] : (physical ? a.boosts[kAtk] : a.boosts[kSpa]);
  const int def_stage = physical ? d.boosts[kDef] : d.boosts[kSpd];
  const bool burned = a.status == Status::Burn;
  const bool screen = physical ? d.reflect > 0 : d.light_screen > 0;
  const std::uint32_t key = static_cast<std::uint32_t>(atk_stage + 6) | static_cast<std::uint32_t>(def_stage + 6) << 4 |
                            static_cast<std::uint32_t>(burned) << 8 | static_cast<std::uint32_t>(screen) << 9 |
                            static_cast<std::uint32_t>(d.roost) << 10 | static_cast<std::uint32_t>(facade_boost) << 11;
  RollCache& c = roll_cache_[attacker][slot][crit ? 1 : 0];
  if (c.key == key) return c.rolls;
  AttackerView av;
  av.level = a.info->level;
  av.stats = a.info->stats;
  av.types = a.info->types;
  av.atk_stage = a.boosts[kAtk];
  av.spa_stage = a.boosts[kSpa];
  av.burned = a.status == Status::Burn;
  av.status = a.status;
  DefenderView dv;
  dv.stats = d.info->stats;
  dv.stats[dex::Stat::HP] = d.max_hp;
  dv.types = typing(defender);
  dv.current_hp = d.hp;
  dv.atk_stage = d.boosts[kAtk];
  dv.def_stage = d.boosts[kDef];
  dv.spd_stage = d.boosts[kSpd];
  dv.reflect = d.reflect > 0;
  dv.light_screen = d.light_screen > 0;
  HitOptions opt{.crit = crit};
  MoveAdjustments adjust;
  adjust.typeless = slot == kStruggleSlot;
  const dex::Move* mv = slot == kStruggleSlot ? &base : &a.info->moves[slot].resolved;
  c.rolls = damage_rolls(chart_, av, dv, *mv, opt, adjust);
  c.key = key;
  return c.rolls;
}

// One hit's damage before it meets HP or a substitute. -1: the move fails (immune handled earlier).
int Engine::hit_damage(int attacker, int defender, int slot, int* roll_out, bool* crit_out, int* eff_out) {
  const Mon& a = mon_[attacker];
  const Mon& d = mon_[defender];
  const dex::Move& m = move_of(attacker, slot);
  const MoveKind kind = kind_of(attacker, slot);
  *roll_out = -1;
  *crit_out = false;
  *eff_out = slot == kStruggleSlot ? 4 : chart_.quarters(m.type, typing(defender));
  if (m.ohko) return d.max_hp;
  if (kind == MoveKind::Psywave) return std::max(1, rng_->range(50, 151) * a.info->level / 100);
  if (m.fixed_damage) {
    switch (m.fixed_damage->kind) {
      case dex::FixedDamage::Kind::Level:
        return a.info->level;
      case dex::FixedDamage::Kind::Constant:
        return m.fixed_damage->amount;
      case dex::FixedDamage::Kind::HalfHp:
        return std::max(1, d.hp / 2);
    }
  }
  const Chance cc = crit_chance(m, a.focus_energy ? 2 : 0);
  const bool crit = cc.num >= cc.den ? true : (cc.num > 0 && rng_->chance(cc.num, cc.den));
  const int roll = static_cast<int>(rng_->below(16));
  // Minimize (Body Slam, Stomp...) and Gust/Thunder vs Fly, Earthquake vs Dig double the damage as a
  // ModifyDamage factor; chained with a screen's 0.5 the two cancel exactly.
  bool doubled = false;
  if (d.minimized && m.has_flag("minimize")) doubled = true;
  if (d.invulnerable == Invulnerable::Fly && (m.is("gust") || m.is("twister"))) doubled = true;
  if (d.invulnerable == Invulnerable::Dig && m.is("earthquake")) doubled = true;
  int value;
  if (doubled) {
    const bool physical = m.category == dex::MoveCategory::Physical;
    const bool screen = !crit && (physical ? d.reflect > 0 : d.light_screen > 0);
    if (screen) {
      // Recompute without the screen: 0.5 × 2 chains to exactly 1.
      Mon& dm = mon_[defender];
      const int r = dm.reflect, l = dm.light_screen;
      dm.reflect = 0;
      dm.light_screen = 0;
      value = rolls(attacker, slot, crit).values[roll];
      dm.reflect = r;
      dm.light_screen = l;
    } else {
      value = rolls(attacker, slot, crit).values[roll] * 2;
    }
  } else {
    value = rolls(attacker, slot, crit).values[roll];
  }
  *roll_out = roll;
  *crit_out = crit;
  return value;
}

int Engine::confusion_damage(int side) {
  const Mon& m = mon_[side];
  const long long attack = apply_stage(m.info->stats[dex::Stat::Atk], m.boosts[kAtk]);
  const long long defense = apply_stage(m.info->stats[dex::Stat::Def], m.boosts[kDef]);
  const long long level = m.info->level;
  long long base = (((2 * level / 5 + 2) * 40 * attack) / defense) / 50 + 2;
  base %= 65536;
  const long long roll = 85 + rng_->below(16);
  const long long dmg = base * roll / 100;
  return static_cast<int>(std::max(1LL, dmg));
}

// ---------------------------------------------------------------------------------------------------------
// Move choice

double Engine::expected_damage(int attacker, int slot) {
  const int defender = 1 - attacker;
  const Mon& a = mon_[attacker];
  const Mon& d = mon_[defender];
  const dex::Move& m = move_of(attacker, slot);
  const MoveKind kind = kind_of(attacker, slot);
  if (!m.is_damaging()) return 0.0;
  const dex::Typing dt = typing(defender);
  if (slot != kStruggleSlot && chart_.quarters(m.type, dt) == 0) return 0.0;
  if (kind == MoveKind::DreamEater && d.status != Status::Sleep) return 0.0;
  double hit = 1.0;
  if (m.ohko) {
    hit = ohko_hit_chance(chart_, m, a.info->types, a.info->level, dt, d.info->level).p();
    return hit * d.hp;
  }
  hit = hit_chance(m, a.boosts[kAcc], d.boosts[kEva]).p();
  if (m.is("toxic") && a.info->types.has(dex::Type::Poison)) hit = 1.0;
  double per_hit;
  if (kind == MoveKind::Psywave) {
    per_hit = a.info->level;  // mean of [50, 150] % of the level
  } else if (m.fixed_damage) {
    switch (m.fixed_damage->kind) {
      case dex::FixedDamage::Kind::Level:
        per_hit = a.info->level;
        break;
      case dex::FixedDamage::Kind::Constant:
        per_hit = m.fixed_damage->amount;
        break;
      default:
        per_hit = std::max(1, d.hp / 2);
        break;
    }
  } else {
    const Chance cc = crit_chance(m, a.focus_energy ? 2 : 0);
    const double pc = cc.p();
    auto mean = [](const DamageRolls& r) {
      double sum = 0;
      for (int v : r.values) sum += v;
      return sum / 16.0;
    };
    per_hit = (1.0 - pc) * mean(rolls(attacker, slot, false));
    if (pc > 0) per_hit += pc * mean(rolls(attacker, slot, true));
  }
  double hits = 1.0;
  if (m.multihit) hits = m.multihit->first == m.multihit->second ? m.multihit->first : kExpectedHits2To5;
  double score = hit * hits * per_hit;
  if (m.charge || m.recharge) score /= 2.0;  // one attack per two turns
  return score;
}

int Engine::choose_greedy(int side) {
  const Mon& a = mon_[side];
  const Mon& d = mon_[1 - side];
  // Everything expected_damage reads, packed; the choice is recomputed only when it changes.
  std::uint64_t key = 0;
  auto put = [&key](std::uint64_t v, int bits) { key = (key << bits) | v; };
  put(a.boosts[kAtk] + 6, 4);
  put(a.boosts[kSpa] + 6, 4);
  put(a.boosts[kAcc] + 6, 4);
  put(d.boosts[kAtk] + 6, 4);
  put(d.boosts[kDef] + 6, 4);
  put(d.boosts[kSpd] + 6, 4);
  put(d.boosts[kEva] + 6, 4);
  put(static_cast<std::uint64_t>(a.status), 3);
  put(d.status == Status::Sleep, 1);
  put(d.reflect > 0, 1);
  put(d.light_screen > 0, 1);
  put(d.roost, 1);
  put(a.focus_energy, 1);
  int pp_mask = 0;
  for (int i = 0; i < a.info->move_count; ++i) pp_mask |= (a.pp[i] > 0) << i;
  put(pp_mask, 4);
  put(static_cast<std::uint64_t>(std::min(d.hp, 4095)), 12);
  if (choice_cache_[side].key == key) return choice_cache_[side].slot;

  double scores[4] = {0, 0, 0, 0};
  bool usable[4] = {false, false, false, false};
  bool status_move[4] = {false, false, false, false};
  for (int i = 0; i < a.info->move_count; ++i) {
    usable[i] = a.pp[i] > 0;
    if (!usable[i]) continue;
    status_move[i] = !move_of(side, i).is_damaging();
    scores[i] = expected_damage(side, i);
  }
  const int slot = greedy_pick(scores, usable, status_move, a.info->move_count);
  choice_cache_[side] = {key, slot};
  return slot;
}

int Engine::choose(int side) {
  const Mon& m = mon_[side];
  if (m.recharge > 0) return kRechargeSlot;
  if (m.charging_slot >= 0 && m.twoturn_duration > 0) return m.charging_slot;
  if (m.locked_slot >= 0) return m.locked_slot;
  int usable_count = 0;
  for (int i = 0; i < m.info->move_count; ++i) usable_count += m.pp[i] > 0;
  if (usable_count == 0) return kStruggleSlot;
  switch (m.info->policy) {
    case PolicyKind::Fixed: {
      const int f = m.info->fixed_move_index;
      if (m.pp[f] > 0) return f;
      for (int i = 0; i < m.info->move_count; ++i) {
        if (m.pp[i] > 0) return i;
      }
      return kStruggleSlot;
    }
    case PolicyKind::Random: {
      int k = static_cast<int>(rng_->below(static_cast<std::uint32_t>(usable_count)));
      for (int i = 0; i < m.info->move_count; ++i) {
        if (m.pp[i] > 0 && k-- == 0) return i;
      }
      return kStruggleSlot;
    }
    case PolicyKind::Greedy:
      return choose_greedy(side);
  }
  return kStruggleSlot;
}

// ---------------------------------------------------------------------------------------------------------
// Running a move

void Engine::move_failed(int user, int slot) {
  // onMoveFail: Jump Kick / High Jump Kick crash for half the user's max HP.
  if (slot != kStruggleSlot && kind_of(user, slot) == MoveKind::CrashOnMiss) {
    const int lost = damage(user, std::max(1, mon_[user].max_hp / 2));
    emit_hp(EventKind::Residual, user, lost, "crash");
  }
}

void Engine::run_action(int side, Action& a) {
  a.done = true;
  Mon& m = mon_[side];
  if (m.fainted || m.hp <= 0) return;
  m.move_actions++;
  if (a.slot == kRechargeSlot) {
    emit_simple(EventKind::Cant, side, "recharge");
    m.recharge = 0;
    return;
  }
  const dex::Move& move = move_of(side, a.slot);
  // BeforeMove handlers, by Showdown's priority: sleep/freeze (10), flinch (8), confusion (3), paralysis (1).
  bool can_move = true;
  if (m.status == Status::Sleep) {
    m.sleep_time--;
    if (m.sleep_time <= 0) {
      cure_status(side);
    } else {
      emit_simple(EventKind::Cant, side, "slp");
      can_move = false;
    }
  } else if (m.status == Status::Freeze) {
    if (move.has_flag("defrost") || rng_->chance(1, 5)) {
      cure_status(side);
    } else {
      emit_simple(EventKind::Cant, side, "frz");
      can_move = false;
    }
  }
  if (can_move && m.flinch) {
    emit_simple(EventKind::Cant, side, "flinch");
    can_move = false;
  }
  if (can_move && m.confusion_time > 0) {
    m.confusion_time--;
    if (m.confusion_time == 0) {
      emit_simple(EventKind::VolatileEnd, side, "confusion");
    } else if (rng_->chance(33, 100)) {
      const int lost = damage(side, confusion_damage(side));
      emit_hp(EventKind::Residual, side, lost, "confusion");
      can_move = false;
    }
  }
  if (can_move && m.status == Status::Paralysis && rng_->chance(1, 4)) {
    emit_simple(EventKind::Cant, side, "par");
    can_move = false;
  }
  if (!can_move) {
    // MoveAborted: a charging move is dropped (and its semi-invulnerability with it).
    m.charging_slot = -1;
    m.twoturn_duration = 0;
    m.charged = false;
    m.invulnerable = Invulnerable::None;
    process_faints(true);
    return;
  }
  const bool locked = (m.charging_slot == a.slot && m.charged) || m.locked_slot == a.slot;
  if (a.slot != kStruggleSlot && !locked) m.pp[a.slot]--;
  use_move(side, a.slot);
  // AfterMove: lockedmove ends after its last turn.
  if (m.locked_slot >= 0 && m.locked_duration == 1) {
    m.locked_slot = -1;
    m.locked_duration = 0;
    if (m.locked_true_duration <= 1) add_confusion(side);
  }
  process_faints(true);
}

void Engine::use_move(int user, int slot) {
  const int target = 1 - user;
  Mon& u = mon_[user];
  Mon& t = mon_[target];
  const dex::Move& move = move_of(user, slot);
  const MoveKind kind = kind_of(user, slot);
  emit_simple(EventKind::Move, user, {}, &move);

  // TryMove: two-turn moves charge first.
  if (move.charge) {
    if (u.charged && u.charging_slot == slot) {
      u.charged = false;
      u.invulnerable = Invulnerable::None;
    } else {
      emit_simple(EventKind::Prepare, user, {}, &move);
      if (move.is("skullbash")) boost(user, user, dex::Boosts{.def = 1});
      u.charging_slot = slot;
      u.twoturn_duration = 2;
      u.charged = true;
      if (move.is("fly")) u.invulnerable = Invulnerable::Fly;
      if (move.is("dig")) u.invulnerable = Invulnerable::Dig;
      return;
    }
  }
  if (move.self_destruct) {
    u.hp = 0;
    queue_faint(user);
  }

  // Try / PrepareHit.
  bool fail = false;
  switch (kind) {
    case MoveKind::Fails:
      fail = true;
      break;
    case MoveKind::Protect: {
      const bool will_act = !actions_[target].done && !t.fainted;
      bool ok = will_act;
      if (ok && u.stall_duration > 0) {
        ok = rng_->chance(1, u.stall_counter);
        if (!ok) {
          u.stall_counter = 0;
          u.stall_duration = 0;
        }
      }
      fail = !ok;
      break;
    }
    case MoveKind::Rest:
      fail = u.status == Status::Sleep || u.hp >= u.max_hp;
      break;
    case MoveKind::SuckerPunch: {
      const Action& ta = actions_[target];
      const bool target_attacks = !ta.done && ta.slot != kRechargeSlot && move_of(target, ta.slot).is_damaging();
      fail = !target_attacks || t.recharge > 0;
      break;
    }
    case MoveKind::FakeOut:
      fail = u.move_actions > 1;
      break;
    case MoveKind::Substitute:
      fail = u.substitute_hp > 0 || u.hp * 4 <= u.max_hp;
      break;
    default:
      break;
  }
  if (fail) {
    emit_simple(EventKind::Fail, user, {}, &move);
    move_failed(user, slot);
    return;
  }
  if (kind == MoveKind::NoEffect) return;

  if (!targets_foe(move)) {
    // Self, side and field moves: no accuracy, no protection.
    switch (kind) {
      case MoveKind::Protect:
        u.protect = true;
        if (u.stall_duration > 0) {
          u.stall_counter = std::min(u.stall_counter * 3, 729);
        } else {
          u.stall_counter = 3;
        }
        u.stall_duration = 2;
        emit_simple(EventKind::Volatile, user, "protect");
        return;
      case MoveKind::Substitute:
        u.hp -= u.max_hp / 4;
        u.substitute_hp = u.max_hp / 4;
        emit_simple(EventKind::Volatile, user, "substitute");
        return;
      case MoveKind::Rest:
        u.status = Status::Sleep;
        u.sleep_time = 3;
        emit_simple(EventKind::Status, user, "slp");
        emit_hp(EventKind::Heal, user, heal(user, u.max_hp), "move");
        return;
      case MoveKind::Haze:
        clear_boosts(0);
        clear_boosts(1);
        emit_simple(EventKind::Volatile, user, "haze");
        return;
      case MoveKind::FocusEnergy:
        if (u.focus_energy) {
          emit_simple(EventKind::Fail, user, {}, &move);
        } else {
          u.focus_energy = true;
          emit_simple(EventKind::Volatile, user, "focusenergy");
        }
        return;
      case MoveKind::Minimize:
        boost(user, user, dex::Boosts{.evasion = 2});
        u.minimized = true;
        return;
      case MoveKind::Reflect:
      case MoveKind::LightScreen:
      case MoveKind::Mist: {
        int& turns = kind == MoveKind::Reflect ? u.reflect : kind == MoveKind::LightScreen ? u.light_screen : u.mist;
        if (turns > 0) {
          emit_simple(EventKind::Fail, user, {}, &move);
        } else {
          turns = 5;
          emit_simple(EventKind::SideStart, user,
                      kind == MoveKind::Reflect       ? "reflect"
                      : kind == MoveKind::LightScreen ? "lightscreen"
                                                      : "mist");
        }
        return;
      }
      case MoveKind::Roost:
      case MoveKind::Standard:
      default: {
        bool did = false;
        if (move.boosts) did |= boost(user, user, *move.boosts);
        if (move.heal) {
          if (u.hp >= u.max_hp) {
            emit_simple(EventKind::Fail, user, {}, &move);
            return;
          }
          const int amount = js_round_frac(u.max_hp, move.heal->num, move.heal->den);
          emit_hp(EventKind::Heal, user, heal(user, amount), "move");
          did = true;
          if (kind == MoveKind::Roost) u.roost = true;
        }
        if (move.self_boosts) did |= boost(user, user, *move.self_boosts);
        if (!did) emit_simple(EventKind::Fail, user, {}, &move);
        return;
      }
    }
  }

  // Moves aimed at the foe. 0: semi-invulnerable target.
  const bool poison_toxic = move.is("toxic") && u.info->types.has(dex::Type::Poison);
  if (t.invulnerable != Invulnerable::None && !poison_toxic) {
    const bool reaches =
        (t.invulnerable == Invulnerable::Fly && (move.is("gust") || move.is("twister") || move.is("thunder"))) ||
        (t.invulnerable == Invulnerable::Dig && move.is("earthquake"));
    if (!reaches) {
      emit_simple(EventKind::Miss, user, {}, &move);
      move_failed(user, slot);
      return;
    }
  }
  // 1: TryHit — Protect.
  if (t.protect && move.has_flag("protect")) {
    emit_simple(EventKind::Protected, target);
    if (u.locked_slot >= 0 && u.locked_duration == 2) {
      u.locked_slot = -1;
      u.locked_duration = 0;
    }
    move_failed(user, slot);
    return;
  }
  if (kind == MoveKind::BrickBreak) {
    if (t.reflect > 0) emit_simple(EventKind::SideEnd, target, "reflect");
    if (t.light_screen > 0) emit_simple(EventKind::SideEnd, target, "lightscreen");
    t.reflect = 0;
    t.light_screen = 0;
  }
  if (kind == MoveKind::Yawn && (t.status != Status::None || t.yawn_duration > 0)) {
    emit_simple(EventKind::Fail, user, {}, &move);
    return;
  }
  // 2: type immunity (status moves ignore it, except Thunder Wave).
  const dex::Typing tt = typing(target);
  const bool checks_type = (move.is_damaging() && slot != kStruggleSlot) || move.is("thunderwave");
  if (checks_type && chart_.quarters(move.type, tt) == 0) {
    emit_simple(EventKind::Immune, target);
    move_failed(user, slot);
    return;
  }
  // 3: move-specific immunities.
  if ((move.has_flag("powder") && tt.has(dex::Type::Grass)) ||
      (kind == MoveKind::LeechSeed && tt.has(dex::Type::Grass)) ||
      (kind == MoveKind::DreamEater && t.status != Status::Sleep)) {
    emit_simple(EventKind::Immune, target);
    move_failed(user, slot);
    return;
  }
  // 4: accuracy.
  bool hits = true;
  if (move.ohko) {
    const Chance c = ohko_hit_chance(chart_, move, u.info->types, u.info->level, tt, t.info->level);
    if (u.info->level < t.info->level) {
      emit_simple(EventKind::Immune, target);
      move_failed(user, slot);
      return;
    }
    hits = rng_->chance(c.num, c.den);
  } else if (move.accuracy && !poison_toxic && !(t.minimized && move.has_flag("minimize"))) {
    const Chance c = hit_chance(move, u.boosts[kAcc], t.boosts[kEva]);
    hits = c.num >= c.den || rng_->chance(c.num, c.den);
  }
  if (!hits) {
    emit_simple(EventKind::Miss, user, {}, &move);
    move_failed(user, slot);
    return;
  }
  // 5: Feint breaks protection (Protect itself was handled above: Feint has no protect flag).
  if (kind == MoveKind::Feint && t.protect) {
    t.protect = false;
    t.stall_duration = 0;
  }
  if (!move.is_damaging()) {
    // Status moves aimed at the foe. A substitute blocks them unless they are sound-based (bypasssub).
    if (t.substitute_hp > 0 && !move.has_flag("bypasssub")) {
      emit_simple(EventKind::Fail, user, {}, &move);
      return;
    }
    bool did = false;
    bool failed = false;
    if (move.boosts) did |= boost(target, user, *move.boosts);
    if (move.status != Status::None) {
      if (set_status(target, move.status)) {
        did = true;
      } else {
        failed = true;
      }
    }
    if (!failed && move.volatile_status && *move.volatile_status == "confusion") did |= add_confusion(target);
    if (kind == MoveKind::LeechSeed) {
      if (!t.leech_seeded) {
        t.leech_seeded = true;
        emit_simple(EventKind::Volatile, target, "leechseed");
        did = true;
      }
    }
    if (kind == MoveKind::Yawn) {
      t.yawn_duration = 2;
      emit_simple(EventKind::Volatile, target, "yawn");
      did = true;
    }
    if (move.self_boosts) did |= boost(user, user, *move.self_boosts);
    if (!did || failed) emit_simple(EventKind::Fail, user, {}, &move);
    return;
  }
  const bool any_hit = move_hit_loop(user, target, slot);
  if (!any_hit) move_failed(user, slot);
}

// Damaging moves: the hit loop with per-hit secondaries, then recoil. Returns whether the move hit.
bool Engine::move_hit_loop(int user, int target, int slot) {
  Mon& u = mon_[user];
  Mon& t = mon_[target];
  const dex::Move& move = move_of(user, slot);
  int hits = 1;
  if (move.multihit) {
    if (move.multihit->first == 2 && move.multihit->second == 5) {
      // Gen 5+: sample([2×7, 3×7, 4×3, 5×3]).
      static constexpr int kHits[20] = {2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5};
      hits = kHits[rng_->below(20)];
    } else {
      hits = move.multihit->first;
    }
  }
  int total_damage = 0;
  int hit = 1;
  for (; hit <= hits; ++hit) {
    if (t.hp <= 0) break;
    if (hit > 1 && u.status == Status::Sleep) break;
    int roll, eff;
    bool crit;
    const int raw = hit_damage(user, target, slot, &roll, &crit, &eff);
    bool hit_sub = false;
    if (t.substitute_hp > 0 && !move.has_flag("bypasssub")) {
      hit_sub = true;
      const int dmg = std::min(raw, t.substitute_hp);
      t.substitute_hp -= dmg;
      if (log_) {
        Event e;
        e.kind = EventKind::SubDamage;
        e.side = target;
        e.value = dmg;
        e.crit = crit;
        e.roll = roll;
        e.effectiveness_quarters = eff;
        emit(e);
      }
      if (t.substitute_hp <= 0) {
        t.substitute_hp = 0;
        emit_simple(EventKind::VolatileEnd, target, "substitute");
      }
      // Recoil and drain apply per hit on a substitute (TryPrimaryHit).
      if (slot == kStruggleSlot) {
        const int lost = damage(user, std::max(1, js_round_frac(u.max_hp, 1, 4)));
        emit_hp(EventKind::Residual, user, lost, "recoil");
      } else if (move.recoil && dmg > 0) {
        const int lost = damage(user, std::max(1, js_round_frac(dmg, move.recoil->num, move.recoil->den)));
        emit_hp(EventKind::Residual, user, lost, "recoil");
      }
      if (move.drain && dmg > 0) {
        const int amount = (dmg * move.drain->num + move.drain->den - 1) / move.drain->den;
        const int healed = heal(user, std::max(1, amount));
        if (healed) emit_hp(EventKind::Heal, user, healed, "drain");
      }
    } else {
      const int dealt = damage(target, raw);
      total_damage += dealt;
      if (log_) {
        Event e;
        e.kind = EventKind::Damage;
        e.side = target;
        e.move = &move;
        e.value = dealt;
        e.crit = crit;
        e.roll = roll;
        e.effectiveness_quarters = eff;
        e.hp_after = t.hp;
        e.max_hp = t.max_hp;
        emit(e);
      }
      if (move.drain && dealt > 0) {
        const int amount = js_round_frac(dealt, move.drain->num, move.drain->den);
        if (amount > 0) {
          const int healed = heal(user, amount);
          if (healed) emit_hp(EventKind::Heal, user, healed, "drain");
        }
      }
    }
    after_hit_effects(user, target, slot, hit_sub);
    if (u.hp <= 0) {
      ++hit;
      break;
    }
  }
  if (move.multihit) emit_simple(EventKind::HitCount, target, {}, nullptr, hit - 1);
  process_faints(u.hp <= 0);
  if (ended_) return true;
  if (total_damage > 0) {
    if (slot == kStruggleSlot) {
      const int lost = damage(user, std::max(1, js_round_frac(u.max_hp, 1, 4)));
      emit_hp(EventKind::Residual, user, lost, "recoil");
    } else if (move.recoil) {
      const int lost = damage(user, std::max(1, js_round_frac(total_damage, move.recoil->num, move.recoil->den)));
      emit_hp(EventKind::Residual, user, lost, "recoil");
    }
  }
  // AfterMoveSecondary: Scald thaws its target.
  if (move.is("scald") && t.status == Status::Freeze && t.hp > 0) cure_status(target);
  return true;
}

void Engine::after_hit_effects(int user, int target, int slot, bool hit_substitute) {
  Mon& u = mon_[user];
  Mon& t = mon_[target];
  const dex::Move& move = move_of(user, slot);
  const MoveKind kind = kind_of(user, slot);
  const bool target_alive = t.hp > 0;
  // runMoveEffects (primary effects on the target).
  if (!hit_substitute && target_alive) {
    if (move.boosts) boost(target, user, *move.boosts);
    if (move.status != Status::None) set_status(target, move.status);
    if (move.volatile_status && *move.volatile_status == "confusion") add_confusion(target);
    switch (kind) {
      case MoveKind::ClearSmog:
        clear_boosts(target);
        break;
      case MoveKind::FreezyFrost:
        clear_boosts(0);
        clear_boosts(1);
        break;
      case MoveKind::SappySeed:
        if (!typing(target).has(dex::Type::Grass) && !t.leech_seeded) {
          t.leech_seeded = true;
          emit_simple(EventKind::Volatile, target, "leechseed");
        }
        break;
      case MoveKind::PartialTrap:
        if (t.trap_duration == 0) {
          t.trap_duration = rng_->range(5, 7);
          emit_simple(EventKind::Volatile, target, "partiallytrapped");
        }
        break;
      default:
        break;
    }
  }
  // Self effects (selfDrops), applied whether or not a substitute took the hit.
  if (u.hp > 0) {
    if (move.self_boosts) boost(user, user, *move.self_boosts);
    if (move.recharge) u.recharge = 2;
    if (kind == MoveKind::Reflect && u.reflect == 0) {
      u.reflect = 5;
      emit_simple(EventKind::SideStart, user, "reflect");
    }
    if (kind == MoveKind::LightScreen && u.light_screen == 0) {
      u.light_screen = 5;
      emit_simple(EventKind::SideStart, user, "lightscreen");
    }
    if (kind == MoveKind::SparklySwirl) cure_status(user);
    if (kind == MoveKind::LockedMove) {
      if (u.locked_slot < 0) {
        u.locked_slot = slot;
        u.locked_duration = 2;
        u.locked_true_duration = rng_->range(2, 4);
      } else if (u.locked_true_duration >= 2) {
        u.locked_duration = 2;
      }
    }
  }
  // Secondaries (each rolls random(100) < chance).
  for (const dex::Secondary& sec : move.secondaries) {
    const bool roll = static_cast<int>(rng_->below(100)) < sec.chance;
    if (!roll) continue;
    if (sec.self_boosts) {
      if (u.hp > 0) boost(user, user, *sec.self_boosts);
      continue;
    }
    if (hit_substitute || t.hp <= 0) continue;
    if (sec.status != Status::None) set_status(target, sec.status);
    if (sec.volatile_status) {
      if (*sec.volatile_status == "flinch") {
        t.flinch = true;
      } else if (*sec.volatile_status == "confusion") {
        add_confusion(target);
      }
    }
    if (sec.boosts) boost(target, user, *sec.boosts);
  }
  if (kind == MoveKind::TriAttack && !hit_substitute && t.hp > 0) {
    if (static_cast<int>(rng_->below(100)) < 20) {
      static constexpr Status kTri[3] = {Status::Burn, Status::Paralysis, Status::Freeze};
      set_status(target, kTri[rng_->below(3)]);
    }
  }
  // DamagingHit: a Fire-type damaging move thaws a frozen target.
  if (!hit_substitute && t.hp > 0 && t.status == Status::Freeze && move.type == dex::Type::Fire &&
      slot != kStruggleSlot) {
    cure_status(target);
  }
}

// ---------------------------------------------------------------------------------------------------------
// End of turn (Showdown's Residual event: by order, then speed, ties random)

bool Engine::residual_damage_step(int order) {
  // Which Pokémon have a handler at this order.
  bool has[2] = {false, false};
  for (int i = 0; i < 2; ++i) {
    const Mon& m = mon_[i];
    if (m.fainted || m.hp <= 0) continue;
    switch (order) {
      case 8:
        has[i] = m.leech_seeded;
        break;
      case 9:
        has[i] = m.status == Status::Poison || m.status == Status::Toxic;
        break;
      case 10:
        has[i] = m.status == Status::Burn;
        break;
      case 13:
        has[i] = m.trap_duration > 0;
        break;
      case 23:
        has[i] = m.yawn_duration > 0;
        break;
      default:
        break;
    }
  }
  int first = 0;
  if (has[0] && has[1]) {
    const int s0 = speed(0), s1 = speed(1);
    first = s0 > s1 ? 0 : s1 > s0 ? 1 : static_cast<int>(rng_->below(2));
  }
  for (int k = 0; k < 2; ++k) {
    const int i = k == 0 ? first : 1 - first;
    if (!has[i]) continue;
    Mon& m = mon_[i];
    if (m.fainted || m.hp <= 0) continue;
    switch (order) {
      case 8: {
        const int lost = damage(i, std::max(1, m.max_hp / 8));
        emit_hp(EventKind::Residual, i, lost, "leechseed");
        const int healed = heal(1 - i, lost);
        if (healed) emit_hp(EventKind::Heal, 1 - i, healed, "leechseed");
        break;
      }
      case 9: {
        int amount;
        if (m.status == Status::Toxic) {
          if (m.toxic_stage < 15) m.toxic_stage++;
          amount = m.max_hp < 16 ? m.toxic_stage : m.max_hp * m.toxic_stage / 16;
        } else {
          amount = std::max(1, m.max_hp / 8);
        }
        emit_hp(EventKind::Residual, i, damage(i, amount), m.status == Status::Toxic ? "tox" : "psn");
        break;
      }
      case 10:
        emit_hp(EventKind::Residual, i, damage(i, std::max(1, m.max_hp / 16)), "brn");
        break;
      case 13:
        if (--m.trap_duration == 0) {
          emit_simple(EventKind::VolatileEnd, i, "partiallytrapped");
        } else {
          emit_hp(EventKind::Residual, i, damage(i, std::max(1, m.max_hp / 8)), "trap");
        }
        break;
      case 23:
        if (--m.yawn_duration == 0) set_status(i, Status::Sleep);
        break;
      default:
        break;
    }
    process_faints(true);
    if (ended_) return true;
  }
  return false;
}

void Engine::residual() {
  for (int order : {8, 9, 10, 13, 23}) {
    if (residual_damage_step(order)) return;
  }
  for (int i = 0; i < 2; ++i) {
    Mon& m = mon_[i];
    m.roost = false;  // order 25, duration 1
    // Side conditions (order 26): Reflect, Light Screen, Mist.
    if (m.reflect > 0 && --m.reflect == 0) emit_simple(EventKind::SideEnd, i, "reflect");
    if (m.light_screen > 0 && --m.light_screen == 0) emit_simple(EventKind::SideEnd, i, "lightscreen");
    if (m.mist > 0 && --m.mist == 0) emit_simple(EventKind::SideEnd, i, "mist");
    // Duration-only volatiles.
    m.flinch = false;
    m.protect = false;
    if (m.stall_duration > 0 && --m.stall_duration == 0) m.stall_counter = 0;
    if (m.recharge > 0) --m.recharge;
    if (m.twoturn_duration > 0 && --m.twoturn_duration == 0) {
      m.charging_slot = -1;
      m.charged = false;
      m.invulnerable = Invulnerable::None;
    }
    if (m.locked_slot >= 0) {
      if (--m.locked_duration == 0) {
        m.locked_slot = -1;
        if (m.locked_true_duration <= 1) add_confusion(i);
      } else {
        if (m.status == Status::Sleep) {
          m.locked_slot = -1;
          m.locked_duration = 0;
        }
        m.locked_true_duration--;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------

BattleResult Engine::run(Rng& rng, EventLog* log) {
  rng_ = &rng;
  log_ = log;
  turn_ = 0;
  ended_ = false;
  winner_ = 0;
  faint_queue_len_ = 0;
  for (int i = 0; i < 2; ++i) {
    Mon& m = mon_[i];
    m = Mon{};
    m.info = &s_.side(i);
    m.max_hp = m.info->stats[dex::Stat::HP];
    m.hp = m.max_hp;
    for (int k = 0; k < m.info->move_count; ++k) m.pp[k] = m.info->moves[k].max_pp;
  }
  if (log_) {
    log_->names[0] = s_.side(0).species->name;
    log_->names[1] = s_.side(1).species->name;
  }
  const int limit = s_.turn_limit();
  while (!ended_ && turn_ < limit) {
    ++turn_;
    emit_simple(EventKind::Turn, 0, {}, nullptr, turn_);
    for (int i = 0; i < 2; ++i) {
      Action& a = actions_[i];
      a.slot = choose(i);
      a.done = false;
      a.priority = (a.slot == kRechargeSlot) ? 0 : move_of(i, a.slot).priority;
      a.speed = speed(i);
    }
    int first;
    if (actions_[0].priority != actions_[1].priority) {
      first = actions_[0].priority > actions_[1].priority ? 0 : 1;
    } else if (actions_[0].speed != actions_[1].speed) {
      first = actions_[0].speed > actions_[1].speed ? 0 : 1;
    } else {
      first = static_cast<int>(rng_->below(2));
    }
    run_action(first, actions_[first]);
    if (ended_) break;
    run_action(1 - first, actions_[1 - first]);
    if (ended_) break;
    residual();
  }
  if (!ended_) {
    winner_ = 0;
    emit_simple(EventKind::Win, -1);
  }
  return {winner_, turn_};
}

// ---------------------------------------------------------------------------------------------------------

BattleRunner::BattleRunner(const BattleSetup& setup) : engine_(std::make_unique<Engine>(setup)) {}
BattleRunner::~BattleRunner() = default;
BattleResult BattleRunner::run(Rng& rng, EventLog* log) {
  return engine_->run(rng, log);
}

BattleResult run_battle(const dex::Dex& dex, const BattleConfig& config, Rng& rng, EventLog* log) {
  BattleSetup setup(dex, config);
  BattleRunner runner(setup);
  return runner.run(rng, log);
}

}  // namespace pdex::battle
