#include "dex/dex.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>

namespace pdex::dex {
namespace {

const std::vector<int> kNoMoves;

bool is_usable_method(LearnMethod m) {
  return m == LearnMethod::LevelUp || m == LearnMethod::Tm || m == LearnMethod::Tutor;
}

// A key that is all digits (after trimming spaces) is a numeric id.
std::optional<int> parse_numeric_id(std::string_view key) {
  while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
  while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
  if (key.empty() || key.size() > 9) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), value);
  if (ec != std::errc() || end != key.data() + key.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string to_showdown_id(std::string_view s) {
  // Latin-1 letters U+00C0..U+00FF folded to ASCII ("" for signs); index = code point - 0xC0.
  static constexpr std::array<std::string_view, 64> kLatin1 = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // C0-CF
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "",  "ss",  // D0-DF
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // E0-EF
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "",  "y",   // F0-FF
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(static_cast<char>(c));
    } else if (c == 0xC3 && i + 1 < s.size()) {
      const auto d = static_cast<unsigned char>(s[i + 1]);
      if (d >= 0x80 && d <= 0xBF) out += kLatin1[d - 0x80];
      ++i;
    } else if (c == 0xC5 && i + 1 < s.size() && (s[i + 1] == '\x92' || s[i + 1] == '\x93')) {  // Œ œ
      out += "oe";
      ++i;
    } else if (c == 0xE2 && i + 2 < s.size() && s[i + 1] == '\x99' && (s[i + 2] == '\x80' || s[i + 2] == '\x82')) {
      out += s[i + 2] == '\x80' ? "f" : "m";  // ♀ ♂, as in Showdown's "Nidoran-F" / "Nidoran-M"
      i += 2;
    }
  }
  return out;
}

Dex::Dex(DexData data) : data_(std::move(data)) {
  static std::atomic<std::uint64_t> instances{0};
  instance_id_ = ++instances;
  // Grouping by species needs each species' rows contiguous; a stable sort keeps file order within a species.
  std::stable_sort(data_.learnsets.begin(), data_.learnsets.end(),
                   [](const LearnsetEntry& a, const LearnsetEntry& b) { return a.pokemon_id < b.pokemon_id; });

  for (std::size_t i = 0; i < data_.species.size(); ++i) {
    const Species& s = data_.species[i];
    species_by_id_.emplace(s.id, i);
    species_by_key_.emplace(s.showdown_id, i);
  }
  // Names second, so a name can never shadow another species' Showdown id.
  for (std::size_t i = 0; i < data_.species.size(); ++i) {
    species_by_key_.emplace(to_showdown_id(data_.species[i].name), i);
  }
  // French names last: forms share their base species' French name, and the base species comes first.
  for (std::size_t i = 0; i < data_.species.size(); ++i) {
    if (data_.species[i].name_fr) species_by_key_.emplace(to_showdown_id(*data_.species[i].name_fr), i);
  }
  for (std::size_t i = 0; i < data_.moves.size(); ++i) {
    const Move& m = data_.moves[i];
    move_by_id_.emplace(m.id, i);
    move_by_key_.emplace(m.showdown_id, i);
  }
  for (std::size_t i = 0; i < data_.moves.size(); ++i) {
    move_by_key_.emplace(to_showdown_id(data_.moves[i].name), i);
  }
  for (std::size_t i = 0; i < data_.moves.size(); ++i) {
    if (data_.moves[i].name_fr) move_by_key_.emplace(to_showdown_id(*data_.moves[i].name_fr), i);
  }

  for (std::size_t begin = 0; begin < data_.learnsets.size();) {
    const int pokemon = data_.learnsets[begin].pokemon_id;
    std::size_t end = begin;
    std::vector<int> usable;
    for (; end < data_.learnsets.size() && data_.learnsets[end].pokemon_id == pokemon; ++end) {
      if (is_usable_method(data_.learnsets[end].method)) usable.push_back(data_.learnsets[end].move_id);
    }
    std::sort(usable.begin(), usable.end());
    usable.erase(std::unique(usable.begin(), usable.end()), usable.end());
    learnset_range_.emplace(pokemon, std::make_pair(begin, end));
    usable_moves_.emplace(pokemon, std::move(usable));
    begin = end;
  }
}

const Species* Dex::species_by_id(int id) const {
  auto it = species_by_id_.find(id);
  return it == species_by_id_.end() ? nullptr : &data_.species[it->second];
}

const Move* Dex::move_by_id(int id) const {
  auto it = move_by_id_.find(id);
  return it == move_by_id_.end() ? nullptr : &data_.moves[it->second];
}

const Species* Dex::find_species(std::string_view key) const {
  if (auto id = parse_numeric_id(key)) return species_by_id(*id);
  auto it = species_by_key_.find(to_showdown_id(key));
  return it == species_by_key_.end() ? nullptr : &data_.species[it->second];
}

const Move* Dex::find_move(std::string_view key) const {
  if (auto id = parse_numeric_id(key)) return move_by_id(*id);
  auto it = move_by_key_.find(to_showdown_id(key));
  return it == move_by_key_.end() ? nullptr : &data_.moves[it->second];
}

std::span<const LearnsetEntry> Dex::learnset(int species_id) const {
  auto it = learnset_range_.find(species_id);
  if (it == learnset_range_.end()) return {};
  const auto [begin, end] = it->second;
  return std::span<const LearnsetEntry>(data_.learnsets).subspan(begin, end - begin);
}

const std::vector<int>& Dex::usable_moves(int species_id) const {
  auto it = usable_moves_.find(species_id);
  return it == usable_moves_.end() ? kNoMoves : it->second;
}

bool Dex::can_learn(int species_id, int move_id) const {
  const std::vector<int>& moves = usable_moves(species_id);
  return std::binary_search(moves.begin(), moves.end(), move_id);
}

}  // namespace pdex::dex
