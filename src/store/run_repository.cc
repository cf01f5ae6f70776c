#include "store/run_repository.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>

#include "store/api_key_repository.h"
#include "store/database.h"
#include "store/row_values.h"
#include "store/transaction.h"

namespace pdex::store {
namespace {

using nlohmann::json;

constexpr const char* kRunColumns =
    "id, kind, status, parent_id, input_key, params, inputs, metrics, artifacts, code_version, started_at, "
    "ended_at, duration_s, error, created_by, host, pid";

Run read_run(const soci::row& row) {
  Run r;
  r.id = row_int64(row, 0);
  r.kind = row.get<std::string>(1);
  r.status = row.get<std::string>(2);
  if (row.get_indicator(3) == soci::i_ok) r.parent_id = row_int64(row, 3);
  if (row.get_indicator(4) == soci::i_ok) r.input_key = row.get<std::string>(4);
  r.params = parse_json_column(row.get<std::string>(5));
  r.inputs = parse_json_column(row.get<std::string>(6));
  r.metrics = parse_json_column(row.get<std::string>(7));
  r.artifacts = parse_json_column(row.get<std::string>(8));
  r.code_version = row.get<std::string>(9);
  r.started_at = row.get<std::string>(10);
  if (row.get_indicator(11) == soci::i_ok) r.ended_at = row.get<std::string>(11);
  if (row.get_indicator(12) == soci::i_ok) r.duration_s = row_double(row, 12);
  if (row.get_indicator(13) == soci::i_ok) r.error = row.get<std::string>(13);
  r.created_by = row.get<std::string>(14);
  r.host = row.get<std::string>(15);
  r.pid = row_int64(row, 16);
  return r;
}

DatabaseError db_error(const std::string& what, const std::exception& e) {
  return DatabaseError(what + ": " + one_line(e.what()));
}

// Seconds since the epoch of "2024-05-01T12:34:56.789Z" (utc_now_iso8601_ms); nullopt if malformed.
std::optional<double> epoch_seconds(const std::string& iso) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &ms) != 7) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm)) + ms / 1000.0;
}

double now_epoch_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

bool is_known_run_kind(const std::string& kind) {
  for (const char* k : {"import", "dataset", "train", "evaluate", "register", "promote", "pipeline"}) {
    if (kind == k) return true;
  }
  return false;
}

std::string current_os_user() {
  for (const char* var : {"USER", "LOGNAME"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return v;
  }
  if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_name != nullptr) return pw->pw_name;
  return "uid:" + std::to_string(getuid());
}

std::string current_host() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

json Run::to_json() const {
  return {{"id", id},
          {"kind", kind},
          {"status", status},
          {"parent_id", parent_id ? json(*parent_id) : json(nullptr)},
          {"input_key", input_key.empty() ? json(nullptr) : json(input_key)},
          {"params", params},
          {"inputs", inputs},
          {"metrics", metrics},
          {"artifacts", artifacts},
          {"code_version", code_version},
          {"started_at", started_at},
          {"ended_at", ended_at ? json(*ended_at) : json(nullptr)},
          {"duration_s", duration_s ? json(*duration_s) : json(nullptr)},
          {"error", error ? json(*error) : json(nullptr)},
          {"created_by", created_by},
          {"host", host},
          {"pid", pid}};
}

std::int64_t RunRepository::start(const NewRun& run) {
  if (!is_known_run_kind(run.kind)) throw std::invalid_argument("run kind: unknown '" + run.kind + "'");
  try {
    WriteTransaction tx(sql_, "runs");
    long long last = 0;
    soci::indicator ind = soci::i_null;
    sql_ << "SELECT MAX(id) FROM runs", soci::into(last, ind);
    const long long id = (ind == soci::i_ok ? last : 0) + 1;
    const long long parent = run.parent_id.value_or(0);
    soci::indicator parent_ind = run.parent_id ? soci::i_ok : soci::i_null;
    soci::indicator key_ind = run.input_key.empty() ? soci::i_null : soci::i_ok;
    const std::string params = run.params.dump(), inputs = run.inputs.dump(), empty_object = "{}", empty_list = "[]";
    const std::string now = utc_now_iso8601_ms(), host = current_host();
    const std::string by = run.created_by.empty() ? current_os_user() : run.created_by;
    const long long pid = ::getpid();
    sql_ << "INSERT INTO runs (id, kind, status, parent_id, input_key, params, inputs, metrics, artifacts, "
            "code_version, started_at, created_by, host, pid) VALUES (:id, :k, 'running', :p, :ik, :pa, :in, :me, "
            ":ar, :cv, :st, :by, :h, :pid)",
        soci::use(id), soci::use(run.kind), soci::use(parent, parent_ind), soci::use(run.input_key, key_ind),
        soci::use(params), soci::use(inputs), soci::use(empty_object), soci::use(empty_list),
        soci::use(run.code_version), soci::use(now), soci::use(by), soci::use(host), soci::use(pid);
    tx.commit();
    return id;
  } catch (const soci::soci_error& e) {
    throw db_error("cannot record a " + run.kind + " run", e);
  }
}

void RunRepository::end(std::int64_t id, const std::string& status, const json& metrics, const json& artifacts,
                        const std::optional<std::string>& error) {
  try {
    WriteTransaction tx(sql_, "runs");
    const auto run = find(id);
    if (!run) throw DatabaseError("no run " + std::to_string(id));
    if (run->status != "running") {
      throw DatabaseError("run " + std::to_string(id) + " already ended (" + run->status + ")");
    }
    const std::string ended = utc_now_iso8601_ms();
    const double duration = std::max(0.0, now_epoch_seconds() - epoch_seconds(run->started_at).value_or(0));
    const std::string m = metrics.dump(), a = artifacts.dump(), err = error.value_or("");
    soci::indicator err_ind = error ? soci::i_ok : soci::i_null;
    const long long run_id = id;
    sql_ << "UPDATE runs SET status = :s, metrics = :m, artifacts = :a, ended_at = :e, duration_s = :d, error = :err "
            "WHERE id = :id",
        soci::use(status), soci::use(m), soci::use(a), soci::use(ended), soci::use(duration), soci::use(err, err_ind),
        soci::use(run_id);
    tx.commit();
  } catch (const soci::soci_error& e) {
    throw db_error("cannot end run " + std::to_string(id), e);
  }
}

void RunRepository::succeed(std::int64_t id, const json& metrics, const json& artifacts) {
  end(id, "succeeded", metrics, artifacts, std::nullopt);
}

void RunRepository::fail(std::int64_t id, const std::string& error) {
  end(id, "failed", json::object(), json::array(), error);
}

void RunRepository::merge_params(std::int64_t id, const json& params) {
  try {
    WriteTransaction tx(sql_, "runs");
    const auto run = find(id);
    if (!run) throw DatabaseError("no run " + std::to_string(id));
    json merged = run->params.is_object() ? run->params : json::object();
    merged.update(params);
    const std::string text = merged.dump();
    const long long run_id = id;
    sql_ << "UPDATE runs SET params = :p WHERE id = :id", soci::use(text), soci::use(run_id);
    tx.commit();
  } catch (const soci::soci_error& e) {
    throw db_error("cannot update run " + std::to_string(id), e);
  }
}

std::optional<Run> RunRepository::find(std::int64_t id) {
  try {
    const long long run_id = id;
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = :id", soci::use(run_id));
    for (const auto& row : rows) return read_run(row);
  } catch (const soci::soci_error& e) {
    throw db_error("cannot read run " + std::to_string(id), e);
  }
  return std::nullopt;
}

std::vector<Run> RunRepository::list(const std::string& kind, std::size_t limit) {
  std::vector<Run> out;
  try {
    std::string query = std::string("SELECT ") + kRunColumns + " FROM runs";
    if (!kind.empty()) query += " WHERE kind = :k";
    query += " ORDER BY id DESC";
    if (limit > 0) query += " LIMIT " + std::to_string(limit);
    if (kind.empty()) {
      soci::rowset<soci::row> rows = (sql_.prepare << query);
      for (const auto& row : rows) out.push_back(read_run(row));
    } else {
      soci::rowset<soci::row> rows = (sql_.prepare << query, soci::use(kind));
      for (const auto& row : rows) out.push_back(read_run(row));
    }
  } catch (const soci::soci_error& e) {
    throw db_error("cannot list runs", e);
  }
  return out;
}

std::vector<Run> RunRepository::children(std::int64_t parent_id) {
  std::vector<Run> out;
  try {
    const long long parent = parent_id;
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string("SELECT ") + kRunColumns + " FROM runs WHERE parent_id = :p ORDER BY id",
         soci::use(parent));
    for (const auto& row : rows) out.push_back(read_run(row));
  } catch (const soci::soci_error& e) {
    throw db_error("cannot list the steps of run " + std::to_string(parent_id), e);
  }
  return out;
}

std::optional<Run> RunRepository::latest_succeeded(const std::string& kind, const std::string& input_key) {
  try {
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string("SELECT ") + kRunColumns +
                             " FROM runs WHERE kind = :k AND input_key = :ik AND status = 'succeeded' "
                             "ORDER BY id DESC LIMIT 1",
         soci::use(kind), soci::use(input_key));
    for (const auto& row : rows) return read_run(row);
  } catch (const soci::soci_error& e) {
    throw db_error("cannot look up " + kind + " runs", e);
  }
  return std::nullopt;
}

int RunRepository::mark_abandoned() {
  const std::string host = current_host();
  std::vector<Run> dead;
  try {
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string("SELECT ") + kRunColumns + " FROM runs WHERE status = 'running' AND host = :h",
         soci::use(host));
    for (const auto& row : rows) {
      Run r = read_run(row);
      const bool gone = r.pid != ::getpid() && ::kill(static_cast<pid_t>(r.pid), 0) != 0 && errno == ESRCH;
      if (gone) dead.push_back(std::move(r));
    }
  } catch (const soci::soci_error& e) {
    throw db_error("cannot look for abandoned runs", e);
  }
  int marked = 0;
  for (const Run& r : dead) {
    try {
      fail(r.id, "abandoned: process " + std::to_string(r.pid) + " is gone");
      ++marked;
    } catch (const DatabaseError&) {
      // Another process marked it first.
    }
  }
  return marked;
}

}  // namespace pdex::store
