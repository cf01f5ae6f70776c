#include "service/dex_views.h"

#include "battle/move_support.h"
#include "dex/learnset.h"
#include "dex/stats.h"

namespace pdex::service {

using nlohmann::ordered_json;

namespace {

template <typename T>
ordered_json optional_json(const std::optional<T>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

ordered_json species_ref(const dex::Dex& dex, const std::string& showdown_id) {
  const dex::Species* s = dex.find_species(showdown_id);
  ordered_json out = ordered_json::object();
  out["id"] = s ? ordered_json(s->id) : ordered_json(nullptr);
  out["showdown_id"] = s ? s->showdown_id : showdown_id;
  out["name"] = s ? s->name : showdown_id;
  return out;
}

}  // namespace

ordered_json typing_names(const dex::Typing& t) {
  ordered_json out = ordered_json::array();
  out.push_back(dex::type_name(t.first));
  if (t.dual()) out.push_back(dex::type_name(t.second));
  return out;
}

ordered_json stat_object(const dex::StatTable& t) {
  ordered_json out = ordered_json::object();
  for (int i = 0; i < dex::kStatCount; ++i) out[std::string(dex::stat_key(static_cast<dex::Stat>(i)))] = t.v[i];
  return out;
}

ordered_json species_summary(const dex::Species& s) {
  return ordered_json{{"id", s.id},
                      {"showdown_id", s.showdown_id},
                      {"name", s.name},
                      {"name_fr", optional_json(s.name_fr)},
                      {"types", typing_names(s.types)},
                      {"base_stats", stat_object(s.base_stats)},
                      {"is_mega", s.is_mega},
                      {"is_alola", s.is_alola},
                      {"is_starter", s.is_starter},
                      {"forme", optional_json(s.forme)}};
}

ordered_json species_detail(const dex::Dex& dex, const dex::Species& s, int level) {
  ordered_json out = species_summary(s);
  out["num"] = s.num;
  out["base_species"] = species_ref(dex, s.base_species);
  out["weight_hg"] = s.weight_hg;
  dex::StatSpread spread;
  spread.level = level;
  out["stats"] = ordered_json{{"level", level},
                              {"ivs", 31},
                              {"avs", 0},
                              {"nature", std::string(dex::neutral_nature().name)},
                              {"base", stat_object(s.base_stats)},
                              {"computed", stat_object(dex::compute_stats(s.base_stats, spread))}};

  ordered_json weak = ordered_json::array(), resist = ordered_json::array(), immune = ordered_json::array();
  for (int i = 0; i < dex::kTypeCount; ++i) {
    const auto t = static_cast<dex::Type>(i);
    const double m = dex.chart().multiplier(t, s.types);
    ordered_json entry = {{"type", std::string(dex::type_name(t))}, {"multiplier", m}};
    if (m == 0) {
      immune.push_back(std::move(entry));
    } else if (m < 1) {
      resist.push_back(std::move(entry));
    } else if (m > 1) {
      weak.push_back(std::move(entry));
    }
  }
  out["type_matchups"] = ordered_json{{"weaknesses", weak}, {"resistances", resist}, {"immunities", immune}};

  out["prevo"] = s.prevo ? species_ref(dex, *s.prevo) : ordered_json(nullptr);
  ordered_json evolutions = ordered_json::array();
  for (const dex::Evolution& e : s.evolutions) {
    ordered_json ev = species_ref(dex, e.to);
    ev["trigger"] = e.trigger;
    ev["level"] = optional_json(e.level);
    ev["item"] = optional_json(e.item);
    ev["condition"] = optional_json(e.condition);
    evolutions.push_back(std::move(ev));
  }
  out["evolutions"] = std::move(evolutions);
  ordered_json megas = ordered_json::array();
  for (const std::string& m : s.mega_evolutions) megas.push_back(species_ref(dex, m));
  out["mega_evolutions"] = std::move(megas);

  ordered_json learnset = ordered_json::array();
  for (const dex::LearnsetEntry& e : dex.learnset(s.id)) {
    const dex::Move* m = dex.move_by_id(e.move_id);
    if (!m) continue;
    ordered_json row = ordered_json::object();  // member by member: see battle_side_json (battle_request.cc)
    row["move"] = move_summary(*m);
    row["method"] = dex::learn_method_name(e.method);
    row["level"] = optional_json(e.level);
    if (e.inherited_from) {
      const dex::Species* from = dex.species_by_id(*e.inherited_from);
      row["inherited_from"] = from ? species_ref(dex, from->showdown_id) : ordered_json(*e.inherited_from);
    } else {
      row["inherited_from"] = nullptr;
    }
    learnset.push_back(std::move(row));
  }
  out["learnset"] = std::move(learnset);
  return out;
}

ordered_json move_summary(const dex::Move& m) {
  const battle::MoveSupport support = battle::classify_move(m);
  ordered_json out = ordered_json::object();  // member by member: see battle_side_json (battle_request.cc)
  out["id"] = m.id;
  out["showdown_id"] = m.showdown_id;
  out["name"] = m.name;
  out["type"] = dex::type_name(m.type);
  out["category"] = dex::category_name(m.category);
  out["power"] = m.power;
  out["accuracy"] = optional_json(m.accuracy);
  out["pp"] = m.pp;
  out["priority"] = m.priority;
  out["engine_supported"] = !support.unsupported.has_value();
  return out;
}

void write_move_summary(JsonWriter& out, const dex::Move& m) {
  out.begin_object();
  out.key("id").value(m.id);
  out.key("showdown_id").value(m.showdown_id);
  out.key("name").value(m.name);
  out.key("type").value(dex::type_name(m.type));
  out.key("category").value(dex::category_name(m.category));
  out.key("power").value(m.power);
  out.key("accuracy");
  if (m.accuracy) {
    out.value(*m.accuracy);
  } else {
    out.null();
  }
  out.key("pp").value(m.pp);
  out.key("priority").value(m.priority);
  out.key("engine_supported").value(!battle::classify_move(m).unsupported.has_value());
  out.end_object();
}

ordered_json move_detail(const dex::Dex& dex, const dex::Move& m) {
  ordered_json out = move_summary(m);
  out["name_fr"] = optional_json(m.name_fr);
  out["crit_ratio"] = m.crit_ratio;
  out["target"] = m.target;
  out["short_desc"] = m.short_desc;
  out["is_partner_move"] = m.is_partner_move;
  out["flags"] = m.flags;
  out["engine_unsupported_reason"] = optional_json(battle::classify_move(m).unsupported);
  ordered_json learned_by = ordered_json::array();
  for (const dex::Species& s : dex.all_species()) {
    if (dex.can_learn(s.id, m.id)) learned_by.push_back(ordered_json{{"id", s.id}, {"name", s.name}});
  }
  out["learned_by"] = std::move(learned_by);
  return out;
}

}  // namespace pdex::service
