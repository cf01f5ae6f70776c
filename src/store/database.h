// Opening the database named by PDEX_DATABASE_URL: an SQLite file (the default) or a PostgreSQL server,
// both through one soci::session so that every query in the store is written once.
#pragma once

#include <soci/soci.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace pdex::store {

// Any failure to open, migrate, read or write the database. what() is one line and never contains a
// password.
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Backend { Sqlite, Postgresql };
std::string_view backend_name(Backend b);  // "sqlite", "postgresql"

// A parsed PDEX_DATABASE_URL.
//   sqlite://PATH                 PATH relative to the working directory, or absolute (sqlite:///abs/x.db)
//   postgresql://[user[:password]@]host[:port]/dbname[?key=value&...]   (also postgres://); user,
//   password and dbname are percent-decoded; query keys are passed to libpq (sslmode, connect_timeout...).
struct DatabaseUrl {
  Backend backend = Backend::Sqlite;
  std::string sqlite_path;   // Sqlite only
  std::string soci_connect;  // what soci::session receives
  std::string masked;        // the URL with the password replaced by ***, for messages
};
// Throws DatabaseError naming what is wrong with the URL.
DatabaseUrl parse_database_url(const std::string& url);

// An open connection. SQLite sessions have foreign_keys=ON, journal_mode=WAL and a busy timeout; the
// parent directory of the file is created if missing. PostgreSQL connections time out after 5 s unless
// the URL says otherwise.
class Database {
 public:
  // Throws DatabaseError ("cannot open database postgresql://u:***@h:1/db: connection refused").
  explicit Database(const std::string& url);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  soci::session& session() { return *session_; }
  Backend backend() const { return url_.backend; }
  const std::string& location() const { return url_.masked; }  // masked URL

 private:
  DatabaseUrl url_;
  std::unique_ptr<soci::session> session_;
};

// Which backend a session talks to (from soci's backend name).
Backend backend_of(soci::session& sql);

}  // namespace pdex::store

namespace pdex::store {

// Driver messages span several lines; errors in this project are one line.
std::string one_line(std::string_view message);

}  // namespace pdex::store
