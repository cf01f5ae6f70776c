// `pdex monitor drift`: the drift of logged predictions (the prediction log, store/prediction_log_repository.h)
// against a model bundle's reference, with the same statistics and thresholds as the server's online drift
// (ml/drift_monitor.h, PDEX_DRIFT_* settings). A record without logged features has them recomputed from its
// logged request with the one feature function (ml/features.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/dex_source.h"
#include "cli/ml_paths.h"
#include "ml/bundle.h"
#include "ml/drift_monitor.h"
#include "ml/features.h"
#include "service/battle_request.h"
#include "service/json_body.h"
#include "service/prediction_monitor.h"
#include "store/database.h"
#include "store/prediction_log_repository.h"

namespace pdex::cli {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

struct DriftOptions {
  std::string from = "0000-01-01T00:00:00.000Z";
  std::string to = "9999-12-31T23:59:59.999Z";
  bool json_out = false;
  bool html_out = false;
  std::string db;
  std::string model = "default";
  bool any_version = false;
  std::size_t limit = 100'000;
};

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS[.fff]]Z" -> the log's fixed-width form "YYYY-MM-DDTHH:MM:SS.fffZ".
std::string normalize_time(const std::string& option, const std::string& text) {
  static const std::regex re(R"((\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z)?)");
  std::smatch m;
  if (!std::regex_match(text, m, re)) {
    throw CommandError(kUsage, option + ": '" + text + "' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.fff]]Z (UTC)");
  }
  auto part = [&](int i, const char* dflt) { return m[i].matched ? m[i].str() : std::string(dflt); };
  const int month = std::stoi(m[2].str()), day = std::stoi(m[3].str()), hour = std::stoi(part(4, "00")),
            minute = std::stoi(part(5, "00")), second = std::stoi(part(6, "00"));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw CommandError(kUsage, option + ": '" + text + "' is not a valid date and time");
  }
  std::string ms = part(7, "000");
  ms.resize(3, '0');
  return m[1].str() + "-" + m[2].str() + "-" + m[3].str() + "T" + part(4, "00") + ":" + part(5, "00") + ":" +
         part(6, "00") + "." + ms + "Z";
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fixed(double v, int digits = 4) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string scientific(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// Features of one logged record: the logged vector, else recomputed from the logged request.
std::optional<std::vector<float>> record_features(const store::PredictionRecord& r, const dex::Dex* dex,
                                                  std::size_t width, bool* recomputed) {
  *recomputed = false;
  if (r.features) {
    const json f = json::parse(*r.features, nullptr, false);
    if (f.is_array() && f.size() == width) {
      std::vector<float> out;
      out.reserve(width);
      for (const auto& v : f) out.push_back(v.is_number() ? v.get<float>() : std::nanf(""));
      return out;
    }
    return std::nullopt;
  }
  if (!dex) return std::nullopt;
  const json inputs = json::parse(r.inputs, nullptr, false);
  if (!inputs.is_object()) return std::nullopt;
  service::ObjectReader reader(inputs);
  auto parsed = service::read_battle_request(*dex, reader, service::MovesWhenAbsent::Recommended);
  if (!std::holds_alternative<service::BattleRequest>(parsed)) return std::nullopt;
  std::vector<float> f = ml::compute_features(*dex, std::get<service::BattleRequest>(parsed).config);
  if (f.size() != width) return std::nullopt;
  *recomputed = true;
  return f;
}

void print_text(const ordered_json& meta, const ml::DriftReport& report) {
  std::cout << "drift of " << report.count << " logged predictions (" << meta["from"].get<std::string>() << " .. "
            << meta["to"].get<std::string>() << ") against " << meta["model_version"].get<std::string>() << "\n";
  std::cout << "dataset drift: " << (report.dataset_drift ? "YES" : "no") << " (" << report.drifted_features << " of "
            << report.features.size() << " features drift, threshold share "
            << fixed(report.thresholds.dataset_drift_share, 2) << ")\n";
  if (report.prediction_psi) {
    std::cout << "prediction PSI: " << fixed(*report.prediction_psi) << " (" << report.psi_level(*report.prediction_psi)
              << ")\n";
  }
  std::vector<const ml::FeatureDrift*> sorted;
  for (const auto& f : report.features) sorted.push_back(&f);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->psi > b->psi; });
  std::printf("%-34s %9s %-8s %8s %10s %10s %s\n", "feature", "psi", "level", "ks_d", "ks_p", "ks_p_adj", "drift");
  for (const auto* f : sorted) {
    std::printf("%-34s %9s %-8s %8s %10s %10s %s\n", f->name.c_str(), fixed(f->psi).c_str(), report.psi_level(f->psi),
                fixed(f->ks.statistic, 3).c_str(), scientific(f->ks.p_value).c_str(),
                scientific(f->ks_p_adjusted).c_str(), f->drifted ? "DRIFT" : "");
  }
  std::fflush(stdout);
}

void print_html(const ordered_json& meta, const ml::DriftReport& report) {
  std::string h =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>PredictionDex drift report</title>\n"
      "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}td:first-child,th:first-child{text-align:left}"
      ".alert{background:#fdd}.warning{background:#ffd}</style></head><body>\n";
  h += "<h1>Drift report</h1>\n<p>Model <code>" + html_escape(meta["model_version"].get<std::string>()) + "</code>, " +
       std::to_string(report.count) + " logged predictions from " + html_escape(meta["from"].get<std::string>()) +
       " to " + html_escape(meta["to"].get<std::string>()) + ".</p>\n";
  h += "<p><strong>Dataset drift: " + std::string(report.dataset_drift ? "yes" : "no") + "</strong> (" +
       std::to_string(report.drifted_features) + " of " + std::to_string(report.features.size()) +
       " features drift). Prediction PSI: " + (report.prediction_psi ? fixed(*report.prediction_psi) : "-") +
       ". Thresholds: PSI " + fixed(report.thresholds.psi_warning, 2) + " warning, " +
       fixed(report.thresholds.psi_alert, 2) + " alert; KS p &lt; " + fixed(report.thresholds.ks_alpha, 3) + " after " +
       ml::to_string(report.thresholds.correction) + ".</p>\n";
  h += "<table><thead><tr><th>feature</th><th>PSI</th><th>level</th><th>KS D</th><th>KS p</th><th>KS p "
       "(corrected)</th><th>drift</th></tr></thead><tbody>\n";
  for (const auto& f : report.features) {
    const std::string level = report.psi_level(f.psi);
    h += "<tr class=\"" + level + "\"><td>" + html_escape(f.name) + "</td><td>" + fixed(f.psi) + "</td><td>" + level +
         "</td><td>" + fixed(f.ks.statistic, 3) + "</td><td>" + scientific(f.ks.p_value) + "</td><td>" +
         scientific(f.ks_p_adjusted) + "</td><td>" + (f.drifted ? "yes" : "") + "</td></tr>\n";
  }
  h += "</tbody></table>\n</body></html>\n";
  std::cout << h;
}

void run_drift(const DriftOptions& o) {
  if (o.json_out && o.html_out) throw CommandError(kUsage, "--json and --html: choose one");
  const std::string from = normalize_time("--from", o.from);
  const std::string to = normalize_time("--to", o.to);
  if (from >= to) throw CommandError(kUsage, "--from must be before --to");
  service::DriftSettings settings;
  try {
    settings = service::DriftSettings::from_environment();
  } catch (const std::invalid_argument& e) {
    throw CommandError(kUsage, e.what());
  }
  const std::filesystem::path model_dir = resolve_model_dir(o.model);
  json meta_bundle;
  try {
    meta_bundle = ml::read_bundle_meta(model_dir);
  } catch (const std::exception& e) {
    throw CommandError(kInvalidData, std::string("--model: ") + e.what());
  }
  ml::DriftReference reference;
  try {
    reference = ml::DriftReference::from_json(meta_bundle.value("reference", json()));
  } catch (const std::invalid_argument& e) {
    throw CommandError(kInvalidData, "--model " + model_dir.string() + ": bundle.json " + e.what());
  }
  const std::string version = meta_bundle.value("version", std::string());

  const std::string url = o.db.empty() ? settings_for_cli().database_url : o.db;
  std::vector<store::PredictionRecord> records;
  try {
    store::Database db(url);
    records = store::PredictionLogRepository(db.session()).list_between(from, to, o.limit);
  } catch (const store::DatabaseError& e) {
    throw CommandError(kFailure, e.what());
  }

  const std::size_t width = reference.features.size();
  const dex::Dex* dex = nullptr;
  std::vector<float> rows;
  std::vector<double> predictions;
  std::size_t other_version = 0, unusable = 0, recomputed_count = 0;
  for (const auto& r : records) {
    if (!o.any_version && r.model_version != version) {
      ++other_version;
      continue;
    }
    if (!r.features && !dex) dex = &load_dex_for_cli();
    bool recomputed = false;
    const auto f = record_features(r, dex, width, &recomputed);
    const json out = json::parse(r.outputs, nullptr, false);
    if (!f || !out.is_object() || !out.contains("pokemon_1_win_probability") ||
        !out["pokemon_1_win_probability"].is_number()) {
      ++unusable;
      continue;
    }
    if (recomputed) ++recomputed_count;
    rows.insert(rows.end(), f->begin(), f->end());
    predictions.push_back(out["pokemon_1_win_probability"].get<double>());
  }
  const std::size_t count = predictions.size();
  if (count == 0) {
    throw CommandError(kFailure, "no usable logged predictions of " + version + " between " + from + " and " + to +
                                     " (" + std::to_string(records.size()) + " records, " +
                                     std::to_string(other_version) + " of other model versions: --any-version)");
  }
  const ml::DriftReport report = ml::compute_drift(reference, rows, count, predictions, settings.thresholds);
  ordered_json meta = {{"from", from},
                       {"to", to},
                       {"model_version", version},
                       {"model_dir", model_dir.string()},
                       {"records", records.size()},
                       {"other_model_versions", other_version},
                       {"unusable", unusable},
                       {"features_recomputed", recomputed_count}};
  if (count < settings.window.min_samples) {
    std::cerr << "warning: " << count << " predictions, fewer than PDEX_DRIFT_MIN_SAMPLES ("
              << settings.window.min_samples << "): the statistics are noisy\n";
  }
  if (o.json_out) {
    ordered_json out = meta;
    const ordered_json r = report.to_json();
    for (auto& [k, v] : r.items()) out[k] = v;
    std::cout << out.dump(2) << "\n";
  } else if (o.html_out) {
    print_html(meta, report);
  } else {
    print_text(meta, report);
  }
}

}  // namespace

void add_monitor_commands(CLI::App& app) {
  CLI::App* monitor = app.add_subcommand("monitor", "Monitoring: drift of logged predictions");
  monitor->require_subcommand(1);
  auto o = std::make_shared<DriftOptions>();
  CLI::App* drift = monitor->add_subcommand(
      "drift", "PSI and Kolmogorov-Smirnov drift of logged predictions against a model bundle's reference");
  drift->add_option("--from", o->from, "Start (UTC, inclusive): YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.fff]]Z");
  drift->add_option("--to", o->to, "End (UTC, exclusive), same format");
  drift->add_flag("--json", o->json_out, "Print the report as JSON (the fields of GET /api/v1/monitoring/drift)");
  drift->add_flag("--html", o->html_out, "Print a self-contained HTML report");
  drift->add_option("--db", o->db, "Database URL (default $PDEX_DATABASE_URL)");
  drift->add_option("--model", o->model, "Bundle name or directory (default 'default': $PDEX_DATA_DIR/models/default)");
  drift->add_flag("--any-version", o->any_version,
                  "Include predictions of every model version (default: only the bundle's version)");
  drift->add_option("--limit", o->limit, "At most this many (most recent) predictions (default 100000)")
      ->check(CLI::Range(1, 10'000'000));
  drift->footer(
      "Thresholds and correction: PDEX_DRIFT_PSI_WARNING, PDEX_DRIFT_PSI_ALERT, PDEX_DRIFT_KS_ALPHA,\n"
      "PDEX_DRIFT_CORRECTION, PDEX_DRIFT_DATASET_SHARE (as `pdex serve`; docs/operate.md).\n"
      "Exit codes: 0 report printed, 1 no usable predictions or database error, 2 bad option, 3 bad bundle.");
  drift->callback([o] { run_drift(*o); });
}

}  // namespace pdex::cli
