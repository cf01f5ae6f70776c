#include "store/transaction.h"

#include <chrono>
#include <ctime>

#include "store/database.h"

namespace pdex::store {

WriteTransaction::WriteTransaction(soci::session& sql, const std::string& lock_table) : sql_(sql) {
  if (backend_of(sql_) == Backend::Sqlite) {
    sql_ << "BEGIN IMMEDIATE";
  } else {
    sql_ << "BEGIN";
    try {
      if (!lock_table.empty()) sql_ << "LOCK TABLE " + lock_table + " IN EXCLUSIVE MODE";
    } catch (...) {
      sql_ << "ROLLBACK";
      throw;
    }
  }
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  try {
    sql_ << "ROLLBACK";
  } catch (...) {  // the connection is gone: the server has already discarded the transaction
  }
}

void WriteTransaction::commit() {
  // Stays open on failure: SQLite keeps the transaction after a failed COMMIT (deferred foreign keys), so
  // the destructor must still roll it back.
  sql_ << "COMMIT";
  open_ = false;
}

void WriteTransaction::rollback() {
  open_ = false;
  sql_ << "ROLLBACK";
}

ReadTransaction::ReadTransaction(soci::session& sql) : sql_(sql) {
  if (backend_of(sql_) == Backend::Sqlite) {
    sql_ << "BEGIN";
  } else {
    sql_ << "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  }
}

ReadTransaction::~ReadTransaction() {
  try {
    sql_ << "ROLLBACK";
  } catch (...) {
  }
}

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace pdex::store
