// API keys (DESIGN §3): created and revoked with `pdex apikey ...`, presented by clients in X-API-Key.
//
// Key format: "pdex_<id>_<secret>", where <id> is 12 lowercase hex digits (the key's public id: it
// appears in listings, logs and the prediction log, and lets the server find the key with one primary-key
// lookup) and <secret> is 64 lowercase hex digits (32 bytes from OpenSSL RAND_bytes). The full key is shown
// once, at creation, and never stored: the table api_keys keeps only SHA-256(full key) as hex.
//
// Why plain SHA-256 and not a salted, slow password hash: the secret has 256 bits of entropy, so neither a
// dictionary nor a brute-force search of the hash is feasible, and every key is unique so a salt adds
// nothing; a slow hash (bcrypt, argon2) would only cost CPU on every uncached verification. Hashes are
// compared with CRYPTO_memcmp (constant time).
//
// Thread safety: an ApiKeyRepository wraps one soci::session and is as thread-safe as that (not at all).
#pragma once

#include <soci/soci.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pdex::store {

// "read", "predict", "admin".
const std::vector<std::string>& known_api_scopes();
// "read,predict" -> {"predict","read"}. Blanks around names are ignored. Throws std::invalid_argument
// naming the first unknown scope ("unknown scope 'wrte' (known: read, predict, admin)") or saying the
// list is empty.
std::set<std::string> parse_scopes(std::string_view csv);
// Sorted, comma-separated ("predict,read"): how scopes are stored.
std::string join_scopes(const std::set<std::string>& scopes);

struct ApiKeyParts {
  std::string id;
  std::string secret;
};
// Splits a presented key; nullopt unless it has exactly the format above.
std::optional<ApiKeyParts> parse_api_key(std::string_view key);
// SHA-256 of the full key, lowercase hex.
std::string hash_api_key(std::string_view key);
// Constant-time equality for equal-length inputs (CRYPTO_memcmp); false when lengths differ.
bool constant_time_equal(std::string_view a, std::string_view b);

struct ApiKeyRecord {
  std::string id;
  std::string name;
  std::set<std::string> scopes;
  std::string created_at;                   // ISO 8601 UTC
  std::optional<std::string> revoked_at;    // set once revoked
  std::optional<std::string> last_used_at;  // updated by the server, coarse (see touch)
  bool revoked() const { return revoked_at.has_value(); }
};

struct StoredApiKey {
  ApiKeyRecord record;
  std::string key_hash;  // hex SHA-256 of the full key
};

struct CreatedApiKey {
  ApiKeyRecord record;
  std::string key;  // the full key: show it once, never store it
};

enum class KeyCheck { Ok, Malformed, Unknown, WrongSecret, Revoked };

// Compares a presented key with what is stored for its id (nullptr: no such id). Revoked is reported only
// when the secret matches, so a caller without the key learns nothing more than "invalid".
KeyCheck check_api_key(std::string_view presented, const StoredApiKey* stored);

class ApiKeyRepository {
 public:
  // Precondition: the schema is migrated (store/migrations.h).
  explicit ApiKeyRepository(soci::session& sql) : sql_(sql) {}

  // Generates and stores a new key. Throws std::invalid_argument for empty or unknown scopes or a name
  // longer than 200 bytes, DatabaseError when the database fails.
  CreatedApiKey create(const std::string& name, const std::set<std::string>& scopes);
  // Every key (revoked ones included), oldest first. Never the hash.
  std::vector<ApiKeyRecord> list();
  std::optional<StoredApiKey> find(const std::string& id);

  enum class RevokeResult { Revoked, AlreadyRevoked, NotFound };
  RevokeResult revoke(const std::string& id);

  // Sets last_used_at for each (id, ISO 8601 time) pair in one transaction, never moving it backwards.
  void touch(const std::vector<std::pair<std::string, std::string>>& used);

 private:
  soci::session& sql_;
};

// "2024-05-01T12:34:56.789Z": UTC with milliseconds (sorts as text).
std::string utc_now_iso8601_ms();

}  // namespace pdex::store
