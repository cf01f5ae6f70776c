#include "ml/evaluation.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "ml/features.h"
#include "ml/metrics.h"
#include "ml/trainer.h"

namespace pdex::ml {

using nlohmann::json;
namespace fs = std::filesystem;

json evaluation_figures(std::span<const float> labels, std::span<const float> probs, std::span<const float> engine) {
  const BinaryReport report = evaluate_binary(labels, probs);
  const BayesCeiling ceiling = bayes_ceiling(engine, labels);
  return {{"metrics", to_json(report)},
          {"bayes_ceiling",
           {{"expected_accuracy", ceiling.expected_accuracy}, {"realized_accuracy", ceiling.realized_accuracy}}},
          {"gap_to_bayes_ceiling", ceiling.realized_accuracy - report.accuracy},
          {"expected_calibration_error", report.calibration.expected_calibration_error},
          {"mean_abs_prob_error", mean_abs_diff(probs, engine)}};
}

json evaluate_model(const Dataset& ds, const Predictor& predictor, Split split) {
  const auto start = std::chrono::steady_clock::now();
  if (ds.feature_spec_hash != feature_spec().hash) {
    throw std::invalid_argument("dataset feature spec hash " + ds.feature_spec_hash + " differs from the code's " +
                                feature_spec().hash + ": rebuild the dataset");
  }
  const TrainingRows rows = select_rows(ds, split);
  if (rows.size() == 0)
    throw std::invalid_argument("dataset: split " + std::string(split_name(split)) + " has no decisive row");
  std::vector<float> probs(rows.size()), base(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::span<const float> x(rows.x.data() + i * rows.cols, rows.cols);
    probs[i] = static_cast<float>(predictor.predict_features(x));
    base[i] = baseline_probability(x);
  }
  std::size_t draws = 0;
  for (const DatasetRow& r : ds.rows) draws += r.split == split && r.winner == 0;
  json report;
  report["split"] = split_name(split);
  report["rows"] = rows.size();
  report["model"] = {{"name", predictor.name()}, {"version", predictor.version()}};
  report["test"] = evaluation_figures(rows.winner, probs, rows.probability);
  report["test"]["draws_excluded"] = draws;
  report["baseline"] = evaluation_figures(rows.winner, base, rows.probability);
  report["baseline"]["rule"] = "fewer hits to KO wins, equal hits: who moves first; P = 0.5 + 0.4 * ko_race";
  json per = json::object();
  for (int s = 0; s < kScenarioCount; ++s) {
    std::vector<float> l, p, q, b;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (static_cast<int>(rows.scenario[i]) != s) continue;
      l.push_back(rows.winner[i]);
      p.push_back(probs[i]);
      q.push_back(rows.probability[i]);
      b.push_back(base[i]);
    }
    if (l.empty()) continue;
    json f = evaluation_figures(l, p, q);
    f["rows"] = l.size();
    f["baseline_accuracy"] = evaluate_binary(l, b).accuracy;
    per[std::string(scenario_name(static_cast<Scenario>(s)))] = f;
  }
  report["per_scenario"] = per;
  const FeatureSpec& spec = feature_spec();
  json imp = json::array();
  const auto importance = predictor.booster().feature_importance(ImportanceType::kTotalGain);
  double total = 0;
  for (const auto& fi : importance) total += fi.score;
  for (const auto& fi : importance) {
    imp.push_back({{"name", fi.feature < spec.size() ? spec.names[fi.feature] : std::to_string(fi.feature)},
                   {"total_gain", fi.score},
                   {"share", total > 0 ? fi.score / total : 0.0}});
  }
  report["feature_importance"] = imp;
  report["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

namespace {

std::string num(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::trunc);
  if (!f) throw std::runtime_error(path.string() + ": cannot open for writing");
  f << text;
}

const char* kHeader = "<svg xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"12\" ";

std::string reliability_svg(const json& test) {
  const double W = 420, H = 420, L = 50, T = 30, S = 330;  // plot square S×S at (L, T)
  std::string s = std::string(kHeader) + "width=\"" + num(W, 0) + "\" height=\"" + num(H, 0) + "\" role=\"img\">\n";
  s += "<title>Reliability diagram</title>\n";
  s += "<text x=\"" + num(L, 0) + "\" y=\"18\" font-weight=\"bold\">Reliability (ECE " +
       num(test["expected_calibration_error"].get<double>(), 4) + ")</text>\n";
  s += "<rect x=\"" + num(L, 0) + "\" y=\"" + num(T, 0) + "\" width=\"" + num(S, 0) + "\" height=\"" + num(S, 0) +
       "\" fill=\"none\" stroke=\"#888\"/>\n";
  s += "<line x1=\"" + num(L, 0) + "\" y1=\"" + num(T + S, 0) + "\" x2=\"" + num(L + S, 0) + "\" y2=\"" + num(T, 0) +
       "\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>\n";
  for (int i = 0; i <= 10; i += 2) {
    const double v = i / 10.0;
    s += "<text x=\"" + num(L + v * S, 1) + "\" y=\"" + num(T + S + 16, 0) + "\" text-anchor=\"middle\">" + num(v, 1) +
         "</text>\n";
    s += "<text x=\"" + num(L - 6, 0) + "\" y=\"" + num(T + S - v * S + 4, 1) + "\" text-anchor=\"end\">" + num(v, 1) +
         "</text>\n";
  }
  s += "<text x=\"" + num(L + S / 2, 0) + "\" y=\"" + num(H - 10, 0) +
       "\" text-anchor=\"middle\">mean predicted P(side 1 wins)</text>\n";
  s += "<text transform=\"translate(14 " + num(T + S / 2, 0) +
       ") rotate(-90)\" text-anchor=\"middle\">observed frequency</text>\n";
  std::string points;
  for (const json& b : test["metrics"]["reliability"]) {
    if (b["count"].get<std::size_t>() == 0) continue;
    const double x = L + b["mean_predicted"].get<double>() * S;
    const double y = T + S - b["observed_frequency"].get<double>() * S;
    points += num(x, 1) + "," + num(y, 1) + " ";
    s += "<circle cx=\"" + num(x, 1) + "\" cy=\"" + num(y, 1) +
         "\" r=\"4\" fill=\"#1f77b4\"><title>n=" + std::to_string(b["count"].get<std::size_t>()) +
         "</title></circle>\n";
  }
  s += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n</svg>\n";
  return s;
}

std::string confusion_svg(const json& test) {
  const json& c = test["metrics"]["confusion"];
  const double cells[2][2] = {{c["tp"].get<double>(), c["fn"].get<double>()},
                              {c["fp"].get<double>(), c["tn"].get<double>()}};
  const double total = cells[0][0] + cells[0][1] + cells[1][0] + cells[1][1];
  std::string s =
      std::string(kHeader) + "width=\"360\" height=\"300\" role=\"img\">\n<title>Confusion matrix</title>\n";
  s += "<text x=\"120\" y=\"18\" font-weight=\"bold\">Confusion matrix (accuracy " +
       num(test["metrics"]["accuracy"].get<double>(), 4) + ")</text>\n";
  const char* labels[2] = {"side 1 wins", "side 2 wins"};
  for (int r = 0; r < 2; ++r) {
    for (int col = 0; col < 2; ++col) {
      const double share = total > 0 ? cells[r][col] / total : 0;
      const int shade = 255 - static_cast<int>(std::lround(200 * share * 2 > 200 ? 200 : 200 * share * 2));
      const double x = 120 + col * 110, y = 50 + r * 110;
      s += "<rect x=\"" + num(x, 0) + "\" y=\"" + num(y, 0) + "\" width=\"110\" height=\"110\" fill=\"rgb(" +
           std::to_string(shade) + "," + std::to_string(shade) + ",255)\" stroke=\"#444\"/>\n";
      s += "<text x=\"" + num(x + 55, 0) + "\" y=\"" + num(y + 55, 0) + "\" text-anchor=\"middle\">" +
           std::to_string(static_cast<long long>(cells[r][col])) + "</text>\n";
      s += "<text x=\"" + num(x + 55, 0) + "\" y=\"" + num(y + 72, 0) + "\" text-anchor=\"middle\" font-size=\"10\">" +
           num(100 * share, 1) + " %</text>\n";
    }
    s += "<text x=\"114\" y=\"" + num(110 + r * 110, 0) + "\" text-anchor=\"end\">actual: " + labels[r] + "</text>\n";
    s += "<text x=\"" + num(175 + r * 110, 0) + "\" y=\"44\" text-anchor=\"middle\">predicted: " + labels[r] +
         "</text>\n";
  }
  return s + "</svg>\n";
}

std::string importance_svg(const json& importance) {
  const std::size_t n = std::min<std::size_t>(20, importance.size());
  const double row_h = 20, left = 230, width = 260;
  const double H = 40 + row_h * static_cast<double>(n) + 10;
  std::string s = std::string(kHeader) + "width=\"560\" height=\"" + num(H, 0) +
                  "\" role=\"img\">\n<title>Feature importance</title>\n";
  s += "<text x=\"10\" y=\"18\" font-weight=\"bold\">Feature importance (share of total gain, top " +
       std::to_string(n) + ")</text>\n";
  const double max_share = n ? importance[0]["share"].get<double>() : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const double share = importance[i]["share"].get<double>();
    const double y = 34 + row_h * static_cast<double>(i);
    const double w = max_share > 0 ? width * share / max_share : 0;
    s += "<text x=\"" + num(left - 6, 0) + "\" y=\"" + num(y + 13, 0) + "\" text-anchor=\"end\">" +
         escape(importance[i]["name"].get<std::string>()) + "</text>\n";
    s += "<rect x=\"" + num(left, 0) + "\" y=\"" + num(y + 2, 0) + "\" width=\"" + num(w, 1) + "\" height=\"" +
         num(row_h - 5, 0) + "\" fill=\"#ff7f0e\"/>\n";
    s += "<text x=\"" + num(left + w + 4, 1) + "\" y=\"" + num(y + 13, 0) + "\">" + num(100 * share, 1) + " %</text>\n";
  }
  return s + "</svg>\n";
}

}  // namespace

void write_evaluation_plots(const json& report, const fs::path& dir) {
  fs::create_directories(dir);
  write_text(dir / "reliability.svg", reliability_svg(report["test"]));
  write_text(dir / "confusion.svg", confusion_svg(report["test"]));
  write_text(dir / "importance.svg", importance_svg(report["feature_importance"]));
}

}  // namespace pdex::ml
