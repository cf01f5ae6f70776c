#include "dex/dex_json.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/sha256.h"
#include "dex/test_dex_document.h"

namespace pdex::dex {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kLabel = "data/lgpe-dex.json";

// Parses `text` and returns the DataError message ("" if it parsed).
std::string error_of(const std::string& text) {
  try {
    parse_dex_json(text, kLabel);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

// Applies `edit` to the minimal valid document, fixes the hash, and returns the error message.
std::string error_after(const std::function<void(json&)>& edit) {
  json doc = testing::minimal_document();
  edit(doc);
  return error_of(testing::with_hash(doc));
}

json& pokemon(json& doc, int i) {
  return doc["content"]["pokemon"][i];
}
json& move(json& doc, int i) {
  return doc["content"]["moves"][i];
}

TEST(DexJson, MinimalDocumentLoads) {
  const DexData d = parse_dex_json(testing::with_hash(testing::minimal_document()), kLabel);
  EXPECT_EQ(d.source_packages.at("@pkmn/dex"), "0.10.11");
  EXPECT_EQ(d.content_sha256.size(), 64u);
  ASSERT_EQ(d.types.size(), 18u);
  EXPECT_EQ(d.types[17].name, "Fairy");
  EXPECT_EQ(d.types[17].id, 18);
  EXPECT_EQ(d.types[17].type, Type::Fairy);
  ASSERT_EQ(d.species.size(), 5u);
  const Species& pikachu = d.species[0];
  EXPECT_EQ(pikachu.id, 25);
  EXPECT_EQ(pikachu.name, "Pikachu");
  EXPECT_EQ(pikachu.types, (Typing{Type::Electric, Type::Electric}));
  EXPECT_EQ(pikachu.base_stats[Stat::Spe], 90);
  EXPECT_EQ(pikachu.prevo, "pichu");
  ASSERT_EQ(pikachu.evolutions.size(), 2u);
  EXPECT_EQ(pikachu.evolutions[1].to, "raichualola");
  EXPECT_EQ(pikachu.evolutions[1].item, "Thunder Stone");
  const Species& alola = d.species[4];
  EXPECT_EQ(alola.types, (Typing{Type::Electric, Type::Psychic}));
  EXPECT_EQ(alola.forme, "Alola");
  EXPECT_TRUE(alola.is_alola);
  ASSERT_EQ(d.moves.size(), 6u);
  EXPECT_EQ(d.moves[0].showdown_id, "growl");
  EXPECT_EQ(d.moves[0].boosts, (Boosts{.atk = -1}));
  EXPECT_EQ(d.moves[1].secondaries.at(0).status, Status::Paralysis);
  EXPECT_EQ(d.moves[4].secondaries.at(0).boosts, (Boosts{.spd = -1}));
  EXPECT_EQ(d.moves[5].priority, 1);
  EXPECT_TRUE(d.moves[5].has_flag("contact"));
  EXPECT_EQ(d.moves[3].accuracy, 70);
  ASSERT_EQ(d.learnsets.size(), 13u);
  EXPECT_EQ(d.learnsets[2].inherited_from, 172);
  EXPECT_EQ(d.learnsets[3].method, LearnMethod::Tm);
  EXPECT_FALSE(d.learnsets[3].level.has_value());
  EXPECT_EQ(d.chart.multiplier(Type::Ground, Typing{Type::Fire, Type::Flying}), 0);
}

TEST(DexJson, RecordsComeBackInDocumentedOrder) {
  json doc = testing::minimal_document();
  json& rows = doc["content"]["learnsets"];
  std::reverse(rows.begin(), rows.end());
  json& species = doc["content"]["pokemon"];
  std::swap(species[0], species[4]);
  const DexData shuffled = parse_dex_json(testing::with_hash(doc), kLabel);
  const DexData ordered = parse_dex_json(testing::with_hash(testing::minimal_document()), kLabel);
  EXPECT_EQ(shuffled.learnsets, ordered.learnsets);
  EXPECT_EQ(shuffled.species, ordered.species);
}

TEST(DexJson, UnknownExtraFieldsAreIgnored) {
  EXPECT_EQ(error_after([](json& d) {
              d["generator"] = "future";
              pokemon(d, 0)["color"] = "Yellow";
              move(d, 0)["contest_type"] = "Cute";
            }),
            "");
}

TEST(DexJson, CanonicalFormMatchesNodeJsonStringify) {
  // Node 20: JSON.stringify of a key-sorted copy of the same object, and its SHA-256 (crypto, UTF-8).
  const json v = json::parse(R"({"zeta":[1,0.5,0,2,-7],"alpha":{"name_fr":"Mélofée","b":null,"a":true},)"
                             R"("short_desc":"Raises the user's Atk by 1. \"quoted\" \\ tab\t","x":"Nidoran♀"})");
  EXPECT_EQ(v.dump(),
            R"({"alpha":{"a":true,"b":null,"name_fr":"Mélofée"},)"
            R"("short_desc":"Raises the user's Atk by 1. \"quoted\" \\ tab\t","x":"Nidoran♀","zeta":[1,0.5,0,2,-7]})");
  EXPECT_EQ(sha256_hex(v.dump()), "57c9b34d837750b8f1508d0ae09ed7500ae2336ff1dc39a37d0f16475254f67c");
}

TEST(DexJson, TruncatedJsonGivesByteOffset) {
  const std::string text = testing::with_hash(testing::minimal_document());
  EXPECT_THAT(error_of(text.substr(0, 1000)), StartsWith("data/lgpe-dex.json: malformed JSON at byte "));
  const std::string msg = error_of(text.substr(0, text.size() - 1));  // the closing brace is lost
  EXPECT_THAT(msg, StartsWith("data/lgpe-dex.json: malformed JSON at byte " + std::to_string(text.size()) + ": "));
  EXPECT_THAT(msg, HasSubstr("unexpected end of input"));
}

TEST(DexJson, MalformedJsonGivesByteOffset) {
  EXPECT_THAT(error_of(R"({"format": "predictiondex-lgpe-dex", "format_version": 1,, "x": 2})"),
              StartsWith("data/lgpe-dex.json: malformed JSON at byte 58: "));
  EXPECT_THAT(error_of(""), StartsWith("data/lgpe-dex.json: malformed JSON at byte 1: "));
}

TEST(DexJson, NotAnObject) {
  EXPECT_EQ(error_of("[1, 2]"), "data/lgpe-dex.json: document: (root): expected a JSON object, got array");
}

TEST(DexJson, WrongFormatOrVersion) {
  EXPECT_EQ(error_after([](json& d) { d["format"] = "something-else"; }),
            "data/lgpe-dex.json: document: format: must be \"predictiondex-lgpe-dex\", got \"something-else\"");
  EXPECT_EQ(error_after([](json& d) { d["format_version"] = 2; }),
            "data/lgpe-dex.json: document: format_version: unsupported version 2 (this build reads 1)");
  EXPECT_EQ(error_after([](json& d) { d["source"]["mod"] = "gen9"; }),
            "data/lgpe-dex.json: document: source.mod: must be \"gen7letsgo\", got \"gen9\"");
  EXPECT_EQ(error_after([](json& d) { d["source"]["packages"]["@pkmn/dex"] = 10; }),
            "data/lgpe-dex.json: document: source.packages.@pkmn/dex: expected a string, got integer 10");
}

TEST(DexJson, UnknownTypeName) {
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 1)["types"][0] = "Electrik"; }),
            "data/lgpe-dex.json: pokemon[1] (raichu): types[0]: unknown type name \"Electrik\"");
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["type"] = "Sound"; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): type: unknown type name \"Sound\"");
  EXPECT_EQ(error_after([](json& d) { d["content"]["type_chart"][40]["defending"] = "Light"; }),
            "data/lgpe-dex.json: type_chart[40]: defending: unknown type name \"Light\"");
}

TEST(DexJson, NegativeStat) {
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 0)["base_stats"]["atk"] = -5; }),
            "data/lgpe-dex.json: pokemon[0] (pikachu): base_stats.atk: must be 1..255, got -5");
}

TEST(DexJson, AbsurdStat) {
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 2)["base_stats"]["spe"] = 999; }),
            "data/lgpe-dex.json: pokemon[2] (mrmime): base_stats.spe: must be 1..255, got 999");
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 2)["base_stats"]["hp"] = 0; }),
            "data/lgpe-dex.json: pokemon[2] (mrmime): base_stats.hp: must be 1..255, got 0");
}

TEST(DexJson, DuplicateIds) {
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 1)["id"] = 25; }),
            "data/lgpe-dex.json: pokemon[1] (raichu): id: duplicate id 25 (also pokemon[0])");
  EXPECT_EQ(
      error_after([](json& d) { pokemon(d, 3)["showdown_id"] = "pikachu"; }),
      "data/lgpe-dex.json: pokemon[3] (pikachu): showdown_id: duplicate showdown id \"pikachu\" (also pokemon[0])");
  EXPECT_EQ(error_after([](json& d) { move(d, 3)["id"] = 85; }),
            "data/lgpe-dex.json: moves[3] (thunder): id: duplicate id 85 (also moves[2])");
  EXPECT_EQ(error_after([](json& d) { move(d, 3)["showdown_id"] = "thunderbolt"; }),
            "data/lgpe-dex.json: moves[3] (thunderbolt): showdown_id: duplicate showdown id \"thunderbolt\" (also move "
            "id 85)");
  EXPECT_EQ(error_after([](json& d) { d["content"]["learnsets"][1] = d["content"]["learnsets"][0]; }),
            "data/lgpe-dex.json: learnsets[1] (pikachu growl): (row): duplicate of learnsets[0]");
}

TEST(DexJson, LearnsetReferences) {
  EXPECT_EQ(error_after([](json& d) { d["content"]["learnsets"][3]["move"] = "hyperbeam"; }),
            "data/lgpe-dex.json: learnsets[3] (pikachu hyperbeam): move: unknown move \"hyperbeam\" (not in "
            "content.moves)");
  EXPECT_EQ(error_after([](json& d) { d["content"]["learnsets"][0]["pokemon"] = "missingno"; }),
            "data/lgpe-dex.json: learnsets[0] (missingno growl): pokemon: unknown pokemon \"missingno\" (not in "
            "content.pokemon)");
  EXPECT_EQ(error_after([](json& d) { d["content"]["learnsets"][2]["inherited_from"] = "eevee"; }),
            "data/lgpe-dex.json: learnsets[2] (pikachu thundershock): inherited_from: unknown pokemon \"eevee\" (not "
            "in content.pokemon)");
  EXPECT_EQ(error_after([](json& d) { d["content"]["learnsets"][0]["level"] = nullptr; }),
            "data/lgpe-dex.json: learnsets[0] (pikachu growl): level: expected an integer 0..100, got null");
  EXPECT_EQ(error_after([](json& d) { d["content"]["learnsets"][0]["level"] = 101; }),
            "data/lgpe-dex.json: learnsets[0] (pikachu growl): level: must be 0..100, got 101");
  EXPECT_EQ(error_after([](json& d) {
              d["content"]["learnsets"].erase(12);  // raichualola psychic
              d["content"]["learnsets"].erase(9);   // mrmime psychic
            }),
            "data/lgpe-dex.json: moves[4] (psychic): id: move 94 is not learned by any pokemon in content.learnsets");
  EXPECT_EQ(error_after([](json& d) { d["content"]["learnsets"][3]["level"] = 20; }),
            "data/lgpe-dex.json: learnsets[3] (pikachu thunderbolt): level: must be null for method \"tm\", got 20");
  EXPECT_EQ(error_after([](json& d) { d["content"]["learnsets"][3]["method"] = "egg"; }),
            "data/lgpe-dex.json: learnsets[3] (pikachu thunderbolt): method: unknown method \"egg\" (expected "
            "levelup, tm, tutor or event)");
}

TEST(DexJson, SpeciesReferences) {
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 0)["evolutions"][0]["to"] = "raichux"; }),
            "data/lgpe-dex.json: pokemon[0] (pikachu): evolutions[0].to: unknown pokemon \"raichux\" (not in "
            "content.pokemon)");
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 1)["prevo"] = "Pikachu"; }),
            "data/lgpe-dex.json: pokemon[1] (raichu): prevo: must be a Showdown id (lowercase a-z0-9), got "
            "\"Pikachu\"");
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 0)["evolutions"][1]["trigger"] = "sleep"; }),
            "data/lgpe-dex.json: pokemon[0] (pikachu): evolutions[1].trigger: unknown trigger \"sleep\" (expected "
            "levelUp, useItem, trade, levelFriendship or other)");
}

TEST(DexJson, MissingField) {
  EXPECT_EQ(error_after([](json& d) { move(d, 0).erase("pp"); }),
            "data/lgpe-dex.json: moves[0] (growl): pp: missing field");
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 4)["base_stats"].erase("spd"); }),
            "data/lgpe-dex.json: pokemon[4] (raichualola): base_stats.spd: missing field");
  EXPECT_EQ(error_after([](json& d) { d["content"].erase("learnsets"); }),
            "data/lgpe-dex.json: document: content.learnsets: missing field");
  json doc = testing::minimal_document();
  doc.erase("content_sha256");
  EXPECT_EQ(error_of(doc.dump()), "data/lgpe-dex.json: document: content_sha256: missing field");
  EXPECT_EQ(error_after([](json& d) { move(d, 1).erase("callbacks"); }),
            "data/lgpe-dex.json: moves[1] (thundershock): callbacks: missing field");
}

TEST(DexJson, WrongFieldType) {
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 0)["name"] = 5; }),
            "data/lgpe-dex.json: pokemon[0] (pikachu): name: expected a string, got integer 5");
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 0)["base_stats"]["atk"] = "55"; }),
            "data/lgpe-dex.json: pokemon[0] (pikachu): base_stats.atk: expected an integer 1..255, got string \"55\"");
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 0)["base_stats"]["atk"] = 55.5; }),
            "data/lgpe-dex.json: pokemon[0] (pikachu): base_stats.atk: expected an integer 1..255, got number 55.5");
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 0)["is_mega"] = 0; }),
            "data/lgpe-dex.json: pokemon[0] (pikachu): is_mega: expected true or false, got integer 0");
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 0)["types"] = "Electric"; }),
            "data/lgpe-dex.json: pokemon[0] (pikachu): types: expected an array, got string \"Electric\"");
  EXPECT_EQ(error_after([](json& d) { d["content"]["pokemon"][2] = 7; }),
            "data/lgpe-dex.json: pokemon[2]: (record): expected an object, got integer 7");
}

TEST(DexJson, SpeciesTypesCount) {
  EXPECT_EQ(error_after([](json& d) { pokemon(d, 0)["types"] = json::array(); }),
            "data/lgpe-dex.json: pokemon[0] (pikachu): types: expected 1 or 2 type names, got 0");
  EXPECT_EQ(error_after([](json& d) {
              pokemon(d, 0)["types"] = {"Electric", "electric"};
            }),
            "data/lgpe-dex.json: pokemon[0] (pikachu): types[1]: repeats types[0] \"Electric\"");
}

TEST(DexJson, MoveRanges) {
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["accuracy"] = 0; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): accuracy: must be 1..100, got 0");
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["accuracy"] = 101; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): accuracy: must be 1..100, got 101");
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["pp"] = 65; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): pp: must be 1..64, got 65");
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["priority"] = -8; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): priority: must be -7..5, got -8");
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["power"] = -1; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): power: must be 0..250, got -1");
  EXPECT_EQ(error_after([](json& d) { move(d, 0)["power"] = 40; }),
            "data/lgpe-dex.json: moves[0] (growl): power: must be 0 for a Status move, got 40");
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["secondaries"][0]["chance"] = 0; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): secondaries[0].chance: must be 1..100, got 0");
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["secondaries"][0]["volatile_status"] = "flinch"; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): secondaries[0].(effect): expected exactly one of status, "
            "volatile_status, boosts, self_boosts; got 2");
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["secondaries"][0]["status"] = "burn"; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): secondaries[0].status: unknown status \"burn\" (expected brn, "
            "frz, par, psn, tox or slp)");
  EXPECT_EQ(error_after([](json& d) { move(d, 0)["boosts"]["atk"] = -7; }),
            "data/lgpe-dex.json: moves[0] (growl): boosts.atk: must be -6..6, got -7");
  EXPECT_EQ(error_after([](json& d) { move(d, 0)["boosts"]["luck"] = 1; }),
            "data/lgpe-dex.json: moves[0] (growl): boosts.luck: unknown stat (expected atk, def, spa, spd, spe, "
            "accuracy or evasion)");
  EXPECT_EQ(error_after([](json& d) { move(d, 4)["secondaries"][0]["boosts"]["spd"] = 7; }),
            "data/lgpe-dex.json: moves[4] (psychic): secondaries[0].boosts.spd: must be -6..6, got 7");
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["category"] = "special"; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): category: unknown category \"special\" (expected Physical, "
            "Special or Status)");
  EXPECT_EQ(error_after([](json& d) {
              move(d, 2)["drain"] = {1, 0};
            }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): drain[1]: must be 1..100, got 0");
  EXPECT_EQ(error_after([](json& d) {
              move(d, 2)["multihit"] = {5, 2};
            }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): multihit[1]: must be 5..10, got 2");
  EXPECT_EQ(error_after([](json& d) { move(d, 2)["fixed_damage"] = "double"; }),
            "data/lgpe-dex.json: moves[2] (thunderbolt): fixed_damage: expected null, \"level\", \"half\" or an "
            "integer, got \"double\"");
}

TEST(DexJson, MoveOptionalShapes) {
  json doc = testing::minimal_document();
  json& m = move(doc, 5);
  m["multihit"] = {2, 5};
  m["recoil"] = {1, 3};
  m["fixed_damage"] = 40;
  m["self_boosts"] = {{"def", 1}, {"spe", 2}};
  m["accuracy"] = nullptr;
  const DexData d = parse_dex_json(testing::with_hash(doc), kLabel);
  const Move& q = d.moves[5];
  EXPECT_EQ(q.multihit, std::make_pair(2, 5));
  EXPECT_EQ(q.recoil, (Fraction{1, 3}));
  ASSERT_TRUE(q.fixed_damage.has_value());
  EXPECT_EQ(q.fixed_damage->kind, FixedDamage::Kind::Constant);
  EXPECT_EQ(q.fixed_damage->amount, 40);
  EXPECT_EQ(q.self_boosts, (Boosts{.def = 1, .spe = 2}));
  EXPECT_FALSE(q.accuracy.has_value());
}

TEST(DexJson, TypesAndChart) {
  EXPECT_EQ(error_after([](json& d) { std::swap(d["content"]["types"][0], d["content"]["types"][1]); }),
            "data/lgpe-dex.json: types[0] (Fire): id: must be 1 (canonical order), got 2");
  EXPECT_EQ(error_after([](json& d) { d["content"]["types"].erase(17); }),
            "data/lgpe-dex.json: content: types: expected 18 entries, got 17");
  EXPECT_EQ(error_after([](json& d) { d["content"]["type_chart"][5]["multiplier"] = 4; }),
            "data/lgpe-dex.json: type_chart[5]: multiplier: must be 0, 0.5, 1 or 2, got 4");
  EXPECT_EQ(error_after([](json& d) { d["content"]["type_chart"][5]["multiplier"] = "2"; }),
            "data/lgpe-dex.json: type_chart[5]: multiplier: expected a number, got string \"2\"");
  EXPECT_EQ(error_after([](json& d) { d["content"]["type_chart"][1]["defending"] = "Normal"; }),
            "data/lgpe-dex.json: type_chart[1]: attacking/defending: duplicate pair Normal -> Normal (also "
            "type_chart[0])");
  EXPECT_EQ(error_after([](json& d) { d["content"]["type_chart"].erase(19); }),
            "data/lgpe-dex.json: content: type_chart: missing pair Fire -> Fire (expected all 324 pairs exactly once, "
            "got 323 entries)");
}

TEST(DexJson, HashMismatch) {
  json doc = testing::minimal_document();
  const std::string good = sha256_hex(doc["content"].dump());
  doc["content_sha256"] = std::string(64, 'a');
  EXPECT_EQ(error_of(doc.dump()), "data/lgpe-dex.json: content_sha256 mismatch: file says " + std::string(64, 'a') +
                                      ", content hashes to " + good);
  doc["content_sha256"] = "ABC";
  EXPECT_EQ(error_of(doc.dump()),
            "data/lgpe-dex.json: document: content_sha256: must be 64 lowercase hex digits, got \"ABC\"");
  // Editing content without updating the hash is caught even when the edit is valid data.
  doc["content_sha256"] = good;
  ASSERT_EQ(error_of(doc.dump()), "");
  doc["content"]["pokemon"][0]["base_stats"]["atk"] = 56;
  EXPECT_THAT(error_of(doc.dump()), HasSubstr("content_sha256 mismatch"));
}

TEST(DexJson, LoadMissingFileNamesIt) {
  try {
    load_dex_json("/nonexistent/lgpe-dex.json");
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), StartsWith("/nonexistent/lgpe-dex.json: cannot open"));
  }
}

TEST(DexJson, LoadFromFileUsesPathAsLabel) {
  const auto path =
      std::filesystem::temp_directory_path() / ("pdex_dex_json_test_" + std::to_string(::getpid()) + ".json");
  json doc = testing::minimal_document();
  pokemon(doc, 0)["base_stats"]["atk"] = -5;
  std::ofstream(path) << testing::with_hash(doc);
  try {
    load_dex_json(path);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), path.string() + ": pokemon[0] (pikachu): base_stats.atk: must be 1..255, got -5");
  }
  pokemon(doc, 0)["base_stats"]["atk"] = 55;
  std::ofstream(path) << testing::with_hash(doc);
  EXPECT_EQ(load_dex_json(path).species.size(), 5u);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace pdex::dex
