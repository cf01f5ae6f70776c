#include "battle/battle_config.h"

#include <string>

#include "battle/move_support.h"

namespace pdex::battle {
namespace {

// Appends the pieces in order. (GCC 12 at -O3 reports a spurious -Wrestrict on chains of operator+.)
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (out.append(parts), ...);
  return out;
}

}  // namespace

std::string_view policy_name(PolicyKind p) {
  switch (p) {
    case PolicyKind::Fixed:
      return "fixed";
    case PolicyKind::Greedy:
      return "greedy";
    case PolicyKind::Random:
      return "random";
  }
  return "?";
}

std::optional<PolicyKind> parse_policy(std::string_view name) {
  if (name == "fixed") return PolicyKind::Fixed;
  if (name == "greedy") return PolicyKind::Greedy;
  if (name == "random") return PolicyKind::Random;
  return std::nullopt;
}

std::vector<SideSpecError> apply_side_spec(const dex::Dex& dex, const SideSpec& spec, PokemonConfig& side) {
  std::vector<SideSpecError> errors;
  if (spec.species) {
    side.species = dex.find_species(*spec.species);
    if (!side.species) {
      errors.push_back({SideSpecError::Field::Species, 0, cat("unknown Pokémon '", *spec.species, "'")});
    }
  }
  for (std::size_t m = 0; m < spec.moves.size(); ++m) {
    const dex::Move* move = dex.find_move(spec.moves[m]);
    if (!move) errors.push_back({SideSpecError::Field::Move, m, cat("unknown move '", spec.moves[m], "'")});
    side.moves.push_back(move);
  }
  if (spec.level) side.spread.level = *spec.level;
  if (spec.ivs) side.spread.ivs = *spec.ivs;
  if (spec.avs) side.spread.avs = *spec.avs;
  if (spec.nature) {
    if (const dex::Nature* nature = dex::find_nature(*spec.nature)) {
      side.spread.nature = nature;
    } else {
      errors.push_back({SideSpecError::Field::Nature, 0, cat("unknown nature '", *spec.nature, "'")});
    }
  }
  if (spec.policy) side.policy = *spec.policy;
  return errors;
}

std::optional<std::string> validate_config(const dex::Dex& dex, const BattleConfig& config) {
  (void)dex;
  if (config.turn_limit < 1 || config.turn_limit > 100000) {
    return cat("turn_limit: must be 1..100000, got ", std::to_string(config.turn_limit));
  }
  for (int i = 0; i < 2; ++i) {
    const PokemonConfig& side = config.side[i];
    const std::string p = cat("p", std::to_string(i + 1));
    if (!side.species) return cat(p, ".species: missing");
    if (auto bad = dex::validate_spread(side.spread)) return cat(p, ".spread: ", *bad);
    if (side.moves.empty() || side.moves.size() > 4) {
      return cat(p, ".moves: must hold 1..4 moves, got ", std::to_string(side.moves.size()));
    }
    for (std::size_t m = 0; m < side.moves.size(); ++m) {
      const std::string field = cat(p, ".moves[", std::to_string(m), "]");
      const dex::Move* move = side.moves[m];
      if (!move) return cat(field, ": missing");
      for (std::size_t k = 0; k < m; ++k) {
        if (side.moves[k] == move) return cat(field, ": ", move->name, " is listed twice");
      }
      MoveSupport support = classify_move(*move);
      if (support.unsupported) {
        return cat(field, ": ", move->name, " is not implemented by the engine (", *support.unsupported, ")");
      }
      if (move->pp <= 0) return cat(field, ": ", move->name, " has no PP");
    }
    if (side.policy == PolicyKind::Fixed &&
        (side.fixed_move_index < 0 || side.fixed_move_index >= static_cast<int>(side.moves.size()))) {
      return cat(p, ".fixed_move_index: must be 0..", std::to_string(side.moves.size() - 1), ", got ",
                 std::to_string(side.fixed_move_index));
    }
  }
  return std::nullopt;
}

}  // namespace pdex::battle
