// `pdex runs list|show|compare`: the run history (store/run_repository.h) of dataset builds, trainings,
// evaluations, registrations, promotions and pipelines.
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/run_tracking.h"
#include "store/run_repository.h"

namespace pdex::cli {
namespace {

using nlohmann::json;

store::Run find_run(store::RunRepository& runs, std::int64_t id) {
  auto r = runs.find(id);
  if (!r) throw CommandError(kUsage, "no run " + std::to_string(id));
  return *r;
}

std::string duration_text(const store::Run& r) {
  if (!r.duration_s) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", *r.duration_s);
  return buf;
}

void run_list(const std::string& kind, std::size_t limit, bool json_output) {
  if (!kind.empty() && !store::is_known_run_kind(kind)) {
    throw CommandError(
        kUsage, "--kind: expected import, dataset, train, evaluate, register, promote or pipeline, got '" + kind + "'");
  }
  auto db = open_tracking_database();
  store::RunRepository runs(db->session());
  const auto list = runs.list(kind, limit);
  if (json_output) {
    json out = json::array();
    for (const auto& r : list) out.push_back(r.to_json());
    std::cout << json{{"runs", out}}.dump(2) << "\n";
    return;
  }
  std::printf("%-6s %-9s %-10s %-24s %-9s %-7s %s\n", "ID", "KIND", "STATUS", "STARTED", "DURATION", "PARENT",
              "OUTPUT");
  for (const auto& r : list) {
    std::string output;
    if (r.artifacts.is_array() && !r.artifacts.empty()) {
      output = r.artifacts[0].value("name", "") + " " + r.artifacts[0].value("sha256", "").substr(0, 16);
    } else if (r.error) {
      output = *r.error;
    }
    std::printf("%-6lld %-9s %-10s %-24s %-9s %-7s %s\n", static_cast<long long>(r.id), r.kind.c_str(),
                r.status.c_str(), r.started_at.c_str(), duration_text(r).c_str(),
                r.parent_id ? std::to_string(*r.parent_id).c_str() : "-", output.c_str());
  }
}

void run_show(std::int64_t id, bool json_output) {
  auto db = open_tracking_database();
  store::RunRepository runs(db->session());
  const store::Run r = find_run(runs, id);
  if (json_output) {
    json out = r.to_json();
    json steps = json::array();
    for (const auto& c : runs.children(id)) steps.push_back(c.to_json());
    out["steps"] = steps;
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::printf("run %lld (%s): %s\n", static_cast<long long>(r.id), r.kind.c_str(), r.status.c_str());
  std::printf("  started %s, ended %s, duration %s\n", r.started_at.c_str(), r.ended_at.value_or("-").c_str(),
              duration_text(r).c_str());
  std::printf("  by %s on %s (pid %lld), code %s\n", r.created_by.c_str(), r.host.c_str(),
              static_cast<long long>(r.pid), r.code_version.c_str());
  if (r.parent_id) std::printf("  pipeline run %lld\n", static_cast<long long>(*r.parent_id));
  if (!r.input_key.empty()) std::printf("  input key %s\n", r.input_key.c_str());
  if (r.error) std::printf("  error: %s\n", r.error->c_str());
  std::printf("  inputs  %s\n  params  %s\n  metrics %s\n", r.inputs.dump().c_str(), r.params.dump().c_str(),
              r.metrics.dump().c_str());
  for (const auto& a : r.artifacts) {
    std::printf("  artifact %s: %s (sha256 %s)\n", a.value("name", "").c_str(), a.value("path", "").c_str(),
                a.value("sha256", "").c_str());
  }
  for (const auto& c : runs.children(id)) {
    std::printf("  step %lld %-9s %-10s %s\n", static_cast<long long>(c.id), c.kind.c_str(), c.status.c_str(),
                duration_text(c).c_str());
  }
}

// Flattens nested objects into dotted keys so that differences are shown leaf by leaf.
void flatten(const json& j, const std::string& prefix, std::map<std::string, std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
  } else {
    out[prefix] = j.dump();
  }
}

void run_compare(std::int64_t a_id, std::int64_t b_id, bool json_output) {
  auto db = open_tracking_database();
  store::RunRepository runs(db->session());
  const store::Run a = find_run(runs, a_id), b = find_run(runs, b_id);
  json diff = json::array();
  for (const auto& [section, ja, jb] :
       {std::tuple{"params", a.params, b.params}, std::tuple{"inputs", a.inputs, b.inputs},
        std::tuple{"metrics", a.metrics, b.metrics}}) {
    std::map<std::string, std::string> fa, fb;
    flatten(ja, "", fa);
    flatten(jb, "", fb);
    std::set<std::string> keys;
    for (const auto& [k, v] : fa) keys.insert(k);
    for (const auto& [k, v] : fb) keys.insert(k);
    for (const auto& k : keys) {
      const std::string va = fa.count(k) ? fa[k] : "-", vb = fb.count(k) ? fb[k] : "-";
      if (va != vb) diff.push_back({{"section", section}, {"key", k}, {"a", va}, {"b", vb}});
    }
  }
  if (json_output) {
    std::cout << json{{"a", a.id}, {"b", b.id}, {"differences", diff}}.dump(2) << "\n";
    return;
  }
  std::printf("run %lld (%s, %s) vs run %lld (%s, %s): %zu difference(s)\n", static_cast<long long>(a.id),
              a.kind.c_str(), a.status.c_str(), static_cast<long long>(b.id), b.kind.c_str(), b.status.c_str(),
              diff.size());
  std::printf("%-8s %-40s %-24s %-24s\n", "SECTION", "KEY", "A", "B");
  for (const auto& d : diff) {
    auto cut = [](std::string s) { return s.size() > 24 ? s.substr(0, 21) + "..." : s; };
    std::printf("%-8s %-40s %-24s %-24s\n", d["section"].get<std::string>().c_str(),
                d["key"].get<std::string>().c_str(), cut(d["a"].get<std::string>()).c_str(),
                cut(d["b"].get<std::string>()).c_str());
  }
}

}  // namespace

void add_runs_commands(CLI::App& app) {
  CLI::App* runs = app.add_subcommand("runs", "History of dataset builds, trainings, evaluations and pipelines");
  runs->require_subcommand(1);

  auto kind = std::make_shared<std::string>();
  auto limit = std::make_shared<std::size_t>(50);
  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = runs->add_subcommand("list", "Runs, newest first");
  list->add_option("--kind", *kind, "import | dataset | train | evaluate | register | promote | pipeline");
  list->add_option("--limit", *limit, "At most this many (default 50, 0: all)");
  list->add_flag("--json", *list_json, "Print JSON");
  list->callback([kind, limit, list_json] { run_list(*kind, *limit, *list_json); });

  auto id = std::make_shared<std::int64_t>(0);
  auto show_json = std::make_shared<bool>(false);
  CLI::App* show = runs->add_subcommand("show", "One run: params, inputs, metrics, artifacts, steps");
  show->add_option("ID", *id, "Run id")->required()->check(CLI::PositiveNumber);
  show->add_flag("--json", *show_json, "Print JSON");
  show->callback([id, show_json] { run_show(*id, *show_json); });

  auto a = std::make_shared<std::int64_t>(0);
  auto b = std::make_shared<std::int64_t>(0);
  auto cmp_json = std::make_shared<bool>(false);
  CLI::App* compare = runs->add_subcommand("compare", "The params, inputs and metrics that differ between two runs");
  compare->add_option("A", *a, "Run id")->required()->check(CLI::PositiveNumber);
  compare->add_option("B", *b, "Run id")->required()->check(CLI::PositiveNumber);
  compare->add_flag("--json", *cmp_json, "Print JSON");
  compare->callback([a, b, cmp_json] { run_compare(*a, *b, *cmp_json); });
}

}  // namespace pdex::cli
