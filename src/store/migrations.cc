#include "store/migrations.h"

#include <string>

#include "store/database.h"
#include "store/transaction.h"

namespace pdex::store {
namespace {

// Portability notes (SQLite 3.40 and PostgreSQL 15 both accept everything below):
// - booleans are SMALLINT 0/1 with a CHECK: SQLite has no boolean type and soci binds int;
// - references that may point forward within one table (prevo, evolutions, megas) are
//   DEFERRABLE INITIALLY DEFERRED, checked at COMMIT;
// - uniqueness over nullable columns uses an expression index on COALESCE(..., 0), since both
//   databases treat NULLs as distinct in UNIQUE constraints.
const std::vector<Migration> kMigrations = {
    {1,
     "dex tables: types, chart, pokemon, moves, learnsets, evolutions, metadata",
     {
         R"sql(CREATE TABLE dex_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
  data_sha256 TEXT NOT NULL CHECK (length(data_sha256) = 64),
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL
))sql",
         R"sql(CREATE TABLE dex_source_packages (
  name TEXT PRIMARY KEY,
  version TEXT NOT NULL
))sql",
         R"sql(CREATE TABLE types (
  id INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 18),
  name TEXT NOT NULL UNIQUE CHECK (name <> ''),
  name_fr TEXT
))sql",
         R"sql(CREATE TABLE type_effectiveness (
  attacking_type_id INTEGER NOT NULL REFERENCES types (id),
  defending_type_id INTEGER NOT NULL REFERENCES types (id),
  multiplier DOUBLE PRECISION NOT NULL CHECK (multiplier IN (0, 0.5, 1, 2)),
  PRIMARY KEY (attacking_type_id, defending_type_id)
))sql",
         R"sql(CREATE TABLE pokemon (
  id INTEGER PRIMARY KEY CHECK (id > 0),
  showdown_id TEXT NOT NULL UNIQUE CHECK (showdown_id <> ''),
  name TEXT NOT NULL CHECK (name <> ''),
  name_fr TEXT,
  num INTEGER NOT NULL CHECK (num > 0),
  base_species_id INTEGER NOT NULL REFERENCES pokemon (id) DEFERRABLE INITIALLY DEFERRED,
  forme TEXT,
  hp INTEGER NOT NULL CHECK (hp BETWEEN 1 AND 255),
  atk INTEGER NOT NULL CHECK (atk BETWEEN 1 AND 255),
  def INTEGER NOT NULL CHECK (def BETWEEN 1 AND 255),
  spa INTEGER NOT NULL CHECK (spa BETWEEN 1 AND 255),
  spd INTEGER NOT NULL CHECK (spd BETWEEN 1 AND 255),
  spe INTEGER NOT NULL CHECK (spe BETWEEN 1 AND 255),
  weight_hg INTEGER NOT NULL CHECK (weight_hg > 0),
  is_mega SMALLINT NOT NULL CHECK (is_mega IN (0, 1)),
  is_alola SMALLINT NOT NULL CHECK (is_alola IN (0, 1)),
  is_starter SMALLINT NOT NULL CHECK (is_starter IN (0, 1)),
  prevo_id INTEGER REFERENCES pokemon (id) DEFERRABLE INITIALLY DEFERRED
))sql",
         R"sql(CREATE TABLE pokemon_types (
  pokemon_id INTEGER NOT NULL REFERENCES pokemon (id),
  slot SMALLINT NOT NULL CHECK (slot IN (1, 2)),
  type_id INTEGER NOT NULL REFERENCES types (id),
  PRIMARY KEY (pokemon_id, slot),
  UNIQUE (pokemon_id, type_id)
))sql",
         R"sql(CREATE TABLE evolutions (
  pokemon_id INTEGER NOT NULL REFERENCES pokemon (id),
  ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
  evolves_to_id INTEGER NOT NULL REFERENCES pokemon (id) DEFERRABLE INITIALLY DEFERRED,
  trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('levelUp', 'useItem', 'trade', 'levelFriendship', 'other')),
  min_level INTEGER CHECK (min_level IS NULL OR min_level BETWEEN 1 AND 100),
  item TEXT,
  evolution_condition TEXT,
  PRIMARY KEY (pokemon_id, ordinal)
))sql",
         R"sql(CREATE TABLE mega_evolutions (
  pokemon_id INTEGER NOT NULL REFERENCES pokemon (id),
  ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
  mega_id INTEGER NOT NULL UNIQUE REFERENCES pokemon (id) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (pokemon_id, ordinal)
))sql",
         R"sql(CREATE TABLE moves (
  id INTEGER PRIMARY KEY CHECK (id > 0),
  showdown_id TEXT NOT NULL UNIQUE CHECK (showdown_id <> ''),
  name TEXT NOT NULL CHECK (name <> ''),
  name_fr TEXT,
  type_id INTEGER NOT NULL REFERENCES types (id),
  category TEXT NOT NULL CHECK (category IN ('Physical', 'Special', 'Status')),
  power INTEGER NOT NULL CHECK (power >= 0),
  accuracy INTEGER CHECK (accuracy IS NULL OR accuracy BETWEEN 1 AND 100),
  pp INTEGER NOT NULL CHECK (pp >= 1),
  priority INTEGER NOT NULL CHECK (priority BETWEEN -7 AND 5),
  crit_ratio INTEGER NOT NULL CHECK (crit_ratio >= 1),
  will_crit SMALLINT NOT NULL CHECK (will_crit IN (0, 1)),
  multihit_min INTEGER,
  multihit_max INTEGER,
  recoil_num INTEGER,
  recoil_den INTEGER,
  drain_num INTEGER,
  drain_den INTEGER,
  heal_num INTEGER,
  heal_den INTEGER,
  self_destruct SMALLINT NOT NULL CHECK (self_destruct IN (0, 1)),
  ohko SMALLINT NOT NULL CHECK (ohko IN (0, 1)),
  fixed_damage TEXT CHECK (fixed_damage IS NULL OR fixed_damage IN ('level', 'constant', 'half')),
  fixed_damage_amount INTEGER,
  charge SMALLINT NOT NULL CHECK (charge IN (0, 1)),
  recharge SMALLINT NOT NULL CHECK (recharge IN (0, 1)),
  status TEXT CHECK (status IS NULL OR status IN ('brn', 'frz', 'par', 'psn', 'tox', 'slp')),
  volatile_status TEXT,
  side_condition TEXT,
  target TEXT NOT NULL CHECK (target <> ''),
  is_partner_move SMALLINT NOT NULL CHECK (is_partner_move IN (0, 1)),
  short_desc TEXT NOT NULL,
  self_volatile_status TEXT,
  self_side_condition TEXT,
  self_switch SMALLINT NOT NULL CHECK (self_switch IN (0, 1)),
  force_switch SMALLINT NOT NULL CHECK (force_switch IN (0, 1)),
  crash_damage SMALLINT NOT NULL CHECK (crash_damage IN (0, 1)),
  CHECK ((multihit_min IS NULL AND multihit_max IS NULL) OR
         (multihit_min IS NOT NULL AND multihit_max IS NOT NULL AND multihit_min >= 1 AND multihit_max >= multihit_min)),
  CHECK ((recoil_num IS NULL AND recoil_den IS NULL) OR
         (recoil_num IS NOT NULL AND recoil_den IS NOT NULL AND recoil_num > 0 AND recoil_den >= recoil_num)),
  CHECK ((drain_num IS NULL AND drain_den IS NULL) OR
         (drain_num IS NOT NULL AND drain_den IS NOT NULL AND drain_num > 0 AND drain_den >= drain_num)),
  CHECK ((heal_num IS NULL AND heal_den IS NULL) OR
         (heal_num IS NOT NULL AND heal_den IS NOT NULL AND heal_num > 0 AND heal_den >= heal_num)),
  CHECK ((fixed_damage IS NULL AND fixed_damage_amount IS NULL) OR
         (fixed_damage IS NOT NULL AND fixed_damage_amount IS NOT NULL AND fixed_damage_amount >= 0)),
  CHECK (category <> 'Status' OR power = 0)
))sql",
         R"sql(CREATE TABLE move_boosts (
  move_id INTEGER NOT NULL REFERENCES moves (id),
  scope TEXT NOT NULL CHECK (scope IN ('target', 'self')),
  atk SMALLINT NOT NULL CHECK (atk BETWEEN -6 AND 6),
  def SMALLINT NOT NULL CHECK (def BETWEEN -6 AND 6),
  spa SMALLINT NOT NULL CHECK (spa BETWEEN -6 AND 6),
  spd SMALLINT NOT NULL CHECK (spd BETWEEN -6 AND 6),
  spe SMALLINT NOT NULL CHECK (spe BETWEEN -6 AND 6),
  accuracy SMALLINT NOT NULL CHECK (accuracy BETWEEN -6 AND 6),
  evasion SMALLINT NOT NULL CHECK (evasion BETWEEN -6 AND 6),
  PRIMARY KEY (move_id, scope)
))sql",
         R"sql(CREATE TABLE move_secondaries (
  move_id INTEGER NOT NULL REFERENCES moves (id),
  ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
  chance INTEGER NOT NULL CHECK (chance BETWEEN 1 AND 100),
  status TEXT CHECK (status IS NULL OR status IN ('brn', 'frz', 'par', 'psn', 'tox', 'slp')),
  volatile_status TEXT,
  PRIMARY KEY (move_id, ordinal)
))sql",
         R"sql(CREATE TABLE move_secondary_boosts (
  move_id INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('target', 'self')),
  atk SMALLINT NOT NULL CHECK (atk BETWEEN -6 AND 6),
  def SMALLINT NOT NULL CHECK (def BETWEEN -6 AND 6),
  spa SMALLINT NOT NULL CHECK (spa BETWEEN -6 AND 6),
  spd SMALLINT NOT NULL CHECK (spd BETWEEN -6 AND 6),
  spe SMALLINT NOT NULL CHECK (spe BETWEEN -6 AND 6),
  accuracy SMALLINT NOT NULL CHECK (accuracy BETWEEN -6 AND 6),
  evasion SMALLINT NOT NULL CHECK (evasion BETWEEN -6 AND 6),
  PRIMARY KEY (move_id, ordinal, scope),
  FOREIGN KEY (move_id, ordinal) REFERENCES move_secondaries (move_id, ordinal)
))sql",
         R"sql(CREATE TABLE move_flags (
  move_id INTEGER NOT NULL REFERENCES moves (id),
  ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
  flag TEXT NOT NULL CHECK (flag <> ''),
  PRIMARY KEY (move_id, ordinal),
  UNIQUE (move_id, flag)
))sql",
         // Showdown properties with battle meaning that no column models ("breaksProtect", ...).
         R"sql(CREATE TABLE move_other_properties (
  move_id INTEGER NOT NULL REFERENCES moves (id),
  ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
  property TEXT NOT NULL CHECK (property <> ''),
  PRIMARY KEY (move_id, ordinal),
  UNIQUE (move_id, property)
))sql",
         // Names of the functions on Showdown's move object ("onHit", "secondary.onHit").
         R"sql(CREATE TABLE move_callbacks (
  move_id INTEGER NOT NULL REFERENCES moves (id),
  ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
  callback TEXT NOT NULL CHECK (callback <> ''),
  PRIMARY KEY (move_id, ordinal),
  UNIQUE (move_id, callback)
))sql",
         // id is the row's position in the file's canonical order, which load_dex restores.
         R"sql(CREATE TABLE learnsets (
  id INTEGER PRIMARY KEY CHECK (id >= 1),
  pokemon_id INTEGER NOT NULL REFERENCES pokemon (id),
  move_id INTEGER NOT NULL REFERENCES moves (id),
  method TEXT NOT NULL CHECK (method IN ('levelup', 'tm', 'tutor', 'event')),
  level INTEGER CHECK (level IS NULL OR level BETWEEN 0 AND 100),
  inherited_from_id INTEGER REFERENCES pokemon (id),
  CHECK (method = 'levelup' OR level IS NULL)
))sql",
         "CREATE UNIQUE INDEX learnsets_unique_row ON learnsets "
         "(pokemon_id, move_id, method, (COALESCE(level, 0)), (COALESCE(inherited_from_id, 0)))",
         "CREATE INDEX learnsets_by_move ON learnsets (move_id)",
         "CREATE INDEX learnsets_by_inherited_from ON learnsets (inherited_from_id)",
         "CREATE INDEX pokemon_types_by_type ON pokemon_types (type_id)",
         "CREATE INDEX pokemon_by_prevo ON pokemon (prevo_id)",
         "CREATE INDEX pokemon_by_base_species ON pokemon (base_species_id)",
         "CREATE INDEX evolutions_by_target ON evolutions (evolves_to_id)",
         "CREATE INDEX moves_by_type ON moves (type_id)",
     }},
    // API keys (store/api_key_repository.h: only SHA-256 of the key is kept) and the prediction log
    // (store/prediction_log_repository.h). key_id in predictions is not a foreign key: it also holds
    // "session:<id>" for the web app's sessions, which have no row.
    {2,
     "api keys and prediction log",
     {
         R"sql(CREATE TABLE api_keys (
  id TEXT PRIMARY KEY CHECK (length(id) = 12),
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
  scopes TEXT NOT NULL CHECK (scopes <> ''),
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  last_used_at TEXT
))sql",
         R"sql(CREATE TABLE predictions (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  created_at TEXT NOT NULL,
  key_id TEXT,
  route TEXT NOT NULL,
  inputs TEXT NOT NULL,
  features TEXT,
  feature_digest TEXT CHECK (feature_digest IS NULL OR length(feature_digest) = 64),
  outputs TEXT NOT NULL,
  model_version TEXT NOT NULL,
  latency_us BIGINT NOT NULL CHECK (latency_us >= 0)
))sql",
         "CREATE INDEX predictions_by_created_at ON predictions (created_at)",
         "CREATE INDEX predictions_by_model_version ON predictions (model_version, created_at)",
     }},
    // The model registry (store/registry_repository.h) and run tracking (store/run_repository.h). Ids and
    // version numbers are MAX + 1 under a table lock (WriteTransaction) rather than SERIAL / AUTOINCREMENT,
    // which the two databases spell differently. JSON documents are TEXT.
    {3,
     "model registry (models, versions, stages, audit trail) and runs",
     {
         R"sql(CREATE TABLE registered_models (
  name TEXT PRIMARY KEY CHECK (name <> ''),
  description TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
))sql",
         R"sql(CREATE TABLE model_versions (
  model_name TEXT NOT NULL REFERENCES registered_models (name),
  version INTEGER NOT NULL CHECK (version >= 1),
  stage TEXT NOT NULL CHECK (stage IN ('none', 'candidate', 'production', 'archived')),
  artifact_sha256 TEXT NOT NULL CHECK (length(artifact_sha256) = 64),
  artifact_path TEXT NOT NULL CHECK (artifact_path <> ''),
  bundle_version TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  feature_spec_hash TEXT NOT NULL,
  dataset_sha256 TEXT NOT NULL,
  metrics TEXT NOT NULL,
  params TEXT NOT NULL,
  lineage TEXT NOT NULL,
  seed BIGINT,
  code_version TEXT NOT NULL,
  run_id BIGINT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (model_name, version),
  UNIQUE (model_name, artifact_sha256)
))sql",
         "CREATE UNIQUE INDEX model_versions_one_production ON model_versions (model_name) "
         "WHERE stage = 'production'",
         R"sql(CREATE TABLE model_transitions (
  id INTEGER PRIMARY KEY CHECK (id >= 1),
  model_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('register', 'candidate', 'promote', 'rollback', 'archive')),
  from_stage TEXT NOT NULL,
  to_stage TEXT NOT NULL,
  replaced_version INTEGER,
  actor TEXT NOT NULL CHECK (actor <> ''),
  reason TEXT NOT NULL,
  details TEXT NOT NULL,
  at TEXT NOT NULL,
  FOREIGN KEY (model_name, version) REFERENCES model_versions (model_name, version)
))sql",
         "CREATE INDEX model_transitions_by_model ON model_transitions (model_name, id)",
         R"sql(CREATE TABLE runs (
  id INTEGER PRIMARY KEY CHECK (id >= 1),
  kind TEXT NOT NULL CHECK (kind IN ('import', 'dataset', 'train', 'evaluate', 'register', 'promote', 'pipeline')),
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  parent_id INTEGER,
  input_key TEXT,
  params TEXT NOT NULL,
  inputs TEXT NOT NULL,
  metrics TEXT NOT NULL,
  artifacts TEXT NOT NULL,
  code_version TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  duration_s DOUBLE PRECISION,
  error TEXT,
  created_by TEXT NOT NULL,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL
))sql",
         "CREATE INDEX runs_by_kind ON runs (kind, id)",
         "CREATE INDEX runs_by_input_key ON runs (input_key, status)",
     }},
    // No query reads the prediction log by model version (prediction_log_repository.h: by id and by time), and
    // every index is one more b-tree insert per logged prediction: the writer's CPU per row fell from 8.0 to
    // 6.6 us without it (bench/prediction_log_bench, 64-row batches), on the core that answers requests.
    {4,
     "prediction log: drop the unused model_version index",
     {
         "DROP INDEX predictions_by_model_version",
     }},
};

bool schema_version_table_exists(soci::session& sql) {
  int n = 0;
  if (backend_of(sql) == Backend::Sqlite) {
    sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", soci::into(n);
  } else {
    sql << "SELECT COUNT(*) FROM information_schema.tables "
           "WHERE table_schema = current_schema() AND table_name = 'schema_version'",
        soci::into(n);
  }
  return n > 0;
}

int read_version(soci::session& sql) {
  int version = 0;
  soci::indicator ind = soci::i_null;
  sql << "SELECT MAX(version) FROM schema_version", soci::into(version, ind);
  return ind == soci::i_ok ? version : 0;
}

}  // namespace

std::span<const Migration> all_migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return kMigrations.back().version;
}

int schema_version(soci::session& sql) {
  try {
    if (!schema_version_table_exists(sql)) return 0;
    return read_version(sql);
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot read the schema version: " + one_line(e.what()));
  }
}

MigrationResult migrate(soci::session& sql) {
  MigrationResult result;
  try {
    sql << "CREATE TABLE IF NOT EXISTS schema_version ("
           "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL)";
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot create table schema_version: " + one_line(e.what()));
  }
  result.before = schema_version(sql);
  if (result.before > latest_schema_version()) {
    throw DatabaseError("database schema version " + std::to_string(result.before) +
                        " is newer than this pdex understands (" + std::to_string(latest_schema_version()) + ")");
  }
  for (const Migration& m : kMigrations) {
    try {
      WriteTransaction tx(sql, "schema_version");
      // Another process may have migrated between our read and our lock.
      if (read_version(sql) >= m.version) continue;
      for (std::string_view statement : m.statements) sql << std::string(statement);
      const std::string applied_at = utc_now_iso8601();
      const std::string description(m.description);
      sql << "INSERT INTO schema_version (version, applied_at, description) VALUES (:v, :a, :d)", soci::use(m.version),
          soci::use(applied_at), soci::use(description);
      tx.commit();
    } catch (const soci::soci_error& e) {
      throw DatabaseError("migration " + std::to_string(m.version) + " (" + std::string(m.description) +
                          ") failed: " + one_line(e.what()));
    }
  }
  result.after = read_version(sql);
  return result;
}

}  // namespace pdex::store
