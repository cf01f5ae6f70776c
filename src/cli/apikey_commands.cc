// `pdex apikey create|list|revoke`: the API keys of DESIGN §3, in the database named by PDEX_DATABASE_URL.
// The full key is printed once, by `create`; the database keeps only its SHA-256 (store/api_key_repository.h).
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_database.h"
#include "cli/command.h"
#include "common/settings.h"
#include "store/api_key_repository.h"
#include "store/database.h"

namespace pdex::cli {
namespace {

std::unique_ptr<store::Database> open_migrated() {
  Settings s;
  try {
    s = Settings::from_environment();
  } catch (const std::invalid_argument& e) {
    throw CommandError(kUsage, e.what());
  }
  return open_migrated_database(s.database_url);
}

struct CreateOptions {
  std::string scopes;
  std::string name;
  bool json = false;
};

void run_create(const CreateOptions& o) {
  std::set<std::string> scopes;
  try {
    scopes = store::parse_scopes(o.scopes);
  } catch (const std::invalid_argument& e) {
    throw CommandError(kUsage, std::string("--scopes: ") + e.what());
  }
  if (o.name.size() > 200) throw CommandError(kUsage, "--name: at most 200 bytes");
  auto db = open_migrated();
  store::CreatedApiKey k;
  try {
    k = store::ApiKeyRepository(db->session()).create(o.name, scopes);
  } catch (const store::DatabaseError& e) {
    throw CommandError(kFailure, e.what());
  }
  if (o.json) {
    nlohmann::ordered_json j = {{"id", k.record.id},
                                {"name", k.record.name},
                                {"scopes", k.record.scopes},
                                {"created_at", k.record.created_at},
                                {"key", k.key}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "Created API key " << k.record.id << " (scopes " << store::join_scopes(k.record.scopes)
            << (k.record.name.empty() ? "" : ", name \"" + k.record.name + "\"") << ").\n"
            << "Key (shown once, store it now; send it in the X-API-Key header):\n"
            << k.key << "\n";
}

void run_list(bool json) {
  auto db = open_migrated();
  std::vector<store::ApiKeyRecord> keys;
  try {
    keys = store::ApiKeyRepository(db->session()).list();
  } catch (const store::DatabaseError& e) {
    throw CommandError(kFailure, e.what());
  }
  if (json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& k : keys) {
      out.push_back({{"id", k.id},
                     {"name", k.name},
                     {"scopes", k.scopes},
                     {"created_at", k.created_at},
                     {"revoked_at", k.revoked_at ? nlohmann::ordered_json(*k.revoked_at) : nullptr},
                     {"last_used_at", k.last_used_at ? nlohmann::ordered_json(*k.last_used_at) : nullptr}});
    }
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (keys.empty()) {
    std::cout << "No API keys. Create one with `pdex apikey create --scopes read,predict`.\n";
    return;
  }
  std::cout << std::left << std::setw(14) << "ID" << std::setw(20) << "SCOPES" << std::setw(26) << "CREATED"
            << std::setw(26) << "LAST USED" << std::setw(10) << "STATUS"
            << "NAME\n";
  for (const auto& k : keys) {
    std::cout << std::setw(14) << k.id << std::setw(20) << store::join_scopes(k.scopes) << std::setw(26) << k.created_at
              << std::setw(26) << k.last_used_at.value_or("-") << std::setw(10) << (k.revoked() ? "revoked" : "active")
              << k.name << "\n";
  }
}

void run_revoke(const std::string& id) {
  if (id.size() != 12 || id.find_first_not_of("0123456789abcdef") != std::string::npos) {
    throw CommandError(
        kUsage, "ID: must be the key's 12-hex-digit id (see `pdex apikey list`), got '" + id.substr(0, 40) + "'");
  }
  auto db = open_migrated();
  store::ApiKeyRepository::RevokeResult r;
  try {
    r = store::ApiKeyRepository(db->session()).revoke(id);
  } catch (const store::DatabaseError& e) {
    throw CommandError(kFailure, e.what());
  }
  switch (r) {
    case store::ApiKeyRepository::RevokeResult::Revoked:
      std::cout << "Revoked API key " << id << " (servers refuse it within their key cache TTL, "
                << "PDEX_KEY_CACHE_TTL_MS, default 2 s).\n";
      break;
    case store::ApiKeyRepository::RevokeResult::AlreadyRevoked:
      std::cout << "API key " << id << " was already revoked.\n";
      break;
    case store::ApiKeyRepository::RevokeResult::NotFound:
      throw CommandError(kFailure, "no API key with id " + id);
  }
}

}  // namespace

void add_apikey_commands(CLI::App& app) {
  CLI::App* group = app.add_subcommand("apikey", "Create, list and revoke API keys (X-API-Key)");
  group->require_subcommand(1);
  group->footer(
      "Keys look like pdex_<id>_<secret>; only a SHA-256 of the key is stored. Scopes: read (dex routes),\n"
      "predict (predictions, simulation), admin (registry changes, /metrics when PDEX_METRICS_ACCESS=admin).\n"
      "The database is PDEX_DATABASE_URL (default sqlite://$PDEX_DATA_DIR/pdex.sqlite).");

  auto create = std::make_shared<CreateOptions>();
  CLI::App* c = group->add_subcommand("create", "Create a key and print it once");
  c->add_option("--scopes", create->scopes, "Comma-separated scopes: read, predict, admin")->required();
  c->add_option("--name", create->name, "A label for the key (who or what uses it)");
  c->add_flag("--json", create->json, "Print {id, name, scopes, created_at, key} as JSON");
  c->callback([create] { run_create(*create); });

  auto list_json = std::make_shared<bool>(false);
  CLI::App* l = group->add_subcommand("list", "List keys (never the secret or its hash)");
  l->add_flag("--json", *list_json, "Print a JSON array");
  l->callback([list_json] { run_list(*list_json); });

  auto id = std::make_shared<std::string>();
  CLI::App* r = group->add_subcommand("revoke", "Revoke a key by id");
  r->add_option("ID", *id, "The key's id (12 hex digits, from `pdex apikey list`)")->required();
  r->callback([id] { run_revoke(*id); });
}

}  // namespace pdex::cli
