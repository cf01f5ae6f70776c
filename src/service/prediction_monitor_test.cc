// PredictionMonitor: the prediction metrics and online drift in /metrics and the drift route's body, a new
// window per model version, a model without a reference, and the PDEX_DRIFT_* settings.
#include "service/prediction_monitor.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>

namespace pdex::service {
namespace {

using nlohmann::json;

// Two features "a" and "b", both U(0,1) in the reference (1000-point grids, decile bins).
json uniform_reference() {
  std::vector<double> u(1000);
  for (std::size_t i = 0; i < u.size(); ++i) u[i] = (static_cast<double>(i) + 0.5) / 1000;
  const auto edges = ml::quantile_bin_edges(u, 10);
  json features = json::array();
  for (const char* n : {"a", "b"})
    features.push_back({{"name", n}, {"edges", edges}, {"fractions", ml::bin_fractions(edges, u)}});
  json sample = json::array();
  for (double x : u) sample.push_back({x, x});
  return {{"features", features},
          {"sample", sample},
          {"prediction", {{"edges", edges}, {"fractions", ml::bin_fractions(edges, u)}}}};
}

// A served model whose only job here is to carry a version and a reference (prediction is not exercised).
class ReferenceModel : public ServedModel {
 public:
  ReferenceModel(std::string version, std::optional<json> reference)
      : version_(std::move(version)), reference_(std::move(reference)) {}
  std::string version() const override { return version_; }
  json card() const override { return json::object(); }
  double predict_p1_win(const dex::Dex&, const battle::BattleConfig&) const override { return 0.5; }
  const json* drift_reference() const override { return reference_ ? &*reference_ : nullptr; }

 private:
  std::string version_;
  std::optional<json> reference_;
};

DriftSettings small_window() {
  DriftSettings s;
  s.window.capacity = 200;
  s.window.min_samples = 50;
  s.refresh = std::chrono::milliseconds(0);
  return s;
}

std::string line_of(const std::string& text, const std::string& prefix) {
  const auto at = text.find("\n" + prefix);
  if (at == std::string::npos) return "";
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

TEST(PredictionMonitor, CountsPredictionsAndReportsDriftInMetricsAndJson) {
  MetricsRegistry registry;
  ModelProvider models;
  PredictionMonitor monitor(registry, models, small_window());
  EXPECT_NE(registry.render().find("pdex_model_loaded 0"), std::string::npos);
  auto model = std::make_shared<ReferenceModel>("m-1", uniform_reference());
  models.set(model);

  // 40 rows: below min_samples.
  for (int i = 0; i < 40; ++i) {
    const float a = static_cast<float>((i + 0.5) / 80.0);  // lower half of U(0,1)
    const float b = static_cast<float>((i + 0.5) / 40.0);
    monitor.record_prediction(*model, std::vector<float>{a, b}, 0.8, 1);
  }
  json body = monitor.drift_json(models.current());
  EXPECT_EQ(body["status"], "insufficient_data");
  EXPECT_EQ(body["window"]["predictions"], 40);
  std::string text = registry.render();
  EXPECT_EQ(text.find("pdex_feature_drift_psi{"), std::string::npos);

  // 160 more in the same pattern: a is U(0, 0.5), b is U(0, 1).
  for (int i = 0; i < 160; ++i) {
    const float a = static_cast<float>((i % 80 + 0.5) / 160.0);
    const float b = static_cast<float>((i % 80 + 0.5) / 80.0);
    monitor.record_prediction(*model, std::vector<float>{a, b}, i % 2 ? 0.2 : 0.9, i % 2 ? 2 : 1);
  }
  body = monitor.drift_json(models.current());
  ASSERT_EQ(body["status"], "ok") << body.dump();
  EXPECT_EQ(body["model_version"], "m-1");
  EXPECT_EQ(body["count"], 200);
  EXPECT_EQ(body["features"][0]["name"], "a");
  EXPECT_EQ(body["features"][0]["psi_level"], "alert");
  EXPECT_TRUE(body["features"][0]["drifted"].get<bool>());
  EXPECT_FALSE(body["features"][1]["drifted"].get<bool>());
  EXPECT_TRUE(body["dataset_drift"].get<bool>());  // 1 of 2 is at least half

  text = registry.render();
  EXPECT_NE(text.find("pdex_predictions_total{model_version=\"m-1\",winner=\"1\"} 120"), std::string::npos) << text;
  EXPECT_NE(text.find("pdex_predictions_total{model_version=\"m-1\",winner=\"2\"} 80"), std::string::npos);
  EXPECT_NE(text.find("pdex_prediction_confidence_count 200"), std::string::npos);
  EXPECT_NE(text.find("pdex_model_loaded 1"), std::string::npos);
  EXPECT_NE(text.find("pdex_dataset_drift 1"), std::string::npos);
  EXPECT_NE(text.find("pdex_drift_window_predictions 200"), std::string::npos);
  const std::string psi_line = line_of(text, "pdex_feature_drift_psi{feature=\"a\"}");
  ASSERT_FALSE(psi_line.empty()) << text;
  EXPECT_NEAR(std::stod(psi_line.substr(psi_line.rfind(' ') + 1)), body["features"][0]["psi"].get<double>(), 1e-9);
  EXPECT_NE(text.find("pdex_feature_drift_ks_pvalue{feature=\"b\"}"), std::string::npos);
  EXPECT_NE(text.find("pdex_feature_drift_ks_pvalue_adjusted{feature=\"a\"}"), std::string::npos);
  EXPECT_NE(text.find("pdex_prediction_drift_psi "), std::string::npos);

  // A new model version starts a new window.
  auto next = std::make_shared<ReferenceModel>("m-2", uniform_reference());
  models.set(next);
  monitor.record_prediction(*model, std::vector<float>{0.1f, 0.1f}, 0.5, 1);  // the old model's late request
  monitor.record_prediction(*next, std::vector<float>{0.1f, 0.1f}, 0.5, 1);
  body = monitor.drift_json(models.current());
  EXPECT_EQ(body["model_version"], "m-2");
  EXPECT_EQ(body["status"], "insufficient_data");
  EXPECT_EQ(body["window"]["predictions"], 1);

  monitor.record_model_reload(true);
  monitor.record_model_reload(false);
  monitor.record_model_reload(false);
  text = registry.render();
  EXPECT_NE(text.find("pdex_model_reloads_total{result=\"failure\"} 2"), std::string::npos);
  EXPECT_NE(text.find("pdex_model_reloads_total{result=\"success\"} 1"), std::string::npos);
}

TEST(PredictionMonitor, ModelWithoutReferenceIsServedAndReported) {
  MetricsRegistry registry;
  ModelProvider models;
  PredictionMonitor monitor(registry, models, small_window());
  auto model = std::make_shared<ReferenceModel>("bare", std::nullopt);
  models.set(model);
  monitor.record_prediction(*model, std::vector<float>{0.1f, 0.2f}, 0.3, 2);
  const json body = monitor.drift_json(models.current());
  EXPECT_EQ(body["status"], "no_reference");
  EXPECT_NE(body["reason"].get<std::string>().find("no drift reference"), std::string::npos);
  auto broken = std::make_shared<ReferenceModel>("broken", json{{"features", json::array({{{"name", "a"}}})}});
  models.set(broken);
  const json b = monitor.drift_json(models.current());
  EXPECT_EQ(b["status"], "no_reference");
  EXPECT_NE(b["reason"].get<std::string>().find("reference.features[0].edges"), std::string::npos) << b.dump();
  EXPECT_NE(registry.render().find("pdex_predictions_total{model_version=\"bare\",winner=\"2\"} 1"), std::string::npos);
}

TEST(PredictionMonitor, SettingsFromEnvironment) {
  ::setenv("PDEX_DRIFT_WINDOW", "500", 1);
  ::setenv("PDEX_DRIFT_MAX_AGE_S", "60", 1);
  ::setenv("PDEX_DRIFT_CORRECTION", "bonferroni", 1);
  DriftSettings s = DriftSettings::from_environment();
  EXPECT_EQ(s.window.capacity, 500u);
  EXPECT_EQ(s.window.max_age.count(), 60);
  EXPECT_EQ(s.thresholds.correction, ml::MultipleTestingCorrection::kBonferroni);
  EXPECT_EQ(s.describe()["drift_correction"], "bonferroni");
  ::setenv("PDEX_DRIFT_WINDOW", "five", 1);
  try {
    DriftSettings::from_environment();
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("PDEX_DRIFT_WINDOW"), std::string::npos);
  }
  ::setenv("PDEX_DRIFT_WINDOW", "50", 1);
  EXPECT_THROW(DriftSettings::from_environment(), std::invalid_argument);  // min samples 100 > window
  ::setenv("PDEX_DRIFT_WINDOW", "500", 1);
  ::setenv("PDEX_DRIFT_CORRECTION", "holm", 1);
  EXPECT_THROW(DriftSettings::from_environment(), std::invalid_argument);
  ::setenv("PDEX_DRIFT_CORRECTION", "bh", 1);
  ::setenv("PDEX_DRIFT_PSI_ALERT", "0.05", 1);
  EXPECT_THROW(DriftSettings::from_environment(), std::invalid_argument);  // below the warning level
  for (const char* v : {"PDEX_DRIFT_WINDOW", "PDEX_DRIFT_MAX_AGE_S", "PDEX_DRIFT_CORRECTION", "PDEX_DRIFT_PSI_ALERT"})
    ::unsetenv(v);
}

}  // namespace
}  // namespace pdex::service
