#include "store/prediction_log_repository.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/sha256.h"
#include "store/database.h"
#include "store/transaction.h"

namespace pdex::store {

std::string feature_digest(std::span<const float> features) {
  std::string bytes;
  bytes.reserve(features.size() * 4);
  for (float f : features) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
  }
  return sha256_hex(bytes);
}

std::string features_json(std::span<const float> features) {
  std::string out = "[";
  char buf[32];
  for (std::size_t i = 0; i < features.size(); ++i) {
    if (i > 0) out += ',';
    const float f = features[i];
    if (f != f || f == std::numeric_limits<float>::infinity() || f == -std::numeric_limits<float>::infinity()) {
      out += "null";  // JSON has no NaN/Inf
      continue;
    }
    // Most features are counts, flags, levels and stats: whole numbers, printed as integers, which is what the
    // shortest form gives below 10^4 (above, it may switch to 1e+04 notation) at a fraction of its cost.
    const bool whole = f == std::trunc(f) && std::fabs(f) < 1e4f && !(f == 0 && std::signbit(f));  // -0 stays "-0"
    const auto res =
        whole ? std::to_chars(buf, buf + sizeof buf, static_cast<int>(f)) : std::to_chars(buf, buf + sizeof buf, f);
    out.append(buf, res.ptr);
  }
  return out + "]";
}

void PredictionLogRepository::insert_batch(std::span<const PredictionRecord> records) {
  if (records.empty()) return;
  try {
    WriteTransaction tx(sql_, "");
    PredictionRecord r;
    soci::indicator key_ind = soci::i_null, features_ind = soci::i_null, digest_ind = soci::i_null;
    std::string key_id, features, digest;
    long long latency = 0;
    soci::statement st =
        (sql_.prepare << "INSERT INTO predictions (id, created_at, key_id, route, inputs, features, feature_digest, "
                         "outputs, model_version, latency_us) VALUES (:id, :created_at, :key_id, :route, :inputs, "
                         ":features, :digest, :outputs, :model_version, :latency) ON CONFLICT (id) DO NOTHING",
         soci::use(r.id), soci::use(r.created_at), soci::use(key_id, key_ind), soci::use(r.route), soci::use(r.inputs),
         soci::use(features, features_ind), soci::use(digest, digest_ind), soci::use(r.outputs),
         soci::use(r.model_version), soci::use(latency));
    for (const PredictionRecord& rec : records) {
      r = rec;
      key_ind = rec.key_id ? soci::i_ok : soci::i_null;
      key_id = rec.key_id.value_or("");
      features_ind = rec.features ? soci::i_ok : soci::i_null;
      features = rec.features.value_or("");
      digest_ind = rec.feature_digest ? soci::i_ok : soci::i_null;
      digest = rec.feature_digest.value_or("");
      latency = rec.latency_us;
      st.execute(true);
    }
    tx.commit();
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot write " + std::to_string(records.size()) +
                        " prediction log records: " + one_line(e.what()));
  }
}

std::int64_t PredictionLogRepository::count() {
  try {
    long long n = 0;
    sql_ << "SELECT COUNT(*) FROM predictions", soci::into(n);
    return n;
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot count predictions: " + one_line(e.what()));
  }
}

namespace {

constexpr const char* kSelectColumns =
    "SELECT id, created_at, key_id, route, inputs, features, feature_digest, outputs, model_version, latency_us "
    "FROM predictions ";

PredictionRecord record_of(const soci::row& row) {
  PredictionRecord r;
  r.id = row.get<std::string>(0);
  r.created_at = row.get<std::string>(1);
  if (row.get_indicator(2) == soci::i_ok) r.key_id = row.get<std::string>(2);
  r.route = row.get<std::string>(3);
  r.inputs = row.get<std::string>(4);
  if (row.get_indicator(5) == soci::i_ok) r.features = row.get<std::string>(5);
  if (row.get_indicator(6) == soci::i_ok) r.feature_digest = row.get<std::string>(6);
  r.outputs = row.get<std::string>(7);
  r.model_version = row.get<std::string>(8);
  // SQLite reports INTEGER columns as int or long long depending on the value; PostgreSQL BIGINT as long long.
  const auto& props = row.get_properties(9);
  r.latency_us = props.get_data_type() == soci::dt_integer ? row.get<int>(9) : row.get<long long>(9);
  return r;
}

}  // namespace

std::optional<PredictionRecord> PredictionLogRepository::find(const std::string& id) {
  try {
    soci::rowset<soci::row> rows = (sql_.prepare << std::string(kSelectColumns) + "WHERE id = :id", soci::use(id));
    for (const auto& row : rows) return record_of(row);
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot read prediction " + id + ": " + one_line(e.what()));
  }
  return std::nullopt;
}

std::vector<PredictionRecord> PredictionLogRepository::list_between(const std::string& from, const std::string& to,
                                                                    std::size_t limit) {
  std::vector<PredictionRecord> out;
  try {
    // created_at is ISO 8601 UTC text of one fixed width, so text order is time order on both backends.
    const long long max_rows = static_cast<long long>(limit);
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string(kSelectColumns) +
                             "WHERE created_at >= :from AND created_at < :to ORDER BY created_at DESC, id LIMIT :n",
         soci::use(from), soci::use(to), soci::use(max_rows));
    for (const auto& row : rows) out.push_back(record_of(row));
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot read predictions between " + from + " and " + to + ": " + one_line(e.what()));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace pdex::store
