#include "store/dex_repository.h"

#include <array>
#include <chrono>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/version.h"
#include "dex/dex_canonical.h"
#include "store/database.h"
#include "store/transaction.h"

namespace pdex::store {
namespace {

using dex::Boosts;
using dex::DexData;
using soci::indicator;
using soci::into;
using soci::use;

// Child tables first, so that deleting never leaves a dangling reference behind.
constexpr std::array<const char*, 16> kDexTablesChildFirst = {
    "learnsets",
    "move_callbacks",
    "move_other_properties",
    "move_flags",
    "move_secondary_boosts",
    "move_secondaries",
    "move_boosts",
    "moves",
    "mega_evolutions",
    "evolutions",
    "pokemon_types",
    "pokemon",
    "type_effectiveness",
    "types",
    "dex_source_packages",
    "dex_meta",
};

// A nullable column for bulk binding: values plus soci's per-row null indicators.
template <class T>
struct NullableColumn {
  std::vector<T> values;
  std::vector<indicator> ind;
  void push(const std::optional<T>& v) {
    values.push_back(v ? *v : T{});
    ind.push_back(v ? soci::i_ok : soci::i_null);
  }
};

template <class T>
std::optional<T> optional_at(const std::vector<T>& values, const std::vector<indicator>& ind, std::size_t i) {
  if (ind[i] == soci::i_null) return std::nullopt;
  return values[i];
}

int flag(bool b) {
  return b ? 1 : 0;
}

std::optional<std::string> status_text(dex::Status s) {
  if (s == dex::Status::None) return std::nullopt;
  return std::string(dex::status_id(s));
}

// Columns of a boosts row (move_boosts / move_secondary_boosts), in schema order.
struct BoostColumns {
  std::vector<int> atk, def, spa, spd, spe, accuracy, evasion;
  void push(const Boosts& b) {
    atk.push_back(b.atk);
    def.push_back(b.def);
    spa.push_back(b.spa);
    spd.push_back(b.spd);
    spe.push_back(b.spe);
    accuracy.push_back(b.accuracy);
    evasion.push_back(b.evasion);
  }
  void resize(std::size_t n) {
    for (auto* v : {&atk, &def, &spa, &spd, &spe, &accuracy, &evasion}) v->resize(n);
  }
  Boosts at(std::size_t i) const {
    Boosts b;
    b.atk = static_cast<std::int8_t>(atk[i]);
    b.def = static_cast<std::int8_t>(def[i]);
    b.spa = static_cast<std::int8_t>(spa[i]);
    b.spd = static_cast<std::int8_t>(spd[i]);
    b.spe = static_cast<std::int8_t>(spe[i]);
    b.accuracy = static_cast<std::int8_t>(accuracy[i]);
    b.evasion = static_cast<std::int8_t>(evasion[i]);
    return b;
  }
};

constexpr const char* kBoostColumnList = "atk, def, spa, spd, spe, accuracy, evasion";
constexpr const char* kBoostPlaceholders = ":atk, :def, :spa, :spd, :spe, :accuracy, :evasion";

// Runs one prepared bulk INSERT; soci refuses empty vectors, and an empty table needs no statement.
template <class Bind>
void bulk_insert(soci::session& sql, std::size_t rows, const std::string& text, Bind&& bind) {
  if (rows == 0) return;
  soci::statement st(sql);
  st.alloc();
  bind(st);
  st.prepare(text);
  st.define_and_bind();
  st.execute(true);
}

class DexWriter {
 public:
  DexWriter(soci::session& sql, const DexData& data, const ImportOptions& options)
      : sql_(sql), data_(data), options_(options) {
    for (const auto& t : data_.types) type_ids_[static_cast<int>(t.type)] = t.id;
    for (const auto& s : data_.species) species_ids_.emplace(s.showdown_id, s.id);
  }

  void delete_all() {
    for (const char* table : kDexTablesChildFirst) {
      guarded(
          table, [&] { sql_ << std::string("DELETE FROM ") + table; }, /*hook=*/false);
    }
  }

  void insert_all() {
    guarded("types", [&] { write_types(); });
    guarded("type_effectiveness", [&] { write_chart(); });
    guarded("pokemon", [&] { write_pokemon(); });
    guarded("pokemon_types", [&] { write_pokemon_types(); });
    guarded("evolutions", [&] { write_evolutions(); });
    guarded("mega_evolutions", [&] { write_mega_evolutions(); });
    guarded("moves", [&] { write_moves(); });
    guarded("move_boosts", [&] { write_move_boosts(); });
    guarded("move_secondaries", [&] { write_move_secondaries(); });
    guarded("move_secondary_boosts", [&] { write_move_secondary_boosts(); });
    guarded("move_flags", [&] { write_move_strings("move_flags", "flag", &dex::Move::flags); });
    guarded("move_other_properties",
            [&] { write_move_strings("move_other_properties", "property", &dex::Move::other_properties); });
    guarded("move_callbacks", [&] { write_move_strings("move_callbacks", "callback", &dex::Move::callbacks); });
    guarded("learnsets", [&] { write_learnsets(); });
    guarded("dex_source_packages", [&] { write_source_packages(); });
    guarded("dex_meta", [&] { write_meta(); });
  }

 private:
  // `hook`: whether to call options_.after_table afterwards (inserts only: the deletes come first anyway).
  template <class F>
  void guarded(const char* table, F&& f, bool hook = true) {
    try {
      f();
    } catch (const DatabaseError&) {
      throw;
    } catch (const soci::soci_error& e) {
      throw DatabaseError(std::string("writing table ") + table + ": " + one_line(e.what()));
    }
    if (hook && options_.after_table) options_.after_table(table);
  }

  int type_id(dex::Type t, const std::string& where) const {
    const int id = type_ids_[static_cast<int>(t)];
    if (id == 0) {
      throw DatabaseError(where + ": type " + std::string(dex::type_name(t)) + " is not among the dex's types");
    }
    return id;
  }

  int species_id(const std::string& showdown_id, const std::string& where) const {
    const auto it = species_ids_.find(showdown_id);
    if (it == species_ids_.end()) throw DatabaseError(where + ": '" + showdown_id + "' is not in the roster");
    return it->second;
  }

  static std::string where_species(std::size_t i, const dex::Species& s, const char* field) {
    return "pokemon[" + std::to_string(i) + "] (" + s.showdown_id + "): " + field;
  }

  void write_types() {
    std::vector<int> id;
    std::vector<std::string> name;
    NullableColumn<std::string> name_fr;
    for (const auto& t : data_.types) {
      id.push_back(t.id);
      name.push_back(t.name);
      name_fr.push(t.name_fr);
    }
    bulk_insert(sql_, id.size(), "INSERT INTO types (id, name, name_fr) VALUES (:id, :name, :name_fr)",
                [&](soci::statement& st) {
                  st.exchange(use(id));
                  st.exchange(use(name));
                  st.exchange(use(name_fr.values, name_fr.ind));
                });
  }

  void write_chart() {
    std::vector<int> attacking, defending;
    std::vector<double> multiplier;
    for (const auto& a : data_.types) {
      for (const auto& d : data_.types) {
        attacking.push_back(a.id);
        defending.push_back(d.id);
        multiplier.push_back(data_.chart.multiplier(a.type, d.type));
      }
    }
    bulk_insert(sql_, attacking.size(),
                "INSERT INTO type_effectiveness (attacking_type_id, defending_type_id, multiplier) "
                "VALUES (:a, :d, :m)",
                [&](soci::statement& st) {
                  st.exchange(use(attacking));
                  st.exchange(use(defending));
                  st.exchange(use(multiplier));
                });
  }

  void write_pokemon() {
    std::vector<int> id, num, base_species, weight, is_mega, is_alola, is_starter;
    std::vector<std::string> showdown_id, name;
    NullableColumn<std::string> name_fr, forme;
    NullableColumn<int> prevo;
    std::array<std::vector<int>, dex::kStatCount> stats;
    for (std::size_t i = 0; i < data_.species.size(); ++i) {
      const auto& s = data_.species[i];
      id.push_back(s.id);
      showdown_id.push_back(s.showdown_id);
      name.push_back(s.name);
      name_fr.push(s.name_fr);
      num.push_back(s.num);
      base_species.push_back(species_id(s.base_species, where_species(i, s, "base_species")));
      forme.push(s.forme);
      for (int k = 0; k < dex::kStatCount; ++k) stats[k].push_back(s.base_stats.v[k]);
      weight.push_back(s.weight_hg);
      is_mega.push_back(flag(s.is_mega));
      is_alola.push_back(flag(s.is_alola));
      is_starter.push_back(flag(s.is_starter));
      prevo.push(s.prevo ? std::optional<int>(species_id(*s.prevo, where_species(i, s, "prevo"))) : std::nullopt);
    }
    bulk_insert(sql_, id.size(),
                "INSERT INTO pokemon (id, showdown_id, name, name_fr, num, base_species_id, forme, hp, atk, def, spa, "
                "spd, spe, weight_hg, is_mega, is_alola, is_starter, prevo_id) VALUES (:id, :sid, :name, :name_fr, "
                ":num, :base, :forme, :hp, :atk, :def, :spa, :spd, :spe, :w, :mega, :alola, :starter, :prevo)",
                [&](soci::statement& st) {
                  st.exchange(use(id));
                  st.exchange(use(showdown_id));
                  st.exchange(use(name));
                  st.exchange(use(name_fr.values, name_fr.ind));
                  st.exchange(use(num));
                  st.exchange(use(base_species));
                  st.exchange(use(forme.values, forme.ind));
                  for (auto& column : stats) st.exchange(use(column));
                  st.exchange(use(weight));
                  st.exchange(use(is_mega));
                  st.exchange(use(is_alola));
                  st.exchange(use(is_starter));
                  st.exchange(use(prevo.values, prevo.ind));
                });
  }

  void write_pokemon_types() {
    std::vector<int> pokemon, slot, type;
    for (std::size_t i = 0; i < data_.species.size(); ++i) {
      const auto& s = data_.species[i];
      pokemon.push_back(s.id);
      slot.push_back(1);
      type.push_back(type_id(s.types.first, where_species(i, s, "types[0]")));
      if (s.types.dual()) {
        pokemon.push_back(s.id);
        slot.push_back(2);
        type.push_back(type_id(s.types.second, where_species(i, s, "types[1]")));
      }
    }
    bulk_insert(sql_, pokemon.size(), "INSERT INTO pokemon_types (pokemon_id, slot, type_id) VALUES (:p, :s, :t)",
                [&](soci::statement& st) {
                  st.exchange(use(pokemon));
                  st.exchange(use(slot));
                  st.exchange(use(type));
                });
  }

  void write_evolutions() {
    std::vector<int> pokemon, ordinal, to;
    std::vector<std::string> trigger;
    NullableColumn<int> level;
    NullableColumn<std::string> item, condition;
    for (std::size_t i = 0; i < data_.species.size(); ++i) {
      const auto& s = data_.species[i];
      for (std::size_t k = 0; k < s.evolutions.size(); ++k) {
        const auto& e = s.evolutions[k];
        pokemon.push_back(s.id);
        ordinal.push_back(static_cast<int>(k + 1));
        to.push_back(species_id(e.to, where_species(i, s, "evolutions.to")));
        trigger.push_back(e.trigger);
        level.push(e.level);
        item.push(e.item);
        condition.push(e.condition);
      }
    }
    bulk_insert(sql_, pokemon.size(),
                "INSERT INTO evolutions (pokemon_id, ordinal, evolves_to_id, trigger_kind, min_level, item, "
                "evolution_condition) VALUES (:p, :o, :to, :trigger, :level, :item, :cond)",
                [&](soci::statement& st) {
                  st.exchange(use(pokemon));
                  st.exchange(use(ordinal));
                  st.exchange(use(to));
                  st.exchange(use(trigger));
                  st.exchange(use(level.values, level.ind));
                  st.exchange(use(item.values, item.ind));
                  st.exchange(use(condition.values, condition.ind));
                });
  }

  void write_mega_evolutions() {
    std::vector<int> pokemon, ordinal, mega;
    for (std::size_t i = 0; i < data_.species.size(); ++i) {
      const auto& s = data_.species[i];
      for (std::size_t k = 0; k < s.mega_evolutions.size(); ++k) {
        pokemon.push_back(s.id);
        ordinal.push_back(static_cast<int>(k + 1));
        mega.push_back(species_id(s.mega_evolutions[k], where_species(i, s, "mega_evolutions")));
      }
    }
    bulk_insert(sql_, pokemon.size(), "INSERT INTO mega_evolutions (pokemon_id, ordinal, mega_id) VALUES (:p, :o, :m)",
                [&](soci::statement& st) {
                  st.exchange(use(pokemon));
                  st.exchange(use(ordinal));
                  st.exchange(use(mega));
                });
  }

  void write_moves() {
    std::vector<int> id, type, power, pp, priority, crit_ratio, will_crit, self_destruct, ohko, charge, recharge,
        partner, self_switch, force_switch, crash_damage;
    std::vector<std::string> showdown_id, name, category, target, short_desc;
    NullableColumn<std::string> name_fr, fixed_damage, status, volatile_status, side_condition, self_volatile_status,
        self_side_condition;
    NullableColumn<int> accuracy, multihit_min, multihit_max, recoil_num, recoil_den, drain_num, drain_den, heal_num,
        heal_den, fixed_amount;
    auto push_fraction = [](const std::optional<dex::Fraction>& f, NullableColumn<int>& num, NullableColumn<int>& den) {
      num.push(f ? std::optional<int>(f->num) : std::nullopt);
      den.push(f ? std::optional<int>(f->den) : std::nullopt);
    };
    for (std::size_t i = 0; i < data_.moves.size(); ++i) {
      const auto& m = data_.moves[i];
      id.push_back(m.id);
      showdown_id.push_back(m.showdown_id);
      name.push_back(m.name);
      name_fr.push(m.name_fr);
      type.push_back(type_id(m.type, "moves[" + std::to_string(i) + "] (" + m.showdown_id + "): type"));
      category.emplace_back(dex::category_name(m.category));
      power.push_back(m.power);
      accuracy.push(m.accuracy);
      pp.push_back(m.pp);
      priority.push_back(m.priority);
      crit_ratio.push_back(m.crit_ratio);
      will_crit.push_back(flag(m.will_crit));
      multihit_min.push(m.multihit ? std::optional<int>(m.multihit->first) : std::nullopt);
      multihit_max.push(m.multihit ? std::optional<int>(m.multihit->second) : std::nullopt);
      push_fraction(m.recoil, recoil_num, recoil_den);
      push_fraction(m.drain, drain_num, drain_den);
      push_fraction(m.heal, heal_num, heal_den);
      self_destruct.push_back(flag(m.self_destruct));
      ohko.push_back(flag(m.ohko));
      if (m.fixed_damage) {
        using Kind = dex::FixedDamage::Kind;
        const Kind k = m.fixed_damage->kind;
        fixed_damage.push(std::string(k == Kind::Level ? "level" : k == Kind::HalfHp ? "half" : "constant"));
        fixed_amount.push(m.fixed_damage->amount);
      } else {
        fixed_damage.push(std::nullopt);
        fixed_amount.push(std::nullopt);
      }
      charge.push_back(flag(m.charge));
      recharge.push_back(flag(m.recharge));
      status.push(status_text(m.status));
      volatile_status.push(m.volatile_status);
      side_condition.push(m.side_condition);
      target.push_back(m.target);
      partner.push_back(flag(m.is_partner_move));
      short_desc.push_back(m.short_desc);
      self_volatile_status.push(m.self_volatile_status);
      self_side_condition.push(m.self_side_condition);
      self_switch.push_back(flag(m.self_switch));
      force_switch.push_back(flag(m.force_switch));
      crash_damage.push_back(flag(m.crash_damage));
    }
    bulk_insert(
        sql_, id.size(),
        "INSERT INTO moves (id, showdown_id, name, name_fr, type_id, category, power, accuracy, pp, priority, "
        "crit_ratio, will_crit, multihit_min, multihit_max, recoil_num, recoil_den, drain_num, drain_den, heal_num, "
        "heal_den, self_destruct, ohko, fixed_damage, fixed_damage_amount, charge, recharge, status, "
        "volatile_status, side_condition, target, is_partner_move, short_desc, self_volatile_status, "
        "self_side_condition, "
        "self_switch, force_switch, crash_damage) VALUES (:id, :sid, :name, :name_fr, "
        ":type, :category, :power, :accuracy, :pp, :priority, :crit, :will_crit, :mh_min, :mh_max, :recoil_num, "
        ":recoil_den, :drain_num, :drain_den, :heal_num, :heal_den, :self_destruct, :ohko, :fixed, :fixed_amount, "
        ":charge, :recharge, :status, :volatile, :side, :target, :partner, :desc, :self_volatile, :self_side, "
        ":self_switch, :force_switch, :crash)",
        [&](soci::statement& st) {
          st.exchange(use(id));
          st.exchange(use(showdown_id));
          st.exchange(use(name));
          st.exchange(use(name_fr.values, name_fr.ind));
          st.exchange(use(type));
          st.exchange(use(category));
          st.exchange(use(power));
          st.exchange(use(accuracy.values, accuracy.ind));
          st.exchange(use(pp));
          st.exchange(use(priority));
          st.exchange(use(crit_ratio));
          st.exchange(use(will_crit));
          for (auto* c :
               {&multihit_min, &multihit_max, &recoil_num, &recoil_den, &drain_num, &drain_den, &heal_num, &heal_den}) {
            st.exchange(use(c->values, c->ind));
          }
          st.exchange(use(self_destruct));
          st.exchange(use(ohko));
          st.exchange(use(fixed_damage.values, fixed_damage.ind));
          st.exchange(use(fixed_amount.values, fixed_amount.ind));
          st.exchange(use(charge));
          st.exchange(use(recharge));
          st.exchange(use(status.values, status.ind));
          st.exchange(use(volatile_status.values, volatile_status.ind));
          st.exchange(use(side_condition.values, side_condition.ind));
          st.exchange(use(target));
          st.exchange(use(partner));
          st.exchange(use(short_desc));
          st.exchange(use(self_volatile_status.values, self_volatile_status.ind));
          st.exchange(use(self_side_condition.values, self_side_condition.ind));
          st.exchange(use(self_switch));
          st.exchange(use(force_switch));
          st.exchange(use(crash_damage));
        });
  }

  void write_move_boosts() {
    std::vector<int> move;
    std::vector<std::string> scope;
    BoostColumns b;
    for (const auto& m : data_.moves) {
      if (m.boosts) {
        move.push_back(m.id);
        scope.emplace_back("target");
        b.push(*m.boosts);
      }
      if (m.self_boosts) {
        move.push_back(m.id);
        scope.emplace_back("self");
        b.push(*m.self_boosts);
      }
    }
    bulk_insert(sql_, move.size(),
                std::string("INSERT INTO move_boosts (move_id, scope, ") + kBoostColumnList + ") VALUES (:m, :s, " +
                    kBoostPlaceholders + ")",
                [&](soci::statement& st) {
                  st.exchange(use(move));
                  st.exchange(use(scope));
                  for (auto* c : {&b.atk, &b.def, &b.spa, &b.spd, &b.spe, &b.accuracy, &b.evasion}) {
                    st.exchange(use(*c));
                  }
                });
  }

  void write_move_secondaries() {
    std::vector<int> move, ordinal, chance;
    NullableColumn<std::string> status, volatile_status;
    for (const auto& m : data_.moves) {
      for (std::size_t k = 0; k < m.secondaries.size(); ++k) {
        const auto& s = m.secondaries[k];
        move.push_back(m.id);
        ordinal.push_back(static_cast<int>(k + 1));
        chance.push_back(s.chance);
        status.push(status_text(s.status));
        volatile_status.push(s.volatile_status);
      }
    }
    bulk_insert(sql_, move.size(),
                "INSERT INTO move_secondaries (move_id, ordinal, chance, status, volatile_status) "
                "VALUES (:m, :o, :c, :s, :v)",
                [&](soci::statement& st) {
                  st.exchange(use(move));
                  st.exchange(use(ordinal));
                  st.exchange(use(chance));
                  st.exchange(use(status.values, status.ind));
                  st.exchange(use(volatile_status.values, volatile_status.ind));
                });
  }

  void write_move_secondary_boosts() {
    std::vector<int> move, ordinal;
    std::vector<std::string> scope;
    BoostColumns b;
    for (const auto& m : data_.moves) {
      for (std::size_t k = 0; k < m.secondaries.size(); ++k) {
        const auto& s = m.secondaries[k];
        for (const auto& [boosts, name] : {std::pair{&s.boosts, "target"}, std::pair{&s.self_boosts, "self"}}) {
          if (!*boosts) continue;
          move.push_back(m.id);
          ordinal.push_back(static_cast<int>(k + 1));
          scope.emplace_back(name);
          b.push(**boosts);
        }
      }
    }
    bulk_insert(sql_, move.size(),
                std::string("INSERT INTO move_secondary_boosts (move_id, ordinal, scope, ") + kBoostColumnList +
                    ") VALUES (:m, :o, :s, " + kBoostPlaceholders + ")",
                [&](soci::statement& st) {
                  st.exchange(use(move));
                  st.exchange(use(ordinal));
                  st.exchange(use(scope));
                  for (auto* c : {&b.atk, &b.def, &b.spa, &b.spd, &b.spe, &b.accuracy, &b.evasion}) {
                    st.exchange(use(*c));
                  }
                });
  }

  // A list of strings of each move, one row per element, in order.
  void write_move_strings(const std::string& table, const std::string& column,
                          std::vector<std::string> dex::Move::*member) {
    std::vector<int> move, ordinal;
    std::vector<std::string> value;
    for (const auto& m : data_.moves) {
      const auto& list = m.*member;
      for (std::size_t k = 0; k < list.size(); ++k) {
        move.push_back(m.id);
        ordinal.push_back(static_cast<int>(k + 1));
        value.push_back(list[k]);
      }
    }
    bulk_insert(sql_, move.size(), "INSERT INTO " + table + " (move_id, ordinal, " + column + ") VALUES (:m, :o, :v)",
                [&](soci::statement& st) {
                  st.exchange(use(move));
                  st.exchange(use(ordinal));
                  st.exchange(use(value));
                });
  }

  void write_learnsets() {
    std::vector<int> id, pokemon, move;
    std::vector<std::string> method;
    NullableColumn<int> level, inherited;
    id.reserve(data_.learnsets.size());
    pokemon.reserve(data_.learnsets.size());
    move.reserve(data_.learnsets.size());
    method.reserve(data_.learnsets.size());
    for (std::size_t i = 0; i < data_.learnsets.size(); ++i) {
      const auto& l = data_.learnsets[i];
      id.push_back(static_cast<int>(i + 1));
      pokemon.push_back(l.pokemon_id);
      move.push_back(l.move_id);
      method.emplace_back(dex::learn_method_name(l.method));
      level.push(l.level);
      inherited.push(l.inherited_from);
    }
    bulk_insert(sql_, id.size(),
                "INSERT INTO learnsets (id, pokemon_id, move_id, method, level, inherited_from_id) "
                "VALUES (:id, :p, :m, :method, :level, :inh)",
                [&](soci::statement& st) {
                  st.exchange(use(id));
                  st.exchange(use(pokemon));
                  st.exchange(use(move));
                  st.exchange(use(method));
                  st.exchange(use(level.values, level.ind));
                  st.exchange(use(inherited.values, inherited.ind));
                });
  }

  void write_source_packages() {
    std::vector<std::string> name, version;
    for (const auto& [n, v] : data_.source_packages) {
      name.push_back(n);
      version.push_back(v);
    }
    bulk_insert(sql_, name.size(), "INSERT INTO dex_source_packages (name, version) VALUES (:n, :v)",
                [&](soci::statement& st) {
                  st.exchange(use(name));
                  st.exchange(use(version));
                });
  }

  void write_meta() {
    const std::string imported_at = utc_now_iso8601();
    const std::string imported_by = std::string("pdex ") + kVersion;
    std::string data_sha256;
    try {
      data_sha256 = dex::content_sha256_of(data_);
    } catch (const std::invalid_argument& e) {
      throw DatabaseError(std::string("hashing the dex: ") + e.what());
    }
    sql_ << "INSERT INTO dex_meta (id, content_sha256, data_sha256, imported_at, imported_by) "
            "VALUES (1, :h, :d, :at, :by)",
        use(data_.content_sha256), use(data_sha256), use(imported_at), use(imported_by);
  }

  soci::session& sql_;
  const DexData& data_;
  const ImportOptions& options_;
  std::array<int, dex::kTypeCount> type_ids_{};
  std::unordered_map<std::string, int> species_ids_;
};

int count_rows(soci::session& sql, const std::string& from_where) {
  int n = 0;
  sql << "SELECT COUNT(*) FROM " + from_where, into(n);
  return n;
}

std::optional<std::string> meta_column(soci::session& sql, const char* column) {
  std::string value;
  indicator ind = soci::i_null;
  sql << std::string("SELECT ") + column + " FROM dex_meta WHERE id = 1", into(value, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return value;
}

dex::Status parse_status(const std::optional<std::string>& s, const char* where) {
  if (!s) return dex::Status::None;
  const auto status = dex::parse_status_id(*s);
  if (!status) throw DatabaseError(std::string(where) + ": unknown status '" + *s + "'");
  return *status;
}

class DexReader {
 public:
  explicit DexReader(soci::session& sql) : sql_(sql) {}

  DexData read() {
    DexData d;
    const auto sha = meta_column(sql_, "content_sha256");
    if (!sha) throw DatabaseError("the database holds no dex data; run `pdex db import`");
    d.content_sha256 = *sha;
    read_packages(d);
    read_types(d);
    read_chart(d);
    read_pokemon(d);
    read_moves(d);
    read_learnsets(d);
    return d;
  }

 private:
  dex::Type type_of(int id, const char* where) const {
    const auto it = types_.find(id);
    if (it == types_.end()) throw DatabaseError(std::string(where) + ": unknown type id " + std::to_string(id));
    return it->second;
  }

  const std::string& showdown_id_of(int id, const char* where) const {
    const auto it = species_index_.find(id);
    if (it == species_index_.end())
      throw DatabaseError(std::string(where) + ": unknown pokemon id " + std::to_string(id));
    return showdown_ids_[it->second];
  }

  void read_packages(DexData& d) {
    const int n = count_rows(sql_, "dex_source_packages");
    if (n == 0) return;
    std::vector<std::string> name(n), version(n);
    sql_ << "SELECT name, version FROM dex_source_packages", into(name), into(version);
    for (std::size_t i = 0; i < name.size(); ++i) d.source_packages[name[i]] = version[i];
  }

  void read_types(DexData& d) {
    const int n = count_rows(sql_, "types");
    if (n == 0) return;
    std::vector<int> id(n);
    std::vector<std::string> name(n), name_fr(n);
    std::vector<indicator> name_fr_ind(n);
    sql_ << "SELECT id, name, name_fr FROM types ORDER BY id", into(id), into(name), into(name_fr, name_fr_ind);
    for (std::size_t i = 0; i < id.size(); ++i) {
      const auto type = dex::parse_type(name[i]);
      if (!type) throw DatabaseError("types.name: unknown type '" + name[i] + "'");
      types_[id[i]] = *type;
      d.types.push_back({id[i], *type, name[i], optional_at(name_fr, name_fr_ind, i)});
    }
  }

  void read_chart(DexData& d) {
    const int n = count_rows(sql_, "type_effectiveness");
    if (n == 0) return;
    std::vector<int> a(n), def(n);
    std::vector<double> m(n);
    sql_ << "SELECT attacking_type_id, defending_type_id, multiplier FROM type_effectiveness", into(a), into(def),
        into(m);
    for (std::size_t i = 0; i < a.size(); ++i) {
      d.chart.set(type_of(a[i], "type_effectiveness.attacking_type_id"),
                  type_of(def[i], "type_effectiveness.defending_type_id"), m[i]);
    }
  }

  void read_pokemon(DexData& d) {
    const int n = count_rows(sql_, "pokemon");
    if (n == 0) return;
    std::vector<int> id(n), num(n), base(n), weight(n), mega(n), alola(n), starter(n), prevo(n);
    std::vector<indicator> prevo_ind(n), name_fr_ind(n), forme_ind(n);
    std::vector<std::string> sid(n), name(n), name_fr(n), forme(n);
    std::array<std::vector<int>, dex::kStatCount> stats;
    for (auto& s : stats) s.resize(n);
    sql_ << "SELECT id, showdown_id, name, name_fr, num, base_species_id, forme, hp, atk, def, spa, spd, spe, "
            "weight_hg, is_mega, is_alola, is_starter, prevo_id FROM pokemon ORDER BY id",
        into(id), into(sid), into(name), into(name_fr, name_fr_ind), into(num), into(base), into(forme, forme_ind),
        into(stats[0]), into(stats[1]), into(stats[2]), into(stats[3]), into(stats[4]), into(stats[5]), into(weight),
        into(mega), into(alola), into(starter), into(prevo, prevo_ind);
    for (std::size_t i = 0; i < id.size(); ++i) {
      species_index_[id[i]] = i;
      showdown_ids_.push_back(sid[i]);
    }
    for (std::size_t i = 0; i < id.size(); ++i) {
      dex::Species s;
      s.id = id[i];
      s.showdown_id = sid[i];
      s.name = name[i];
      s.name_fr = optional_at(name_fr, name_fr_ind, i);
      s.num = num[i];
      s.base_species = showdown_id_of(base[i], "pokemon.base_species_id");
      s.forme = optional_at(forme, forme_ind, i);
      for (int k = 0; k < dex::kStatCount; ++k) s.base_stats.v[k] = stats[k][i];
      s.weight_hg = weight[i];
      s.is_mega = mega[i] != 0;
      s.is_alola = alola[i] != 0;
      s.is_starter = starter[i] != 0;
      if (prevo_ind[i] == soci::i_ok) s.prevo = showdown_id_of(prevo[i], "pokemon.prevo_id");
      d.species.push_back(std::move(s));
    }
    read_pokemon_types(d);
    read_evolutions(d);
    read_mega_evolutions(d);
  }

  dex::Species& species_at(DexData& d, int id, const char* where) {
    const auto it = species_index_.find(id);
    if (it == species_index_.end())
      throw DatabaseError(std::string(where) + ": unknown pokemon id " + std::to_string(id));
    return d.species[it->second];
  }

  void read_pokemon_types(DexData& d) {
    const int n = count_rows(sql_, "pokemon_types");
    if (n == 0) return;
    std::vector<int> pokemon(n), slot(n), type(n);
    sql_ << "SELECT pokemon_id, slot, type_id FROM pokemon_types ORDER BY pokemon_id, slot", into(pokemon), into(slot),
        into(type);
    for (std::size_t i = 0; i < pokemon.size(); ++i) {
      dex::Species& s = species_at(d, pokemon[i], "pokemon_types.pokemon_id");
      const dex::Type t = type_of(type[i], "pokemon_types.type_id");
      if (slot[i] == 1) {
        s.types.first = t;
        s.types.second = t;
      } else {
        s.types.second = t;
      }
    }
  }

  void read_evolutions(DexData& d) {
    const int n = count_rows(sql_, "evolutions");
    if (n == 0) return;
    std::vector<int> pokemon(n), to(n), level(n);
    std::vector<std::string> trigger(n), item(n), condition(n);
    std::vector<indicator> level_ind(n), item_ind(n), condition_ind(n);
    sql_ << "SELECT pokemon_id, evolves_to_id, trigger_kind, min_level, item, evolution_condition FROM evolutions "
            "ORDER BY pokemon_id, ordinal",
        into(pokemon), into(to), into(trigger), into(level, level_ind), into(item, item_ind),
        into(condition, condition_ind);
    for (std::size_t i = 0; i < pokemon.size(); ++i) {
      dex::Evolution e;
      e.to = showdown_id_of(to[i], "evolutions.evolves_to_id");
      e.trigger = trigger[i];
      e.level = optional_at(level, level_ind, i);
      e.item = optional_at(item, item_ind, i);
      e.condition = optional_at(condition, condition_ind, i);
      species_at(d, pokemon[i], "evolutions.pokemon_id").evolutions.push_back(std::move(e));
    }
  }

  void read_mega_evolutions(DexData& d) {
    const int n = count_rows(sql_, "mega_evolutions");
    if (n == 0) return;
    std::vector<int> pokemon(n), mega(n);
    sql_ << "SELECT pokemon_id, mega_id FROM mega_evolutions ORDER BY pokemon_id, ordinal", into(pokemon), into(mega);
    for (std::size_t i = 0; i < pokemon.size(); ++i) {
      species_at(d, pokemon[i], "mega_evolutions.pokemon_id")
          .mega_evolutions.push_back(showdown_id_of(mega[i], "mega_evolutions.mega_id"));
    }
  }

  dex::Move& move_at(DexData& d, int id, const char* where) {
    const auto it = move_index_.find(id);
    if (it == move_index_.end()) throw DatabaseError(std::string(where) + ": unknown move id " + std::to_string(id));
    return d.moves[it->second];
  }

  void read_moves(DexData& d) {
    const int n = count_rows(sql_, "moves");
    if (n == 0) return;
    std::vector<int> id(n), type(n), power(n), pp(n), priority(n), crit(n), will_crit(n), self_destruct(n), ohko(n),
        charge(n), recharge(n), partner(n), self_switch(n), force_switch(n), crash_damage(n);
    std::vector<std::string> sid(n), name(n), category(n), target(n), desc(n);
    // Nullable columns: name_fr, fixed_damage, status, volatile_status, side_condition, self_volatile_status,
    // self_side_condition (text) and accuracy,
    // multihit, recoil, drain, heal, fixed amount (int).
    std::array<std::vector<std::string>, 7> text;
    std::array<std::vector<indicator>, 7> text_ind;
    std::array<std::vector<int>, 10> num;
    std::array<std::vector<indicator>, 10> num_ind;
    for (auto& v : text) v.resize(n);
    for (auto& v : text_ind) v.resize(n);
    for (auto& v : num) v.resize(n);
    for (auto& v : num_ind) v.resize(n);
    enum { kNameFr, kFixed, kStatus, kVolatile, kSide, kSelfVolatile, kSelfSide };
    enum { kAccuracy, kHitsMin, kHitsMax, kRecoilNum, kRecoilDen, kDrainNum, kDrainDen, kHealNum, kHealDen, kAmount };
    sql_ << "SELECT id, showdown_id, name, name_fr, type_id, category, power, accuracy, pp, priority, crit_ratio, "
            "will_crit, multihit_min, multihit_max, recoil_num, recoil_den, drain_num, drain_den, heal_num, heal_den, "
            "self_destruct, ohko, fixed_damage, fixed_damage_amount, charge, recharge, status, volatile_status, "
            "side_condition, target, is_partner_move, short_desc, self_volatile_status, self_side_condition, "
            "self_switch, "
            "force_switch, crash_damage FROM moves ORDER BY id",
        into(id), into(sid), into(name), into(text[kNameFr], text_ind[kNameFr]), into(type), into(category),
        into(power), into(num[kAccuracy], num_ind[kAccuracy]), into(pp), into(priority), into(crit), into(will_crit),
        into(num[kHitsMin], num_ind[kHitsMin]), into(num[kHitsMax], num_ind[kHitsMax]),
        into(num[kRecoilNum], num_ind[kRecoilNum]), into(num[kRecoilDen], num_ind[kRecoilDen]),
        into(num[kDrainNum], num_ind[kDrainNum]), into(num[kDrainDen], num_ind[kDrainDen]),
        into(num[kHealNum], num_ind[kHealNum]), into(num[kHealDen], num_ind[kHealDen]), into(self_destruct), into(ohko),
        into(text[kFixed], text_ind[kFixed]), into(num[kAmount], num_ind[kAmount]), into(charge), into(recharge),
        into(text[kStatus], text_ind[kStatus]), into(text[kVolatile], text_ind[kVolatile]),
        into(text[kSide], text_ind[kSide]), into(target), into(partner), into(desc),
        into(text[kSelfVolatile], text_ind[kSelfVolatile]), into(text[kSelfSide], text_ind[kSelfSide]),
        into(self_switch), into(force_switch), into(crash_damage);
    auto t = [&](int column, std::size_t i) { return optional_at(text[column], text_ind[column], i); };
    auto v = [&](int column, std::size_t i) { return optional_at(num[column], num_ind[column], i); };
    auto fraction = [&](int num_column, int den_column, std::size_t i) -> std::optional<dex::Fraction> {
      const auto a = v(num_column, i), b = v(den_column, i);
      if (!a || !b) return std::nullopt;
      return dex::Fraction{*a, *b};
    };
    for (std::size_t i = 0; i < id.size(); ++i) {
      dex::Move m;
      m.id = id[i];
      m.showdown_id = sid[i];
      m.name = name[i];
      m.name_fr = t(kNameFr, i);
      m.type = type_of(type[i], "moves.type_id");
      const auto category_value = dex::parse_category(category[i]);
      if (!category_value) throw DatabaseError("moves.category: unknown category '" + category[i] + "'");
      m.category = *category_value;
      m.power = power[i];
      m.accuracy = v(kAccuracy, i);
      m.pp = pp[i];
      m.priority = priority[i];
      m.crit_ratio = crit[i];
      m.will_crit = will_crit[i] != 0;
      if (const auto lo = v(kHitsMin, i), hi = v(kHitsMax, i); lo && hi) m.multihit = std::pair{*lo, *hi};
      m.recoil = fraction(kRecoilNum, kRecoilDen, i);
      m.drain = fraction(kDrainNum, kDrainDen, i);
      m.heal = fraction(kHealNum, kHealDen, i);
      m.self_destruct = self_destruct[i] != 0;
      m.ohko = ohko[i] != 0;
      if (const auto kind = t(kFixed, i)) {
        using Kind = dex::FixedDamage::Kind;
        dex::FixedDamage f;
        if (*kind == "level") {
          f.kind = Kind::Level;
        } else if (*kind == "half") {
          f.kind = Kind::HalfHp;
        } else if (*kind == "constant") {
          f.kind = Kind::Constant;
        } else {
          throw DatabaseError("moves.fixed_damage: unknown kind '" + *kind + "'");
        }
        f.amount = v(kAmount, i).value_or(0);
        m.fixed_damage = f;
      }
      m.charge = charge[i] != 0;
      m.recharge = recharge[i] != 0;
      m.status = parse_status(t(kStatus, i), "moves.status");
      m.volatile_status = t(kVolatile, i);
      m.side_condition = t(kSide, i);
      m.target = target[i];
      m.is_partner_move = partner[i] != 0;
      m.short_desc = desc[i];
      m.self_volatile_status = t(kSelfVolatile, i);
      m.self_side_condition = t(kSelfSide, i);
      m.self_switch = self_switch[i] != 0;
      m.force_switch = force_switch[i] != 0;
      m.crash_damage = crash_damage[i] != 0;
      move_index_[m.id] = d.moves.size();
      d.moves.push_back(std::move(m));
    }
    read_move_boosts(d);
    read_move_secondaries(d);
    read_move_strings(d, "move_flags", "flag", &dex::Move::flags);
    read_move_strings(d, "move_other_properties", "property", &dex::Move::other_properties);
    read_move_strings(d, "move_callbacks", "callback", &dex::Move::callbacks);
  }

  void read_move_boosts(DexData& d) {
    const int n = count_rows(sql_, "move_boosts");
    if (n == 0) return;
    std::vector<int> move(n);
    std::vector<std::string> scope(n);
    BoostColumns b;
    b.resize(n);
    sql_ << std::string("SELECT move_id, scope, ") + kBoostColumnList + " FROM move_boosts", into(move), into(scope),
        into(b.atk), into(b.def), into(b.spa), into(b.spd), into(b.spe), into(b.accuracy), into(b.evasion);
    for (std::size_t i = 0; i < move.size(); ++i) {
      dex::Move& m = move_at(d, move[i], "move_boosts.move_id");
      (scope[i] == "self" ? m.self_boosts : m.boosts) = b.at(i);
    }
  }

  void read_move_secondaries(DexData& d) {
    const int n = count_rows(sql_, "move_secondaries");
    if (n == 0) return;
    std::vector<int> move(n), ordinal(n), chance(n);
    std::vector<std::string> status(n), volatile_status(n);
    std::vector<indicator> status_ind(n), volatile_ind(n);
    sql_ << "SELECT move_id, ordinal, chance, status, volatile_status FROM move_secondaries "
            "ORDER BY move_id, ordinal",
        into(move), into(ordinal), into(chance), into(status, status_ind), into(volatile_status, volatile_ind);
    for (std::size_t i = 0; i < move.size(); ++i) {
      dex::Secondary s;
      s.chance = chance[i];
      s.status = parse_status(optional_at(status, status_ind, i), "move_secondaries.status");
      s.volatile_status = optional_at(volatile_status, volatile_ind, i);
      dex::Move& m = move_at(d, move[i], "move_secondaries.move_id");
      if (ordinal[i] != static_cast<int>(m.secondaries.size()) + 1) {
        throw DatabaseError("move_secondaries: move " + std::to_string(move[i]) + " has a gap before ordinal " +
                            std::to_string(ordinal[i]));
      }
      m.secondaries.push_back(std::move(s));
    }
    const int nb = count_rows(sql_, "move_secondary_boosts");
    if (nb == 0) return;
    std::vector<int> bmove(nb), bordinal(nb);
    std::vector<std::string> scope(nb);
    BoostColumns b;
    b.resize(nb);
    sql_ << std::string("SELECT move_id, ordinal, scope, ") + kBoostColumnList + " FROM move_secondary_boosts",
        into(bmove), into(bordinal), into(scope), into(b.atk), into(b.def), into(b.spa), into(b.spd), into(b.spe),
        into(b.accuracy), into(b.evasion);
    for (std::size_t i = 0; i < bmove.size(); ++i) {
      dex::Move& m = move_at(d, bmove[i], "move_secondary_boosts.move_id");
      if (bordinal[i] < 1 || bordinal[i] > static_cast<int>(m.secondaries.size())) {
        throw DatabaseError("move_secondary_boosts: move " + std::to_string(bmove[i]) + " has no secondary " +
                            std::to_string(bordinal[i]));
      }
      dex::Secondary& s = m.secondaries[bordinal[i] - 1];
      (scope[i] == "self" ? s.self_boosts : s.boosts) = b.at(i);
    }
  }

  void read_move_strings(DexData& d, const std::string& table, const std::string& column,
                         std::vector<std::string> dex::Move::*member) {
    const int n = count_rows(sql_, table);
    if (n == 0) return;
    std::vector<int> move(n);
    std::vector<std::string> value(n);
    sql_ << "SELECT move_id, " + column + " FROM " + table + " ORDER BY move_id, ordinal", into(move), into(value);
    const std::string where = table + ".move_id";
    for (std::size_t i = 0; i < move.size(); ++i) (move_at(d, move[i], where.c_str()).*member).push_back(value[i]);
  }

  void read_learnsets(DexData& d) {
    const int n = count_rows(sql_, "learnsets");
    if (n == 0) return;
    std::vector<int> pokemon(n), move(n), level(n), inherited(n);
    std::vector<indicator> level_ind(n), inherited_ind(n);
    std::vector<std::string> method(n);
    sql_ << "SELECT pokemon_id, move_id, method, level, inherited_from_id FROM learnsets ORDER BY id", into(pokemon),
        into(move), into(method), into(level, level_ind), into(inherited, inherited_ind);
    d.learnsets.reserve(pokemon.size());
    for (std::size_t i = 0; i < pokemon.size(); ++i) {
      const auto m = dex::parse_learn_method(method[i]);
      if (!m) throw DatabaseError("learnsets.method: unknown method '" + method[i] + "'");
      d.learnsets.push_back(
          {pokemon[i], move[i], *m, optional_at(level, level_ind, i), optional_at(inherited, inherited_ind, i)});
    }
  }

  soci::session& sql_;
  std::unordered_map<int, dex::Type> types_;
  std::unordered_map<int, std::size_t> species_index_;
  std::vector<std::string> showdown_ids_;
  std::unordered_map<int, std::size_t> move_index_;
};

}  // namespace

DexCounts count_dex(const DexData& data) {
  DexCounts c;
  c.types = static_cast<int>(data.types.size());
  c.chart_rows = c.types * c.types;
  c.species = static_cast<int>(data.species.size());
  c.moves = static_cast<int>(data.moves.size());
  for (const auto& m : data.moves) (m.is_damaging() ? c.damaging_moves : c.status_moves)++;
  c.learnset_rows = static_cast<int>(data.learnsets.size());
  std::set<std::pair<int, int>> pairs;
  for (const auto& l : data.learnsets) pairs.emplace(l.pokemon_id, l.move_id);
  c.species_move_pairs = static_cast<int>(pairs.size());
  for (const auto& s : data.species) {
    c.evolutions += static_cast<int>(s.evolutions.size());
    c.mega_evolutions += static_cast<int>(s.mega_evolutions.size());
  }
  return c;
}

DexCounts count_stored_dex(soci::session& sql) {
  try {
    DexCounts c;
    c.types = count_rows(sql, "types");
    c.chart_rows = count_rows(sql, "type_effectiveness");
    c.species = count_rows(sql, "pokemon");
    c.moves = count_rows(sql, "moves");
    c.damaging_moves = count_rows(sql, "moves WHERE category <> 'Status'");
    c.status_moves = count_rows(sql, "moves WHERE category = 'Status'");
    c.learnset_rows = count_rows(sql, "learnsets");
    c.species_move_pairs = count_rows(sql, "(SELECT DISTINCT pokemon_id, move_id FROM learnsets) AS pairs");
    c.evolutions = count_rows(sql, "evolutions");
    c.mega_evolutions = count_rows(sql, "mega_evolutions");
    return c;
  } catch (const soci::soci_error& e) {
    throw DatabaseError("counting dex rows: " + one_line(e.what()));
  }
}

std::optional<DexMeta> stored_dex_meta(soci::session& sql) {
  try {
    DexMeta m;
    sql << "SELECT content_sha256, data_sha256, imported_at, imported_by FROM dex_meta WHERE id = 1",
        into(m.content_sha256), into(m.data_sha256), into(m.imported_at), into(m.imported_by);
    if (!sql.got_data()) return std::nullopt;
    return m;
  } catch (const soci::soci_error& e) {
    throw DatabaseError("reading dex_meta: " + one_line(e.what()));
  }
}

ImportResult import_dex(soci::session& sql, const DexData& data, const ImportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ImportResult result;
  result.content_sha256 = data.content_sha256;
  try {
    WriteTransaction tx(sql, "dex_meta");
    result.previous_sha256 = meta_column(sql, "content_sha256");
    if (result.previous_sha256 != data.content_sha256) {
      DexWriter writer(sql, data, options);
      writer.delete_all();
      writer.insert_all();
      result.changed = true;
    }
    result.counts = count_stored_dex(sql);
    try {
      tx.commit();
    } catch (const soci::soci_error& e) {
      throw DatabaseError("committing the dex import: " + one_line(e.what()));
    }
  } catch (const soci::soci_error& e) {
    throw DatabaseError("importing the dex: " + one_line(e.what()));
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

DexData load_dex(soci::session& sql) {
  try {
    ReadTransaction snapshot(sql);
    return DexReader(sql).read();
  } catch (const soci::soci_error& e) {
    throw DatabaseError("reading the dex: " + one_line(e.what()));
  }
}

}  // namespace pdex::store
