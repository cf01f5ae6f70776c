// Time of one exact solution (src/battle/exact_odds.cc): a few named matchups, and the median / p90 / max
// over a deterministic sample of solvable roster matchups at level 50 (goal: median < 1 ms).
// Needs data/lgpe-dex.json (run from the repo root).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "battle/odds.h"
#include "dex/dex_json.h"

namespace {

using namespace pdex;

const dex::Dex& bench_dex() {
  static const std::unique_ptr<dex::Dex> dex = std::make_unique<dex::Dex>(dex::load_dex_json("data/lgpe-dex.json"));
  return *dex;
}

battle::BattleConfig one_move(const char* s1, const char* m1, const char* s2, const char* m2, int level = 50) {
  battle::BattleConfig c;
  const char* sp[2] = {s1, s2};
  const char* mv[2] = {m1, m2};
  for (int i = 0; i < 2; ++i) {
    c.side[i].species = bench_dex().find_species(sp[i]);
    c.side[i].moves = {bench_dex().find_move(mv[i])};
    c.side[i].policy = battle::PolicyKind::Fixed;
    c.side[i].spread.level = level;
  }
  return c;
}

void run(benchmark::State& state, const battle::BattleConfig& c) {
  if (auto why = battle::exact_unsupported_reason(bench_dex(), c)) {
    state.SkipWithError(why->c_str());
    return;
  }
  std::int64_t states = 0;
  for (auto _ : state) {
    battle::Odds o = battle::exact_odds(bench_dex(), c);
    states = o.states;
    benchmark::DoNotOptimize(o);
  }
  state.counters["states"] = static_cast<double>(states);
}

void BM_Exact_TaurosEarthquakeMirror(benchmark::State& state) {
  run(state, one_move("tauros", "earthquake", "tauros", "earthquake"));
}
void BM_Exact_KinglerCrabhammer_vs_GyaradosSurf(benchmark::State& state) {
  run(state, one_move("kingler", "crabhammer", "gyarados", "surf"));
}
void BM_Exact_ChanseyDoubleSlap_vs_ElectrodeSonicBoom(benchmark::State& state) {
  run(state, one_move("chansey", "doubleslap", "electrode", "sonicboom"));
}
void BM_Exact_BothImmune_PpThenStruggle(benchmark::State& state) {
  run(state, one_move("gengar", "nightshade", "snorlax", "seismictoss"));
}
void BM_Exact_Level100_ChanseyPound_vs_SnorlaxTackle(benchmark::State& state) {
  run(state, one_move("chansey", "pound", "snorlax", "tackle", 100));
}

// Joint solver (recoil, drain, Super Fang couple the two HPs).
void BM_Exact_Joint_TaurosDoubleEdge_vs_SnorlaxTackle(benchmark::State& state) {
  run(state, one_move("tauros", "doubleedge", "snorlax", "tackle"));
}
void BM_Exact_Joint_ParasectAbsorb_vs_KinglerCrabhammer(benchmark::State& state) {
  run(state, one_move("parasect", "absorb", "kingler", "crabhammer"));
}
void BM_Exact_Joint_RaticateSuperFang_vs_PersianSlash(benchmark::State& state) {
  run(state, one_move("raticate", "superfang", "persian", "slash"));
}

// Solvable single-move matchups drawn deterministically from the roster.
std::vector<battle::BattleConfig> roster_sample(int count) {
  std::vector<battle::BattleConfig> out;
  const auto roster = bench_dex().all_species();
  std::uint64_t s = 20240611;
  auto next = [&s](std::size_t n) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>((s >> 33) % n);
  };
  for (int guard = 0; static_cast<int>(out.size()) < count && guard < 200000; ++guard) {
    battle::BattleConfig c;
    for (int i = 0; i < 2; ++i) {
      const dex::Species& sp = roster[next(roster.size())];
      const auto& usable = bench_dex().usable_moves(sp.id);
      c.side[i].species = &sp;
      c.side[i].policy = battle::PolicyKind::Fixed;
      if (!usable.empty()) c.side[i].moves = {bench_dex().move_by_id(usable[next(usable.size())])};
    }
    if (c.side[0].moves.empty() || c.side[1].moves.empty()) continue;
    if (battle::exact_unsupported_reason(bench_dex(), c)) continue;
    out.push_back(c);
  }
  return out;
}

void BM_Exact_RosterSample200(benchmark::State& state) {
  static const std::vector<battle::BattleConfig> sample = roster_sample(200);
  std::vector<double> micros;
  for (auto _ : state) {
    micros.clear();
    for (const auto& c : sample) {
      const auto t0 = std::chrono::steady_clock::now();
      battle::Odds o = battle::exact_odds(bench_dex(), c);
      benchmark::DoNotOptimize(o);
      micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  std::sort(micros.begin(), micros.end());
  state.counters["matchups"] = static_cast<double>(micros.size());
  state.counters["median_us"] = micros[micros.size() / 2];
  state.counters["p90_us"] = micros[micros.size() * 9 / 10];
  state.counters["max_us"] = micros.back();
}

BENCHMARK(BM_Exact_TaurosEarthquakeMirror)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Exact_KinglerCrabhammer_vs_GyaradosSurf)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Exact_ChanseyDoubleSlap_vs_ElectrodeSonicBoom)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Exact_BothImmune_PpThenStruggle)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Exact_Level100_ChanseyPound_vs_SnorlaxTackle)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Exact_Joint_TaurosDoubleEdge_vs_SnorlaxTackle)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Exact_Joint_ParasectAbsorb_vs_KinglerCrabhammer)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Exact_Joint_RaticateSuperFang_vs_PersianSlash)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Exact_RosterSample200)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
