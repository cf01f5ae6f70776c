#include "dex/dex_json.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "common/sha256.h"

namespace pdex::dex {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "predictiondex-lgpe-dex";
constexpr int kFormatVersion = 1;
constexpr std::string_view kMod = "gen7letsgo";

// A JSON value shortened for messages.
std::string show(const json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string kind(const json& v) {
  if (v.is_number_integer()) return "integer";
  if (v.is_number_float()) return "number";
  return v.type_name();
}

// "integer 5", "string \"55\"", "null".
std::string describe(const json& v) {
  return v.is_null() ? "null" : kind(v) + " " + show(v);
}

std::string in_quotes(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// Where in the file a check is made: "FILE: RECORD: FIELD: problem".
class Where {
 public:
  Where(const std::string& file, std::string record) : file_(file), record_(std::move(record)) {}
  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw DataError(file_ + ": " + record_ + ": " + field + ": " + problem);
  }
  const std::string& file() const { return file_; }

 private:
  const std::string& file_;
  std::string record_;
};

// Typed, range-checked access to the fields of one JSON object; `prefix` names the object inside its record
// ("" for the record itself, "base_stats." for a nested one). Unknown keys are ignored (forward compatible).
class Fields {
 public:
  Fields(const Where& where, const json& obj, std::string prefix)
      : where_(where), obj_(obj), prefix_(std::move(prefix)) {}

  std::string name(std::string_view key) const { return prefix_ + std::string(key); }
  [[noreturn]] void fail(std::string_view key, const std::string& problem) const { where_.fail(name(key), problem); }

  const json& get(std::string_view key) const {
    auto it = obj_.find(key);
    if (it == obj_.end()) fail(key, "missing field");
    return *it;
  }
  bool is_null(std::string_view key) const { return get(key).is_null(); }

  std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi) const {
    return check_integer(key, get(key), lo, hi);
  }
  std::optional<std::int64_t> opt_integer(std::string_view key, std::int64_t lo, std::int64_t hi) const {
    const json& v = get(key);
    if (v.is_null()) return std::nullopt;
    return check_integer(key, v, lo, hi);
  }
  std::int64_t check_integer(std::string_view key, const json& v, std::int64_t lo, std::int64_t hi) const {
    const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(hi) || static_cast<std::int64_t>(u) < lo) {
        fail(key, "must be " + range + ", got " + std::to_string(u));
      }
      return static_cast<std::int64_t>(u);
    }
    if (v.is_number_integer()) {
      const auto i = v.get<std::int64_t>();
      if (i < lo || i > hi) fail(key, "must be " + range + ", got " + std::to_string(i));
      return i;
    }
    fail(key, "expected an integer " + range + ", got " + describe(v));
  }

  bool boolean(std::string_view key) const {
    const json& v = get(key);
    if (!v.is_boolean()) fail(key, "expected true or false, got " + describe(v));
    return v.get<bool>();
  }

  std::string string(std::string_view key, bool allow_empty = false) const {
    return check_string(key, get(key), allow_empty);
  }
  std::optional<std::string> opt_string(std::string_view key) const {
    const json& v = get(key);
    if (v.is_null()) return std::nullopt;
    return check_string(key, v, false);
  }
  std::string check_string(std::string_view key, const json& v, bool allow_empty) const {
    if (!v.is_string()) fail(key, "expected a string, got " + describe(v));
    std::string s = v.get<std::string>();
    if (s.empty() && !allow_empty) fail(key, "must not be empty");
    return s;
  }

  // A Showdown id: non-empty, lowercase a-z0-9 only.
  std::string id(std::string_view key) const { return check_id(key, get(key)); }
  std::optional<std::string> opt_id(std::string_view key) const {
    const json& v = get(key);
    if (v.is_null()) return std::nullopt;
    return check_id(key, v);
  }
  std::string check_id(std::string_view key, const json& v) const {
    std::string s = check_string(key, v, false);
    for (char c : s) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        fail(key, "must be a Showdown id (lowercase a-z0-9), got " + show(v));
      }
    }
    return s;
  }

  Type type(std::string_view key) const { return check_type(key, get(key)); }
  Type check_type(std::string_view key, const json& v) const {
    const std::string s = check_string(key, v, false);
    auto t = parse_type(s);
    if (!t) fail(key, "unknown type name " + in_quotes(s));
    return *t;
  }

  const json& array(std::string_view key) const {
    const json& v = get(key);
    if (!v.is_array()) fail(key, "expected an array, got " + describe(v));
    return v;
  }
  // An array of non-empty strings.
  std::vector<std::string> strings(std::string_view key) const {
    const json& arr = array(key);
    std::vector<std::string> out;
    out.reserve(arr.size());
    for (std::size_t k = 0; k < arr.size(); ++k) {
      out.push_back(check_string(std::string(key) + "[" + std::to_string(k) + "]", arr[k], false));
    }
    return out;
  }
  const json& object(std::string_view key) const {
    const json& v = get(key);
    if (!v.is_object()) fail(key, "expected an object, got " + describe(v));
    return v;
  }
  Fields sub(std::string_view key) const { return Fields(where_, object(key), name(key) + "."); }
  // Element `i` of array field `key`, which must be an object.
  Fields element(std::string_view key, const json& elem, std::size_t i) const {
    const std::string elem_name = std::string(key) + "[" + std::to_string(i) + "]";
    if (!elem.is_object()) fail(elem_name, "expected an object, got " + describe(elem));
    return Fields(where_, elem, name(elem_name) + ".");
  }

  // null | [num, den] with 1 <= num <= den <= 100.
  std::optional<Fraction> opt_fraction(std::string_view key) const {
    const json& v = get(key);
    if (v.is_null()) return std::nullopt;
    if (!v.is_array() || v.size() != 2) fail(key, "expected null or [num, den], got " + show(v));
    Fraction f;
    f.den = static_cast<int>(check_integer(std::string(key) + "[1]", v[1], 1, 100));
    f.num = static_cast<int>(check_integer(std::string(key) + "[0]", v[0], 1, f.den));
    return f;
  }

  // null | {"atk": -1, ...}, each stage -6..6.
  std::optional<Boosts> opt_boosts(std::string_view key) const {
    const json& v = get(key);
    if (v.is_null()) return std::nullopt;
    if (!v.is_object()) fail(key, "expected null or an object of stage changes, got " + describe(v));
    Boosts b;
    for (const auto& [stat, stage] : v.items()) {
      const std::string field = std::string(key) + "." + stat;
      const auto n = static_cast<std::int8_t>(check_integer(field, stage, -6, 6));
      if (stat == "atk") {
        b.atk = n;
      } else if (stat == "def") {
        b.def = n;
      } else if (stat == "spa") {
        b.spa = n;
      } else if (stat == "spd") {
        b.spd = n;
      } else if (stat == "spe") {
        b.spe = n;
      } else if (stat == "accuracy") {
        b.accuracy = n;
      } else if (stat == "evasion") {
        b.evasion = n;
      } else {
        fail(field, "unknown stat (expected atk, def, spa, spd, spe, accuracy or evasion)");
      }
    }
    return b;
  }

  Status opt_status(std::string_view key) const {
    const json& v = get(key);
    if (v.is_null()) return Status::None;
    const std::string s = check_string(key, v, false);
    auto st = parse_status_id(s);
    if (!st) fail(key, "unknown status " + in_quotes(s) + " (expected brn, frz, par, psn, tox or slp)");
    return *st;
  }

 private:
  const Where& where_;
  const json& obj_;
  std::string prefix_;
};

std::string record_name(std::string_view array, std::size_t i, const json& elem, const char* label_key) {
  std::string r = std::string(array) + "[" + std::to_string(i) + "]";
  if (elem.is_object()) {
    auto it = elem.find(label_key);
    if (it != elem.end() && it->is_string()) r += " (" + it->get<std::string>() + ")";
  }
  return r;
}

void require_object(const Where& where, const json& elem) {
  if (!elem.is_object()) where.fail("(record)", "expected an object, got " + describe(elem));
}

class Importer {
 public:
  explicit Importer(const std::string& label) : label_(label) {}

  DexData run(std::string_view text) {
    json doc;
    try {
      doc = json::parse(text);
    } catch (const json::parse_error& e) {
      std::string what = e.what();
      // Drop nlohmann's "[json.exception.parse_error.101] " prefix; the rest says line, column and why.
      if (auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
      throw DataError(label_ + ": malformed JSON at byte " + std::to_string(e.byte) + ": " + what);
    } catch (const json::exception& e) {
      // out_of_range: a number too large for a double (1e400); found by review after fuzz_model_bundle's finding.
      throw DataError(label_ + ": malformed JSON: " + e.what());
    }
    const Where top(label_, "document");
    if (!doc.is_object()) top.fail("(root)", "expected a JSON object, got " + kind(doc));
    Fields f(top, doc, "");
    if (f.string("format") != kFormat)
      f.fail("format", "must be " + in_quotes(kFormat) + ", got " + show(f.get("format")));
    const auto version = f.integer("format_version", 1, 1'000'000);
    if (version != kFormatVersion) {
      f.fail("format_version", "unsupported version " + std::to_string(version) + " (this build reads " +
                                   std::to_string(kFormatVersion) + ")");
    }
    Fields source = f.sub("source");
    if (source.string("mod") != kMod)
      source.fail("mod", "must be " + in_quotes(kMod) + ", got " + show(source.get("mod")));
    const Fields packages = source.sub("packages");
    for (const auto& item : source.object("packages").items())
      out_.source_packages[item.key()] = packages.string(item.key());
    out_.content_sha256 = f.string("content_sha256");
    if (out_.content_sha256.size() != 64 ||
        !std::all_of(out_.content_sha256.begin(), out_.content_sha256.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
      f.fail("content_sha256", "must be 64 lowercase hex digits, got " + show(f.get("content_sha256")));
    }
    const json& content = f.object("content");
    Fields c(top, content, "content.");
    read_types(c.array("types"));
    read_chart(c.array("type_chart"));
    read_pokemon(c.array("pokemon"));
    check_species_references(c.array("pokemon"));
    read_moves(c.array("moves"));
    read_learnsets(c.array("learnsets"));
    check_moves_learned(c.array("moves"));

    std::string canonical;
    try {
      canonical = content.dump();  // nlohmann's default json keeps object keys sorted: the canonical form
    } catch (const json::exception& e) {
      top.fail("content", std::string("cannot serialise for hashing: ") + e.what());
    }
    const std::string actual = sha256_hex(canonical);
    if (actual != out_.content_sha256) {
      throw DataError(label_ + ": content_sha256 mismatch: file says " + out_.content_sha256 + ", content hashes to " +
                      actual);
    }
    return std::move(out_);
  }

 private:
  void read_types(const json& arr) {
    if (arr.size() != kTypeCount) {
      Where(label_, "content").fail("types", "expected 18 entries, got " + std::to_string(arr.size()));
    }
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const Where w(label_, record_name("types", i, arr[i], "name"));
      require_object(w, arr[i]);
      Fields f(w, arr[i], "");
      const auto expected = static_cast<Type>(i);
      TypeInfo t;
      t.id = static_cast<int>(f.integer("id", 1, kTypeCount));
      if (t.id != static_cast<int>(i) + 1) {
        f.fail("id", "must be " + std::to_string(i + 1) + " (canonical order), got " + std::to_string(t.id));
      }
      t.name = f.string("name");
      if (t.name != type_name(expected)) {
        if (!parse_type(t.name)) f.fail("name", "unknown type name " + in_quotes(t.name));
        f.fail("name", "must be " + in_quotes(type_name(expected)) + " (canonical order), got " + in_quotes(t.name));
      }
      t.type = expected;
      t.name_fr = f.opt_string("name_fr");
      out_.types.push_back(std::move(t));
    }
  }

  void read_chart(const json& arr) {
    constexpr std::size_t kPairs = kTypeCount * kTypeCount;
    std::array<std::array<int, kTypeCount>, kTypeCount> seen_at;
    for (auto& row : seen_at) row.fill(-1);
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const Where w(label_, "type_chart[" + std::to_string(i) + "]");
      require_object(w, arr[i]);
      Fields f(w, arr[i], "");
      const Type attacking = f.type("attacking");
      const Type defending = f.type("defending");
      const json& m = f.get("multiplier");
      if (!m.is_number()) f.fail("multiplier", "expected a number, got " + describe(m));
      const double x = m.get<double>();
      if (!(x == 0 || x == 0.5 || x == 1 || x == 2)) f.fail("multiplier", "must be 0, 0.5, 1 or 2, got " + show(m));
      int& seen = seen_at[static_cast<int>(attacking)][static_cast<int>(defending)];
      if (seen >= 0) {
        w.fail("attacking/defending", "duplicate pair " + std::string(type_name(attacking)) + " -> " +
                                          std::string(type_name(defending)) + " (also type_chart[" +
                                          std::to_string(seen) + "])");
      }
      seen = static_cast<int>(i);
      out_.chart.set(attacking, defending, x);
    }
    for (int a = 0; a < kTypeCount; ++a) {
      for (int d = 0; d < kTypeCount; ++d) {
        if (seen_at[a][d] < 0) {
          Where(label_, "content")
              .fail("type_chart", "missing pair " + std::string(type_name(static_cast<Type>(a))) + " -> " +
                                      std::string(type_name(static_cast<Type>(d))) + " (expected all " +
                                      std::to_string(kPairs) + " pairs exactly once, got " +
                                      std::to_string(arr.size()) + " entries)");
        }
      }
    }
  }

  void read_pokemon(const json& arr) {
    std::unordered_map<int, std::size_t> index_by_id;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const Where w(label_, record_name("pokemon", i, arr[i], "showdown_id"));
      require_object(w, arr[i]);
      Fields f(w, arr[i], "");
      Species s;
      s.id = static_cast<int>(f.integer("id", 1, 99'999));
      if (auto [it, fresh] = index_by_id.emplace(s.id, i); !fresh) {
        f.fail("id", "duplicate id " + std::to_string(s.id) + " (also pokemon[" + std::to_string(it->second) + "])");
      }
      s.showdown_id = f.id("showdown_id");
      if (auto [it, fresh] = species_index_.emplace(s.showdown_id, i); !fresh) {
        f.fail("showdown_id", "duplicate showdown id " + in_quotes(s.showdown_id) + " (also pokemon[" +
                                  std::to_string(it->second) + "])");
      }
      s.name = f.string("name");
      s.name_fr = f.opt_string("name_fr");
      s.num = static_cast<int>(f.integer("num", 1, 2000));
      s.base_species = f.id("base_species");
      s.forme = f.opt_string("forme");
      const json& types = f.array("types");
      if (types.empty() || types.size() > 2) {
        f.fail("types", "expected 1 or 2 type names, got " + std::to_string(types.size()));
      }
      s.types.first = f.check_type("types[0]", types[0]);
      s.types.second = types.size() == 2 ? f.check_type("types[1]", types[1]) : s.types.first;
      if (types.size() == 2 && s.types.second == s.types.first) {
        f.fail("types[1]", "repeats types[0] " + in_quotes(type_name(s.types.first)));
      }
      Fields stats = f.sub("base_stats");
      for (int k = 0; k < kStatCount; ++k) {
        const auto stat = static_cast<Stat>(k);
        s.base_stats[stat] = static_cast<int>(stats.integer(stat_key(stat), 1, 255));
      }
      s.weight_hg = static_cast<int>(f.integer("weight_hg", 1, 100'000));
      s.is_mega = f.boolean("is_mega");
      s.is_alola = f.boolean("is_alola");
      s.is_starter = f.boolean("is_starter");
      s.prevo = f.opt_id("prevo");
      const json& evolutions = f.array("evolutions");
      for (std::size_t e = 0; e < evolutions.size(); ++e) {
        Fields ef = f.element("evolutions", evolutions[e], e);
        Evolution ev;
        ev.to = ef.id("to");
        ev.trigger = ef.string("trigger");
        static const std::set<std::string, std::less<>> kTriggers = {"levelUp", "useItem", "trade", "levelFriendship",
                                                                     "other"};
        if (!kTriggers.contains(ev.trigger)) {
          ef.fail("trigger", "unknown trigger " + in_quotes(ev.trigger) +
                                 " (expected levelUp, useItem, trade, levelFriendship or other)");
        }
        if (auto level = ef.opt_integer("level", 1, 100)) ev.level = static_cast<int>(*level);
        ev.item = ef.opt_string("item");
        ev.condition = ef.opt_string("condition");
        s.evolutions.push_back(std::move(ev));
      }
      const json& megas = f.array("mega_evolutions");
      for (std::size_t m = 0; m < megas.size(); ++m) {
        s.mega_evolutions.push_back(f.check_id("mega_evolutions[" + std::to_string(m) + "]", megas[m]));
      }
      out_.species.push_back(std::move(s));
    }
  }

  // Showdown ids inside species records must name roster members.
  void check_species_references(const json& arr) {
    for (std::size_t i = 0; i < out_.species.size(); ++i) {
      const Species& s = out_.species[i];
      const Where w(label_, record_name("pokemon", i, arr[i], "showdown_id"));
      auto check = [&](const std::string& field, const std::string& id) {
        if (!species_index_.contains(id))
          w.fail(field, "unknown pokemon " + in_quotes(id) + " (not in content.pokemon)");
      };
      check("base_species", s.base_species);
      if (s.prevo) check("prevo", *s.prevo);
      for (std::size_t e = 0; e < s.evolutions.size(); ++e) {
        check("evolutions[" + std::to_string(e) + "].to", s.evolutions[e].to);
      }
      for (std::size_t m = 0; m < s.mega_evolutions.size(); ++m) {
        check("mega_evolutions[" + std::to_string(m) + "]", s.mega_evolutions[m]);
      }
    }
    std::sort(out_.species.begin(), out_.species.end(), [](const Species& a, const Species& b) { return a.id < b.id; });
  }

  void read_moves(const json& arr) {
    std::unordered_map<int, std::size_t> index_by_id;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const Where w(label_, record_name("moves", i, arr[i], "showdown_id"));
      require_object(w, arr[i]);
      Fields f(w, arr[i], "");
      Move m;
      m.id = static_cast<int>(f.integer("id", 1, 99'999));
      if (auto [it, fresh] = index_by_id.emplace(m.id, i); !fresh) {
        f.fail("id", "duplicate id " + std::to_string(m.id) + " (also moves[" + std::to_string(it->second) + "])");
      }
      m.showdown_id = f.id("showdown_id");
      if (auto [it, fresh] = move_ids_.emplace(m.showdown_id, m.id); !fresh) {
        f.fail("showdown_id", "duplicate showdown id " + in_quotes(m.showdown_id) + " (also move id " +
                                  std::to_string(it->second) + ")");
      }
      m.name = f.string("name");
      m.name_fr = f.opt_string("name_fr");
      m.type = f.type("type");
      const std::string category = f.string("category");
      auto cat = parse_category(category);
      if (!cat)
        f.fail("category", "unknown category " + in_quotes(category) + " (expected Physical, Special or Status)");
      m.category = *cat;
      m.power = static_cast<int>(f.integer("power", 0, 250));
      if (m.category == MoveCategory::Status && m.power != 0) {
        f.fail("power", "must be 0 for a Status move, got " + std::to_string(m.power));
      }
      if (auto acc = f.opt_integer("accuracy", 1, 100)) m.accuracy = static_cast<int>(*acc);
      m.pp = static_cast<int>(f.integer("pp", 1, 64));
      m.priority = static_cast<int>(f.integer("priority", -7, 5));
      m.crit_ratio = static_cast<int>(f.integer("crit_ratio", 1, 6));
      m.will_crit = f.boolean("will_crit");
      const json& multihit = f.get("multihit");
      if (!multihit.is_null()) {
        if (!multihit.is_array() || multihit.size() != 2) {
          f.fail("multihit", "expected null or [min, max], got " + show(multihit));
        }
        const int lo = static_cast<int>(f.check_integer("multihit[0]", multihit[0], 1, 10));
        const int hi = static_cast<int>(f.check_integer("multihit[1]", multihit[1], lo, 10));
        m.multihit = std::make_pair(lo, hi);
      }
      m.recoil = f.opt_fraction("recoil");
      m.drain = f.opt_fraction("drain");
      m.heal = f.opt_fraction("heal");
      m.self_destruct = f.boolean("self_destruct");
      m.ohko = f.boolean("ohko");
      const json& fixed = f.get("fixed_damage");
      if (!fixed.is_null()) {
        FixedDamage fd;
        if (fixed.is_string() && fixed.get<std::string>() == "level") {
          fd.kind = FixedDamage::Kind::Level;
        } else if (fixed.is_string() && fixed.get<std::string>() == "half") {
          fd.kind = FixedDamage::Kind::HalfHp;
        } else if (fixed.is_number_integer()) {
          fd.kind = FixedDamage::Kind::Constant;
          fd.amount = static_cast<int>(f.check_integer("fixed_damage", fixed, 1, 999));
        } else {
          f.fail("fixed_damage", "expected null, \"level\", \"half\" or an integer, got " + show(fixed));
        }
        m.fixed_damage = fd;
      }
      m.charge = f.boolean("charge");
      m.recharge = f.boolean("recharge");
      m.status = f.opt_status("status");
      m.volatile_status = f.opt_string("volatile_status");
      m.side_condition = f.opt_string("side_condition");
      m.boosts = f.opt_boosts("boosts");
      m.self_boosts = f.opt_boosts("self_boosts");
      const json& secondaries = f.array("secondaries");
      for (std::size_t k = 0; k < secondaries.size(); ++k) {
        m.secondaries.push_back(read_secondary(f.element("secondaries", secondaries[k], k), secondaries[k]));
      }
      m.flags = f.strings("flags");
      m.target = f.string("target");
      m.is_partner_move = f.boolean("is_partner_move");
      m.short_desc = f.string("short_desc", /*allow_empty=*/true);
      m.self_volatile_status = f.opt_string("self_volatile_status");
      m.self_side_condition = f.opt_string("self_side_condition");
      m.self_switch = f.boolean("self_switch");
      m.force_switch = f.boolean("force_switch");
      m.crash_damage = f.boolean("crash_damage");
      m.other_properties = f.strings("other_properties");
      m.callbacks = f.strings("callbacks");
      out_.moves.push_back(std::move(m));
    }
    std::sort(out_.moves.begin(), out_.moves.end(), [](const Move& a, const Move& b) { return a.id < b.id; });
  }

  static Secondary read_secondary(const Fields& f, const json& obj) {
    Secondary s;
    s.chance = static_cast<int>(f.integer("chance", 1, 100));
    // Absent and null both mean "not this effect".
    auto present = [&](const char* key) {
      auto it = obj.find(key);
      return it != obj.end() && !it->is_null();
    };
    int effects = 0;
    if (present("status")) {
      s.status = f.opt_status("status");
      ++effects;
    }
    if (present("volatile_status")) {
      s.volatile_status = f.opt_string("volatile_status");
      ++effects;
    }
    if (present("boosts")) {
      s.boosts = f.opt_boosts("boosts");
      ++effects;
    }
    if (present("self_boosts")) {
      s.self_boosts = f.opt_boosts("self_boosts");
      ++effects;
    }
    if (effects != 1) {
      f.fail("(effect)",
             "expected exactly one of status, volatile_status, boosts, self_boosts; got " + std::to_string(effects));
    }
    return s;
  }

  void read_learnsets(const json& arr) {
    std::unordered_map<std::string, int> species_ids;
    for (const Species& s : out_.species) species_ids[s.showdown_id] = s.id;
    std::map<std::tuple<int, int, int, int, int>, std::size_t> seen;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      std::string record = "learnsets[" + std::to_string(i) + "]";
      if (arr[i].is_object()) {
        auto p = arr[i].find("pokemon");
        auto m = arr[i].find("move");
        if (p != arr[i].end() && p->is_string() && m != arr[i].end() && m->is_string()) {
          record += " (" + p->get<std::string>() + " " + m->get<std::string>() + ")";
        }
      }
      const Where w(label_, record);
      require_object(w, arr[i]);
      Fields f(w, arr[i], "");
      LearnsetEntry e;
      const std::string pokemon = f.id("pokemon");
      auto sp = species_ids.find(pokemon);
      if (sp == species_ids.end())
        f.fail("pokemon", "unknown pokemon " + in_quotes(pokemon) + " (not in content.pokemon)");
      e.pokemon_id = sp->second;
      const std::string move = f.id("move");
      auto mv = move_ids_.find(move);
      if (mv == move_ids_.end()) f.fail("move", "unknown move " + in_quotes(move) + " (not in content.moves)");
      e.move_id = mv->second;
      const std::string method = f.string("method");
      auto lm = parse_learn_method(method);
      if (!lm) f.fail("method", "unknown method " + in_quotes(method) + " (expected levelup, tm, tutor or event)");
      e.method = *lm;
      if (e.method == LearnMethod::LevelUp) {
        e.level = static_cast<int>(f.integer("level", 0, 100));
      } else if (!f.is_null("level")) {
        f.fail("level", "must be null for method " + in_quotes(method) + ", got " + show(f.get("level")));
      }
      if (auto from = f.opt_id("inherited_from")) {
        auto it = species_ids.find(*from);
        if (it == species_ids.end()) {
          f.fail("inherited_from", "unknown pokemon " + in_quotes(*from) + " (not in content.pokemon)");
        }
        if (it->second == e.pokemon_id) f.fail("inherited_from", "names the learning pokemon itself");
        e.inherited_from = it->second;
      }
      const auto key = std::make_tuple(e.pokemon_id, e.move_id, static_cast<int>(e.method), e.level.value_or(-1),
                                       e.inherited_from.value_or(-1));
      if (auto [it, fresh] = seen.emplace(key, i); !fresh) {
        w.fail("(row)", "duplicate of learnsets[" + std::to_string(it->second) + "]");
      }
      out_.learnsets.push_back(e);
      learned_.insert(e.move_id);
    }
    // The documented order (docs/data-format.md); a no-op for files the exporter wrote.
    std::stable_sort(out_.learnsets.begin(), out_.learnsets.end(), [](const LearnsetEntry& a, const LearnsetEntry& b) {
      return std::tie(a.pokemon_id, a.move_id, a.method, a.level, a.inherited_from) <
             std::tie(b.pokemon_id, b.move_id, b.method, b.level, b.inherited_from);
    });
  }

  // Every move must be learned by someone: an unreferenced move means the exporter and the roster disagree.
  void check_moves_learned(const json& arr) {
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const int id = arr[i]["id"].get<int>();
      if (!learned_.contains(id)) {
        Where(label_, record_name("moves", i, arr[i], "showdown_id"))
            .fail("id", "move " + std::to_string(id) + " is not learned by any pokemon in content.learnsets");
      }
    }
  }

  const std::string& label_;
  DexData out_;
  std::unordered_map<std::string, std::size_t> species_index_;  // showdown id -> index in content.pokemon
  std::unordered_map<std::string, int> move_ids_;               // showdown id -> Move::id
  std::unordered_set<int> learned_;                             // Move::id of every move some row teaches
};

}  // namespace

DexData parse_dex_json(std::string_view text, const std::string& label) {
  return Importer(label).run(text);
}

DexData load_dex_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path.string() + ": cannot open dex file (run `node scripts/export-dex` to generate it)");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw DataError(path.string() + ": read error");
  return parse_dex_json(buf.str(), path.string());
}

}  // namespace pdex::dex
