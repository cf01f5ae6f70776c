// A write transaction that takes the database's write lock up front, so that what it reads (the schema
// version, the stored content hash) cannot change before it commits. Rolls back unless committed.
#pragma once

#include <soci/soci.h>

#include <string>

namespace pdex::store {

class WriteTransaction {
 public:
  // SQLite: BEGIN IMMEDIATE. PostgreSQL: BEGIN, then LOCK TABLE `lock_table` IN EXCLUSIVE MODE (readers
  // are not blocked; other writers of that table wait) when `lock_table` is not empty.
  WriteTransaction(soci::session& sql, const std::string& lock_table);
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction();  // rolls back if neither commit() nor rollback() was called; never throws

  void commit();
  void rollback();

 private:
  soci::session& sql_;
  bool open_ = true;
};

// A read transaction giving one consistent snapshot (SQLite: BEGIN; PostgreSQL: REPEATABLE READ, read
// only). Always ends with a rollback: it never writes.
class ReadTransaction {
 public:
  explicit ReadTransaction(soci::session& sql);
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction();

 private:
  soci::session& sql_;
};

// Current UTC time as ISO 8601 ("2024-05-01T12:34:56Z"), as stored in applied_at / imported_at.
std::string utc_now_iso8601();

}  // namespace pdex::store
