// The prediction log (traceability, DESIGN §2 and §3): one row per prediction served, in table
// `predictions`, written in batches by the server's background writer (service/prediction_log.h) and read by
// drift monitoring and audits.
//
// Columns: id (the prediction_id returned to the client), created_at (ISO 8601 UTC with milliseconds),
// key_id (API key id or "session:<id>"; NULL when anonymous), route, inputs (the request as JSON text),
// features (JSON array of the model's feature vector, NULL when the model did not expose it),
// feature_digest (SHA-256 hex of the features as IEEE-754 float32 little-endian bytes, in feature order),
// outputs (the answer as JSON text; for /predict/battle its prediction fields and the moves used, without
// the echo of the sides' species data: service/prediction_response.h), model_version, latency_us (time in the handler).
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pdex::store {

struct PredictionRecord {
  std::string id;
  std::string created_at;
  std::optional<std::string> key_id;
  std::string route;
  std::string inputs;                         // JSON text
  std::optional<std::string> features;        // JSON text (array of numbers)
  std::optional<std::string> feature_digest;  // 64 hex digits
  std::string outputs;                        // JSON text
  std::string model_version;
  std::int64_t latency_us = 0;
};

// SHA-256 hex over the float32 values' little-endian bytes; what feature_digest holds.
std::string feature_digest(std::span<const float> features);
// "[0.5,1,...]" with shortest round-trip formatting.
std::string features_json(std::span<const float> features);

class PredictionLogRepository {
 public:
  // Precondition: the schema is migrated.
  explicit PredictionLogRepository(soci::session& sql) : sql_(sql) {}

  // Inserts every record in one transaction (all or nothing). A record whose id is already stored is
  // skipped, so retrying a batch whose COMMIT may or may not have happened (connection lost) never
  // duplicates nor fails. Throws DatabaseError.
  void insert_batch(std::span<const PredictionRecord> records);

  std::int64_t count();
  std::optional<PredictionRecord> find(const std::string& id);
  // Records with from <= created_at < to (ISO 8601 UTC text, compared as text), the most recent `limit`
  // of them, oldest first. Throws DatabaseError.
  std::vector<PredictionRecord> list_between(const std::string& from, const std::string& to, std::size_t limit);

 private:
  soci::session& sql_;
};

}  // namespace pdex::store
