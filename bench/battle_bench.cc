// Battles per second on one core: the engine's hot path (no log) on a few real matchups, with fixed
// moves and with the greedy policy. Needs data/lgpe-dex.json (run from the repo root).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "battle/battle.h"
#include "dex/dex_json.h"

namespace {

using namespace pdex;

const dex::Dex& bench_dex() {
  static const std::unique_ptr<dex::Dex> dex = std::make_unique<dex::Dex>(dex::load_dex_json("data/lgpe-dex.json"));
  return *dex;
}

battle::PokemonConfig side(const std::string& species, const std::vector<std::string>& moves, battle::PolicyKind p) {
  battle::PokemonConfig pc;
  pc.species = bench_dex().find_species(species);
  for (const auto& m : moves) pc.moves.push_back(bench_dex().find_move(m));
  pc.policy = p;
  return pc;
}

void run(benchmark::State& state, battle::BattleConfig config) {
  battle::BattleSetup setup(bench_dex(), config);
  battle::BattleRunner runner(setup);
  battle::Rng rng(12345);
  std::int64_t turns = 0;
  for (auto _ : state) {
    battle::BattleResult r = runner.run(rng);
    turns += r.turns;
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());  // items/s = battles/s
  state.counters["turns_per_battle"] = static_cast<double>(turns) / static_cast<double>(state.iterations());
}

battle::BattleConfig make(battle::PokemonConfig a, battle::PokemonConfig b) {
  battle::BattleConfig c;
  c.side[0] = std::move(a);
  c.side[1] = std::move(b);
  return c;
}

using battle::PolicyKind;

void BM_Fixed_PikachuThunderbolt_vs_CharizardFlamethrower(benchmark::State& state) {
  run(state, make(side("pikachu", {"thunderbolt"}, PolicyKind::Fixed),
                  side("charizard", {"flamethrower"}, PolicyKind::Fixed)));
}
void BM_Fixed_SnorlaxBodySlam_vs_TaurosDoubleEdge(benchmark::State& state) {
  run(state, make(side("snorlax", {"bodyslam"}, PolicyKind::Fixed), side("tauros", {"doubleedge"}, PolicyKind::Fixed)));
}
void BM_Fixed_MewtwoPsychic_vs_DragoniteOutrage(benchmark::State& state) {
  run(state, make(side("mewtwo", {"psychic"}, PolicyKind::Fixed), side("dragonite", {"outrage"}, PolicyKind::Fixed)));
}
void BM_Greedy_FourMoves_Venusaur_vs_Blastoise(benchmark::State& state) {
  run(state, make(side("venusaur", {"razorleaf", "sludgebomb", "takedown", "sleeppowder"}, PolicyKind::Greedy),
                  side("blastoise", {"surf", "icebeam", "bite", "protect"}, PolicyKind::Greedy)));
}
void BM_Greedy_FourMoves_Gengar_vs_Alakazam(benchmark::State& state) {
  run(state, make(side("gengar", {"shadowball", "sludgebomb", "thunderbolt", "hypnosis"}, PolicyKind::Greedy),
                  side("alakazam", {"psychic", "shadowball", "calmmind", "recover"}, PolicyKind::Greedy)));
}
void BM_Random_FourMoves_Gengar_vs_Alakazam(benchmark::State& state) {
  run(state, make(side("gengar", {"shadowball", "sludgebomb", "thunderbolt", "hypnosis"}, PolicyKind::Random),
                  side("alakazam", {"psychic", "shadowball", "calmmind", "recover"}, PolicyKind::Random)));
}

BENCHMARK(BM_Fixed_PikachuThunderbolt_vs_CharizardFlamethrower);
BENCHMARK(BM_Fixed_SnorlaxBodySlam_vs_TaurosDoubleEdge);
BENCHMARK(BM_Fixed_MewtwoPsychic_vs_DragoniteOutrage);
BENCHMARK(BM_Greedy_FourMoves_Venusaur_vs_Blastoise);
BENCHMARK(BM_Greedy_FourMoves_Gengar_vs_Alakazam);
BENCHMARK(BM_Random_FourMoves_Gengar_vs_Alakazam);

}  // namespace

BENCHMARK_MAIN();
