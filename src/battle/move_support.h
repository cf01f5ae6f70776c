// Which LGPE moves the battle engine implements, and how. Every move of the data file is classified
// explicitly: a move whose Showdown behaviour the engine does not reproduce is rejected with a reason
// (validate_config reports it) instead of being run as a plain attack.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dex/move.h"

namespace pdex::battle {

// Behaviour beyond what the generic fields (power, accuracy, multihit, recoil, drain, heal, status,
// boosts, self_boosts, secondaries, charge, recharge, self_destruct, ohko, fixed_damage) describe.
enum class MoveKind : std::uint8_t {
  Standard,         // fully described by the generic fields
  NoEffect,         // Splash, Celebrate, Stealth Rock (no switching in 1v1): used, nothing happens
  Fails,            // Teleport, Roar, Whirlwind, Helping Hand: fail in a 1v1 trainer battle (no party, no ally)
  Protect,          // Protect, Detect: stall counter (1/3^n), fails when moving last
  Substitute,       // 1/4 max HP doll
  Rest,             // full heal, sleep for exactly 2 turns
  Haze,             // clears every stage
  ClearSmog,        // clears the target's stages on hit
  FreezyFrost,      // damage, then clears every stage
  SappySeed,        // damage, then Leech Seed
  SparklySwirl,     // damage, then cures the user's status
  LeechSeed,        // 1/8 max HP drained each turn (Grass immune)
  Yawn,             // sleep at the end of the next turn
  FocusEnergy,      // crit ratio +2
  Minimize,         // evasion +2, minimize-flagged moves double damage and never miss
  Mist,             // 5 turns: stage drops from the foe are blocked
  Reflect,          // 5 turns: physical damage halved (not crits)
  LightScreen,      // 5 turns: special damage halved (not crits)
  Roost,            // heal 1/2, loses Flying type until end of turn
  BrickBreak,       // removes the target side's Reflect and Light Screen before hitting
  SuckerPunch,      // fails unless the target is about to use a damaging move
  FakeOut,          // only on the user's first action
  DreamEater,       // only against a sleeping target
  Facade,           // power doubled when the user has a non-sleep status; ignores burn's halving
  LowKick,          // power from the target's weight
  FoulPlay,         // uses the target's Attack and Attack stage
  TriAttack,        // 20 %: burn, paralysis or freeze (1/3 each)
  FriendshipPower,  // Pika Papow, Veevee Volley: power from friendship (callback_base_power: 28)
  CrashOnMiss,      // Jump Kick, High Jump Kick: user loses 1/2 max HP when the move fails
  LockedMove,       // Thrash, Outrage, Petal Dance: 2-3 turns, then confusion
  PartialTrap,      // Bind, Wrap, Fire Spin, Clamp: 1/8 max HP for 4-5 turns
  Psywave,          // random damage level × [50, 150] %
  Feint,            // breaks Protect
};

struct MoveSupport {
  MoveKind kind = MoveKind::Standard;
  std::optional<std::string> unsupported;  // set: the engine refuses the move; the text says why
};

// Classification of one move. Pure; identical for every call.
MoveSupport classify_move(const dex::Move& move);

}  // namespace pdex::battle
