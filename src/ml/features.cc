#include "ml/features.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "common/sha256.h"
#include "ml/move_scoring.h"

namespace pdex::ml {
namespace {

// Per-side columns, in order; each appears as p1_<name> then (in the second block) p2_<name>.
const std::vector<std::string>& side_columns() {
  static const std::vector<std::string> cols = [] {
    std::vector<std::string> c = {"level", "hp", "atk", "def", "spa", "spd", "spe"};
    for (int t = 0; t < dex::kTypeCount; ++t) {
      std::string name(dex::type_name(static_cast<dex::Type>(t)));
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
      c.push_back("type_" + name);
    }
    for (const char* n : {"move_count",
                          "damaging_move_count",
                          "has_status_move",
                          "has_status_inflicting_move",
                          "has_stat_boost_move",
                          "has_healing_move",
                          "best_power",
                          "best_accuracy",
                          "best_priority",
                          "best_physical",
                          "best_special",
                          "best_stab",
                          "best_effectiveness",
                          "best_damage_pct",
                          "best_min_roll_pct",
                          "best_max_roll_pct",
                          "best_hits_to_ko",
                          "best_guaranteed_hits_to_ko",
                          "best_multihit",
                          "best_recoil",
                          "best_drain",
                          "best_charge_or_recharge",
                          "best_secondary_chance",
                          "best_ohko",
                          "max_effectiveness",
                          "mean_damage_pct",
                          "moves_first"}) {
      c.push_back(n);
    }
    return c;
  }();
  return cols;
}

// Antisymmetric cross columns (p1's view; negated when the sides swap).
const std::vector<std::string>& cross_columns() {
  static const std::vector<std::string> cols = {"speed_log_ratio", "level_diff", "hits_to_ko_margin", "ko_race",
                                                "damage_pct_diff"};
  return cols;
}

FeatureSpec build_spec() {
  FeatureSpec spec;
  const std::size_t n = side_columns().size();
  for (int side = 0; side < 2; ++side) {
    for (std::size_t i = 0; i < n; ++i) {
      spec.names.push_back((side == 0 ? "p1_" : "p2_") + side_columns()[i]);
      spec.mirror_source.push_back(side == 0 ? i + n : i);
      spec.mirror_sign.push_back(1.0f);
    }
  }
  for (const std::string& c : cross_columns()) {
    spec.mirror_source.push_back(spec.names.size());
    spec.mirror_sign.push_back(-1.0f);
    spec.names.push_back(c);
  }
  std::string joined;
  for (const std::string& name : spec.names) joined += name + "\n";
  spec.hash = sha256_hex(joined);
  return spec;
}

constexpr double kMaxHits = 100;

double hits_to_ko(double hp, double damage) {
  if (damage <= 0) return kMaxHits;
  return std::min(kMaxHits, std::ceil(hp / damage));
}

// What a side's moves do against the opponent, as the side's block sees it.
struct SideSummary {
  MoveScore best;
  int priority = 0;
  double hits_to_ko = kMaxHits;
  double damage_pct = 0;
};

float* write_side(const dex::Dex& dex, const battle::PokemonConfig& pc, const Combatant& self, const Combatant& foe,
                  const SideSummary& summary, double moves_first, float* f) {
  *f++ = static_cast<float>(self.level);
  for (int s = 0; s < dex::kStatCount; ++s) *f++ = static_cast<float>(self.stats.v[static_cast<std::size_t>(s)]);
  for (int t = 0; t < dex::kTypeCount; ++t) *f++ = self.species->types.has(static_cast<dex::Type>(t)) ? 1.0f : 0.0f;
  int damaging = 0;
  bool status_move = false, inflicts = false, boosts = false, heals = false;
  double max_eff = 0, sum_pct = 0;
  const double foe_hp = foe.stats[dex::Stat::HP];
  for (const dex::Move* m : pc.moves) {
    if (m->is_damaging()) {
      ++damaging;
      const MoveScore s = score_move(dex, self, foe, *m);
      max_eff = std::max(max_eff, s.effectiveness);
      sum_pct += 100.0 * s.expected_damage / foe_hp;
    } else {
      status_move = true;
    }
    if (m->status != dex::Status::None || m->volatile_status) inflicts = true;
    for (const dex::Secondary& sec : m->secondaries) {
      if (sec.status != dex::Status::None || sec.volatile_status) inflicts = true;
    }
    if ((m->self_boosts && !m->is_damaging()) || (m->boosts && !m->is_damaging())) boosts = true;
    if (m->heal || m->drain) heals = true;
  }
  *f++ = static_cast<float>(pc.moves.size());
  *f++ = static_cast<float>(damaging);
  *f++ = status_move ? 1.0f : 0.0f;
  *f++ = inflicts ? 1.0f : 0.0f;
  *f++ = boosts ? 1.0f : 0.0f;
  *f++ = heals ? 1.0f : 0.0f;
  const MoveScore& b = summary.best;
  const dex::Move& bm = *b.move;
  *f++ = static_cast<float>(b.power);
  *f++ = static_cast<float>(100.0 * b.hit_chance);
  *f++ = static_cast<float>(bm.priority);
  *f++ = bm.category == dex::MoveCategory::Physical ? 1.0f : 0.0f;
  *f++ = bm.category == dex::MoveCategory::Special ? 1.0f : 0.0f;
  *f++ = b.stab && bm.is_damaging() ? 1.0f : 0.0f;
  *f++ = static_cast<float>(bm.is_damaging() ? b.effectiveness : 0.0);
  *f++ = static_cast<float>(summary.damage_pct);
  *f++ = static_cast<float>(std::min(1000.0, 100.0 * b.min_roll / foe_hp));
  *f++ = static_cast<float>(std::min(1000.0, 100.0 * b.max_roll / foe_hp));
  *f++ = static_cast<float>(summary.hits_to_ko);
  *f++ = static_cast<float>(hits_to_ko(foe_hp, b.min_roll * b.hit_chance >= 1.0 - 1e-12 ? b.min_roll : 0.0));
  *f++ = bm.multihit ? 1.0f : 0.0f;
  *f++ = bm.recoil ? 1.0f : 0.0f;
  *f++ = bm.drain ? 1.0f : 0.0f;
  *f++ = bm.charge || bm.recharge ? 1.0f : 0.0f;
  int chance = 0;
  for (const dex::Secondary& sec : bm.secondaries) chance = std::max(chance, sec.chance);
  *f++ = static_cast<float>(chance);
  *f++ = bm.ohko ? 1.0f : 0.0f;
  *f++ = static_cast<float>(max_eff);
  *f++ = static_cast<float>(damaging > 0 ? sum_pct / damaging : 0.0);
  *f++ = static_cast<float>(moves_first);
  return f;
}

SideSummary summarise(const dex::Dex& dex, const battle::PokemonConfig& pc, const Combatant& self,
                      const Combatant& foe) {
  std::vector<MoveScore> scores;
  scores.reserve(pc.moves.size());
  for (const dex::Move* m : pc.moves) scores.push_back(score_move(dex, self, foe, *m));
  std::size_t pick = 0;
  if (pc.policy == battle::PolicyKind::Fixed) {
    pick = static_cast<std::size_t>(pc.fixed_move_index);
  } else {
    pick = greedy_choice(scores);
  }
  SideSummary s;
  s.best = scores[pick];
  s.priority = s.best.move->priority;
  const double foe_hp = foe.stats[dex::Stat::HP];
  s.hits_to_ko = hits_to_ko(foe_hp, s.best.expected_damage);
  s.damage_pct = std::min(1000.0, 100.0 * s.best.expected_damage / foe_hp);
  return s;
}

}  // namespace

const FeatureSpec& feature_spec() {
  static const FeatureSpec spec = build_spec();
  return spec;
}

void compute_features(const dex::Dex& dex, const battle::BattleConfig& config, std::span<float> out) {
  const FeatureSpec& spec = feature_spec();
  if (out.size() != spec.size()) {
    throw std::invalid_argument("compute_features: output has " + std::to_string(out.size()) + " slots, spec has " +
                                std::to_string(spec.size()));
  }
  if (auto bad = battle::validate_config(dex, config)) throw std::invalid_argument(*bad);
  Combatant c[2];
  for (int i = 0; i < 2; ++i) c[i] = make_combatant(*config.side[i].species, config.side[i].spread);
  SideSummary s[2];
  for (int i = 0; i < 2; ++i) s[i] = summarise(dex, config.side[i], c[i], c[1 - i]);
  // Who acts first on turn 1: priority, then speed; a speed tie is a coin flip.
  double p1_first = 0.5;
  const int spe1 = c[0].stats[dex::Stat::Spe], spe2 = c[1].stats[dex::Stat::Spe];
  if (s[0].priority != s[1].priority) {
    p1_first = s[0].priority > s[1].priority ? 1.0 : 0.0;
  } else if (spe1 != spe2) {
    p1_first = spe1 > spe2 ? 1.0 : 0.0;
  }
  float* f = out.data();
  f = write_side(dex, config.side[0], c[0], c[1], s[0], p1_first, f);
  f = write_side(dex, config.side[1], c[1], c[0], s[1], 1.0 - p1_first, f);
  *f++ = static_cast<float>(std::log(static_cast<double>(spe1)) - std::log(static_cast<double>(spe2)));
  *f++ = static_cast<float>(c[0].level - c[1].level);
  *f++ = static_cast<float>(s[1].hits_to_ko - s[0].hits_to_ko);
  // The hits-to-KO race: fewer hits wins; equal hits go to whoever moves first.
  double race = 0;
  if (s[0].hits_to_ko != s[1].hits_to_ko) {
    race = s[0].hits_to_ko < s[1].hits_to_ko ? 1 : -1;
  } else if (s[0].hits_to_ko < kMaxHits) {
    race = 2 * p1_first - 1;
  }
  *f++ = static_cast<float>(race);
  *f++ = static_cast<float>(s[0].damage_pct - s[1].damage_pct);
}

std::vector<float> compute_features(const dex::Dex& dex, const battle::BattleConfig& config) {
  std::vector<float> out(feature_spec().size());
  compute_features(dex, config, out);
  return out;
}

std::vector<float> mirror_features(std::span<const float> features) {
  const FeatureSpec& spec = feature_spec();
  if (features.size() != spec.size()) {
    throw std::invalid_argument("mirror_features: got " + std::to_string(features.size()) + " values, spec has " +
                                std::to_string(spec.size()));
  }
  std::vector<float> out(features.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const float v = features[spec.mirror_source[i]];
    out[i] = spec.mirror_sign[i] < 0 ? -v : v;
  }
  return out;
}

battle::BattleConfig mirror_config(const battle::BattleConfig& config) {
  battle::BattleConfig m = config;
  std::swap(m.side[0], m.side[1]);
  return m;
}

}  // namespace pdex::ml
