#include "ml/dataset.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "battle/battle.h"
#include "battle/rng.h"
#include "common/sha256.h"
#include "common/version.h"
#include "ml/features.h"
#include "ml/json_number.h"
#include "ml/move_scoring.h"

namespace pdex::ml {

static_assert(std::endian::native == std::endian::little, "features.f32 is little-endian float32");

using nlohmann::json;
namespace fs = std::filesystem;

std::string_view scenario_name(Scenario s) {
  switch (s) {
    case Scenario::FixedPair:
      return "fixed_pair";
    case Scenario::GreedyBest:
      return "greedy_best";
    case Scenario::RandomMoveset:
      return "random_moveset";
  }
  return "?";
}

std::optional<Scenario> parse_scenario(std::string_view s) {
  for (int i = 0; i < kScenarioCount; ++i) {
    if (scenario_name(static_cast<Scenario>(i)) == s) return static_cast<Scenario>(i);
  }
  return std::nullopt;
}

std::string_view split_name(Split s) {
  switch (s) {
    case Split::Train:
      return "train";
    case Split::Validation:
      return "validation";
    case Split::Test:
      return "test";
  }
  return "?";
}

std::optional<Split> parse_split(std::string_view s) {
  for (Split sp : {Split::Train, Split::Validation, Split::Test}) {
    if (split_name(sp) == s) return sp;
  }
  return std::nullopt;
}

double DatasetRow::p1_decisive() const {
  const double decisive = p1_win + p2_win;
  return decisive > 0 ? p1_win / decisive : 0.5;
}

// ---------------------------------------------------------------------------------------------------
// Config

void DatasetConfig::validate() const {
  for (int i = 0; i < kScenarioCount; ++i) {
    if (configs[static_cast<std::size_t>(i)] < 0 || configs[static_cast<std::size_t>(i)] > 100'000'000) {
      throw std::invalid_argument("scenarios." + std::string(scenario_name(static_cast<Scenario>(i))) +
                                  ": expected 0..100000000 configurations, got " +
                                  std::to_string(configs[static_cast<std::size_t>(i)]));
    }
  }
  if (max_moves < 1 || max_moves > 4)
    throw std::invalid_argument("max_moves: expected 1..4, got " + std::to_string(max_moves));
  if (!(level50_fraction >= 0 && level50_fraction <= 1)) {
    throw std::invalid_argument("level50_fraction: expected 0..1, got " + std::to_string(level50_fraction));
  }
  if (other_levels.empty() && level50_fraction < 1) {
    throw std::invalid_argument("other_levels: must not be empty unless level50_fraction is 1");
  }
  for (std::size_t i = 0; i < other_levels.size(); ++i) {
    if (other_levels[i] < 1 || other_levels[i] > 100) {
      throw std::invalid_argument("other_levels[" + std::to_string(i) + "]: expected 1..100, got " +
                                  std::to_string(other_levels[i]));
    }
  }
  if (mc_n < 1 || mc_n > 10'000'000)
    throw std::invalid_argument("mc_n: expected 1..10000000, got " + std::to_string(mc_n));
  if (!(train_fraction > 0 && validation_fraction >= 0 && train_fraction + validation_fraction < 1)) {
    throw std::invalid_argument(
        "splits: need train > 0, validation >= 0 and train + validation < 1 (test gets the rest)");
  }
  if (turn_limit < 1 || turn_limit > 100000) {
    throw std::invalid_argument("turn_limit: expected 1..100000, got " + std::to_string(turn_limit));
  }
  if (chunk_size < 1 || chunk_size > 1'000'000) {
    throw std::invalid_argument("chunk_size: expected 1..1000000, got " + std::to_string(chunk_size));
  }
}

json DatasetConfig::to_json() const {
  json scen = json::object();
  for (int i = 0; i < kScenarioCount; ++i) {
    scen[std::string(scenario_name(static_cast<Scenario>(i)))] = configs[static_cast<std::size_t>(i)];
  }
  return {{"seed", seed},
          {"scenarios", scen},
          {"max_moves", max_moves},
          {"level50_fraction", level50_fraction},
          {"other_levels", other_levels},
          {"mc_n", mc_n},
          {"splits", {{"train", train_fraction}, {"validation", validation_fraction}}},
          {"turn_limit", turn_limit},
          {"chunk_size", chunk_size}};
}

namespace {

template <typename T>
T get_as(const json& j, const std::string& key) {
  if constexpr (std::is_same_v<T, double>) {
    return json_real(j, key);
  } else if constexpr (std::is_integral_v<T>) {
    return json_integer<T>(j, key);
  } else {  // std::vector<int>
    if (!j.is_array()) throw std::invalid_argument(key + ": expected a list of integers, got " + j.dump());
    T out;
    for (std::size_t i = 0; i < j.size(); ++i) {
      out.push_back(json_integer<typename T::value_type>(j[i], key + "[" + std::to_string(i) + "]"));
    }
    return out;
  }
}

}  // namespace

DatasetConfig DatasetConfig::from_json(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("dataset config: expected a JSON object");
  DatasetConfig c;
  for (const auto& [key, v] : j.items()) {
    if (key == "seed") {
      c.seed = get_as<std::uint64_t>(v, key);
    } else if (key == "scenarios") {
      if (!v.is_object()) throw std::invalid_argument("scenarios: expected an object");
      c.configs = {0, 0, 0};
      for (const auto& [name, count] : v.items()) {
        const auto s = parse_scenario(name);
        if (!s)
          throw std::invalid_argument("scenarios." + name +
                                      ": unknown scenario (fixed_pair, greedy_best, random_moveset)");
        c.configs[static_cast<std::size_t>(*s)] = get_as<std::int64_t>(count, "scenarios." + name);
      }
    } else if (key == "max_moves") {
      c.max_moves = get_as<int>(v, key);
    } else if (key == "level50_fraction") {
      c.level50_fraction = get_as<double>(v, key);
    } else if (key == "other_levels") {
      c.other_levels = get_as<std::vector<int>>(v, key);
    } else if (key == "mc_n") {
      c.mc_n = get_as<std::int64_t>(v, key);
    } else if (key == "splits") {
      if (!v.is_object()) throw std::invalid_argument("splits: expected an object");
      for (const auto& [name, frac] : v.items()) {
        if (name == "train") {
          c.train_fraction = get_as<double>(frac, "splits.train");
        } else if (name == "validation") {
          c.validation_fraction = get_as<double>(frac, "splits.validation");
        } else {
          throw std::invalid_argument("splits." + name + ": unknown key (train, validation; test gets the rest)");
        }
      }
    } else if (key == "turn_limit") {
      c.turn_limit = get_as<int>(v, key);
    } else if (key == "chunk_size") {
      c.chunk_size = get_as<int>(v, key);
    } else if (key == "comment" || key.starts_with("_")) {
      // documentation inside the file
    } else {
      throw std::invalid_argument(key + ": unknown key");
    }
  }
  c.validate();
  return c;
}

Split split_of_pair(int species_a, int species_b, const DatasetConfig& config) {
  const std::uint64_t lo = static_cast<std::uint64_t>(std::min(species_a, species_b));
  const std::uint64_t hi = static_cast<std::uint64_t>(std::max(species_a, species_b));
  std::uint64_t state = config.seed ^ (lo * 0x9E3779B97F4A7C15ull) ^ (hi * 0xC2B2AE3D27D4EB4Full);
  battle::splitmix64(state);
  const double u = static_cast<double>(battle::splitmix64(state) >> 11) * 0x1.0p-53;
  if (u < config.train_fraction) return Split::Train;
  if (u < config.train_fraction + config.validation_fraction) return Split::Validation;
  return Split::Test;
}

battle::BattleConfig row_battle_config(const dex::Dex& dex, const DatasetRow& row, int turn_limit) {
  battle::BattleConfig config;
  config.turn_limit = turn_limit;
  for (int i = 0; i < 2; ++i) {
    battle::PokemonConfig& pc = config.side[i];
    pc.species = dex.species_by_id(row.species[i]);
    const char* side = i == 0 ? "p1" : "p2";
    if (!pc.species) {
      throw std::invalid_argument(std::string(side) + "_species: unknown species id " + std::to_string(row.species[i]));
    }
    pc.spread.level = row.level[i];
    for (int id : row.moves[i]) {
      const dex::Move* m = dex.move_by_id(id);
      if (!m) throw std::invalid_argument(std::string(side) + "_moves: unknown move id " + std::to_string(id));
      pc.moves.push_back(m);
    }
    pc.policy = row.policy[i];
    pc.fixed_move_index = 0;
  }
  return config;
}

// ---------------------------------------------------------------------------------------------------
// Building

namespace {

struct Roster {
  std::vector<const dex::Species*> species;
  std::vector<std::vector<const dex::Move*>> damaging;  // per roster index
  std::vector<std::vector<const dex::Move*>> all;
};

Roster make_roster(const dex::Dex& dex) {
  Roster r;
  for (const dex::Species& s : dex.all_species()) {
    std::vector<const dex::Move*> dmg = battle_moves(dex, s.id, true);
    if (dmg.empty()) continue;  // e.g. Ditto: nothing the engine can battle with
    r.species.push_back(&s);
    r.damaging.push_back(std::move(dmg));
    r.all.push_back(battle_moves(dex, s.id, false));
  }
  return r;
}

struct ChunkOutput {
  std::vector<DatasetRow> rows;
  std::vector<float> features;
};

class Builder {
 public:
  Builder(const dex::Dex& dex, const DatasetConfig& config) : dex_(dex), config_(config), roster_(make_roster(dex)) {
    if (roster_.species.size() < 2) throw std::invalid_argument("dataset: the Dex has fewer than 2 usable species");
  }

  std::int64_t total() const { return config_.configs[0] + config_.configs[1] + config_.configs[2]; }

  // Configurations [begin, end) of the global sequence (scenarios in order).
  void run_chunk(std::int64_t chunk, ChunkOutput& out) {
    const std::int64_t begin = chunk * config_.chunk_size;
    const std::int64_t end = std::min(total(), begin + config_.chunk_size);
    std::uint64_t sm = config_.seed ^ (0xA0761D6478BD642Full * static_cast<std::uint64_t>(chunk + 1));
    battle::Rng rng(battle::splitmix64(sm));
    const std::size_t nf = feature_spec().size();
    for (std::int64_t idx = begin; idx < end; ++idx) {
      const Scenario scenario = scenario_of(idx);
      DatasetRow row = make_row(scenario, idx, rng);
      const battle::BattleConfig config = row_battle_config(dex_, row, config_.turn_limit);
      label(row, config);
      DatasetRow mirror = mirrored(row);
      const std::size_t at = out.features.size();
      out.features.resize(at + 2 * nf);
      compute_features(dex_, config, std::span<float>(out.features.data() + at, nf));
      compute_features(dex_, mirror_config(config), std::span<float>(out.features.data() + at + nf, nf));
      out.rows.push_back(std::move(row));
      out.rows.push_back(std::move(mirror));
    }
  }

 private:
  Scenario scenario_of(std::int64_t idx) const {
    if (idx < config_.configs[0]) return Scenario::FixedPair;
    if (idx < config_.configs[0] + config_.configs[1]) return Scenario::GreedyBest;
    return Scenario::RandomMoveset;
  }

  int draw_level(battle::Rng& rng) const {
    return config_.other_levels[rng.below(static_cast<std::uint32_t>(config_.other_levels.size()))];
  }

  DatasetRow make_row(Scenario scenario, std::int64_t idx, battle::Rng& rng) const {
    DatasetRow row;
    row.config_index = idx;
    row.scenario = scenario;
    const auto n = static_cast<std::uint32_t>(roster_.species.size());
    std::size_t si[2] = {rng.below(n), rng.below(n)};
    for (int i = 0; i < 2; ++i) row.species[i] = roster_.species[si[i]]->id;
    // Level 50 for both, or each side's level drawn from the other levels (a level-50 draw cannot
    // happen there unless configured).
    if (rng.next() * 0x1.0p-64 < config_.level50_fraction) {
      row.level[0] = row.level[1] = 50;
    } else {
      row.level[0] = draw_level(rng);
      row.level[1] = draw_level(rng);
    }
    switch (scenario) {
      case Scenario::FixedPair:
        for (int i = 0; i < 2; ++i) {
          const auto& moves = roster_.damaging[si[i]];
          row.moves[i] = {moves[rng.below(static_cast<std::uint32_t>(moves.size()))]->id};
          row.policy[i] = battle::PolicyKind::Fixed;
        }
        break;
      case Scenario::GreedyBest: {
        Combatant c[2];
        for (int i = 0; i < 2; ++i) {
          dex::StatSpread spread;
          spread.level = row.level[i];
          c[i] = make_combatant(*roster_.species[si[i]], spread);
        }
        for (int i = 0; i < 2; ++i) {
          row.moves[i] = {recommended_move(dex_, c[i], c[1 - i])->id};
          row.policy[i] = battle::PolicyKind::Greedy;
        }
        break;
      }
      case Scenario::RandomMoveset:
        for (int i = 0; i < 2; ++i) {
          const auto& all = roster_.all[si[i]];
          const int k = std::min<int>(1 + static_cast<int>(rng.below(static_cast<std::uint32_t>(config_.max_moves))),
                                      static_cast<int>(all.size()));
          // Partial Fisher-Yates over indices: k distinct moves.
          std::vector<std::size_t> idxs(all.size());
          for (std::size_t j = 0; j < idxs.size(); ++j) idxs[j] = j;
          for (int j = 0; j < k; ++j) {
            const std::size_t pick = static_cast<std::size_t>(j) +
                                     rng.below(static_cast<std::uint32_t>(idxs.size() - static_cast<std::size_t>(j)));
            std::swap(idxs[static_cast<std::size_t>(j)], idxs[pick]);
          }
          bool any_damaging = false;
          for (int j = 0; j < k; ++j) {
            const dex::Move* m = all[idxs[static_cast<std::size_t>(j)]];
            row.moves[i].push_back(m->id);
            any_damaging = any_damaging || m->is_damaging();
          }
          if (!any_damaging) {
            // At least one damaging move, so battles end: replace the first with a random damaging move
            // not already in the set (status moves are never damaging, so no duplicate can arise).
            const auto& dmg = roster_.damaging[si[i]];
            row.moves[i][0] = dmg[rng.below(static_cast<std::uint32_t>(dmg.size()))]->id;
          }
          row.policy[i] = battle::PolicyKind::Greedy;
        }
        break;
    }
    row.battle_seed = rng.next();
    row.odds_seed = rng.next();
    row.split = split_of_pair(row.species[0], row.species[1], config_);
    return row;
  }

  void label(DatasetRow& row, const battle::BattleConfig& config) const {
    battle::Rng rng(row.battle_seed);
    const battle::BattleResult r = battle::run_battle(dex_, config, rng);
    row.winner = r.winner;
    row.turns = r.turns;
    const battle::Odds odds = battle::compute_odds(dex_, config, battle::OddsMethod::Auto, config_.mc_n, row.odds_seed);
    // The exact solver's sums can land a rounding error outside [0, 1] (1.0000000000000002).
    row.p1_win = std::clamp(odds.p1_win, 0.0, 1.0);
    row.p2_win = std::clamp(odds.p2_win, 0.0, 1.0);
    row.draw = std::clamp(odds.draw, 0.0, 1.0);
    row.method = odds.method;
    row.mc_n = odds.method == battle::OddsMethod::MonteCarlo ? odds.n : 0;
    if (row.method != battle::OddsMethod::MonteCarlo) row.odds_seed = 0;
  }

  static DatasetRow mirrored(const DatasetRow& row) {
    DatasetRow m = row;
    m.mirror = true;
    std::swap(m.species[0], m.species[1]);
    std::swap(m.level[0], m.level[1]);
    std::swap(m.moves[0], m.moves[1]);
    std::swap(m.policy[0], m.policy[1]);
    m.winner = row.winner == 0 ? 0 : 3 - row.winner;
    std::swap(m.p1_win, m.p2_win);
    return m;
  }

  const dex::Dex& dex_;
  const DatasetConfig& config_;
  Roster roster_;
};

}  // namespace

Dataset build_dataset(const dex::Dex& dex, const DatasetConfig& config, int threads, const BuildProgress& progress) {
  config.validate();
  const auto start = std::chrono::steady_clock::now();
  Builder builder(dex, config);
  const std::int64_t total = builder.total();
  const std::int64_t chunks = (total + config.chunk_size - 1) / config.chunk_size;
  std::vector<ChunkOutput> outputs(static_cast<std::size_t>(chunks));
  std::atomic<std::int64_t> next{0};
  std::atomic<std::int64_t> done{0};
  std::mutex error_mutex;
  std::string error;
  auto worker = [&] {
    for (;;) {
      const std::int64_t c = next.fetch_add(1);
      if (c >= chunks) break;
      try {
        builder.run_chunk(c, outputs[static_cast<std::size_t>(c)]);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (error.empty()) error = "chunk " + std::to_string(c) + ": " + e.what();
        next = chunks;
      }
      done.fetch_add(std::min<std::int64_t>(config.chunk_size, total - c * config.chunk_size));
    }
  };
  int n_threads = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  n_threads = static_cast<int>(std::min<std::int64_t>(n_threads, std::max<std::int64_t>(1, chunks)));
  std::vector<std::thread> pool;
  for (int t = 0; t < n_threads; ++t) pool.emplace_back(worker);
  if (progress) {
    while (done.load() < total && error.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      std::int64_t d = done.load();
      if (d < total) progress(d, total);
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error.empty()) break;
    }
  }
  for (std::thread& t : pool) t.join();
  if (!error.empty()) throw std::runtime_error("dataset build failed: " + error);
  if (progress) progress(total, total);

  Dataset ds;
  ds.config = config;
  ds.feature_count = feature_spec().size();
  ds.feature_spec_hash = feature_spec().hash;
  ds.dex_sha256 = dex.data().content_sha256;
  std::size_t nrows = 0;
  for (const ChunkOutput& o : outputs) nrows += o.rows.size();
  ds.rows.reserve(nrows);
  ds.features.reserve(nrows * ds.feature_count);
  for (ChunkOutput& o : outputs) {
    std::move(o.rows.begin(), o.rows.end(), std::back_inserter(ds.rows));
    ds.features.insert(ds.features.end(), o.features.begin(), o.features.end());
  }
  ds.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return ds;
}

// ---------------------------------------------------------------------------------------------------
// Storage

namespace {

const std::vector<std::string>& csv_columns() {
  static const std::vector<std::string> cols = {
      "config_index", "mirror",      "scenario",    "split",     "p1_species", "p2_species", "p1_level",
      "p2_level",     "p1_moves",    "p2_moves",    "p1_policy", "p2_policy",  "winner",     "turns",
      "battle_seed",  "p1_win_prob", "p2_win_prob", "draw_prob", "method",     "mc_n",       "odds_seed"};
  return cols;
}

json column_docs() {
  auto col = [](const char* name, const char* type, const char* meaning) {
    return json{{"name", name}, {"type", type}, {"meaning", meaning}};
  };
  return json::array({
      col("config_index", "int64", "index of the generated configuration; a row and its mirror share it"),
      col("mirror", "0|1", "1: the configuration with the sides swapped (same battle seen from the other side)"),
      col("scenario", "fixed_pair|greedy_best|random_moveset", "how the moves were chosen (docs/dataset-format.md)"),
      col("split", "train|validation|test", "by unordered species pair"),
      col("p1_species", "int", "Species::id of side 1"),
      col("p2_species", "int", "Species::id of side 2"),
      col("p1_level", "int 1..100", "level of side 1"),
      col("p2_level", "int 1..100", "level of side 2"),
      col("p1_moves", "move ids joined by ';'", "side 1's moves (1..4), for traceability; never features"),
      col("p2_moves", "move ids joined by ';'", "side 2's moves"),
      col("p1_policy", "fixed|greedy|random", "side 1's move choice"),
      col("p2_policy", "fixed|greedy|random", "side 2's move choice"),
      col("winner", "0|1|2", "winner of one seeded engine battle; 0 = draw at the turn limit"),
      col("turns", "int", "turns of that battle"),
      col("battle_seed", "uint64", "seed of that battle (pdex battle simulate --seed, on the non-mirror row)"),
      col("p1_win_prob", "float64 0..1", "engine probability that side 1 wins"),
      col("p2_win_prob", "float64 0..1", "engine probability that side 2 wins"),
      col("draw_prob", "float64 0..1", "engine probability of a draw"),
      col("method", "exact|mc", "how the probabilities were computed"),
      col("mc_n", "int64", "Monte Carlo battles (0 when exact)"),
      col("odds_seed", "uint64", "Monte Carlo seed (0 when exact)"),
  });
}

std::string join_ids(const std::vector<int>& ids) {
  std::string s;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ';';
    s += std::to_string(ids[i]);
  }
  return s;
}

std::string format_double(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void append_field(std::string& out, std::string_view v) {
  out += ',';
  out += v;
}

std::string rows_csv(const Dataset& ds) {
  std::string out;
  out.reserve(ds.rows.size() * 110 + 256);
  for (std::size_t i = 0; i < csv_columns().size(); ++i) {
    if (i) out += ',';
    out += csv_columns()[i];
  }
  out += '\n';
  for (const DatasetRow& r : ds.rows) {
    out += std::to_string(r.config_index);
    append_field(out, r.mirror ? "1" : "0");
    append_field(out, scenario_name(r.scenario));
    append_field(out, split_name(r.split));
    for (int i = 0; i < 2; ++i) append_field(out, std::to_string(r.species[i]));
    for (int i = 0; i < 2; ++i) append_field(out, std::to_string(r.level[i]));
    for (int i = 0; i < 2; ++i) append_field(out, join_ids(r.moves[i]));
    for (int i = 0; i < 2; ++i) append_field(out, battle::policy_name(r.policy[i]));
    append_field(out, std::to_string(r.winner));
    append_field(out, std::to_string(r.turns));
    append_field(out, std::to_string(r.battle_seed));
    append_field(out, format_double(r.p1_win));
    append_field(out, format_double(r.p2_win));
    append_field(out, format_double(r.draw));
    append_field(out, battle::odds_method_name(r.method));
    append_field(out, std::to_string(r.mc_n));
    append_field(out, std::to_string(r.odds_seed));
    out += '\n';
  }
  return out;
}

std::string_view feature_bytes(const Dataset& ds) {
  return {reinterpret_cast<const char*>(ds.features.data()), ds.features.size() * sizeof(float)};
}

std::string combine_hashes(const std::string& rows_hash, const std::string& features_hash) {
  return sha256_hex("rows.csv " + rows_hash + "\nfeatures.f32 " + features_hash + "\n");
}

void write_file(const fs::path& path, std::string_view bytes) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error(tmp.string() + ": cannot open for writing");
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) throw std::runtime_error(tmp.string() + ": write failed");
  }
  fs::rename(tmp, path);
}

std::string read_file(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path.string() + ": cannot open");
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

std::string dataset_content_hash(const Dataset& ds) {
  return combine_hashes(sha256_hex(rows_csv(ds)), sha256_hex(feature_bytes(ds)));
}

std::string write_dataset(Dataset& ds, const fs::path& dir) {
  fs::create_directories(dir);
  const std::string csv = rows_csv(ds);
  const std::string rows_hash = sha256_hex(csv);
  const std::string features_hash = sha256_hex(feature_bytes(ds));
  ds.content_sha256 = combine_hashes(rows_hash, features_hash);
  write_file(dir / "rows.csv", csv);
  write_file(dir / "features.f32", feature_bytes(ds));

  json counts = {{"rows", ds.rows.size()}, {"configurations", ds.rows.size() / 2}};
  std::map<std::string, std::int64_t> per_split, per_scenario, per_method, per_winner;
  for (const DatasetRow& r : ds.rows) {
    per_split[std::string(split_name(r.split))]++;
    per_scenario[std::string(scenario_name(r.scenario))]++;
    per_method[std::string(battle::odds_method_name(r.method))]++;
    per_winner[std::to_string(r.winner)]++;
  }
  counts["split"] = per_split;
  counts["scenario"] = per_scenario;
  counts["method"] = per_method;
  counts["winner"] = per_winner;
  const FeatureSpec& spec = feature_spec();
  json schema = {
      {"format", "predictiondex-dataset"},
      {"format_version", 1},
      {"content_sha256", ds.content_sha256},
      {"files",
       {{"rows.csv", {{"sha256", rows_hash}, {"bytes", csv.size()}}},
        {"features.f32", {{"sha256", features_hash}, {"bytes", ds.features.size() * sizeof(float)}}}}},
      {"columns", column_docs()},
      {"features",
       {{"encoding", "float32 little-endian, row-major, one row per rows.csv data line"},
        {"count", ds.feature_count},
        {"names", ds.feature_count == spec.size() ? json(spec.names) : json::array()},
        {"spec_hash", ds.feature_spec_hash}}},
      {"seed", ds.config.seed},
      {"config", ds.config.to_json()},
      {"code_version", std::string(kVersion) + "+" + kGitHash},
      {"dex_sha256", ds.dex_sha256},
      {"counts", counts},
      {"build_seconds", ds.build_seconds},
  };
  write_file(dir / "schema.json", schema.dump(2) + "\n");
  return ds.content_sha256;
}

namespace {

[[noreturn]] void csv_error(const fs::path& path, std::size_t line, const std::string& column, const std::string& msg) {
  throw std::runtime_error(path.string() + ": line " + std::to_string(line) + ": " + column + ": " + msg);
}

template <typename T>
T parse_integer(const fs::path& path, std::size_t line, const std::string& column, std::string_view text) {
  if (text.empty()) csv_error(path, line, column, "missing value");
  T v{};
  std::size_t pos = 0;
  bool neg = false;
  if (text[0] == '-') {
    neg = true;
    pos = 1;
  }
  if (pos >= text.size()) csv_error(path, line, column, "expected an integer, got '" + std::string(text) + "'");
  std::uint64_t acc = 0;
  const auto out_of_range = [&]() {
    csv_error(path, line, column, "integer out of range, got '" + std::string(text) + "'");
  };
  for (; pos < text.size(); ++pos) {
    const char ch = text[pos];
    if (ch < '0' || ch > '9') csv_error(path, line, column, "expected an integer, got '" + std::string(text) + "'");
    const auto digit = static_cast<std::uint64_t>(ch - '0');
    if (acc > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) out_of_range();
    acc = acc * 10 + digit;
  }
  if constexpr (std::is_unsigned_v<T>) {
    if (neg) csv_error(path, line, column, "expected a non-negative integer, got '" + std::string(text) + "'");
    if (acc > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) out_of_range();
    v = static_cast<T>(acc);
  } else {
    // |min| of T is max + 1.
    const auto limit = static_cast<std::uint64_t>(std::numeric_limits<T>::max()) + (neg ? 1 : 0);
    if (acc > limit) out_of_range();
    v = neg ? static_cast<T>(-static_cast<std::int64_t>(acc - 1) - 1) : static_cast<T>(acc);
  }
  return v;
}

double parse_real(const fs::path& path, std::size_t line, const std::string& column, const std::string& text) {
  if (text.empty()) csv_error(path, line, column, "missing value");
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) csv_error(path, line, column, "expected a number, got '" + text + "'");
  return v;  // NaN/inf parse; dataset check reports them
}

}  // namespace

Dataset read_dataset(const fs::path& dir) {
  const fs::path schema_path = dir / "schema.json";
  json schema;
  try {
    schema = json::parse(read_file(schema_path));
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number that overflows a double
    throw std::runtime_error(schema_path.string() + ": malformed JSON: " + e.what());
  }
  Dataset ds;
  auto field = [&](const json& obj, const std::string& key, const std::string& where) -> const json& {
    if (!obj.is_object() || !obj.contains(key))
      throw std::runtime_error(schema_path.string() + ": missing field " + where);
    return obj.at(key);
  };
  try {
    if (field(schema, "format", "format") != "predictiondex-dataset") {
      throw std::runtime_error(schema_path.string() + ": format: expected predictiondex-dataset");
    }
    if (field(schema, "format_version", "format_version") != 1) {
      throw std::runtime_error(schema_path.string() + ": format_version: expected 1");
    }
    ds.config = DatasetConfig::from_json(field(schema, "config", "config"));
    const json& feats = field(schema, "features", "features");
    try {
      ds.feature_count = json_integer<std::uint32_t>(field(feats, "count", "features.count"), "features.count");
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(schema_path.string() + ": " + e.what());
    }
    ds.feature_spec_hash = field(feats, "spec_hash", "features.spec_hash").get<std::string>();
    ds.dex_sha256 = field(schema, "dex_sha256", "dex_sha256").get<std::string>();
    ds.build_seconds = schema.value("build_seconds", 0.0);
    ds.content_sha256 = field(schema, "content_sha256", "content_sha256").get<std::string>();
  } catch (const json::exception& e) {
    throw std::runtime_error(schema_path.string() + ": " + e.what());
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(schema_path.string() + ": config." + e.what());
  }

  const fs::path csv_path = dir / "rows.csv";
  const std::string csv = read_file(csv_path);
  std::size_t line_no = 0, pos = 0;
  std::vector<std::string> cells;
  while (pos < csv.size()) {
    std::size_t eol = csv.find('\n', pos);
    if (eol == std::string::npos) eol = csv.size();
    const std::string_view line(csv.data() + pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    cells.clear();
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      cells.emplace_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    const auto& cols = csv_columns();
    if (line_no == 1) {
      if (cells != cols) throw std::runtime_error(csv_path.string() + ": line 1: header does not match the schema");
      continue;
    }
    if (cells.size() != cols.size()) {
      csv_error(csv_path, line_no, "row",
                "expected " + std::to_string(cols.size()) + " fields, got " + std::to_string(cells.size()));
    }
    DatasetRow r;
    std::size_t c = 0;
    auto col = [&]() -> const std::string& { return cols[c]; };
    r.config_index = parse_integer<std::int64_t>(csv_path, line_no, col(), cells[c]);
    ++c;
    const int mirror = parse_integer<int>(csv_path, line_no, col(), cells[c]);
    if (mirror != 0 && mirror != 1) csv_error(csv_path, line_no, col(), "expected 0 or 1");
    r.mirror = mirror == 1;
    ++c;
    const auto scen = parse_scenario(cells[c]);
    if (!scen) csv_error(csv_path, line_no, col(), "unknown scenario '" + cells[c] + "'");
    r.scenario = *scen;
    ++c;
    const auto split = parse_split(cells[c]);
    if (!split) csv_error(csv_path, line_no, col(), "unknown split '" + cells[c] + "'");
    r.split = *split;
    ++c;
    for (int i = 0; i < 2; ++i, ++c) r.species[i] = parse_integer<int>(csv_path, line_no, col(), cells[c]);
    for (int i = 0; i < 2; ++i, ++c) r.level[i] = parse_integer<int>(csv_path, line_no, col(), cells[c]);
    for (int i = 0; i < 2; ++i, ++c) {
      if (cells[c].empty()) csv_error(csv_path, line_no, col(), "missing value");
      std::size_t s = 0;
      for (;;) {
        const std::size_t semi = cells[c].find(';', s);
        r.moves[i].push_back(parse_integer<int>(
            csv_path, line_no, col(),
            std::string_view(cells[c]).substr(s, semi == std::string::npos ? std::string::npos : semi - s)));
        if (semi == std::string::npos) break;
        s = semi + 1;
      }
    }
    for (int i = 0; i < 2; ++i, ++c) {
      const auto pol = battle::parse_policy(cells[c]);
      if (!pol) csv_error(csv_path, line_no, col(), "unknown policy '" + cells[c] + "'");
      r.policy[i] = *pol;
    }
    r.winner = parse_integer<int>(csv_path, line_no, col(), cells[c]);
    ++c;
    r.turns = parse_integer<int>(csv_path, line_no, col(), cells[c]);
    ++c;
    r.battle_seed = parse_integer<std::uint64_t>(csv_path, line_no, col(), cells[c]);
    ++c;
    r.p1_win = parse_real(csv_path, line_no, col(), cells[c]);
    ++c;
    r.p2_win = parse_real(csv_path, line_no, col(), cells[c]);
    ++c;
    r.draw = parse_real(csv_path, line_no, col(), cells[c]);
    ++c;
    const auto method = battle::parse_odds_method(cells[c]);
    if (!method || *method == battle::OddsMethod::Auto)
      csv_error(csv_path, line_no, col(), "expected exact or mc, got '" + cells[c] + "'");
    r.method = *method;
    ++c;
    r.mc_n = parse_integer<std::int64_t>(csv_path, line_no, col(), cells[c]);
    ++c;
    r.odds_seed = parse_integer<std::uint64_t>(csv_path, line_no, col(), cells[c]);
    ++c;
    ds.rows.push_back(std::move(r));
  }
  if (line_no == 0) throw std::runtime_error(csv_path.string() + ": empty file (no header)");

  const fs::path feat_path = dir / "features.f32";
  const std::string fbytes = read_file(feat_path);
  const std::size_t expected = ds.rows.size() * ds.feature_count * sizeof(float);
  if (fbytes.size() != expected) {
    throw std::runtime_error(feat_path.string() + ": expected " + std::to_string(expected) + " bytes (" +
                             std::to_string(ds.rows.size()) + " rows x " + std::to_string(ds.feature_count) +
                             " float32), got " + std::to_string(fbytes.size()));
  }
  ds.features.resize(ds.rows.size() * ds.feature_count);
  if (!fbytes.empty()) std::memcpy(ds.features.data(), fbytes.data(), fbytes.size());
  const std::string actual = combine_hashes(sha256_hex(csv), sha256_hex(fbytes));
  if (actual != ds.content_sha256) {
    throw std::runtime_error(schema_path.string() + ": content_sha256 mismatch: schema says " + ds.content_sha256 +
                             ", files hash to " + actual + " (the dataset was modified after it was written)");
  }
  return ds;
}

}  // namespace pdex::ml
