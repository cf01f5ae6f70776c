// Battle datasets for the model: matchups over the whole LGPE roster, labelled by the battle engine.
//
// Scenarios (docs/dataset-format.md):
//   fixed_pair      each side one random usable damaging move (the engine's Fixed policy);
//   greedy_best     each side the move the greedy policy opens with against this opponent, chosen from
//                   its whole usable learnset (ml::recommended_move);
//   random_moveset  each side 1..max_moves random usable moves (at least one damaging), Greedy policy.
// Levels: both 50 with probability level50_fraction, else each side's level drawn from other_levels.
// Only moves the engine implements are used (battle::classify_move).
//
// Each configuration gives two rows: the battle and its mirror (sides swapped), so side 1 wins half
// the decisive rows by construction. Per row: the configuration, the winner of one seeded battle
// (the mirror row reports the same battle from the other side), the engine's probabilities (exact
// where battle::exact_unsupported_reason allows, else Monte Carlo with mc_n battles), the split and the
// features (ml::compute_features; stored so that a dataset documents exactly what a model saw).
//
// Splits are by unordered Pokémon pair: a hash of (seed, smaller id, larger id) picks train, validation
// or test, so a pair, in either orientation and any scenario, lives in exactly one split.
//
// Determinism: configurations are generated in fixed chunks, chunk k from the k-th seed derived from
// the dataset seed, so the rows (and the content hash) do not depend on the thread count.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "battle/battle_config.h"
#include "battle/odds.h"
#include "dex/dex.h"

namespace pdex::ml {

enum class Scenario : std::uint8_t { FixedPair, GreedyBest, RandomMoveset };
inline constexpr int kScenarioCount = 3;
std::string_view scenario_name(Scenario s);  // "fixed_pair", "greedy_best", "random_moveset"
std::optional<Scenario> parse_scenario(std::string_view s);

enum class Split : std::uint8_t { Train, Validation, Test };
std::string_view split_name(Split s);  // "train", "validation", "test"
std::optional<Split> parse_split(std::string_view s);

struct DatasetConfig {
  std::uint64_t seed = 1;
  std::array<std::int64_t, kScenarioCount> configs = {25000, 20000, 25000};  // per scenario, before mirroring
  int max_moves = 4;                                                         // random_moveset
  double level50_fraction = 0.6;
  std::vector<int> other_levels = {10, 20, 30, 40, 60, 70, 80, 90, 100};
  std::int64_t mc_n = 200;                                 // Monte Carlo battles where exact odds do not apply
  double train_fraction = 0.8, validation_fraction = 0.1;  // test gets the rest
  int turn_limit = 500;
  int chunk_size = 256;  // configurations per work unit (part of the definition: changes rows)

  // Throws std::invalid_argument naming the field.
  void validate() const;
  nlohmann::json to_json() const;
  // Unknown keys throw std::invalid_argument naming the key; missing keys keep the defaults above.
  static DatasetConfig from_json(const nlohmann::json& j);
};

struct DatasetRow {
  std::int64_t config_index = 0;  // the configuration this row comes from (mirrors share it)
  bool mirror = false;
  Scenario scenario = Scenario::FixedPair;
  Split split = Split::Train;
  int species[2] = {0, 0};
  int level[2] = {50, 50};
  std::vector<int> moves[2];  // move ids, 1..4 per side (traceability only: never features)
  battle::PolicyKind policy[2] = {battle::PolicyKind::Fixed, battle::PolicyKind::Fixed};
  int winner = 0;  // of one seeded battle: 1, 2, or 0 for a draw (turn limit)
  int turns = 0;
  std::uint64_t battle_seed = 0;  // `pdex battle simulate --seed` reproduces the battle (non-mirror row)
  double p1_win = 0, p2_win = 0, draw = 0;
  battle::OddsMethod method = battle::OddsMethod::Exact;
  std::int64_t mc_n = 0;        // 0 for exact
  std::uint64_t odds_seed = 0;  // Monte Carlo seed

  // P(side 1 wins | the battle is decisive): the soft label and the "true probability" of evaluation.
  double p1_decisive() const;
};

struct Dataset {
  DatasetConfig config;
  std::vector<DatasetRow> rows;
  std::vector<float> features;  // rows.size() × feature_count, row-major
  std::size_t feature_count = 0;
  std::string feature_spec_hash;
  std::string content_sha256;  // set by write_dataset / read_dataset
  std::string dex_sha256;
  double build_seconds = 0;

  std::span<const float> row_features(std::size_t r) const {
    return {features.data() + r * feature_count, feature_count};
  }
};

// Which split an unordered pair belongs to.
Split split_of_pair(int species_a, int species_b, const DatasetConfig& config);

// The battle a row describes (policies, levels, moves; default IVs/AVs/nature). Throws
// std::invalid_argument naming the row when an id is unknown.
battle::BattleConfig row_battle_config(const dex::Dex& dex, const DatasetRow& row, int turn_limit);

using BuildProgress = std::function<void(std::int64_t done_configs, std::int64_t total_configs)>;
// Builds the dataset on `threads` threads (0 = hardware concurrency). Deterministic (see above).
Dataset build_dataset(const dex::Dex& dex, const DatasetConfig& config, int threads = 0,
                      const BuildProgress& progress = {});

// Writes rows.csv, features.f32 and schema.json into `dir` (created; existing files replaced) and sets
// dataset.content_sha256. Returns the content hash.
std::string write_dataset(Dataset& dataset, const std::filesystem::path& dir);
// The content hash alone (sha256 over the two data files' hashes), without writing anything.
std::string dataset_content_hash(const Dataset& dataset);

// Reads and validates a dataset directory: every field of every row (errors name file, line, column),
// file sizes, and the content hash recorded in schema.json. Throws std::runtime_error.
Dataset read_dataset(const std::filesystem::path& dir);

}  // namespace pdex::ml
