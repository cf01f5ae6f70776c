// One LGPE move (a row of content.moves in data/lgpe-dex.json). Fields follow Showdown's move data,
// with LGPE values; the battle engine decides which combinations it implements.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dex/type.h"

namespace pdex::dex {

enum class MoveCategory : std::uint8_t { Physical, Special, Status };
std::string_view category_name(MoveCategory c);                  // "Physical", "Special", "Status"
std::optional<MoveCategory> parse_category(std::string_view s);  // exact case, as in the data file

// Major status conditions, with Showdown's ids.
enum class Status : std::uint8_t { None, Burn, Freeze, Paralysis, Poison, Toxic, Sleep };
std::string_view status_id(Status s);                       // "", "brn", "frz", "par", "psn", "tox", "slp"
std::optional<Status> parse_status_id(std::string_view s);  // nullopt if unknown ("" -> None)

// Stage changes: index = Stat (HP unused) plus accuracy (6) and evasion (7).
struct Boosts {
  std::int8_t atk = 0, def = 0, spa = 0, spd = 0, spe = 0, accuracy = 0, evasion = 0;
  bool empty() const { return !(atk || def || spa || spd || spe || accuracy || evasion); }
  bool operator==(const Boosts&) const = default;
};

struct Fraction {
  int num = 0;
  int den = 1;
  bool operator==(const Fraction&) const = default;
};

// What a secondary effect does when its chance hits. Exactly one of the members is set.
struct Secondary {
  int chance = 100;  // percent, 1..100
  Status status = Status::None;
  std::optional<std::string> volatile_status;  // "flinch", "confusion"
  std::optional<Boosts> boosts;                // on the target
  std::optional<Boosts> self_boosts;           // on the user
  bool operator==(const Secondary&) const = default;
};

struct FixedDamage {
  enum class Kind : std::uint8_t { Level, Constant, HalfHp } kind = Kind::Constant;
  int amount = 0;  // for Constant
  bool operator==(const FixedDamage&) const = default;
};

struct Move {
  int id = 0;  // Showdown move number
  std::string showdown_id;
  std::string name;
  std::optional<std::string> name_fr;
  // Whether this is the move with that Showdown id. The battle engine asks this on every damage roll: comparing
  // sizes first (string_view's ==) skips the memcmp that std::string == const char* always makes in libstdc++ 12.
  bool is(std::string_view other_showdown_id) const noexcept {
    return std::string_view(showdown_id) == other_showdown_id;
  }
  Type type = Type::Normal;
  MoveCategory category = MoveCategory::Physical;
  int power = 0;
  std::optional<int> accuracy;  // nullopt: never misses
  int pp = 0;
  int priority = 0;
  int crit_ratio = 1;
  bool will_crit = false;
  std::optional<std::pair<int, int>> multihit;
  std::optional<Fraction> recoil;
  std::optional<Fraction> drain;
  std::optional<Fraction> heal;
  bool self_destruct = false;
  bool ohko = false;
  std::optional<FixedDamage> fixed_damage;
  bool charge = false;
  bool recharge = false;
  Status status = Status::None;
  std::optional<std::string> volatile_status;
  std::optional<std::string> side_condition;
  std::optional<Boosts> boosts;
  std::optional<Boosts> self_boosts;
  std::vector<Secondary> secondaries;
  std::vector<std::string> flags;
  std::string target;
  bool is_partner_move = false;
  std::string short_desc;
  // Fields added after the first draft of the format (docs/data-format.md).
  std::optional<std::string> self_volatile_status;  // "mustrecharge", "lockedmove", "rage", "roost"
  std::optional<std::string> self_side_condition;   // "reflect" (Baddy Bad), "lightscreen" (Glitzy Glow)
  bool self_switch = false;
  bool force_switch = false;
  bool crash_damage = false;
  std::vector<std::string> other_properties;  // sorted: "breaksProtect", "callsMove", ...
  std::vector<std::string> callbacks;         // Showdown function names, sorted ("onHit", "secondary.onHit")

  bool is_damaging() const { return category != MoveCategory::Status; }
  bool has_flag(std::string_view f) const;
  bool operator==(const Move&) const = default;
};

}  // namespace pdex::dex
