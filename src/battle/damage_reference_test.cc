// Every case of tests/fixtures/damage-cases.json (made by scripts/ref-damage from Pokémon Showdown's sim and
// @smogon/calc) must give exactly the reference's 16 rolls, with species and moves from the real Dex.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "battle/battle_test_support.h"
#include "battle/damage.h"
#include "dex/dex.h"

namespace pdex::battle {
namespace {

using nlohmann::json;
using testing::source_dir;
using testing::the_dex;

const json& fixture() {
  static const json doc = [] {
    const auto path = source_dir() / "tests/fixtures/damage-cases.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return json::parse(in);
  }();
  return doc;
}

dex::StatTable stat_table(const json& a) {
  dex::StatTable t;
  for (int i = 0; i < dex::kStatCount; ++i) t.v[i] = a.at(i).get<int>();
  return t;
}

std::string rolls_text(const std::array<int, 16>& v) {
  std::ostringstream out;
  out << '[';
  for (int i = 0; i < 16; ++i) out << (i ? "," : "") << v[i];
  out << ']';
  return out.str();
}

struct Prepared {
  AttackerView attacker;
  DefenderView defender;
  const dex::Move* move = nullptr;
  HitOptions options;
  MoveAdjustments adjust;
  std::array<int, 16> expected{};
};

// Throws std::runtime_error naming the case when the fixture refers to something the Dex lacks.
Prepared prepare(const dex::Dex& dex, const json& c) {
  const std::string id = std::to_string(c.at("id").get<int>());
  const auto& ja = c.at("attacker");
  const auto& jd = c.at("defender");
  const dex::Species* as = dex.find_species(ja.at("species").get<std::string>());
  const dex::Species* ds = dex.find_species(jd.at("species").get<std::string>());
  Prepared p;
  p.move = dex.find_move(c.at("move").get<std::string>());
  if (as == nullptr || ds == nullptr || p.move == nullptr) throw std::runtime_error("case " + id + ": not in the Dex");
  p.attacker.level = ja.at("level").get<int>();
  p.attacker.stats = stat_table(ja.at("stats"));
  p.attacker.types = as->types;
  p.attacker.atk_stage = ja.at("atk_stage").get<int>();
  p.attacker.spa_stage = ja.at("spa_stage").get<int>();
  p.attacker.burned = ja.at("burned").get<bool>();
  const auto status = dex::parse_status_id(ja.at("status").get<std::string>());
  if (!status) throw std::runtime_error("case " + id + ": attacker.status unknown");
  p.attacker.status = *status;
  p.defender.stats = stat_table(jd.at("stats"));
  p.defender.types = ds->types;
  p.defender.current_hp = jd.at("current_hp").get<int>();
  p.defender.atk_stage = jd.at("atk_stage").get<int>();
  p.defender.def_stage = jd.at("def_stage").get<int>();
  p.defender.spd_stage = jd.at("spd_stage").get<int>();
  p.defender.reflect = jd.at("reflect").get<bool>();
  p.defender.light_screen = jd.at("light_screen").get<bool>();
  p.options.crit = c.at("crit").get<bool>();
  if (!c.at("base_power").is_null()) p.adjust.base_power = c.at("base_power").get<int>();
  for (int i = 0; i < 16; ++i) p.expected[i] = c.at("rolls").at(i).get<int>();
  return p;
}

TEST(DamageReference, FixtureIsForThisDex) {
  const auto& doc = fixture();
  ASSERT_EQ(doc.at("format"), "predictiondex-damage-cases");
  ASSERT_GE(doc.at("cases").size(), 1200u);
  if (doc.at("dex_content_sha256").get<std::string>() != the_dex().data().content_sha256) {
    std::cout << "note: tests/fixtures/damage-cases.json was made from another data/lgpe-dex.json; "
                 "regenerate it with scripts/ref-damage\n";
  }
  // The two references agree wherever both apply, except for understood cases that the script explains
  // (Showdown's sim is the authority there).
  for (const json& d : doc.at("calc_disagreements")) {
    EXPECT_TRUE(d.at("explanation").is_string()) << "unexplained Showdown/@smogon/calc disagreement: " << d.dump();
  }
}

TEST(DamageReference, EveryCaseMatchesShowdownExactly) {
  const dex::Dex& dex = the_dex();
  std::map<std::string, int> passed_by_tag;
  int passed = 0;
  for (const json& c : fixture().at("cases")) {
    const Prepared p = prepare(dex, c);
    const DamageRolls got = damage_rolls(dex.chart(), p.attacker, p.defender, *p.move, p.options, p.adjust);
    if (got.values != p.expected) {
      FAIL() << "damage mismatch on case " << c.dump() << "\n  expected (Showdown): " << rolls_text(p.expected)
             << "\n  got (ours):          " << rolls_text(got.values) << "\n  (" << passed << " cases passed before)";
    }
    ++passed;
    for (const auto& tag : c.at("tags")) ++passed_by_tag[tag.get<std::string>()];
  }
  std::cout << passed << " damage cases identical to Showdown; by category:";
  for (const auto& [tag, n] : passed_by_tag) std::cout << ' ' << tag << '=' << n;
  std::cout << '\n';
}

// The fixture's stats are Showdown's own (gen7letsgo statModify); our stat formula must reproduce them.
TEST(DamageReference, StatsMatchShowdown) {
  const dex::Dex& dex = the_dex();
  int checked = 0;
  for (const json& c : fixture().at("cases")) {
    for (const char* side : {"attacker", "defender"}) {
      const json& s = c.at(side);
      const dex::Species* species = dex.find_species(s.at("species").get<std::string>());
      ASSERT_NE(species, nullptr) << s.dump();
      dex::StatSpread spread;
      spread.level = s.at("level").get<int>();
      spread.ivs = stat_table(s.at("spread").at("ivs"));
      spread.avs = stat_table(s.at("spread").at("avs"));
      spread.nature = dex::find_nature(s.at("spread").at("nature").get<std::string>());
      ASSERT_NE(spread.nature, nullptr) << s.dump();
      spread.av_rule = dex::AvRule::Showdown;
      const dex::StatTable ours = dex::compute_stats(species->base_stats, spread);
      ASSERT_EQ(ours, stat_table(s.at("stats"))) << "case " << c.at("id") << " " << side << ": " << s.dump();
      ++checked;
    }
  }
  std::cout << checked << " stat tables identical to Showdown\n";
}

}  // namespace
}  // namespace pdex::battle
