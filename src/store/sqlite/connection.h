// RAII wrappers over the SQLite C API, private to the SQLite engine.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.h"

namespace masthead::store::sqlite {

// A prepared statement borrowed from a Connection's cache. Resets and clears its
// bindings when it goes out of scope, so the next user starts clean.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  void Bind(int index, std::int64_t value);
  void Bind(int index, std::string_view value);
  void Bind(int index, const std::optional<std::int64_t>& value);
  void BindNull(int index);

  // True when a row is ready; false when done. Errors come back as Error.
  Result<bool> Step();
  // Runs to completion, for statements that return no rows.
  Status Run();

  std::int64_t Int(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

// One database connection with a cache of prepared statements keyed by SQL text.
// Not thread-safe: a Connection is used by one thread at a time (the pool hands
// it out exclusively).
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path);
  ~Connection();

  // Prepares (or reuses) `sql`. The SQL must be a compile-time constant of the
  // engine: every statement is prepared, never built from input.
  Result<std::unique_ptr<Statement>> Prepare(const char* sql);
  // For schema scripts and pragmas only: runs several statements, no parameters.
  Status ExecScript(const std::string& sql);

  std::int64_t LastInsertId() const;
  int Changes() const;
  sqlite3* handle() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

// Maps a SQLite result code to Masthead's error codes; `what` says what was tried.
Error ErrorFromSqlite(sqlite3* db, int rc, std::string_view what);

}  // namespace masthead::store::sqlite
