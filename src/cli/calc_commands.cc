// `pdex calc damage`: the 16 damage rolls of one move, from the battle engine's damage formula.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "battle/damage.h"
#include "battle/mechanics.h"
#include "cli/command.h"
#include "cli/dex_source.h"
#include "common/settings.h"
#include "dex/dex.h"
#include "dex/dex_json.h"

namespace pdex::cli {
namespace {

using nlohmann::json;

// "HP,ATK,DEF,SPA,SPD,SPE": six positive integers.
dex::StatTable parse_stats(const std::string& option, const std::string& text) {
  const std::string usage = option + ": expected 6 positive integers HP,ATK,DEF,SPA,SPD,SPE, got '" + text + "'";
  dex::StatTable out;
  std::size_t start = 0;
  for (int i = 0; i < dex::kStatCount; ++i) {
    const std::size_t comma = text.find(',', start);
    const bool last = i == dex::kStatCount - 1;
    if (last != (comma == std::string::npos)) throw CommandError(kUsage, usage);
    const std::string field = text.substr(start, last ? std::string::npos : comma - start);
    if (field.empty() || field.size() > 6 || field.find_first_not_of("0123456789") != std::string::npos) {
      throw CommandError(kUsage, usage);
    }
    out.v[i] = std::stoi(field);
    if (out.v[i] <= 0) throw CommandError(kUsage, usage);
    start = comma + 1;
  }
  return out;
}

struct DamageRequest {
  std::string attacker, defender, move;
  int level = 50;
  std::optional<int> attacker_level, defender_level;
  bool crit = false;
  std::optional<std::string> attacker_stats, defender_stats;  // absent: computed from the spread
  bool json_output = false;
};

const dex::Species& find_species(const dex::Dex& dex, const std::string& option, const std::string& key) {
  const dex::Species* s = dex.find_species(key);
  if (s == nullptr) throw CommandError(kInvalidData, option + ": unknown Pokémon '" + key + "'");
  return *s;
}

std::string percent(int damage, int hp) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", 100.0 * damage / hp);
  return buf;
}

std::string effectiveness_text(int quarters) {
  switch (quarters) {
    case 0:
      return "0";
    case 1:
      return "0.25";
    case 2:
      return "0.5";
    case 4:
      return "1";
    case 8:
      return "2";
    default:
      return "4";
  }
}

json stats_json(const dex::StatTable& s) {
  json out = json::object();
  for (int i = 0; i < dex::kStatCount; ++i) out[std::string(dex::stat_key(static_cast<dex::Stat>(i)))] = s.v[i];
  return out;
}

json types_json(const dex::Typing& t) {
  json out = json::array({std::string(dex::type_name(t.first))});
  if (t.dual()) out.push_back(std::string(dex::type_name(t.second)));
  return out;
}

void run_damage(const DamageRequest& req) {
  const dex::Dex* dex = &load_dex_for_cli();
  const dex::Species& attacker = find_species(*dex, "--attacker", req.attacker);
  const dex::Species& defender = find_species(*dex, "--defender", req.defender);
  const dex::Move* move = dex->find_move(req.move);
  if (move == nullptr) throw CommandError(kInvalidData, "--move: unknown move '" + req.move + "'");
  if (!move->is_damaging()) {
    throw CommandError(kInvalidData, "--move: " + move->name + " is a status move: it deals no damage");
  }

  dex::StatSpread attacker_spread, defender_spread;
  attacker_spread.level = req.attacker_level.value_or(req.level);
  defender_spread.level = req.defender_level.value_or(req.level);
  dex::StatTable attacker_stats = !req.attacker_stats ? dex::compute_stats(attacker.base_stats, attacker_spread)
                                                      : parse_stats("--attacker-stats", *req.attacker_stats);
  dex::StatTable defender_stats = !req.defender_stats ? dex::compute_stats(defender.base_stats, defender_spread)
                                                      : parse_stats("--defender-stats", *req.defender_stats);

  battle::AttackerView a;
  a.level = attacker_spread.level;
  a.stats = attacker_stats;
  a.types = attacker.types;
  battle::DefenderView d;
  d.stats = defender_stats;
  d.types = defender.types;
  d.current_hp = defender_stats[dex::Stat::HP];

  battle::DamageRolls rolls;
  battle::MoveAdjustments adjust;
  adjust.base_power = battle::callback_base_power(*move, defender.weight_hg);
  std::optional<battle::Chance> ohko_chance;
  if (move->ohko) {
    // An OHKO move that lands deals the target's whole HP (getDamage: target.maxhp).
    ohko_chance = battle::ohko_hit_chance(dex->chart(), *move, attacker.types, attacker_spread.level, defender.types,
                                          defender_spread.level);
    rolls.effectiveness_quarters = dex->chart().quarters(move->type, defender.types);
    rolls.fixed = true;
    rolls.values.fill(rolls.effectiveness_quarters == 0 ? 0 : d.current_hp);
  } else if (!move->fixed_damage && move->power <= 0 && !adjust.base_power) {
    throw CommandError(kInvalidData, "--move: " + move->name +
                                         " has no fixed damage formula (its damage depends on the battle or on "
                                         "chance); try `pdex battle simulate`");
  } else {
    rolls = battle::damage_rolls(dex->chart(), a, d, *move, battle::HitOptions{.crit = req.crit}, adjust);
  }

  const int hp = defender_stats[dex::Stat::HP];
  const int lo = rolls.values.front(), hi = rolls.values.back();
  const battle::Chance crit = battle::crit_chance(*move);
  const battle::Chance hit = ohko_chance ? *ohko_chance : battle::hit_chance(*move, 0, 0);
  const int power = move->fixed_damage || move->ohko ? 0 : adjust.base_power.value_or(move->power);
  const bool crit_applies = req.crit && !rolls.fixed && !rolls.immune();

  if (req.json_output) {
    json out;
    out["attacker"] = {{"id", attacker.id},
                       {"name", attacker.name},
                       {"level", attacker_spread.level},
                       {"types", types_json(attacker.types)},
                       {"stats", stats_json(attacker_stats)}};
    out["defender"] = {{"id", defender.id},
                       {"name", defender.name},
                       {"level", defender_spread.level},
                       {"types", types_json(defender.types)},
                       {"stats", stats_json(defender_stats)}};
    out["move"] = {{"id", move->id},
                   {"name", move->name},
                   {"type", std::string(dex::type_name(move->type))},
                   {"category", std::string(dex::category_name(move->category))},
                   {"power", power}};
    out["rolls"] = rolls.values;
    out["min_damage"] = lo;
    out["max_damage"] = hi;
    out["min_percent"] = std::round(1000.0 * lo / hp) / 10;
    out["max_percent"] = std::round(1000.0 * hi / hp) / 10;
    out["effectiveness"] = rolls.effectiveness_quarters / 4.0;
    out["immune"] = rolls.immune();
    out["stab"] = rolls.stab;
    out["crit"] = crit_applies;
    out["fixed_damage"] = rolls.fixed;
    out["ohko"] = move->ohko;
    out["hits"] = move->multihit ? json::array({move->multihit->first, move->multihit->second}) : json::array({1, 1});
    out["crit_chance"] = {{"num", crit.num}, {"den", crit.den}};
    out["hit_chance"] = {{"num", hit.num}, {"den", hit.den}};
    std::cout << out.dump() << "\n";
    return;
  }

  std::ostringstream text;
  text << attacker.name << " (Lv " << attacker_spread.level << ") " << move->name << " vs " << defender.name << " (Lv "
       << defender_spread.level << ", " << hp << " HP): ";
  if (rolls.immune()) {
    text << "no effect (immune)\n";
  } else {
    text << lo << "-" << hi << " (" << percent(lo, hp) << "% - " << percent(hi, hp) << "%)";
    if (move->multihit) text << " per hit, " << move->multihit->first << "-" << move->multihit->second << " hits";
    text << "\n  effectiveness x" << effectiveness_text(rolls.effectiveness_quarters)
         << (rolls.fixed ? " (ignored by the damage)" : "");
    if (rolls.stab) text << ", STAB";
    if (crit_applies) text << ", critical hit";
    if (rolls.fixed) text << (move->ohko ? ", one-hit KO" : ", fixed damage");
    text << "\n  rolls:";
    for (int v : rolls.values) text << ' ' << v;
    text << "\n";
  }
  text << "  hit chance " << hit.num << "/" << hit.den << ", crit chance " << crit.num << "/" << crit.den << "\n";
  std::cout << text.str();
}

}  // namespace

void add_calc_commands(CLI::App& app) {
  CLI::App* calc = app.add_subcommand("calc", "Damage calculations with the battle engine's formula");
  calc->require_subcommand(1);

  auto req = std::make_shared<DamageRequest>();
  CLI::App* damage = calc->add_subcommand(
      "damage", "The 16 damage rolls (random factor 85..100 %) of one move, as Showdown's gen7letsgo computes them");
  damage->add_option("--attacker", req->attacker, "Attacking Pokémon: numeric id, Showdown id or name")->required();
  damage->add_option("--defender", req->defender, "Defending Pokémon: numeric id, Showdown id or name")->required();
  damage->add_option("--move", req->move, "Move: numeric id, Showdown id or name")->required();
  damage->add_option("--level", req->level, "Level of both Pokémon (default 50)")->check(CLI::Range(1, 100));
  damage->add_option("--attacker-level", req->attacker_level, "Attacker's level (overrides --level)")
      ->check(CLI::Range(1, 100));
  damage->add_option("--defender-level", req->defender_level, "Defender's level (overrides --level)")
      ->check(CLI::Range(1, 100));
  damage->add_flag("--crit", req->crit, "Compute a critical hit");
  damage->add_option("--attacker-stats", req->attacker_stats,
                     "Explicit attacker stats HP,ATK,DEF,SPA,SPD,SPE (default: computed with IV 31, AV 0, neutral "
                     "nature)");
  damage->add_option("--defender-stats", req->defender_stats, "Explicit defender stats HP,ATK,DEF,SPA,SPD,SPE");
  damage->add_flag("--json", req->json_output, "Print one JSON object");
  damage->footer(
      "Exit codes: 0 ok, 2 bad option value, 3 unknown Pokémon or move, status move, or invalid data file.\n"
      "The Dex is read from PDEX_DEX_FILE (default data/lgpe-dex.json).");
  damage->callback([req] { run_damage(*req); });
}

}  // namespace pdex::cli
