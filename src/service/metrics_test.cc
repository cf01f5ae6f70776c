#include "service/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace pdex::service {
namespace {

TEST(Metrics, RendersPrometheusText) {
  MetricsRegistry reg;
  auto& requests = reg.counter("pdex_http_requests_total", "Requests.", {"route", "method", "status"});
  requests.inc({"/api/v1/pokemon/{id}", "GET", "200"});
  requests.inc({"/api/v1/pokemon/{id}", "GET", "200"}, 2);
  requests.inc({"unmatched", "GET", "404"});
  auto& duration = reg.histogram("pdex_http_request_duration_seconds", "Latency.", {"route"}, {0.001, 0.01, 0.1});
  duration.observe({"/health"}, 0.0005);
  duration.observe({"/health"}, 0.05);
  duration.observe({"/health"}, 3);
  reg.gauge("pdex_up", "Up.").set({}, 1);
  reg.gauge_callback("pdex_model_info", "Model.", {"version"}, [] {
    return std::vector<CallbackGaugeFamily::Sample>{{{"a\"b\\c\nd"}, 1}};
  });

  const std::string text = reg.render();
  EXPECT_EQ(text,
            "# HELP pdex_http_requests_total Requests.\n"
            "# TYPE pdex_http_requests_total counter\n"
            "pdex_http_requests_total{route=\"/api/v1/pokemon/{id}\",method=\"GET\",status=\"200\"} 3\n"
            "pdex_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"
            "# HELP pdex_http_request_duration_seconds Latency.\n"
            "# TYPE pdex_http_request_duration_seconds histogram\n"
            "pdex_http_request_duration_seconds_bucket{route=\"/health\",le=\"0.001\"} 1\n"
            "pdex_http_request_duration_seconds_bucket{route=\"/health\",le=\"0.01\"} 1\n"
            "pdex_http_request_duration_seconds_bucket{route=\"/health\",le=\"0.1\"} 2\n"
            "pdex_http_request_duration_seconds_bucket{route=\"/health\",le=\"+Inf\"} 3\n"
            "pdex_http_request_duration_seconds_sum{route=\"/health\"} 3.0505\n"
            "pdex_http_request_duration_seconds_count{route=\"/health\"} 3\n"
            "# HELP pdex_up Up.\n"
            "# TYPE pdex_up gauge\n"
            "pdex_up 1\n"
            "# HELP pdex_model_info Model.\n"
            "# TYPE pdex_model_info gauge\n"
            "pdex_model_info{version=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Metrics, RejectsMisuse) {
  MetricsRegistry reg;
  auto& c = reg.counter("x_total", "X.", {"a"});
  EXPECT_THROW(c.inc({}), std::invalid_argument);
  EXPECT_THROW(c.inc({"v"}, -1), std::invalid_argument);
  EXPECT_THROW(reg.counter("x_total", "again"), std::invalid_argument);
  EXPECT_THROW(reg.counter("bad name", "X."), std::invalid_argument);
  EXPECT_THROW(reg.histogram("h", "H.", {"le"}, {1}), std::invalid_argument);
  EXPECT_THROW(reg.histogram("h2", "H.", {}, {2, 1}), std::invalid_argument);
}

TEST(Metrics, ConcurrentUpdatesAreCounted) {
  MetricsRegistry reg;
  auto& c = reg.counter("c_total", "C.", {"k"});
  auto& h = reg.histogram("h_seconds", "H.", {"k"}, {0.5});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        c.inc({std::to_string(i % 3)});
        h.observe({std::to_string(t % 2)}, 0.25);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value({"0"}) + c.value({"1"}) + c.value({"2"}), 40000);
  EXPECT_EQ(h.count({"0"}) + h.count({"1"}), 40000u);
}

TEST(Metrics, ProcessMetricsFromProc) {
  MetricsRegistry reg;
  register_process_metrics(reg);
  const std::string text = reg.render();
  for (const char* name : {"process_resident_memory_bytes ", "process_open_fds ", "process_start_time_seconds ",
                           "process_cpu_seconds_total "}) {
    const auto pos = text.find(std::string("\n") + name);
    ASSERT_NE(pos, std::string::npos) << name;
    const double v = std::stod(text.substr(pos + 1 + std::string(name).size()));
    EXPECT_GE(v, 0) << name;
    if (std::string(name) != "process_cpu_seconds_total ") {
      EXPECT_GT(v, 0) << name;
    }
  }
  EXPECT_EQ(format_metric_value(0.0005), "0.0005");
  EXPECT_EQ(format_metric_value(1e20), "1e+20");
  EXPECT_EQ(format_metric_value(42), "42");
}

}  // namespace
}  // namespace pdex::service
