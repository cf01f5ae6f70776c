// JSON views of Dex records for the API (the shapes documented in docs/openapi.json).
#pragma once

#include <nlohmann/json.hpp>

#include "dex/dex.h"
#include "service/json_writer.h"

namespace pdex::service {

// {id, showdown_id, name, types, base_stats, is_mega, is_alola, is_starter, forme}
nlohmann::ordered_json species_summary(const dex::Species& s);
// Summary plus name_fr, num, base_species, weight_hg, stats {level, base, computed}, type_matchups
// {weaknesses, resistances, immunities: [{type, multiplier}]}, prevo, evolutions, mega_evolutions, learnset
// [{move (summary), method, level, inherited_from}]. Stats computed with IV 31, AV 0, neutral nature.
nlohmann::ordered_json species_detail(const dex::Dex& dex, const dex::Species& s, int level);
// {id, showdown_id, name, type, category, power, accuracy, pp, priority, engine_supported}. Two builders of one
// shape, held byte-identical for every move of the Dex by dex_views_test: the tree for the Dex routes, the
// text for the prediction answers (building and dumping a tree per move was a tenth of POST
// /api/v1/predict/battle's handler; reading the text back into a tree made GET /api/v1/pokemon/{id} 45 % slower).
void write_move_summary(JsonWriter& out, const dex::Move& m);
nlohmann::ordered_json move_summary(const dex::Move& m);
// Summary plus name_fr, crit_ratio, target, short_desc, is_partner_move, flags, engine_unsupported_reason,
// learned_by [{id, name}] (species that can use it in battle).
nlohmann::ordered_json move_detail(const dex::Dex& dex, const dex::Move& m);
// ["Fire"] or ["Grass", "Poison"].
nlohmann::ordered_json typing_names(const dex::Typing& t);
nlohmann::ordered_json stat_object(const dex::StatTable& t);  // {hp, atk, def, spa, spd, spe}

}  // namespace pdex::service
