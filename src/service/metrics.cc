#include "service/metrics.h"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pdex::service {
namespace {

bool valid_name(const std::string& n) {
  if (n.empty()) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string escape_help(const std::string& h) {
  std::string out;
  for (char c : h) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void header(std::string& out, const std::string& name, const std::string& help, const char* type) {
  out += "# HELP " + name + " " + escape_help(help) + "\n# TYPE " + name + " " + type + "\n";
}

template <typename Cell, typename Make>
Cell& find_or_create(std::shared_mutex& mutex, std::map<LabelValues, std::unique_ptr<Cell>>& cells,
                     const LabelValues& values, Make make) {
  {
    std::shared_lock lock(mutex);
    const auto it = cells.find(values);
    if (it != cells.end()) return *it->second;
  }
  std::unique_lock lock(mutex);
  auto& slot = cells[values];
  if (!slot) slot = make();
  return *slot;
}

}  // namespace

std::string format_metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
  return std::string(buf, r.ptr);
}

std::string escape_label_value(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

MetricFamily::MetricFamily(std::string name, std::string help, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {
  if (!valid_name(name_)) throw std::invalid_argument("metric name '" + name_ + "' is not a valid Prometheus name");
  for (const auto& l : label_names_) {
    if (!valid_name(l) || l.find(':') != std::string::npos || l == "le") {
      throw std::invalid_argument("metric " + name_ + ": label name '" + l + "' is not valid");
    }
  }
}

void MetricFamily::check_arity(const LabelValues& values) const {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + ": expected " + std::to_string(label_names_.size()) +
                                " label values, got " + std::to_string(values.size()));
  }
}

std::string MetricFamily::label_text(const LabelValues& values, const std::string& extra) const {
  if (label_names_.empty() && extra.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < label_names_.size(); ++i) {
    if (i) out += ",";
    out += label_names_[i] + "=\"" + escape_label_value(values[i]) + "\"";
  }
  if (!extra.empty()) out += (label_names_.empty() ? "" : ",") + extra;
  return out + "}";
}

void CounterFamily::inc(const LabelValues& values, double delta) {
  check_arity(values);
  if (!(delta >= 0)) throw std::invalid_argument("counter " + name_ + ": negative increment");
  find_or_create(mutex_, cells_, values, [] {
    return std::make_unique<std::atomic<double>>(0);
  }).fetch_add(delta, std::memory_order_relaxed);
}

double CounterFamily::value(const LabelValues& values) const {
  std::shared_lock lock(mutex_);
  const auto it = cells_.find(values);
  return it == cells_.end() ? 0 : it->second->load();
}

void CounterFamily::render(std::string& out) const {
  header(out, name_, help_, "counter");
  std::shared_lock lock(mutex_);
  for (const auto& [values, cell] : cells_) {
    out += name_ + label_text(values) + " " + format_metric_value(cell->load()) + "\n";
  }
}

void GaugeFamily::set(const LabelValues& values, double v) {
  check_arity(values);
  find_or_create(mutex_, cells_, values, [] { return std::make_unique<std::atomic<double>>(0); }).store(v);
}

void GaugeFamily::add(const LabelValues& values, double delta) {
  check_arity(values);
  find_or_create(mutex_, cells_, values, [] { return std::make_unique<std::atomic<double>>(0); }).fetch_add(delta);
}

double GaugeFamily::value(const LabelValues& values) const {
  std::shared_lock lock(mutex_);
  const auto it = cells_.find(values);
  return it == cells_.end() ? 0 : it->second->load();
}

void GaugeFamily::render(std::string& out) const {
  header(out, name_, help_, "gauge");
  std::shared_lock lock(mutex_);
  for (const auto& [values, cell] : cells_) {
    out += name_ + label_text(values) + " " + format_metric_value(cell->load()) + "\n";
  }
}

HistogramFamily::HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                                 std::vector<double> bounds)
    : MetricFamily(std::move(name), std::move(help), std::move(label_names)), bounds_(std::move(bounds)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1])) {
      throw std::invalid_argument("histogram " + name_ + ": bounds must be finite and strictly increasing");
    }
  }
}

void HistogramFamily::observe(const LabelValues& values, double v) {
  check_arity(values);
  const std::size_t n = bounds_.size();
  Cell& cell = find_or_create(mutex_, cells_, values, [n] { return std::make_unique<Cell>(n); });
  std::size_t i = 0;
  while (i < n && v > bounds_[i]) ++i;
  if (i < n) cell.buckets[i].fetch_add(1, std::memory_order_relaxed);
  cell.sum.fetch_add(v, std::memory_order_relaxed);
  cell.count.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t HistogramFamily::count(const LabelValues& values) const {
  std::shared_lock lock(mutex_);
  const auto it = cells_.find(values);
  return it == cells_.end() ? 0 : it->second->count.load();
}

void HistogramFamily::render(std::string& out) const {
  header(out, name_, help_, "histogram");
  std::shared_lock lock(mutex_);
  for (const auto& [values, cell] : cells_) {
    // Read count first: concurrent observations may make the buckets a little ahead of it, never behind
    // in a way that breaks monotonicity, since +Inf is rendered from the same count.
    const std::uint64_t count = cell->count.load();
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += cell->buckets[i].load(std::memory_order_relaxed);
      if (cumulative > count) cumulative = count;
      out += name_ + "_bucket" + label_text(values, "le=\"" + format_metric_value(bounds_[i]) + "\"") + " " +
             std::to_string(cumulative) + "\n";
    }
    out += name_ + "_bucket" + label_text(values, "le=\"+Inf\"") + " " + std::to_string(count) + "\n";
    out += name_ + "_sum" + label_text(values) + " " + format_metric_value(cell->sum.load()) + "\n";
    out += name_ + "_count" + label_text(values) + " " + std::to_string(count) + "\n";
  }
}

CallbackGaugeFamily::CallbackGaugeFamily(std::string name, std::string help, std::vector<std::string> label_names,
                                         std::function<std::vector<Sample>()> collect, std::string type)
    : MetricFamily(std::move(name), std::move(help), std::move(label_names)),
      collect_(std::move(collect)),
      type_(std::move(type)) {}

void CallbackGaugeFamily::render(std::string& out) const {
  std::vector<Sample> samples = collect_();
  header(out, name_, help_, type_.c_str());
  for (const auto& [values, v] : samples) {
    check_arity(values);
    out += name_ + label_text(values) + " " + format_metric_value(v) + "\n";
  }
}

template <typename F>
F& MetricsRegistry::add(std::unique_ptr<F> family) {
  std::lock_guard lock(mutex_);
  for (const auto& f : families_) {
    if (f->name() == family->name()) throw std::invalid_argument("metric " + family->name() + " registered twice");
  }
  F& ref = *family;
  families_.push_back(std::move(family));
  return ref;
}

CounterFamily& MetricsRegistry::counter(std::string name, std::string help, std::vector<std::string> label_names) {
  return add(std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(label_names)));
}

GaugeFamily& MetricsRegistry::gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  return add(std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(label_names)));
}

HistogramFamily& MetricsRegistry::histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                            std::vector<double> bounds) {
  return add(
      std::make_unique<HistogramFamily>(std::move(name), std::move(help), std::move(label_names), std::move(bounds)));
}

CallbackGaugeFamily& MetricsRegistry::gauge_callback(
    std::string name, std::string help, std::vector<std::string> label_names,
    std::function<std::vector<CallbackGaugeFamily::Sample>()> collect) {
  return add(std::make_unique<CallbackGaugeFamily>(std::move(name), std::move(help), std::move(label_names),
                                                   std::move(collect)));
}

CallbackGaugeFamily& MetricsRegistry::counter_callback(
    std::string name, std::string help, std::vector<std::string> label_names,
    std::function<std::vector<CallbackGaugeFamily::Sample>()> collect) {
  return add(std::make_unique<CallbackGaugeFamily>(std::move(name), std::move(help), std::move(label_names),
                                                   std::move(collect), "counter"));
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& f : families_) f->render(out);
  return out;
}

namespace {

// Fields of /proc/self/stat after the command name (which may contain spaces): index 0 = state (field 3).
std::vector<std::string> proc_stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  const std::size_t close = line.rfind(')');
  std::vector<std::string> out;
  if (close == std::string::npos) return out;
  std::istringstream rest(line.substr(close + 2));
  std::string f;
  while (rest >> f) out.push_back(f);
  return out;
}

double boot_time_seconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double v = 0;
      in >> v;
      return v;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

}  // namespace

void register_process_metrics(MetricsRegistry& registry) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  registry.gauge_callback("process_resident_memory_bytes", "Resident memory size in bytes.", {}, [page] {
    std::ifstream in("/proc/self/statm");
    double size = 0, resident = 0;
    in >> size >> resident;
    return std::vector<CallbackGaugeFamily::Sample>{{{}, resident * page}};
  });
  registry.gauge_callback("process_virtual_memory_bytes", "Virtual memory size in bytes.", {}, [page] {
    std::ifstream in("/proc/self/statm");
    double size = 0;
    in >> size;
    return std::vector<CallbackGaugeFamily::Sample>{{{}, size * page}};
  });
  registry.gauge_callback("process_open_fds", "Number of open file descriptors.", {}, [] {
    std::error_code ec;
    double n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      ++n;
    }
    return std::vector<CallbackGaugeFamily::Sample>{{{}, n}};
  });
  // Fixed for the life of the process: computed once.
  const auto fields = proc_stat_fields();
  const double start = fields.size() > 19 ? boot_time_seconds() + std::stod(fields[19]) / ticks : 0;
  registry.gauge_callback("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", {},
                          [start] {
                            return std::vector<CallbackGaugeFamily::Sample>{{{}, start}};
                          });
  registry.counter_callback("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", {},
                            [ticks] {
                              const auto f = proc_stat_fields();
                              const double cpu = f.size() > 12 ? (std::stod(f[11]) + std::stod(f[12])) / ticks : 0;
                              return std::vector<CallbackGaugeFamily::Sample>{{{}, cpu}};
                            });
}

}  // namespace pdex::service
