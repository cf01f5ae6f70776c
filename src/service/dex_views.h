// JSON views of Dex records for the API (the shapes documented in docs/openapi.json).
#pragma once

#include <nlohmann/json.hpp>

#include "dex/dex.h"

namespace pdex::service {

// {id, showdown_id, name, types, base_stats, is_mega, is_alola, is_starter, forme}
nlohmann::ordered_json species_summary(const dex::Species& s);
// Summary plus name_fr, num, base_species, weight_hg, stats {level, base, computed}, type_matchups
// {weaknesses, resistances, immunities: [{type, multiplier}]}, prevo, evolutions, mega_evolutions, learnset
// [{move (summary), method, level, inherited_from}]. Stats computed with IV 31, AV 0, neutral nature.
nlohmann::ordered_json species_detail(const dex::Dex& dex, const dex::Species& s, int level);
// {id, showdown_id, name, type, category, power, accuracy, pp, priority, engine_supported}
nlohmann::ordered_json move_summary(const dex::Move& m);
// Summary plus name_fr, crit_ratio, target, short_desc, is_partner_move, flags, engine_unsupported_reason,
// learned_by [{id, name}] (species that can use it in battle).
nlohmann::ordered_json move_detail(const dex::Dex& dex, const dex::Move& m);
// ["Fire"] or ["Grass", "Poison"].
nlohmann::ordered_json typing_names(const dex::Typing& t);
nlohmann::ordered_json stat_object(const dex::StatTable& t);  // {hp, atk, def, spa, spd, spe}

}  // namespace pdex::service
