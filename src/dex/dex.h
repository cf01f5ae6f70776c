// The in-memory Pokédex: immutable after construction, safe to share read-only across threads.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dex/dex_data.h"

namespace pdex::dex {

class Dex {
 public:
  // Builds the indexes. Precondition: `data` is valid (as parse_dex_json or the store return it).
  explicit Dex(DexData data);

  const DexData& data() const { return data_; }
  const TypeChart& chart() const { return data_.chart; }
  std::span<const Species> all_species() const { return data_.species; }
  std::span<const Move> all_moves() const { return data_.moves; }

  // O(1) lookups; nullptr when absent.
  const Species* species_by_id(int id) const;
  const Move* move_by_id(int id) const;
  // Accepts a numeric id ("25"), a Showdown id ("raichualola") or a name, case-insensitively
  // ("Raichu-Alola", "raichu alola"). Names are reduced to Showdown ids (lowercase a-z0-9 only).
  const Species* find_species(std::string_view key) const;
  const Move* find_move(std::string_view key) const;

  // Learnset rows of a species (all methods), in file order.
  std::span<const LearnsetEntry> learnset(int species_id) const;
  // Distinct moves a species can use in battle (level-up, TM, tutor; own or inherited), sorted by id.
  const std::vector<int>& usable_moves(int species_id) const;
  bool can_learn(int species_id, int move_id) const;

 private:
  DexData data_;
  std::unordered_map<int, std::size_t> species_by_id_;
  std::unordered_map<std::string, std::size_t> species_by_key_;
  std::unordered_map<int, std::size_t> move_by_id_;
  std::unordered_map<std::string, std::size_t> move_by_key_;
  std::unordered_map<int, std::pair<std::size_t, std::size_t>> learnset_range_;
  std::unordered_map<int, std::vector<int>> usable_moves_;
};

// Lowercase a-z0-9 reduction used by Showdown ids ("Mr. Mime" -> "mrmime", "Raichu-Alola" -> "raichualola").
std::string to_showdown_id(std::string_view s);

}  // namespace pdex::dex
