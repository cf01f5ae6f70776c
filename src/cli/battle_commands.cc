// `pdex battle odds|simulate`: win probabilities and seeded turn-by-turn battles from the engine.
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "battle/battle.h"
#include "battle/battle_config.h"
#include "battle/event_log.h"
#include "battle/odds.h"
#include "cli/command.h"
#include "cli/dex_source.h"
#include "cli/option_checks.h"
#include "common/settings.h"
#include "dex/dex.h"
#include "dex/dex_json.h"

namespace pdex::cli {
namespace {

using nlohmann::json;

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t pos = text.find(sep, start);
    out.push_back(text.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

int parse_int(const std::string& option, const std::string& text, int lo, int hi) {
  const std::string usage =
      option + ": expected an integer " + std::to_string(lo) + ".." + std::to_string(hi) + ", got '" + text + "'";
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
    throw CommandError(kUsage, usage);
  }
  const int v = std::stoi(text);
  if (v < lo || v > hi) throw CommandError(kUsage, usage);
  return v;
}

// "HP,ATK,DEF,SPA,SPD,SPE" or one number for all six.
dex::StatTable parse_spread_values(const std::string& option, const std::string& text, int hi) {
  const std::vector<std::string> parts = split(text, ',');
  if (parts.size() == 1) return dex::StatTable::all(parse_int(option, parts[0], 0, hi));
  if (parts.size() != 6) {
    throw CommandError(kUsage,
                       option + ": expected 6 values HP,ATK,DEF,SPA,SPD,SPE (or one for all), got '" + text + "'");
  }
  dex::StatTable out;
  for (int i = 0; i < 6; ++i) out.v[i] = parse_int(option, parts[i], 0, hi);
  return out;
}

struct SideOptions {
  std::string team;  // SPECIES:MOVE[,MOVE...]
  std::optional<int> level;
  std::string ivs, avs, nature, policy;
};

struct BattleOptions {
  SideOptions side[2];
  int level = 50;
  std::string policy = "greedy";
  int turn_limit = 500;
  std::uint64_t seed = 1;
  bool json_output = false;
};

void add_battle_options(CLI::App* cmd, BattleOptions& o) {
  for (int i = 0; i < 2; ++i) {
    const std::string p = "--p" + std::to_string(i + 1);
    SideOptions& s = o.side[i];
    cmd->add_option(p, s.team, "Pokémon and moves: SPECIES:MOVE[,MOVE...] (ids, Showdown ids or names; 1-4 moves)")
        ->required();
    cmd->add_option(p + "-level", s.level, "Level of this side (overrides --level)");
    cmd->add_option(p + "-ivs", s.ivs, "IVs HP,ATK,DEF,SPA,SPD,SPE or one value for all (0-31, default 31)");
    cmd->add_option(p + "-avs", s.avs, "Awakening Values HP,ATK,DEF,SPA,SPD,SPE or one value (0-200, default 0)");
    cmd->add_option(p + "-nature", s.nature, "Nature name (default Hardy, neutral)");
    cmd->add_option(p + "-policy", s.policy, "Move choice of this side: fixed|greedy|random (overrides --policy)");
  }
  cmd->add_option("--level", o.level, "Level of both sides (1-100, default 50)");
  cmd->add_option("--policy", o.policy, "Move choice: fixed (first move) | greedy (default) | random");
  cmd->add_option("--turn-limit", o.turn_limit, "Turns before the battle is a draw (default 500)");
  cmd->add_flag("--json", o.json_output, "Print JSON");
}

battle::BattleConfig build_config(const dex::Dex& dex, const BattleOptions& o) {
  if (o.level < 1 || o.level > 100)
    throw CommandError(kUsage, "--level: expected 1..100, got " + std::to_string(o.level));
  const auto default_policy = battle::parse_policy(o.policy);
  if (!default_policy) throw CommandError(kUsage, "--policy: expected fixed, greedy or random, got '" + o.policy + "'");
  battle::BattleConfig config;
  config.turn_limit = o.turn_limit;
  if (o.turn_limit < 1 || o.turn_limit > 100000) {
    throw CommandError(kUsage, "--turn-limit: expected 1..100000, got " + std::to_string(o.turn_limit));
  }
  for (int i = 0; i < 2; ++i) {
    const SideOptions& s = o.side[i];
    const std::string p = "--p" + std::to_string(i + 1);
    const std::size_t colon = s.team.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= s.team.size()) {
      throw CommandError(kUsage, p + ": expected SPECIES:MOVE[,MOVE...], got '" + s.team + "'");
    }
    battle::SideSpec spec;
    spec.species = s.team.substr(0, colon);
    spec.moves = split(s.team.substr(colon + 1), ',');
    if (spec.moves.size() > 4) {
      throw CommandError(kUsage, p + ": at most 4 moves, got " + std::to_string(spec.moves.size()));
    }
    for (const std::string& key : spec.moves) {
      if (key.empty()) throw CommandError(kUsage, p + ": empty move name in '" + s.team + "'");
    }
    spec.level = s.level.value_or(o.level);
    if (*spec.level < 1 || *spec.level > 100) {
      throw CommandError(kUsage, p + "-level: expected 1..100, got " + std::to_string(*spec.level));
    }
    if (!s.ivs.empty()) spec.ivs = parse_spread_values(p + "-ivs", s.ivs, 31);
    if (!s.avs.empty()) spec.avs = parse_spread_values(p + "-avs", s.avs, 200);
    if (!s.nature.empty()) spec.nature = s.nature;
    spec.policy = *default_policy;
    if (!s.policy.empty()) {
      spec.policy = battle::parse_policy(s.policy);
      if (!spec.policy) {
        throw CommandError(kUsage, p + "-policy: expected fixed, greedy or random, got '" + s.policy + "'");
      }
    }
    battle::PokemonConfig& pc = config.side[i];
    const std::vector<battle::SideSpecError> errors = battle::apply_side_spec(dex, spec, pc);
    if (!errors.empty()) {
      const battle::SideSpecError& e = errors.front();
      if (e.field == battle::SideSpecError::Field::Nature) throw CommandError(kUsage, p + "-nature: " + e.message);
      throw CommandError(kInvalidData, p + ": " + e.message);
    }
    pc.fixed_move_index = 0;
  }
  if (auto bad = battle::validate_config(dex, config)) throw CommandError(kInvalidData, *bad);
  return config;
}

json side_json(const battle::BattleConfig& config, int i) {
  const battle::PokemonConfig& pc = config.side[i];
  json moves = json::array();
  for (const dex::Move* m : pc.moves) moves.push_back(m->name);
  const dex::StatTable stats = dex::compute_stats(pc.species->base_stats, pc.spread);
  return {{"species", pc.species->name},
          {"id", pc.species->id},
          {"level", pc.spread.level},
          {"moves", moves},
          {"policy", battle::policy_name(pc.policy)},
          {"stats", stats.v}};
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

void run_odds(const BattleOptions& o, const std::string& method_text, std::int64_t n) {
  const auto method = battle::parse_odds_method(method_text);
  if (!method) throw CommandError(kUsage, "--method: expected auto, exact or mc, got '" + method_text + "'");
  if (n < 1 || n > 1'000'000'000) throw CommandError(kUsage, "--n: expected 1..1000000000, got " + std::to_string(n));
  const dex::Dex* dex = &load_dex_for_cli();
  const battle::BattleConfig config = build_config(*dex, o);
  battle::Odds odds;
  try {
    odds = battle::compute_odds(*dex, config, *method, n, o.seed);
  } catch (const std::invalid_argument& e) {
    throw CommandError(kInvalidData, e.what());
  }
  if (o.json_output) {
    json out = {{"p1_win", odds.p1_win},
                {"p2_win", odds.p2_win},
                {"draw", odds.draw},
                {"method", battle::odds_method_name(odds.method)},
                {"n", odds.n},
                {"ci", {odds.p1_ci99_low, odds.p1_ci99_high}},
                {"ci_level", 0.99},
                {"states", odds.states},
                {"seed", o.seed},
                {"p1", side_json(config, 0)},
                {"p2", side_json(config, 1)}};
    std::cout << out.dump() << "\n";
    return;
  }
  std::cout << config.side[0].species->name << " (p1) vs " << config.side[1].species->name << " (p2)\n"
            << "p1_win " << fmt(odds.p1_win) << "  99% CI [" << fmt(odds.p1_ci99_low) << ", " << fmt(odds.p1_ci99_high)
            << "]\n"
            << "p2_win " << fmt(odds.p2_win) << "\n"
            << "draw   " << fmt(odds.draw) << "\n"
            << "method " << battle::odds_method_name(odds.method);
  if (odds.method == battle::OddsMethod::MonteCarlo) std::cout << " (n " << odds.n << ", seed " << o.seed << ")";
  if (odds.method == battle::OddsMethod::Exact) std::cout << " (" << odds.states << " states)";
  std::cout << "\n";
}

void run_simulate(const BattleOptions& o) {
  const dex::Dex* dex = &load_dex_for_cli();
  const battle::BattleConfig config = build_config(*dex, o);
  battle::Rng rng(o.seed);
  battle::EventLog log;
  const battle::BattleResult result = battle::run_battle(*dex, config, rng, &log);
  const std::string winner_name = result.winner == 0 ? "" : config.side[result.winner - 1].species->name;
  if (o.json_output) {
    json events = json::array();
    // The API's event shape (battle/event_log.h); `json` orders the keys, as this command always printed them.
    for (const battle::Event& e : log.events) events.push_back(json(battle::event_json(log, e)));
    json out = {{"winner", result.winner},    {"winner_name", winner_name}, {"turns", result.turns}, {"seed", o.seed},
                {"p1", side_json(config, 0)}, {"p2", side_json(config, 1)}, {"events", events}};
    std::cout << out.dump() << "\n";
    return;
  }
  for (const battle::Event& e : log.events) {
    if (e.kind == battle::EventKind::Turn) {
      std::cout << "\n== " << battle::describe(log, e) << " ==\n";
    } else {
      std::cout << "  " << battle::describe(log, e) << "\n";
    }
  }
  std::cout << "\nWinner: ";
  if (result.winner == 0) {
    std::cout << "draw";
  } else {
    std::cout << "p" << result.winner << " (" << winner_name << ")";
  }
  std::cout << " after " << result.turns << " turn" << (result.turns == 1 ? "" : "s") << "\n";
}

}  // namespace

void add_battle_commands(CLI::App& app) {
  CLI::App* battle =
      app.add_subcommand("battle", "Battle engine: win odds and seeded simulations (LGPE, Showdown rules)");
  battle->require_subcommand(1);

  auto odds_opts = std::make_shared<BattleOptions>();
  auto method = std::make_shared<std::string>("auto");
  auto n = std::make_shared<std::int64_t>(10000);
  CLI::App* odds =
      battle->add_subcommand("odds", "Win probabilities of p1 vs p2 (exact where possible, else Monte Carlo)");
  add_battle_options(odds, *odds_opts);
  odds->add_option("--method", *method, "auto (default) | exact | mc");
  odds->add_option("--n", *n, "Monte Carlo battles (default 10000)");
  odds->add_option("--seed", odds_opts->seed, "Monte Carlo seed (default 1)")
      ->check(unsigned_integer(std::numeric_limits<std::uint64_t>::max()));
  odds->callback([odds_opts, method, n] { run_odds(*odds_opts, *method, *n); });

  auto sim_opts = std::make_shared<BattleOptions>();
  CLI::App* simulate = battle->add_subcommand("simulate", "One seeded battle, turn by turn, and its winner");
  add_battle_options(simulate, *sim_opts);
  simulate->add_option("--seed", sim_opts->seed, "Random seed (same seed, same battle)")
      ->required()
      ->check(unsigned_integer(std::numeric_limits<std::uint64_t>::max()));
  simulate->callback([sim_opts] { run_simulate(*sim_opts); });
  simulate->footer("The Dex is read from PDEX_DEX_FILE (default data/lgpe-dex.json).");
  odds->footer("The Dex is read from PDEX_DEX_FILE (default data/lgpe-dex.json).");
}

}  // namespace pdex::cli
