#include "battle/move_support.h"

#include <string_view>
#include <unordered_map>

namespace pdex::battle {
namespace {

// Moves whose Showdown callbacks the engine reproduces (keyed by Showdown id).
const std::unordered_map<std::string_view, MoveKind>& special_moves() {
  static const std::unordered_map<std::string_view, MoveKind> table = {
      {"protect", MoveKind::Protect},
      {"detect", MoveKind::Protect},
      {"substitute", MoveKind::Substitute},
      {"rest", MoveKind::Rest},
      {"haze", MoveKind::Haze},
      {"clearsmog", MoveKind::ClearSmog},
      {"freezyfrost", MoveKind::FreezyFrost},
      {"sappyseed", MoveKind::SappySeed},
      {"sparklyswirl", MoveKind::SparklySwirl},
      {"leechseed", MoveKind::LeechSeed},
      {"yawn", MoveKind::Yawn},
      {"focusenergy", MoveKind::FocusEnergy},
      {"minimize", MoveKind::Minimize},
      {"mist", MoveKind::Mist},
      {"reflect", MoveKind::Reflect},
      {"baddybad", MoveKind::Reflect},  // damage, then Reflect on the user's side
      {"lightscreen", MoveKind::LightScreen},
      {"glitzyglow", MoveKind::LightScreen},  // damage, then Light Screen on the user's side
      {"roost", MoveKind::Roost},
      {"brickbreak", MoveKind::BrickBreak},
      {"suckerpunch", MoveKind::SuckerPunch},
      {"fakeout", MoveKind::FakeOut},
      {"dreameater", MoveKind::DreamEater},
      {"facade", MoveKind::Facade},
      {"lowkick", MoveKind::LowKick},
      {"foulplay", MoveKind::FoulPlay},
      {"triattack", MoveKind::TriAttack},
      {"pikapapow", MoveKind::FriendshipPower},
      {"veeveevolley", MoveKind::FriendshipPower},
      {"jumpkick", MoveKind::CrashOnMiss},
      {"highjumpkick", MoveKind::CrashOnMiss},
      {"thrash", MoveKind::LockedMove},
      {"outrage", MoveKind::LockedMove},
      {"petaldance", MoveKind::LockedMove},
      {"bind", MoveKind::PartialTrap},
      {"wrap", MoveKind::PartialTrap},
      {"firespin", MoveKind::PartialTrap},
      {"clamp", MoveKind::PartialTrap},
      {"psywave", MoveKind::Psywave},
      {"feint", MoveKind::Feint},
      {"splash", MoveKind::NoEffect},
      {"celebrate", MoveKind::NoEffect},
      {"stealthrock", MoveKind::NoEffect},  // hazard only hurts switch-ins; nobody switches in 1v1
      {"teleport", MoveKind::Fails},        // LGPE mod: onTry = canSwitch(side), false without a party
      {"roar", MoveKind::Fails},            // forceSwitch with no Pokémon to drag in
      {"whirlwind", MoveKind::Fails},
      {"helpinghand", MoveKind::Fails},  // no ally in singles
  };
  return table;
}

const std::unordered_map<std::string_view, std::string_view>& unsupported_moves() {
  static const std::unordered_map<std::string_view, std::string_view> table = {
      {"counter", "returns damage taken this turn (damage bookkeeping not implemented)"},
      {"mirrorcoat", "returns damage taken this turn (damage bookkeeping not implemented)"},
      {"bide", "stores damage over turns (not implemented)"},
      {"disable", "disables the foe's last move (move disabling not implemented)"},
      {"encore", "forces the foe to repeat its move (not implemented)"},
      {"taunt", "blocks the foe's status moves (not implemented)"},
      {"mimic", "copies the foe's move (move replacement not implemented)"},
      {"metronome", "calls a random move (not implemented)"},
      {"mirrormove", "calls the foe's last move (not implemented)"},
      {"transform", "copies the foe (not implemented)"},
      {"conversion", "changes the user's type (type changes not implemented)"},
      {"rage", "Attack rises when hit while raging (not implemented)"},
  };
  return table;
}

bool known_volatile(std::string_view v) {
  return v == "confusion" || v == "defensecurl";
}

std::optional<std::string> generic_problem(const dex::Move& m) {
  if (m.volatile_status && !known_volatile(*m.volatile_status)) {
    return "volatile status '" + *m.volatile_status + "' is not implemented";
  }
  if (m.side_condition) return "side condition '" + *m.side_condition + "' is not implemented";
  if (m.is_damaging() && m.power <= 0 && !m.fixed_damage && !m.ohko) {
    return "variable base power is not implemented";
  }
  if (m.multihit && !(m.multihit->first == m.multihit->second || (m.multihit->first == 2 && m.multihit->second == 5))) {
    return "multi-hit range is not implemented";
  }
  for (const auto& s : m.secondaries) {
    if (s.volatile_status && *s.volatile_status != "flinch" && *s.volatile_status != "confusion") {
      return "secondary volatile '" + *s.volatile_status + "' is not implemented";
    }
  }
  if (!m.is_damaging() && m.status == dex::Status::None && !m.volatile_status && !m.boosts && !m.self_boosts &&
      !m.heal) {
    return "status move without an implemented effect";
  }
  return std::nullopt;
}

}  // namespace

MoveSupport classify_move(const dex::Move& move) {
  MoveSupport result;
  if (auto it = unsupported_moves().find(move.showdown_id); it != unsupported_moves().end()) {
    result.unsupported = std::string(it->second);
    return result;
  }
  if (auto it = special_moves().find(move.showdown_id); it != special_moves().end()) {
    result.kind = it->second;
    return result;
  }
  result.unsupported = generic_problem(move);
  return result;
}

}  // namespace pdex::battle
