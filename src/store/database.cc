#include "store/database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <sstream>
#include <string_view>
#include <vector>

#include "common/settings.h"

namespace pdex::store {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s, const std::string& masked, const char* what) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) {
      throw DatabaseError("database URL " + masked + ": bad percent escape in " + what);
    }
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) throw DatabaseError("database URL " + masked + ": bad percent escape in " + what);
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// libpq keyword/value syntax: single-quoted, with \ and ' escaped.
std::string pq_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

DatabaseUrl parse_postgresql(const std::string& url, std::size_t rest_at, const std::string& masked) {
  std::string_view rest(url);
  rest.remove_prefix(rest_at);
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view userinfo;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    userinfo = rest.substr(0, at);
    rest.remove_prefix(at + 1);
  }
  std::string_view hostport = rest;
  std::string_view dbname;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    dbname = rest.substr(slash + 1);
  }
  std::string_view host = hostport, port;
  if (!hostport.empty() && hostport.front() == '[') {  // [::1]:5432
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) throw DatabaseError("database URL " + masked + ": unclosed '[' in host");
    host = hostport.substr(1, close - 1);
    if (close + 1 < hostport.size()) {
      if (hostport[close + 1] != ':') throw DatabaseError("database URL " + masked + ": bad host");
      port = hostport.substr(close + 2);
    }
  } else if (const auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  if (!port.empty() && port.find_first_not_of("0123456789") != std::string_view::npos) {
    throw DatabaseError("database URL " + masked + ": port must be a number, got '" + std::string(port) + "'");
  }
  if (dbname.empty()) throw DatabaseError("database URL " + masked + ": missing database name (…/dbname)");

  std::vector<std::pair<std::string, std::string>> params;
  if (!host.empty()) params.emplace_back("host", percent_decode(host, masked, "host"));
  if (!port.empty()) params.emplace_back("port", std::string(port));
  params.emplace_back("dbname", percent_decode(dbname, masked, "database name"));
  if (!userinfo.empty()) {
    const auto colon = userinfo.find(':');
    params.emplace_back("user", percent_decode(userinfo.substr(0, colon), masked, "user"));
    if (colon != std::string_view::npos) {
      params.emplace_back("password", percent_decode(userinfo.substr(colon + 1), masked, "password"));
    }
  }
  bool has_timeout = false;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (kv.empty()) continue;
    const auto eq = kv.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      throw DatabaseError("database URL " + masked + ": query parameter '" + std::string(kv) + "' must be key=value");
    }
    const std::string key = percent_decode(kv.substr(0, eq), masked, "query");
    if (key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      throw DatabaseError("database URL " + masked + ": bad query parameter name '" + key + "'");
    }
    has_timeout = has_timeout || key == "connect_timeout";
    params.emplace_back(key, percent_decode(kv.substr(eq + 1), masked, "query"));
  }
  if (!has_timeout) params.emplace_back("connect_timeout", "5");

  DatabaseUrl out;
  out.backend = Backend::Postgresql;
  out.masked = masked;
  for (const auto& [k, v] : params) {
    if (!out.soci_connect.empty()) out.soci_connect += ' ';
    out.soci_connect += k + "=" + pq_value(v);
  }
  return out;
}

// The first informative line of a driver message ("connection to server at ... failed: Connection refused").
std::string first_useful_line(const std::string& message) {
  std::istringstream in(message);
  std::string line, fallback;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    line = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
    if (fallback.empty()) fallback = line;
    if (starts_with(line, "Cannot establish connection")) continue;
    return line;
  }
  return fallback.empty() ? "unknown error" : fallback;
}

}  // namespace

std::string_view backend_name(Backend b) {
  return b == Backend::Sqlite ? "sqlite" : "postgresql";
}

DatabaseUrl parse_database_url(const std::string& url) {
  const std::string masked = mask_url_password(url);
  if (starts_with(url, "sqlite://")) {
    DatabaseUrl out;
    out.backend = Backend::Sqlite;
    out.masked = masked;
    out.sqlite_path = url.substr(std::string_view("sqlite://").size());
    if (out.sqlite_path.empty()) throw DatabaseError("database URL " + masked + ": missing file path after sqlite://");
    // SOCI's sqlite3 backend reads "key=value" options when the string holds '='; a bare path is the file.
    if (out.sqlite_path.find('=') != std::string::npos || out.sqlite_path.find('"') != std::string::npos) {
      throw DatabaseError("database URL " + masked + ": the SQLite file path must not contain '=' or '\"'");
    }
    out.soci_connect = out.sqlite_path;
    return out;
  }
  if (starts_with(url, "postgresql://")) return parse_postgresql(url, std::string_view("postgresql://").size(), masked);
  if (starts_with(url, "postgres://")) return parse_postgresql(url, std::string_view("postgres://").size(), masked);
  throw DatabaseError("database URL " + masked + ": must start with sqlite:// or postgresql://");
}

Database::Database(const std::string& url) : url_(parse_database_url(url)) {
  try {
    if (url_.backend == Backend::Sqlite) {
      const std::filesystem::path parent = std::filesystem::path(url_.sqlite_path).parent_path();
      std::error_code ec;
      if (!parent.empty()) std::filesystem::create_directories(parent, ec);
      if (ec) throw DatabaseError("cannot create directory " + parent.string() + ": " + ec.message());
      session_ = std::make_unique<soci::session>(soci::sqlite3, url_.soci_connect);
      // A new database file gets 16 KiB pages (an existing one keeps its own): the prediction log appends a row
      // per prediction, and each commit rewrites whole pages; with 4 KiB pages the log's writer spent 6.6 us
      // of CPU per row, with 16 KiB 5.6 (bench/prediction_log_bench, 64-row batches). Only takes effect before
      // the first table exists, so it precedes everything else.
      *session_ << "PRAGMA page_size=16384";
      std::string mode;
      *session_ << "PRAGMA journal_mode=WAL", soci::into(mode);
      *session_ << "PRAGMA foreign_keys=ON";
      *session_ << "PRAGMA busy_timeout=10000";
      // WAL keeps the database consistent after a crash with NORMAL; only the last commits may be lost.
      *session_ << "PRAGMA synchronous=NORMAL";
      int fk = 0;
      *session_ << "PRAGMA foreign_keys", soci::into(fk);
      if (fk != 1) throw DatabaseError("SQLite refused PRAGMA foreign_keys=ON");
    } else {
      session_ = std::make_unique<soci::session>(soci::postgresql, url_.soci_connect);
      *session_ << "SET client_min_messages TO ERROR";
    }
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    throw DatabaseError("cannot open database " + url_.masked + ": " + first_useful_line(e.what()));
  }
}

Backend backend_of(soci::session& sql) {
  return sql.get_backend_name() == "postgresql" ? Backend::Postgresql : Backend::Sqlite;
}

}  // namespace pdex::store

namespace pdex::store {

std::string one_line(std::string_view message) {
  std::string out;
  bool space = false;
  for (char c : message) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace pdex::store
