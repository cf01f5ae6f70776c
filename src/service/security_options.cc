#include "service/security_options.h"

#include <cstdlib>
#include <stdexcept>

namespace pdex::service {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

bool env_bool(const char* name, bool fallback, const char* yes, const char* no) {
  const std::string v = env(name);
  if (v.empty()) return fallback;
  if (v == yes) return true;
  if (v == no) return false;
  throw std::invalid_argument(std::string(name) + ": must be " + yes + " or " + no + ", got '" + v + "'");
}

double env_number(const char* name, double fallback, double lo, double hi) {
  const std::string v = env(name);
  if (v.empty()) return fallback;
  double value = 0;
  std::size_t used = 0;
  bool ok = v.size() <= 20 && v.find_first_not_of("0123456789.") == std::string::npos;
  if (ok) {
    try {
      value = std::stod(v, &used);
    } catch (const std::exception&) {
      ok = false;
    }
  }
  if (!ok || used != v.size() || value < lo || value > hi) {
    throw std::invalid_argument(std::string(name) + ": must be a number " + std::to_string(static_cast<long long>(lo)) +
                                ".." + std::to_string(static_cast<long long>(hi)) + ", got '" + v + "'");
  }
  return value;
}

long long env_integer(const char* name, long long fallback, long long lo, long long hi) {
  const std::string v = env(name);
  if (v.empty()) return fallback;
  if (v.find_first_not_of("0123456789") != std::string::npos || v.size() > 12) {
    throw std::invalid_argument(std::string(name) + ": must be an integer " + std::to_string(lo) + ".." +
                                std::to_string(hi) + ", got '" + v + "'");
  }
  const long long value = std::stoll(v);
  if (value < lo || value > hi) {
    throw std::invalid_argument(std::string(name) + ": must be an integer " + std::to_string(lo) + ".." +
                                std::to_string(hi) + ", got '" + v + "'");
  }
  return value;
}

std::string number_text(double v) {
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

SecurityOptions SecurityOptions::from_environment() {
  SecurityOptions o;
  o.auth_enabled = env_bool("PDEX_AUTH", o.auth_enabled, "on", "off");
  o.key_cache_ttl = std::chrono::milliseconds(env_integer("PDEX_KEY_CACHE_TTL_MS", 2000, 0, 60000));
  o.session_ttl = std::chrono::seconds(env_integer("PDEX_SESSION_TTL_S", 8 * 3600, 60, 604800));
  o.session_secret = env("PDEX_SESSION_SECRET");
  if (!o.session_secret.empty() && o.session_secret.size() < 32) {
    throw std::invalid_argument("PDEX_SESSION_SECRET: must be at least 32 bytes, got " +
                                std::to_string(o.session_secret.size()));
  }
  o.session_cookie_secure = env_bool("PDEX_SESSION_COOKIE_SECURE", false, "true", "false");
  o.web_sessions = env_bool("PDEX_WEB_SESSIONS", true, "on", "off");
  const std::string metrics = env("PDEX_METRICS_ACCESS");
  if (metrics.empty() || metrics == "public") {
    o.metrics_access = MetricsAccess::Public;
  } else if (metrics == "loopback") {
    o.metrics_access = MetricsAccess::Loopback;
  } else if (metrics == "admin") {
    o.metrics_access = MetricsAccess::Admin;
  } else {
    throw std::invalid_argument("PDEX_METRICS_ACCESS: must be public, loopback or admin, got '" + metrics + "'");
  }
  o.rate_limit_rps = env_number("PDEX_RATE_LIMIT_RPS", o.rate_limit_rps, 0, 1e6);
  o.rate_limit_burst = env_number("PDEX_RATE_LIMIT_BURST", o.rate_limit_burst, 1, 1e7);
  o.anon_rate_limit_rps = env_number("PDEX_RATE_LIMIT_ANON_RPS", o.anon_rate_limit_rps, 0, 1e6);
  o.anon_rate_limit_burst = env_number("PDEX_RATE_LIMIT_ANON_BURST", o.anon_rate_limit_burst, 1, 1e7);
  o.prediction_log = env_bool("PDEX_PREDICTION_LOG", true, "on", "off");
  o.prediction_log_queue = static_cast<std::size_t>(env_integer("PDEX_PREDICTION_LOG_QUEUE", 100'000, 1, 10'000'000));
  o.prediction_log_batch = static_cast<std::size_t>(env_integer("PDEX_PREDICTION_LOG_BATCH", 64, 1, 100'000));
  return o;
}

std::map<std::string, std::string> SecurityOptions::describe() const {
  const char* metrics = metrics_access == MetricsAccess::Public     ? "public"
                        : metrics_access == MetricsAccess::Loopback ? "loopback"
                                                                    : "admin";
  return {{"PDEX_AUTH", auth_enabled ? "on" : "off"},
          {"PDEX_KEY_CACHE_TTL_MS", std::to_string(key_cache_ttl.count())},
          {"PDEX_SESSION_TTL_S", std::to_string(session_ttl.count())},
          {"PDEX_SESSION_SECRET", session_secret.empty() ? "(random per process)" : "***"},
          {"PDEX_SESSION_COOKIE_SECURE", session_cookie_secure ? "true" : "false"},
          {"PDEX_WEB_SESSIONS", web_sessions ? "on" : "off"},
          {"PDEX_METRICS_ACCESS", metrics},
          {"PDEX_RATE_LIMIT_RPS", number_text(rate_limit_rps)},
          {"PDEX_RATE_LIMIT_BURST", number_text(rate_limit_burst)},
          {"PDEX_RATE_LIMIT_ANON_RPS", number_text(anon_rate_limit_rps)},
          {"PDEX_RATE_LIMIT_ANON_BURST", number_text(anon_rate_limit_burst)},
          {"PDEX_PREDICTION_LOG", prediction_log ? "on" : "off"},
          {"PDEX_PREDICTION_LOG_QUEUE", std::to_string(prediction_log_queue)},
          {"PDEX_PREDICTION_LOG_BATCH", std::to_string(prediction_log_batch)}};
}

}  // namespace pdex::service
