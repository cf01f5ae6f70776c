// Cost of one damage_rolls call (all 16 rolls), the inner loop of the engine and the exact-odds solver.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "battle/damage.h"
#include "dex/dex.h"
#include "dex/dex_json.h"

namespace {

using namespace pdex;

const dex::Dex& the_dex() {
  const char* env = std::getenv("PDEX_SOURCE_DIR");
  static const dex::Dex dex(dex::load_dex_json(std::filesystem::path(env ? env : ".") / "data/lgpe-dex.json"));
  return dex;
}

struct Matchup {
  battle::AttackerView attacker;
  battle::DefenderView defender;
  const dex::Move* move;
};

// Every species against the next one with every formula move: a realistic spread of branches.
std::vector<Matchup> matchups() {
  const dex::Dex& dex = the_dex();
  std::vector<const dex::Move*> moves;
  for (const dex::Move& m : dex.all_moves()) {
    if (m.is_damaging() && !m.ohko && (m.power > 0 || m.fixed_damage)) moves.push_back(&m);
  }
  std::vector<Matchup> out;
  const auto species = dex.all_species();
  for (std::size_t i = 0; i < species.size(); ++i) {
    const dex::Species& a = species[i];
    const dex::Species& d = species[(i + 1) % species.size()];
    Matchup m;
    m.attacker.stats = dex::compute_stats(a.base_stats, {});
    m.attacker.types = a.types;
    m.defender.stats = dex::compute_stats(d.base_stats, {});
    m.defender.types = d.types;
    m.defender.current_hp = m.defender.stats[dex::Stat::HP];
    m.move = moves[(i * 7) % moves.size()];
    out.push_back(m);
  }
  return out;
}

void BM_DamageRolls(benchmark::State& state) {
  const auto cases = matchups();
  const dex::TypeChart& chart = the_dex().chart();
  std::size_t i = 0;
  for (auto _ : state) {
    const Matchup& m = cases[i++ % cases.size()];
    benchmark::DoNotOptimize(battle::damage_rolls(chart, m.attacker, m.defender, *m.move, {}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DamageRolls);

void BM_DamageRollsCrit(benchmark::State& state) {
  const auto cases = matchups();
  const dex::TypeChart& chart = the_dex().chart();
  std::size_t i = 0;
  for (auto _ : state) {
    const Matchup& m = cases[i++ % cases.size()];
    benchmark::DoNotOptimize(battle::damage_rolls(chart, m.attacker, m.defender, *m.move, {.crit = true}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DamageRollsCrit);

}  // namespace

BENCHMARK_MAIN();
