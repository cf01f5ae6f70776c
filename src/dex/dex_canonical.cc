#include "dex/dex_canonical.h"

#include <stdexcept>
#include <unordered_map>

#include "common/sha256.h"

namespace pdex::dex {
namespace {

using nlohmann::json;

template <class T>
json or_null(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json boosts_json(const Boosts& b) {
  json out = json::object();
  const std::pair<const char*, std::int8_t> stages[] = {{"atk", b.atk},        {"def", b.def}, {"spa", b.spa},
                                                        {"spd", b.spd},        {"spe", b.spe}, {"accuracy", b.accuracy},
                                                        {"evasion", b.evasion}};
  for (const auto& [key, n] : stages) {
    if (n != 0) out[key] = static_cast<int>(n);
  }
  return out;
}

json opt_boosts_json(const std::optional<Boosts>& b) {
  return b ? boosts_json(*b) : json(nullptr);
}

json fraction_json(const std::optional<Fraction>& f) {
  return f ? json::array({f->num, f->den}) : json(nullptr);
}

json status_json(Status s) {
  return s == Status::None ? json(nullptr) : json(std::string(status_id(s)));
}

// 0, 1 and 2 are integers in the file; only ½ is a float.
json multiplier_json(double m) {
  return m == 0.5 ? json(0.5) : json(static_cast<int>(m));
}

json species_json(const Species& s) {
  json types = json::array({std::string(type_name(s.types.first))});
  if (s.types.dual()) types.push_back(std::string(type_name(s.types.second)));
  json stats = json::object();
  for (int k = 0; k < kStatCount; ++k) stats[std::string(stat_key(static_cast<Stat>(k)))] = s.base_stats.v[k];
  json evolutions = json::array();
  for (const auto& e : s.evolutions) {
    evolutions.push_back({{"to", e.to},
                          {"trigger", e.trigger},
                          {"level", or_null(e.level)},
                          {"item", or_null(e.item)},
                          {"condition", or_null(e.condition)}});
  }
  return {{"id", s.id},
          {"showdown_id", s.showdown_id},
          {"name", s.name},
          {"name_fr", or_null(s.name_fr)},
          {"num", s.num},
          {"base_species", s.base_species},
          {"forme", or_null(s.forme)},
          {"types", types},
          {"base_stats", stats},
          {"weight_hg", s.weight_hg},
          {"is_mega", s.is_mega},
          {"is_alola", s.is_alola},
          {"is_starter", s.is_starter},
          {"prevo", or_null(s.prevo)},
          {"evolutions", evolutions},
          {"mega_evolutions", s.mega_evolutions}};
}

json move_json(const Move& m) {
  json multihit = m.multihit ? json::array({m.multihit->first, m.multihit->second}) : json(nullptr);
  json fixed = nullptr;
  if (m.fixed_damage) {
    switch (m.fixed_damage->kind) {
      case FixedDamage::Kind::Level:
        fixed = "level";
        break;
      case FixedDamage::Kind::HalfHp:
        fixed = "half";
        break;
      case FixedDamage::Kind::Constant:
        fixed = m.fixed_damage->amount;
        break;
    }
  }
  json secondaries = json::array();
  for (const auto& s : m.secondaries) {
    json e = {{"chance", s.chance}};
    if (s.status != Status::None) e["status"] = std::string(status_id(s.status));
    if (s.volatile_status) e["volatile_status"] = *s.volatile_status;
    if (s.boosts) e["boosts"] = boosts_json(*s.boosts);
    if (s.self_boosts) e["self_boosts"] = boosts_json(*s.self_boosts);
    secondaries.push_back(std::move(e));
  }
  return {{"id", m.id},
          {"showdown_id", m.showdown_id},
          {"name", m.name},
          {"name_fr", or_null(m.name_fr)},
          {"type", std::string(type_name(m.type))},
          {"category", std::string(category_name(m.category))},
          {"power", m.power},
          {"accuracy", or_null(m.accuracy)},
          {"pp", m.pp},
          {"priority", m.priority},
          {"crit_ratio", m.crit_ratio},
          {"will_crit", m.will_crit},
          {"multihit", multihit},
          {"recoil", fraction_json(m.recoil)},
          {"drain", fraction_json(m.drain)},
          {"heal", fraction_json(m.heal)},
          {"self_destruct", m.self_destruct},
          {"ohko", m.ohko},
          {"fixed_damage", fixed},
          {"charge", m.charge},
          {"recharge", m.recharge},
          {"status", status_json(m.status)},
          {"volatile_status", or_null(m.volatile_status)},
          {"side_condition", or_null(m.side_condition)},
          {"boosts", opt_boosts_json(m.boosts)},
          {"self_boosts", opt_boosts_json(m.self_boosts)},
          {"secondaries", secondaries},
          {"flags", m.flags},
          {"target", m.target},
          {"is_partner_move", m.is_partner_move},
          {"short_desc", m.short_desc},
          {"self_volatile_status", or_null(m.self_volatile_status)},
          {"self_side_condition", or_null(m.self_side_condition)},
          {"self_switch", m.self_switch},
          {"force_switch", m.force_switch},
          {"crash_damage", m.crash_damage},
          {"other_properties", m.other_properties},
          {"callbacks", m.callbacks}};
}

}  // namespace

json dex_content_json(const DexData& data) {
  json types = json::array();
  for (const auto& t : data.types) types.push_back({{"id", t.id}, {"name", t.name}, {"name_fr", or_null(t.name_fr)}});
  json chart = json::array();
  for (const auto& a : data.types) {
    for (const auto& d : data.types) {
      chart.push_back({{"attacking", std::string(type_name(a.type))},
                       {"defending", std::string(type_name(d.type))},
                       {"multiplier", multiplier_json(data.chart.multiplier(a.type, d.type))}});
    }
  }
  json pokemon = json::array();
  std::unordered_map<int, const std::string*> species_ids;
  for (const auto& s : data.species) {
    pokemon.push_back(species_json(s));
    species_ids[s.id] = &s.showdown_id;
  }
  json moves = json::array();
  std::unordered_map<int, const std::string*> move_ids;
  for (const auto& m : data.moves) {
    moves.push_back(move_json(m));
    move_ids[m.id] = &m.showdown_id;
  }
  auto species_id = [&](int id, std::size_t row) -> const std::string& {
    const auto it = species_ids.find(id);
    if (it == species_ids.end()) {
      throw std::invalid_argument("learnsets[" + std::to_string(row) + "]: unknown pokemon id " + std::to_string(id));
    }
    return *it->second;
  };
  json learnsets = json::array();
  for (std::size_t i = 0; i < data.learnsets.size(); ++i) {
    const auto& l = data.learnsets[i];
    const auto move = move_ids.find(l.move_id);
    if (move == move_ids.end()) {
      throw std::invalid_argument("learnsets[" + std::to_string(i) + "]: unknown move id " + std::to_string(l.move_id));
    }
    learnsets.push_back(
        {{"pokemon", species_id(l.pokemon_id, i)},
         {"move", *move->second},
         {"method", std::string(learn_method_name(l.method))},
         {"level", or_null(l.level)},
         {"inherited_from", l.inherited_from ? json(species_id(*l.inherited_from, i)) : json(nullptr)}});
  }
  return {{"types", types}, {"type_chart", chart}, {"pokemon", pokemon}, {"moves", moves}, {"learnsets", learnsets}};
}

std::string content_sha256_of(const DexData& data) {
  return sha256_hex(dex_content_json(data).dump());
}

}  // namespace pdex::dex
