// Test-only: a small, valid data/lgpe-dex.json document built in memory (real Gen 6+ type chart, five species,
// six moves), and a serialiser that recomputes content_sha256 so a test can break one field and still get past
// the hash check. Header-only so any test target linking pdex_dex can use it.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/sha256.h"
#include "dex/type.h"

namespace pdex::dex::testing {

// The Gen 6+ chart, row = attacking type, column = defending type, both in canonical order; '0' immune,
// 'h' ×½, '1' ×1, '2' ×2. Printed from pokemon-showdown's Dex.mod('gen7letsgo').types (damageTaken).
inline constexpr std::array<std::string_view, kTypeCount> kShowdownChart = {
    "111111111111h011h1",  // Normal
    "1hh122111112h1h121",  // Fire
    "12h1h111211121h111",  // Water
    "112hh111021111h111",  // Electric
    "1h21h11h2h1h21h1h1",  // Grass
    "1hh12h1122111121h1",  // Ice
    "2111121h1hhh20122h",  // Fighting
    "1111211hh111hh1102",  // Poison
    "1212h112101h211121",  // Ground
    "111h21211112h111h1",  // Flying
    "1111112211h11110h1",  // Psychic
    "1h1121hh1h211h12hh",  // Bug
    "121112h1h2121111h1",  // Rock
    "011111111121121h11",  // Ghost
    "1111111111111121h0",  // Dragon
    "111111h11121121h1h",  // Dark
    "1hhh121111112111h2",  // Steel
    "1h11112h11111122h1",  // Fairy
};

inline nlohmann::json chart_json() {
  nlohmann::json rows = nlohmann::json::array();
  for (int a = 0; a < kTypeCount; ++a) {
    for (int d = 0; d < kTypeCount; ++d) {
      const char c = kShowdownChart[a][d];
      nlohmann::json m = c == '0' ? nlohmann::json(0) : c == 'h' ? nlohmann::json(0.5) : nlohmann::json(c - '0');
      rows.push_back({{"attacking", std::string(type_name(static_cast<Type>(a)))},
                      {"defending", std::string(type_name(static_cast<Type>(d)))},
                      {"multiplier", m}});
    }
  }
  return rows;
}

inline nlohmann::json species_json(int id, const std::string& sid, const std::string& name, int num,
                                   const std::string& base, nlohmann::json types, nlohmann::json stats) {
  return {{"id", id},
          {"showdown_id", sid},
          {"name", name},
          {"name_fr", nullptr},
          {"num", num},
          {"base_species", base},
          {"forme", nullptr},
          {"types", std::move(types)},
          {"base_stats", std::move(stats)},
          {"weight_hg", 60},
          {"is_mega", false},
          {"is_alola", false},
          {"is_starter", false},
          {"prevo", nullptr},
          {"evolutions", nlohmann::json::array()},
          {"mega_evolutions", nlohmann::json::array()}};
}

inline nlohmann::json stats_json(int hp, int atk, int def, int spa, int spd, int spe) {
  return {{"hp", hp}, {"atk", atk}, {"def", def}, {"spa", spa}, {"spd", spd}, {"spe", spe}};
}

inline nlohmann::json move_json(int id, const std::string& sid, const std::string& name, const std::string& type,
                                const std::string& category, int power, nlohmann::json accuracy, int pp) {
  return {{"id", id},
          {"showdown_id", sid},
          {"name", name},
          {"name_fr", nullptr},
          {"type", type},
          {"category", category},
          {"power", power},
          {"accuracy", std::move(accuracy)},
          {"pp", pp},
          {"priority", 0},
          {"crit_ratio", 1},
          {"will_crit", false},
          {"multihit", nullptr},
          {"recoil", nullptr},
          {"drain", nullptr},
          {"heal", nullptr},
          {"self_destruct", false},
          {"ohko", false},
          {"fixed_damage", nullptr},
          {"charge", false},
          {"recharge", false},
          {"status", nullptr},
          {"volatile_status", nullptr},
          {"side_condition", nullptr},
          {"boosts", nullptr},
          {"self_boosts", nullptr},
          {"secondaries", nlohmann::json::array()},
          {"flags", {"mirror", "protect"}},
          {"target", "normal"},
          {"is_partner_move", false},
          {"short_desc", ""},
          {"self_volatile_status", nullptr},
          {"self_side_condition", nullptr},
          {"self_switch", false},
          {"force_switch", false},
          {"crash_damage", false},
          {"other_properties", nlohmann::json::array()},
          {"callbacks", nlohmann::json::array()}};
}

inline nlohmann::json learn_json(const std::string& pokemon, const std::string& move, const std::string& method,
                                 nlohmann::json level = nullptr, nlohmann::json inherited_from = nullptr) {
  return {{"pokemon", pokemon},
          {"move", move},
          {"method", method},
          {"level", std::move(level)},
          {"inherited_from", std::move(inherited_from)}};
}

// Records in the documented order (so the canonical rebuild in dex_canonical reproduces the hash).
// pokemon: pikachu(25) raichu(26) mrmime(122) pichu(172) raichualola(10100);
// moves: growl(45) psychic(94) thundershock(84) thunderbolt(85) quickattack(98) thunder(87).
inline nlohmann::json minimal_document() {
  using nlohmann::json;
  json types = json::array();
  for (int t = 0; t < kTypeCount; ++t) {
    types.push_back({{"id", t + 1}, {"name", std::string(type_name(static_cast<Type>(t)))}, {"name_fr", nullptr}});
  }
  json pikachu =
      species_json(25, "pikachu", "Pikachu", 25, "pikachu", {"Electric"}, stats_json(35, 55, 40, 50, 50, 90));
  pikachu["prevo"] = "pichu";
  pikachu["evolutions"] = {
      {{"to", "raichu"}, {"trigger", "useItem"}, {"level", nullptr}, {"item", "Thunder Stone"}, {"condition", nullptr}},
      {{"to", "raichualola"},
       {"trigger", "useItem"},
       {"level", nullptr},
       {"item", "Thunder Stone"},
       {"condition", "in Alola"}}};
  json raichu = species_json(26, "raichu", "Raichu", 26, "raichu", {"Electric"}, stats_json(60, 90, 55, 90, 80, 110));
  raichu["prevo"] = "pikachu";
  json mrmime = species_json(122, "mrmime", "Mr. Mime", 122, "mrmime", {"Psychic", "Fairy"},
                             stats_json(40, 45, 65, 100, 120, 90));
  json pichu = species_json(172, "pichu", "Pichu", 172, "pichu", {"Electric"}, stats_json(20, 40, 15, 35, 35, 60));
  json alola = species_json(10100, "raichualola", "Raichu-Alola", 26, "raichu", {"Electric", "Psychic"},
                            stats_json(60, 85, 50, 95, 85, 110));
  alola["forme"] = "Alola";
  alola["is_alola"] = true;
  alola["prevo"] = "pikachu";

  json growl = move_json(45, "growl", "Growl", "Normal", "Status", 0, 100, 40);
  growl["boosts"] = {{"atk", -1}};
  growl["target"] = "allAdjacentFoes";
  json thundershock = move_json(84, "thundershock", "Thunder Shock", "Electric", "Special", 40, 100, 30);
  thundershock["secondaries"] = {{{"chance", 10}, {"status", "par"}}};
  json thunderbolt = move_json(85, "thunderbolt", "Thunderbolt", "Electric", "Special", 90, 100, 15);
  thunderbolt["secondaries"] = {{{"chance", 10}, {"status", "par"}}};
  json thunder = move_json(87, "thunder", "Thunder", "Electric", "Special", 110, 70, 10);
  json psychic = move_json(94, "psychic", "Psychic", "Psychic", "Special", 90, 100, 10);
  psychic["secondaries"] = {{{"chance", 10}, {"boosts", {{"spd", -1}}}}};
  json quickattack = move_json(98, "quickattack", "Quick Attack", "Normal", "Physical", 40, 100, 30);
  quickattack["priority"] = 1;
  quickattack["flags"] = {"contact", "mirror", "protect"};

  json learnsets = {
      learn_json("pikachu", "growl", "levelup", 1),
      learn_json("pikachu", "thundershock", "levelup", 1),
      learn_json("pikachu", "thundershock", "levelup", 1, "pichu"),
      learn_json("pikachu", "thunderbolt", "tm"),
      learn_json("pikachu", "thunder", "event"),
      learn_json("pikachu", "quickattack", "levelup", 5),
      learn_json("raichu", "thundershock", "levelup", 1),
      learn_json("raichu", "thunderbolt", "tm"),
      learn_json("raichu", "quickattack", "levelup", 1, "pikachu"),
      learn_json("mrmime", "psychic", "tm"),
      learn_json("pichu", "thundershock", "levelup", 1),
      learn_json("raichualola", "thunderbolt", "tutor"),
      learn_json("raichualola", "psychic", "levelup", 1),
  };

  json content = {{"types", types},
                  {"type_chart", chart_json()},
                  {"pokemon", {pikachu, raichu, mrmime, pichu, alola}},
                  {"moves", {growl, thundershock, thunderbolt, thunder, psychic, quickattack}},
                  {"learnsets", learnsets}};
  return {{"format", "predictiondex-lgpe-dex"},
          {"format_version", 1},
          {"source", {{"mod", "gen7letsgo"}, {"packages", {{"@pkmn/dex", "0.10.11"}}}}},
          {"content_sha256", ""},
          {"content", content}};
}

// Sets content_sha256 to the hash of the canonical form of `doc["content"]` and serialises the document.
inline std::string with_hash(nlohmann::json doc) {
  doc["content_sha256"] = sha256_hex(doc["content"].dump());
  return doc.dump(1);
}

}  // namespace pdex::dex::testing
