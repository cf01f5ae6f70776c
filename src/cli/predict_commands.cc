// `pdex predict`: the model's answer offline; --json prints exactly the body of the API's
// POST /api/v1/predict/battle response (DESIGN §3), built by the same serializer.
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "battle/battle_config.h"
#include "cli/command.h"
#include "cli/dex_source.h"
#include "cli/ml_paths.h"
#include "ml/move_scoring.h"
#include "ml/predictor.h"
#include "service/prediction_response.h"

namespace pdex::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct PredictOptions {
  std::string p[2];
  int level = 50;
  std::optional<int> side_level[2];
  std::string model = "default";
  bool json_output = false;
};

std::string random_id() {
  std::random_device rd;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x%08x%08x%08x", rd(), rd(), rd(), rd());
  return buf;
}

void check_level(const std::string& option, int level) {
  if (level < 1 || level > 100) throw CommandError(kUsage, option + ": expected 1..100, got " + std::to_string(level));
}

void run_predict(const PredictOptions& o) {
  check_level("--level", o.level);
  const dex::Dex& dex = load_dex_for_cli();
  battle::BattleConfig config;
  std::vector<std::string> move_keys[2];
  for (int i = 0; i < 2; ++i) {
    const std::string opt = "--p" + std::to_string(i + 1);
    const std::size_t colon = o.p[i].find(':');
    battle::SideSpec spec;
    spec.species = o.p[i].substr(0, colon);
    spec.level = o.level;
    if (o.side_level[i]) {
      check_level(opt + "-level", *o.side_level[i]);
      spec.level = *o.side_level[i];
    }
    spec.policy = battle::PolicyKind::Greedy;
    if (colon != std::string::npos) {
      std::string rest = o.p[i].substr(colon + 1);
      std::size_t start = 0;
      for (;;) {
        const std::size_t comma = rest.find(',', start);
        move_keys[i].push_back(rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      if (move_keys[i].size() > 4)
        throw CommandError(kUsage, opt + ": at most 4 moves, got " + std::to_string(move_keys[i].size()));
      for (const std::string& key : move_keys[i]) {
        if (key.empty()) throw CommandError(kUsage, opt + ": empty move name in '" + o.p[i] + "'");
      }
      spec.moves = move_keys[i];
    }
    const std::vector<battle::SideSpecError> errors = battle::apply_side_spec(dex, spec, config.side[i]);
    if (!errors.empty()) throw CommandError(kInvalidData, opt + ": " + errors.front().message);
  }
  // Absent moves: the side's recommended move against this opponent (greedy choice over its usable,
  // engine-supported learnset), as in the dataset's greedy_best scenario.
  for (int i = 0; i < 2; ++i) {
    if (!config.side[i].moves.empty()) continue;
    const ml::Combatant self = ml::make_combatant(*config.side[i].species, config.side[i].spread);
    const ml::Combatant foe = ml::make_combatant(*config.side[1 - i].species, config.side[1 - i].spread);
    const dex::Move* m = ml::recommended_move(dex, self, foe);
    if (!m) {
      throw CommandError(kInvalidData, "--p" + std::to_string(i + 1) + ": " + config.side[i].species->name +
                                           " has no move the battle engine supports");
    }
    config.side[i].moves.push_back(m);
  }
  if (auto bad = battle::validate_config(dex, config)) throw CommandError(kInvalidData, *bad);
  const fs::path dir = resolve_model_dir(o.model);
  const ml::Predictor predictor = [&] {
    try {
      return ml::Predictor::load(dir);
    } catch (const ml::BundleError& e) {
      throw CommandError(kInvalidData, e.what());
    }
  }();
  const double p1 = predictor.predict(dex, config);
  const int winner = p1 >= 0.5 ? 1 : 2;
  // The API's response shape, from the serializer the handler uses (service/prediction_response.h).
  service::BattleRequest request;
  request.config = config;
  for (int i = 0; i < 2; ++i) request.moves_given[i] = !move_keys[i].empty();
  const nlohmann::ordered_json out = service::battle_prediction_json(request, p1, predictor.version(), random_id());
  if (o.json_output) {
    std::cout << out.dump() << "\n";
    return;
  }
  auto move_list = [&out](const char* side) {
    std::string s;
    for (const auto& m : out[side]["moves"]) s += (s.empty() ? "" : ", ") + m["name"].get<std::string>();
    return s;
  };
  std::printf("%s (L%d: %s) vs %s (L%d: %s)\nwinner: %s (side %d), confidence %.3f\np1 %.4f  p2 %.4f  model %s\n",
              config.side[0].species->name.c_str(), config.side[0].spread.level, move_list("pokemon_1").c_str(),
              config.side[1].species->name.c_str(), config.side[1].spread.level, move_list("pokemon_2").c_str(),
              config.side[winner - 1].species->name.c_str(), winner, winner == 1 ? p1 : 1 - p1, p1, 1 - p1,
              predictor.version().c_str());
}

}  // namespace

void add_predict_commands(CLI::App& app) {
  auto o = std::make_shared<PredictOptions>();
  CLI::App* predict = app.add_subcommand("predict", "Who wins p1 vs p2, according to the trained model");
  for (int i = 0; i < 2; ++i) {
    const std::string p = "--p" + std::to_string(i + 1);
    predict->add_option(p, o->p[i], "SPECIES[:MOVE,...] (1-4 moves; absent: the recommended move vs this opponent)")
        ->required();
    predict->add_option(p + "-level", o->side_level[i], "Level of this side (overrides --level)");
  }
  predict->add_option("--level", o->level, "Level of both sides (1-100, default 50)");
  predict->add_option("--model", o->model, "Bundle name or directory (default 'default')");
  predict->add_flag("--json", o->json_output, "Print the API's predict/battle response JSON");
  predict->callback([o] { run_predict(*o); });
}

}  // namespace pdex::cli
