#include "ml/dataset_check.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "ml/features.h"

namespace pdex::ml {
namespace {

std::string row_name(std::size_t r) {
  return "row " + std::to_string(r) + " (rows.csv line " + std::to_string(r + 2) + ")";
}

std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %%", 100 * v);
  return buf;
}

CheckResult check_finite(const Dataset& ds) {
  CheckResult c{"finite", true, 0, ""};
  std::size_t bad = 0;
  const FeatureSpec& spec = feature_spec();
  for (std::size_t r = 0; r < ds.rows.size(); ++r) {
    const DatasetRow& row = ds.rows[r];
    const double probs[3] = {row.p1_win, row.p2_win, row.draw};
    const char* names[3] = {"p1_win_prob", "p2_win_prob", "draw_prob"};
    bool row_bad = false;
    for (int i = 0; i < 3; ++i) {
      if (!std::isfinite(probs[i])) {
        if (c.detail.empty()) c.detail = row_name(r) + ": " + names[i] + " is not finite";
        row_bad = true;
      }
    }
    if (ds.features.size() == ds.rows.size() * ds.feature_count) {
      for (std::size_t f = 0; f < ds.feature_count; ++f) {
        if (!std::isfinite(ds.features[r * ds.feature_count + f])) {
          if (c.detail.empty()) {
            c.detail = row_name(r) + ": feature " +
                       (f < spec.size() && ds.feature_count == spec.size() ? spec.names[f] : std::to_string(f)) +
                       " is not finite";
          }
          row_bad = true;
          break;
        }
      }
    }
    bad += row_bad;
  }
  c.value = static_cast<double>(bad);
  c.passed = bad == 0;
  if (c.passed)
    c.detail = "no missing or non-finite value in " + std::to_string(ds.rows.size()) + " rows";
  else
    c.detail = std::to_string(bad) + " rows with missing or non-finite values; first: " + c.detail;
  return c;
}

CheckResult check_ranges(const Dataset& ds) {
  CheckResult c{"ranges", true, 0, ""};
  std::size_t bad = 0;
  auto fail = [&](std::size_t r, const std::string& what) {
    if (c.detail.empty()) c.detail = row_name(r) + ": " + what;
  };
  if (ds.features.size() != ds.rows.size() * ds.feature_count) {
    c.passed = false;
    c.detail = "features: " + std::to_string(ds.features.size()) + " values for " + std::to_string(ds.rows.size()) +
               " rows x " + std::to_string(ds.feature_count);
    c.value = 1;
    return c;
  }
  for (std::size_t r = 0; r < ds.rows.size(); ++r) {
    const DatasetRow& row = ds.rows[r];
    const std::size_t before = c.detail.size();
    bool row_bad = false;
    auto flag = [&](const std::string& what) {
      fail(r, what);
      row_bad = true;
    };
    for (int i = 0; i < 2; ++i) {
      const std::string p = i == 0 ? "p1_" : "p2_";
      if (row.level[i] < 1 || row.level[i] > 100)
        flag(p + "level: expected 1..100, got " + std::to_string(row.level[i]));
      if (row.moves[i].empty() || row.moves[i].size() > 4) {
        flag(p + "moves: expected 1..4 moves, got " + std::to_string(row.moves[i].size()));
      }
      std::set<int> distinct(row.moves[i].begin(), row.moves[i].end());
      if (distinct.size() != row.moves[i].size()) flag(p + "moves: repeated move");
      if (row.species[i] <= 0) flag(p + "species: expected a positive id, got " + std::to_string(row.species[i]));
    }
    if (row.winner < 0 || row.winner > 2) flag("winner: expected 0, 1 or 2, got " + std::to_string(row.winner));
    const double probs[3] = {row.p1_win, row.p2_win, row.draw};
    const char* names[3] = {"p1_win_prob", "p2_win_prob", "draw_prob"};
    for (int i = 0; i < 3; ++i) {
      if (std::isfinite(probs[i]) && (probs[i] < 0 || probs[i] > 1)) {
        flag(std::string(names[i]) + ": expected 0..1, got " + std::to_string(probs[i]));
      }
    }
    const double sum = probs[0] + probs[1] + probs[2];
    if (std::isfinite(sum) && std::abs(sum - 1) > 1e-6)
      flag("p1_win_prob + p2_win_prob + draw_prob = " + std::to_string(sum) + ", expected 1");
    const bool mc = row.method == battle::OddsMethod::MonteCarlo;
    if (mc != (row.mc_n > 0))
      flag("mc_n: " + std::to_string(row.mc_n) + " does not match method " +
           std::string(battle::odds_method_name(row.method)));
    (void)before;
    bad += row_bad;
  }
  if (ds.feature_count != feature_spec().size()) {
    ++bad;
    if (c.detail.empty())
      c.detail = "features.count: " + std::to_string(ds.feature_count) + ", the code's spec has " +
                 std::to_string(feature_spec().size());
  }
  c.value = static_cast<double>(bad);
  c.passed = bad == 0;
  if (c.passed)
    c.detail = "all values in range";
  else
    c.detail = std::to_string(bad) + " rows out of range; first: " + c.detail;
  return c;
}

CheckResult check_balance(const Dataset& ds, const CheckThresholds& t) {
  CheckResult c{"class_balance", true, 0, ""};
  std::map<std::string, std::pair<std::size_t, std::size_t>> counts;  // split -> (side 1 wins, decisive)
  for (const DatasetRow& row : ds.rows) {
    if (row.winner == 0) continue;
    for (const std::string& key : {std::string("all"), std::string(split_name(row.split))}) {
      counts[key].second++;
      if (row.winner == 1) counts[key].first++;
    }
  }
  if (counts["all"].second == 0) {
    c.passed = false;
    c.detail = "no decisive row";
    return c;
  }
  std::string parts;
  for (const auto& [key, wl] : counts) {
    if (wl.second == 0) continue;
    const double share = static_cast<double>(wl.first) / static_cast<double>(wl.second);
    if (key == "all") c.value = share;
    if (share < t.min_side1_share || share > t.max_side1_share) {
      c.passed = false;
    }
    if (!parts.empty()) parts += ", ";
    parts += key + " " + pct(share);
  }
  c.detail = "side 1 wins " + parts + " of decisive rows (allowed " + pct(t.min_side1_share) + " .. " +
             pct(t.max_side1_share) + ")";
  return c;
}

CheckResult check_duplicates(const Dataset& ds, const CheckThresholds& t) {
  CheckResult c{"duplicates", true, 0, ""};
  // A configuration and its mirror describe one battle; compare orientation-free keys once per
  // configuration (the non-mirror row).
  std::set<std::string> seen;
  std::size_t considered = 0, dup = 0;
  std::size_t first_dup = ds.rows.size();
  for (std::size_t r = 0; r < ds.rows.size(); ++r) {
    const DatasetRow& row = ds.rows[r];
    if (row.mirror) continue;
    ++considered;
    std::string side_key[2];
    for (int i = 0; i < 2; ++i) {
      side_key[i] = std::to_string(row.species[i]) + "@" + std::to_string(row.level[i]) + ":" +
                    std::string(battle::policy_name(row.policy[i]));
      for (int m : row.moves[i]) side_key[i] += "," + std::to_string(m);
    }
    if (side_key[1] < side_key[0]) std::swap(side_key[0], side_key[1]);
    if (!seen.insert(side_key[0] + "|" + side_key[1]).second) {
      ++dup;
      if (first_dup == ds.rows.size()) first_dup = r;
    }
  }
  c.value = considered ? static_cast<double>(dup) / static_cast<double>(considered) : 0;
  c.passed = c.value <= t.max_duplicate_rate;
  c.detail = std::to_string(dup) + " of " + std::to_string(considered) + " configurations repeat an earlier one (" +
             pct(c.value) + ", allowed " + pct(t.max_duplicate_rate) + ")";
  if (dup > 0) c.detail += "; first: " + row_name(first_dup);
  return c;
}

CheckResult check_leakage(const Dataset& ds) {
  CheckResult c{"split_leakage", true, 0, ""};
  std::map<std::pair<int, int>, std::pair<Split, std::size_t>> pair_split;
  std::size_t leaks = 0;
  for (std::size_t r = 0; r < ds.rows.size(); ++r) {
    const DatasetRow& row = ds.rows[r];
    const std::pair<int, int> key{std::min(row.species[0], row.species[1]), std::max(row.species[0], row.species[1])};
    auto [it, inserted] = pair_split.try_emplace(key, row.split, r);
    if (!inserted && it->second.first != row.split) {
      if (leaks == 0) {
        c.detail = "species pair (" + std::to_string(key.first) + ", " + std::to_string(key.second) + ") is in " +
                   std::string(split_name(it->second.first)) + " (" + row_name(it->second.second) + ") and in " +
                   std::string(split_name(row.split)) + " (" + row_name(r) + ")";
      }
      ++leaks;
    }
  }
  c.value = static_cast<double>(leaks);
  c.passed = leaks == 0;
  if (c.passed)
    c.detail = std::to_string(pair_split.size()) + " species pairs, each in exactly one split";
  else
    c.detail = std::to_string(leaks) + " rows leak across splits; first: " + c.detail;
  return c;
}

CheckResult check_spec(const Dataset& ds) {
  CheckResult c{"feature_spec", true, 0, ""};
  c.passed = ds.feature_spec_hash == feature_spec().hash;
  c.value = c.passed ? 0 : 1;
  c.detail = c.passed ? "feature spec hash " + ds.feature_spec_hash.substr(0, 16) + " matches the code"
                      : "dataset feature spec hash " + ds.feature_spec_hash + " differs from the code's " +
                            feature_spec().hash + " (rebuild the dataset)";
  return c;
}

}  // namespace

std::vector<CheckResult> check_dataset(const Dataset& ds, const CheckThresholds& t) {
  return {check_finite(ds),        check_ranges(ds),  check_balance(ds, t),
          check_duplicates(ds, t), check_leakage(ds), check_spec(ds)};
}

bool all_passed(const std::vector<CheckResult>& results) {
  for (const CheckResult& r : results) {
    if (!r.passed) return false;
  }
  return true;
}

nlohmann::json to_json(const std::vector<CheckResult>& results) {
  nlohmann::json checks = nlohmann::json::array();
  for (const CheckResult& r : results) {
    checks.push_back({{"name", r.name}, {"passed", r.passed}, {"value", r.value}, {"detail", r.detail}});
  }
  return {{"passed", all_passed(results)}, {"checks", checks}};
}

}  // namespace pdex::ml
