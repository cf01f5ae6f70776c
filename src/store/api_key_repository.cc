#include "store/api_key_repository.h"

#include <openssl/crypto.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "common/secure_random.h"
#include "common/sha256.h"
#include "store/database.h"
#include "store/transaction.h"

namespace pdex::store {
namespace {

constexpr std::string_view kPrefix = "pdex_";
constexpr std::size_t kIdHexDigits = 12;
constexpr std::size_t kSecretHexDigits = 64;

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string known_list() {
  std::string out;
  for (const auto& s : known_api_scopes()) out += (out.empty() ? "" : ", ") + s;
  return out;
}

ApiKeyRecord read_record(const soci::row& row) {
  ApiKeyRecord r;
  r.id = row.get<std::string>("id");
  r.name = row.get<std::string>("name");
  r.scopes = parse_scopes(row.get<std::string>("scopes"));
  r.created_at = row.get<std::string>("created_at");
  if (row.get_indicator("revoked_at") == soci::i_ok) r.revoked_at = row.get<std::string>("revoked_at");
  if (row.get_indicator("last_used_at") == soci::i_ok) r.last_used_at = row.get<std::string>("last_used_at");
  return r;
}

DatabaseError db_error(const std::string& what, const std::exception& e) {
  return DatabaseError(what + ": " + one_line(e.what()));
}

}  // namespace

const std::vector<std::string>& known_api_scopes() {
  static const std::vector<std::string> scopes = {"read", "predict", "admin"};
  return scopes;
}

std::set<std::string> parse_scopes(std::string_view csv) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= csv.size()) {
    const std::size_t comma = csv.find(',', start);
    const std::string name =
        trim(csv.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!name.empty()) {
      bool known = false;
      for (const auto& s : known_api_scopes()) known = known || s == name;
      if (!known) throw std::invalid_argument("unknown scope '" + name + "' (known: " + known_list() + ")");
      out.insert(name);
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (out.empty()) throw std::invalid_argument("no scope given (known: " + known_list() + ")");
  return out;
}

std::string join_scopes(const std::set<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::optional<ApiKeyParts> parse_api_key(std::string_view key) {
  if (key.size() != kPrefix.size() + kIdHexDigits + 1 + kSecretHexDigits) return std::nullopt;
  if (key.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const std::string_view id = key.substr(kPrefix.size(), kIdHexDigits);
  if (key[kPrefix.size() + kIdHexDigits] != '_') return std::nullopt;
  const std::string_view secret = key.substr(kPrefix.size() + kIdHexDigits + 1);
  if (!is_lower_hex(id) || !is_lower_hex(secret)) return std::nullopt;
  return ApiKeyParts{std::string(id), std::string(secret)};
}

std::string hash_api_key(std::string_view key) {
  return sha256_hex(key);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

KeyCheck check_api_key(std::string_view presented, const StoredApiKey* stored) {
  const auto parts = parse_api_key(presented);
  if (!parts) return KeyCheck::Malformed;
  if (stored == nullptr || stored->record.id != parts->id) return KeyCheck::Unknown;
  if (!constant_time_equal(hash_api_key(presented), stored->key_hash)) return KeyCheck::WrongSecret;
  if (stored->record.revoked()) return KeyCheck::Revoked;
  return KeyCheck::Ok;
}

std::string utc_now_iso8601_ms() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

CreatedApiKey ApiKeyRepository::create(const std::string& name, const std::set<std::string>& scopes) {
  if (scopes.empty()) throw std::invalid_argument("no scope given (known: " + known_list() + ")");
  for (const auto& s : scopes) parse_scopes(s);  // throws naming an unknown one
  if (name.size() > 200) throw std::invalid_argument("name: at most 200 bytes, got " + std::to_string(name.size()));
  CreatedApiKey out;
  out.record.name = name;
  out.record.scopes = scopes;
  out.record.created_at = utc_now_iso8601_ms();
  const std::string scope_text = join_scopes(scopes);
  // 48-bit ids: a collision is unlikely but possible, and the primary key would refuse it; try again.
  for (int attempt = 0;; ++attempt) {
    out.record.id = random_hex(kIdHexDigits / 2);
    out.key = std::string(kPrefix) + out.record.id + "_" + random_hex(kSecretHexDigits / 2);
    const std::string hash = hash_api_key(out.key);
    try {
      int taken = 0;
      sql_ << "SELECT COUNT(*) FROM api_keys WHERE id = :id", soci::use(out.record.id), soci::into(taken);
      if (taken > 0 && attempt < 5) continue;
      sql_ << "INSERT INTO api_keys (id, name, key_hash, scopes, created_at) VALUES (:id, :name, :hash, :scopes, :at)",
          soci::use(out.record.id), soci::use(name), soci::use(hash), soci::use(scope_text),
          soci::use(out.record.created_at);
      return out;
    } catch (const soci::soci_error& e) {
      throw db_error("cannot store the API key", e);
    }
  }
}

std::vector<ApiKeyRecord> ApiKeyRepository::list() {
  std::vector<ApiKeyRecord> out;
  try {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, name, scopes, created_at, revoked_at, last_used_at FROM api_keys "
                         "ORDER BY created_at, id");
    for (const auto& row : rows) out.push_back(read_record(row));
  } catch (const soci::soci_error& e) {
    throw db_error("cannot list API keys", e);
  }
  return out;
}

std::optional<StoredApiKey> ApiKeyRepository::find(const std::string& id) {
  try {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, name, key_hash, scopes, created_at, revoked_at, last_used_at FROM api_keys "
                         "WHERE id = :id",
         soci::use(id));
    for (const auto& row : rows) {
      StoredApiKey k;
      k.record = read_record(row);
      k.key_hash = row.get<std::string>("key_hash");
      return k;
    }
  } catch (const soci::soci_error& e) {
    throw db_error("cannot read API key " + id, e);
  }
  return std::nullopt;
}

ApiKeyRepository::RevokeResult ApiKeyRepository::revoke(const std::string& id) {
  try {
    const auto existing = find(id);
    if (!existing) return RevokeResult::NotFound;
    if (existing->record.revoked()) return RevokeResult::AlreadyRevoked;
    const std::string now = utc_now_iso8601_ms();
    sql_ << "UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL", soci::use(now), soci::use(id);
    return RevokeResult::Revoked;
  } catch (const soci::soci_error& e) {
    throw db_error("cannot revoke API key " + id, e);
  }
}

void ApiKeyRepository::touch(const std::vector<std::pair<std::string, std::string>>& used) {
  if (used.empty()) return;
  try {
    WriteTransaction tx(sql_, "");
    for (const auto& [id, at] : used) {
      sql_ << "UPDATE api_keys SET last_used_at = :at WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :at2)",
          soci::use(at), soci::use(id), soci::use(at);
    }
    tx.commit();
  } catch (const soci::soci_error& e) {
    throw db_error("cannot update last_used_at of API keys", e);
  }
}

}  // namespace pdex::store
