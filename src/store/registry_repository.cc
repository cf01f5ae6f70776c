#include "store/registry_repository.h"

#include <stdexcept>

#include "store/api_key_repository.h"
#include "store/database.h"
#include "store/row_values.h"
#include "store/transaction.h"

namespace pdex::store {
namespace {

using nlohmann::json;

constexpr const char* kVersionColumns =
    "model_name, version, stage, artifact_sha256, artifact_path, bundle_version, model_sha256, feature_spec_hash, "
    "dataset_sha256, metrics, params, lineage, seed, code_version, run_id, created_at, created_by";

ModelVersion read_version_row(const soci::row& row) {
  ModelVersion v;
  v.model_name = row.get<std::string>(0);
  v.version = static_cast<int>(row_int64(row, 1));
  v.stage = row.get<std::string>(2);
  v.artifact_sha256 = row.get<std::string>(3);
  v.artifact_path = row.get<std::string>(4);
  v.bundle_version = row.get<std::string>(5);
  v.model_sha256 = row.get<std::string>(6);
  v.feature_spec_hash = row.get<std::string>(7);
  v.dataset_sha256 = row.get<std::string>(8);
  v.metrics = parse_json_column(row.get<std::string>(9));
  v.params = parse_json_column(row.get<std::string>(10));
  v.lineage = parse_json_column(row.get<std::string>(11));
  if (row.get_indicator(12) == soci::i_ok) v.seed = row_int64(row, 12);
  v.code_version = row.get<std::string>(13);
  if (row.get_indicator(14) == soci::i_ok) v.run_id = row_int64(row, 14);
  v.created_at = row.get<std::string>(15);
  v.created_by = row.get<std::string>(16);
  return v;
}

DatabaseError db_error(const std::string& what, const std::exception& e) {
  return DatabaseError(what + ": " + one_line(e.what()));
}

std::string label(const std::string& name, int version) {
  return name + " version " + std::to_string(version);
}

}  // namespace

bool is_known_stage(const std::string& stage) {
  return stage == "none" || stage == "candidate" || stage == "production" || stage == "archived";
}

void validate_model_name(const std::string& name) {
  if (name.empty() || name.size() > 100) throw std::invalid_argument("model name: expected 1..100 characters");
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) throw std::invalid_argument("model name '" + name + "': only letters, digits, '_', '-' and '.'");
  }
}

json ModelVersion::to_json() const {
  return {{"model", model_name},
          {"version", version},
          {"stage", stage},
          {"artifact_sha256", artifact_sha256},
          {"artifact_path", artifact_path},
          {"bundle_version", bundle_version},
          {"model_sha256", model_sha256},
          {"feature_spec_hash", feature_spec_hash},
          {"dataset_sha256", dataset_sha256},
          {"metrics", metrics},
          {"params", params},
          {"lineage", lineage},
          {"seed", seed ? json(*seed) : json(nullptr)},
          {"code_version", code_version},
          {"run_id", run_id ? json(*run_id) : json(nullptr)},
          {"created_at", created_at},
          {"created_by", created_by}};
}

json RegisteredModel::to_json(json versions) const {
  return {{"name", name},
          {"description", description},
          {"created_at", created_at},
          {"created_by", created_by},
          {"latest_version", latest_version},
          {"aliases",
           {{"production", production ? json(*production) : json(nullptr)},
            {"candidate", candidate ? json(*candidate) : json(nullptr)}}},
          {"versions", std::move(versions)}};
}

json Transition::to_json() const {
  return {{"id", id},
          {"model", model_name},
          {"version", version},
          {"action", action},
          {"from_stage", from_stage},
          {"to_stage", to_stage},
          {"replaced_version", replaced_version ? json(*replaced_version) : json(nullptr)},
          {"actor", actor},
          {"reason", reason},
          {"details", details},
          {"at", at}};
}

RegistryRepository::Registered RegistryRepository::register_version(const NewModelVersion& v) {
  validate_model_name(v.model_name);
  if (v.stage != "none" && v.stage != "candidate") {
    throw std::invalid_argument("stage: a new version is 'none' or 'candidate', got '" + v.stage + "'");
  }
  if (v.artifact_sha256.size() != 64) throw std::invalid_argument("artifact_sha256: expected 64 hex digits");
  if (v.artifact_path.empty()) throw std::invalid_argument("artifact_path: empty");
  if (v.created_by.empty()) throw std::invalid_argument("created_by: empty");
  try {
    WriteTransaction tx(sql_, "model_versions");
    int models = 0;
    sql_ << "SELECT COUNT(*) FROM registered_models WHERE name = :n", soci::use(v.model_name), soci::into(models);
    const std::string now = utc_now_iso8601_ms();
    if (models == 0) {
      const std::string description = "PredictionDex model " + v.model_name;
      sql_ << "INSERT INTO registered_models (name, description, created_at, created_by) VALUES (:n, :d, :a, :b)",
          soci::use(v.model_name), soci::use(description), soci::use(now), soci::use(v.created_by);
    }
    {
      soci::rowset<soci::row> rows =
          (sql_.prepare << std::string("SELECT ") + kVersionColumns +
                               " FROM model_versions WHERE model_name = :n AND artifact_sha256 = :h",
           soci::use(v.model_name), soci::use(v.artifact_sha256));
      for (const auto& row : rows) return Registered{read_version_row(row), false};
    }
    int latest = 0;
    soci::indicator ind = soci::i_null;
    sql_ << "SELECT MAX(version) FROM model_versions WHERE model_name = :n", soci::use(v.model_name),
        soci::into(latest, ind);
    const int version = (ind == soci::i_ok ? latest : 0) + 1;
    const std::string metrics = v.metrics.dump(), params = v.params.dump(), lineage = v.lineage.dump();
    const long long seed = v.seed.value_or(0), run_id = v.run_id.value_or(0);
    soci::indicator seed_ind = v.seed ? soci::i_ok : soci::i_null;
    soci::indicator run_ind = v.run_id ? soci::i_ok : soci::i_null;
    sql_ << std::string("INSERT INTO model_versions (") + kVersionColumns +
                ") VALUES (:m, :v, :s, :ah, :ap, :bv, :ms, :fh, :dh, :me, :pa, :li, :se, :cv, :ri, :ca, :cb)",
        soci::use(v.model_name), soci::use(version), soci::use(v.stage), soci::use(v.artifact_sha256),
        soci::use(v.artifact_path), soci::use(v.bundle_version), soci::use(v.model_sha256),
        soci::use(v.feature_spec_hash), soci::use(v.dataset_sha256), soci::use(metrics), soci::use(params),
        soci::use(lineage), soci::use(seed, seed_ind), soci::use(v.code_version), soci::use(run_id, run_ind),
        soci::use(now), soci::use(v.created_by);
    record(v.model_name, version, "register", "none", v.stage, std::nullopt, v.created_by, v.reason,
           json{{"artifact_sha256", v.artifact_sha256}});
    tx.commit();
    auto stored = find_version(v.model_name, version);
    if (!stored) throw DatabaseError("registered " + label(v.model_name, version) + " but cannot read it back");
    return Registered{*stored, true};
  } catch (const soci::soci_error& e) {
    throw db_error("cannot register a version of model " + v.model_name, e);
  }
}

std::vector<RegisteredModel> RegistryRepository::list_models() {
  std::vector<RegisteredModel> out;
  try {
    std::vector<std::string> names;
    {
      soci::rowset<soci::row> rows = (sql_.prepare << "SELECT name FROM registered_models ORDER BY name");
      for (const auto& row : rows) names.push_back(row.get<std::string>(0));
    }
    for (const auto& n : names) {
      if (auto m = find_model(n)) out.push_back(*m);
    }
  } catch (const soci::soci_error& e) {
    throw db_error("cannot list models", e);
  }
  return out;
}

std::optional<RegisteredModel> RegistryRepository::find_model(const std::string& name) {
  try {
    RegisteredModel m;
    bool found = false;
    {
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT name, description, created_at, created_by FROM registered_models WHERE name = :n",
           soci::use(name));
      for (const auto& row : rows) {
        m.name = row.get<std::string>(0);
        m.description = row.get<std::string>(1);
        m.created_at = row.get<std::string>(2);
        m.created_by = row.get<std::string>(3);
        found = true;
      }
    }
    if (!found) return std::nullopt;
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT version, stage FROM model_versions WHERE model_name = :n ORDER BY version",
         soci::use(name));
    for (const auto& row : rows) {
      const int version = static_cast<int>(row_int64(row, 0));
      const std::string stage = row.get<std::string>(1);
      m.latest_version = version;
      ++m.version_count;
      if (stage == "production") m.production = version;
      if (stage == "candidate") m.candidate = version;
    }
    return m;
  } catch (const soci::soci_error& e) {
    throw db_error("cannot read model " + name, e);
  }
}

std::vector<ModelVersion> RegistryRepository::versions(const std::string& name) {
  std::vector<ModelVersion> out;
  try {
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string("SELECT ") + kVersionColumns +
                             " FROM model_versions WHERE model_name = :n ORDER BY version DESC",
         soci::use(name));
    for (const auto& row : rows) out.push_back(read_version_row(row));
  } catch (const soci::soci_error& e) {
    throw db_error("cannot list versions of model " + name, e);
  }
  return out;
}

std::optional<ModelVersion> RegistryRepository::find_version(const std::string& name, int version) {
  try {
    soci::rowset<soci::row> rows = (sql_.prepare << std::string("SELECT ") + kVersionColumns +
                                                        " FROM model_versions WHERE model_name = :n AND version = :v",
                                    soci::use(name), soci::use(version));
    for (const auto& row : rows) return read_version_row(row);
  } catch (const soci::soci_error& e) {
    throw db_error("cannot read " + label(name, version), e);
  }
  return std::nullopt;
}

std::optional<ModelVersion> RegistryRepository::production(const std::string& name) {
  try {
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string("SELECT ") + kVersionColumns +
                             " FROM model_versions WHERE model_name = :n AND stage = 'production'",
         soci::use(name));
    for (const auto& row : rows) return read_version_row(row);
  } catch (const soci::soci_error& e) {
    throw db_error("cannot read the production version of model " + name, e);
  }
  return std::nullopt;
}

std::vector<Transition> RegistryRepository::history(const std::string& name) {
  std::vector<Transition> out;
  try {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, model_name, version, action, from_stage, to_stage, replaced_version, actor, "
                         "reason, details, at FROM model_transitions WHERE model_name = :n ORDER BY id",
         soci::use(name));
    for (const auto& row : rows) {
      Transition t;
      t.id = row_int64(row, 0);
      t.model_name = row.get<std::string>(1);
      t.version = static_cast<int>(row_int64(row, 2));
      t.action = row.get<std::string>(3);
      t.from_stage = row.get<std::string>(4);
      t.to_stage = row.get<std::string>(5);
      if (row.get_indicator(6) == soci::i_ok) t.replaced_version = static_cast<int>(row_int64(row, 6));
      t.actor = row.get<std::string>(7);
      t.reason = row.get<std::string>(8);
      t.details = parse_json_column(row.get<std::string>(9));
      t.at = row.get<std::string>(10);
      out.push_back(std::move(t));
    }
  } catch (const soci::soci_error& e) {
    throw db_error("cannot read the history of model " + name, e);
  }
  return out;
}

void RegistryRepository::record(const std::string& name, int version, const std::string& action,
                                const std::string& from, const std::string& to, std::optional<int> replaced,
                                const std::string& actor, const std::string& reason, const json& details) {
  long long last = 0;
  soci::indicator ind = soci::i_null;
  sql_ << "SELECT MAX(id) FROM model_transitions", soci::into(last, ind);
  const long long id = (ind == soci::i_ok ? last : 0) + 1;
  const int replaced_value = replaced.value_or(0);
  soci::indicator replaced_ind = replaced ? soci::i_ok : soci::i_null;
  const std::string details_text = details.dump();
  const std::string now = utc_now_iso8601_ms();
  sql_ << "INSERT INTO model_transitions (id, model_name, version, action, from_stage, to_stage, replaced_version, "
          "actor, reason, details, at) VALUES (:id, :m, :v, :a, :f, :t, :r, :who, :why, :d, :at)",
      soci::use(id), soci::use(name), soci::use(version), soci::use(action), soci::use(from), soci::use(to),
      soci::use(replaced_value, replaced_ind), soci::use(actor), soci::use(reason), soci::use(details_text),
      soci::use(now);
}

void RegistryRepository::set_stage(const std::string& name, int version, const std::string& stage) {
  sql_ << "UPDATE model_versions SET stage = :s WHERE model_name = :m AND version = :v", soci::use(stage),
      soci::use(name), soci::use(version);
}

std::optional<int> RegistryRepository::rollback_target(const std::string& name) {
  const auto current = production(name);
  if (!current) return std::nullopt;
  // The promotion that first put the current version in production names what it replaced; rollbacks
  // walk back along that chain (v3 -> v2 -> v1), never back and forth.
  std::optional<int> target;
  for (const Transition& t : history(name)) {
    if (t.action == "promote" && t.version == current->version) target = t.replaced_version;
  }
  return target;
}

ModelVersion RegistryRepository::promote(const std::string& name, int version, const std::string& actor,
                                         const std::string& reason, const json& details) {
  try {
    WriteTransaction tx(sql_, "model_versions");
    auto v = find_version(name, version);
    if (!v) throw RegistryError(RegistryError::Kind::NotFound, "no " + label(name, version));
    if (v->stage == "production") {
      throw RegistryError(RegistryError::Kind::Conflict, label(name, version) + " is already in production");
    }
    const auto current = production(name);
    if (current) {
      set_stage(name, current->version, "archived");
      record(name, current->version, "archive", "production", "archived", std::nullopt, actor,
             "replaced by version " + std::to_string(version) + ": " + reason, json::object());
    }
    set_stage(name, version, "production");
    record(name, version, "promote", v->stage, "production",
           current ? std::optional<int>(current->version) : std::nullopt, actor, reason, details);
    tx.commit();
    v->stage = "production";
    return *v;
  } catch (const soci::soci_error& e) {
    throw db_error("cannot promote " + label(name, version), e);
  }
}

ModelVersion RegistryRepository::rollback(const std::string& name, const std::string& actor,
                                          const std::string& reason) {
  try {
    WriteTransaction tx(sql_, "model_versions");
    const auto current = production(name);
    if (!current) {
      throw RegistryError(
          find_model(name) ? RegistryError::Kind::Conflict : RegistryError::Kind::NotFound,
          find_model(name) ? "model " + name + " has no production version to roll back" : "no model " + name);
    }
    const auto target = rollback_target(name);
    if (!target) {
      throw RegistryError(RegistryError::Kind::Conflict, "model " + name + ": version " +
                                                             std::to_string(current->version) +
                                                             " replaced no earlier production version");
    }
    auto restored = find_version(name, *target);
    if (!restored) throw RegistryError(RegistryError::Kind::NotFound, "no " + label(name, *target));
    set_stage(name, current->version, "archived");
    record(name, current->version, "archive", "production", "archived", std::nullopt, actor, "rolled back: " + reason,
           json::object());
    set_stage(name, *target, "production");
    record(name, *target, "rollback", restored->stage, "production", current->version, actor, reason, json::object());
    tx.commit();
    restored->stage = "production";
    return *restored;
  } catch (const soci::soci_error& e) {
    throw db_error("cannot roll back model " + name, e);
  }
}

ModelVersion RegistryRepository::archive(const std::string& name, int version, const std::string& actor,
                                         const std::string& reason) {
  try {
    WriteTransaction tx(sql_, "model_versions");
    auto v = find_version(name, version);
    if (!v) throw RegistryError(RegistryError::Kind::NotFound, "no " + label(name, version));
    if (v->stage == "production") {
      throw RegistryError(RegistryError::Kind::Conflict,
                          label(name, version) + " is in production: promote another version or roll back first");
    }
    if (v->stage == "archived") {
      throw RegistryError(RegistryError::Kind::Conflict, label(name, version) + " is already archived");
    }
    set_stage(name, version, "archived");
    record(name, version, "archive", v->stage, "archived", std::nullopt, actor, reason, json::object());
    tx.commit();
    v->stage = "archived";
    return *v;
  } catch (const soci::soci_error& e) {
    throw db_error("cannot archive " + label(name, version), e);
  }
}

}  // namespace pdex::store
