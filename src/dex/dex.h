// The in-memory Pokédex: immutable after construction, safe to share read-only across threads.
#pragma once

#include <cstdint>
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
  // Learnset rows are stably regrouped by species id (a no-op for data in the documented order).
  explicit Dex(DexData data);

  const DexData& data() const { return data_; }
  // A number no other Dex built by this process has had (copies keep their original's). With the object's
  // address it identifies this Dex for caches of facts derived from it (ml/move_scoring.cc), which a Dex built
  // later at the same address must not see.
  std::uint64_t instance_id() const { return instance_id_; }
  const TypeChart& chart() const { return data_.chart; }
  std::span<const Species> all_species() const { return data_.species; }
  std::span<const Move> all_moves() const { return data_.moves; }

  // O(1) lookups; nullptr when absent.
  const Species* species_by_id(int id) const;
  const Move* move_by_id(int id) const;
  // Accepts a numeric id ("25", surrounding spaces allowed), a Showdown id ("raichualola"), an English name
  // or a French name, case-insensitively ("Raichu-Alola", "raichu alola", "Ronflex", "Nidoran♀"). Keys are
  // reduced with to_showdown_id. Precedence when keys collide: Showdown ids, then English names, then French
  // names (so "Raichu", also the French name of Raichu-Alola, is Raichu). A key of digits only is always an id.
  const Species* find_species(std::string_view key) const;
  const Move* find_move(std::string_view key) const;

  // Learnset rows of a species (all methods, own and inherited), in DexData order; empty if none/unknown.
  std::span<const LearnsetEntry> learnset(int species_id) const;
  // Distinct moves a species can use in battle, sorted by id: rows with method levelup (any level, 0 =
  // on evolution), tm or tutor, own or inherited. Event rows never count, even for a move that only an event
  // teaches: the game's normal play cannot teach them and the dataset/engine use levelup, tm and tutor only
  // (docs/data-format.md). Empty for an unknown species.
  const std::vector<int>& usable_moves(int species_id) const;
  // Whether `move_id` is in usable_moves(species_id) (so event-only moves give false). O(log n).
  bool can_learn(int species_id, int move_id) const;

 private:
  DexData data_;
  std::uint64_t instance_id_;
  std::unordered_map<int, std::size_t> species_by_id_;
  std::unordered_map<std::string, std::size_t> species_by_key_;
  std::unordered_map<int, std::size_t> move_by_id_;
  std::unordered_map<std::string, std::size_t> move_by_key_;
  std::unordered_map<int, std::pair<std::size_t, std::size_t>> learnset_range_;
  std::unordered_map<int, std::vector<int>> usable_moves_;
};

// Lowercase a-z0-9 reduction used by Showdown ids ("Mr. Mime" -> "mrmime", "Raichu-Alola" -> "raichualola").
// Beyond Showdown's toID, UTF-8 Latin-1 letters fold to ASCII ("Mélofée" -> "melofee"), Œ/œ -> "oe" and ♀/♂ ->
// "f"/"m" ("Nidoran♀" -> "nidoranf", Showdown's id); every other non-ASCII character is dropped ("Farfetch’d").
std::string to_showdown_id(std::string_view s);

}  // namespace pdex::dex
