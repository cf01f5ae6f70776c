// What happened in one battle, event by event, for `pdex battle simulate` and the simulate API route.
// Recording is optional: the engine only touches a log when one is passed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dex/move.h"

namespace pdex::battle {

enum class EventKind : std::uint8_t {
  Turn,         // a new turn begins (value = turn number)
  Move,         // side uses move
  Cant,         // side cannot act; detail: "par", "slp", "frz", "flinch", "recharge", "nopp"
  Miss,         // side's move missed
  Immune,       // target (side) is unaffected
  Fail,         // side's move failed; detail may say why
  Protected,    // side protected itself from the move
  Prepare,      // side charges a two-turn move
  Damage,       // side took `value` damage from a move (crit, roll, effectiveness set)
  HitCount,     // side was hit `value` times
  Residual,     // side took `value` damage; detail: "brn", "psn", "tox", "leechseed", "trap", "recoil",
                // "confusion", "crash", "substitute"
  Heal,         // side healed `value`; detail: "drain", "move", "leechseed"
  Status,       // side got major status `detail`
  CureStatus,   // side's status `detail` ended
  Boost,        // side's stat `detail` changed by `value` stages
  Volatile,     // side got volatile `detail` ("confusion", "substitute", "leechseed", "yawn", ...)
  VolatileEnd,  // side's volatile `detail` ended
  SideStart,    // side's screen `detail` ("reflect", "lightscreen", "mist") started
  SideEnd,      // ... ended
  SubDamage,    // side's substitute took `value` damage
  Faint,        // side fainted
  Win,          // side won (side = -1: draw)
};

struct Event {
  int turn = 0;
  EventKind kind = EventKind::Turn;
  int side = 0;                     // 0 = p1, 1 = p2; the Pokémon the event is about
  const dex::Move* move = nullptr;  // Move, Miss, Fail, Damage, Prepare
  int value = 0;
  int hp_after = -1;  // HP of `side` after the event, where it changed
  int max_hp = 0;
  bool crit = false;               // Damage
  int roll = -1;                   // Damage: index 0..15 of the damage roll (85 + roll %), -1 if none
  int effectiveness_quarters = 4;  // Damage: 0, 1, 2, 4, 8, 16 (4 = neutral)
  std::string_view detail;         // static strings only
};

struct EventLog {
  std::string names[2];  // display names of the two Pokémon
  std::vector<Event> events;
  void add(const Event& e) { events.push_back(e); }
};

// One line per event in plain English ("Turn 2", "Pikachu used Thunderbolt", "Charizard took 57 damage
// (critical, roll 93%, super effective), 41/138 HP left", ...).
std::string describe(const EventLog& log, const Event& e);
std::string_view event_kind_name(EventKind k);  // "turn", "move", ...

// One event as the JSON of `pdex battle simulate --json` and POST /api/v1/simulate/battle: turn, kind, side
// (1 or 2), move, detail, then damage, crit, roll_percent, effectiveness for damage events or value (always
// for turns, else when non-zero), hp_after and max_hp where HP changed, and text (describe()).
nlohmann::ordered_json event_json(const EventLog& log, const Event& e);

}  // namespace pdex::battle
