#include "battle/event_log.h"

namespace pdex::battle {

std::string_view event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::Turn:
      return "turn";
    case EventKind::Move:
      return "move";
    case EventKind::Cant:
      return "cant";
    case EventKind::Miss:
      return "miss";
    case EventKind::Immune:
      return "immune";
    case EventKind::Fail:
      return "fail";
    case EventKind::Protected:
      return "protected";
    case EventKind::Prepare:
      return "prepare";
    case EventKind::Damage:
      return "damage";
    case EventKind::HitCount:
      return "hitcount";
    case EventKind::Residual:
      return "residual";
    case EventKind::Heal:
      return "heal";
    case EventKind::Status:
      return "status";
    case EventKind::CureStatus:
      return "curestatus";
    case EventKind::Boost:
      return "boost";
    case EventKind::Volatile:
      return "volatile";
    case EventKind::VolatileEnd:
      return "volatile_end";
    case EventKind::SideStart:
      return "side_start";
    case EventKind::SideEnd:
      return "side_end";
    case EventKind::SubDamage:
      return "sub_damage";
    case EventKind::Faint:
      return "faint";
    case EventKind::Win:
      return "win";
  }
  return "?";
}

namespace {

std::string effectiveness_text(int q) {
  switch (q) {
    case 0:
      return "no effect";
    case 1:
      return "x0.25";
    case 2:
      return "not very effective";
    case 8:
      return "super effective";
    case 16:
      return "x4 super effective";
    default:
      return "";
  }
}

std::string hp_text(const Event& e) {
  if (e.hp_after < 0) return "";
  return ", " + std::to_string(e.hp_after) + "/" + std::to_string(e.max_hp) + " HP left";
}

}  // namespace

std::string describe(const EventLog& log, const Event& e) {
  const std::string who = (e.side == 0 || e.side == 1) ? log.names[e.side] : std::string("nobody");
  const std::string move = e.move ? e.move->name : std::string("?");
  const std::string detail(e.detail);
  switch (e.kind) {
    case EventKind::Turn:
      return "Turn " + std::to_string(e.value);
    case EventKind::Move:
      return who + " used " + move;
    case EventKind::Cant:
      return who + " can't move (" + detail + ")";
    case EventKind::Miss:
      return who + "'s " + move + " missed";
    case EventKind::Immune:
      return who + " is unaffected";
    case EventKind::Fail:
      return who + "'s " + move + " failed" + (detail.empty() ? "" : " (" + detail + ")");
    case EventKind::Protected:
      return who + " protected itself";
    case EventKind::Prepare:
      return who + " is charging " + move;
    case EventKind::Damage: {
      std::string extra;
      if (e.crit) extra += "critical";
      if (e.roll >= 0) extra += std::string(extra.empty() ? "" : ", ") + "roll " + std::to_string(85 + e.roll) + "%";
      const std::string eff = effectiveness_text(e.effectiveness_quarters);
      if (!eff.empty()) extra += std::string(extra.empty() ? "" : ", ") + eff;
      return who + " took " + std::to_string(e.value) + " damage" + (extra.empty() ? "" : " (" + extra + ")") +
             hp_text(e);
    }
    case EventKind::HitCount:
      return who + " was hit " + std::to_string(e.value) + " times";
    case EventKind::Residual:
      return who + " took " + std::to_string(e.value) + " damage from " + detail + hp_text(e);
    case EventKind::Heal:
      return who + " healed " + std::to_string(e.value) + " HP (" + detail + ")" + hp_text(e);
    case EventKind::Status:
      return who + " got status " + detail;
    case EventKind::CureStatus:
      return who + " is no longer " + detail;
    case EventKind::Boost:
      return who + "'s " + detail + (e.value >= 0 ? " rose by " : " fell by ") +
             std::to_string(e.value >= 0 ? e.value : -e.value);
    case EventKind::Volatile:
      return who + " is affected by " + detail;
    case EventKind::VolatileEnd:
      return who + "'s " + detail + " ended";
    case EventKind::SideStart:
      return detail + " protects " + who + "'s side";
    case EventKind::SideEnd:
      return detail + " wore off on " + who + "'s side";
    case EventKind::SubDamage:
      return who + "'s substitute took " + std::to_string(e.value) + " damage";
    case EventKind::Faint:
      return who + " fainted";
    case EventKind::Win:
      return e.side < 0 ? std::string("The battle is a draw") : who + " wins";
  }
  return "";
}

nlohmann::ordered_json event_json(const EventLog& log, const Event& e) {
  nlohmann::ordered_json ev = {{"turn", e.turn}, {"kind", std::string(event_kind_name(e.kind))}};
  if (e.side == 0 || e.side == 1) ev["side"] = e.side + 1;
  if (e.move) ev["move"] = e.move->name;
  if (!e.detail.empty()) ev["detail"] = std::string(e.detail);
  switch (e.kind) {
    case EventKind::Damage:
    case EventKind::SubDamage:
      ev["damage"] = e.value;
      ev["crit"] = e.crit;
      if (e.roll >= 0) ev["roll_percent"] = 85 + e.roll;
      ev["effectiveness"] = e.effectiveness_quarters / 4.0;
      break;
    default:
      if (e.value != 0 || e.kind == EventKind::Turn) ev["value"] = e.value;
      break;
  }
  if (e.hp_after >= 0) {
    ev["hp_after"] = e.hp_after;
    ev["max_hp"] = e.max_hp;
  }
  ev["text"] = describe(log, e);
  return ev;
}

}  // namespace pdex::battle
