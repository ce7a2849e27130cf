// The row-level API the SQL store's logic is written against, independent of
// the engine: SQLite (sqlite_connection.h) and PostgreSQL
// (store/postgres/pg_connection.h) implement it. SQL text is written in
// SQLite's dialect with numbered ?N parameters; an engine that speaks another
// dialect translates it when preparing (see store/postgres/dialect.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace masthead::store::sqlite {

// A prepared statement borrowed from a Connection's cache; the next user of the
// same SQL starts clean once this one is destroyed.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  virtual ~Statement() = default;

  // Parameters are 1-based: ?1 is Bind(1, ...).
  virtual void Bind(int index, std::int64_t value) = 0;
  virtual void Bind(int index, std::string_view value) = 0;
  void Bind(int index, const std::optional<std::int64_t>& value) {
    if (value) {
      Bind(index, *value);
    } else {
      BindNull(index);
    }
  }
  virtual void BindNull(int index) = 0;

  // True when a row is ready; false when done. Errors come back as Error.
  virtual Result<bool> Step() = 0;
  // Runs to completion, for statements that return no rows.
  Status Run() {
    for (;;) {
      auto row = Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) return Ok();
    }
  }

  virtual std::int64_t Int(int column) const = 0;
  virtual std::optional<std::int64_t> OptionalInt(int column) const = 0;
  virtual std::string Text(int column) const = 0;
};

// One database connection with a cache of prepared statements keyed by SQL text.
// Not thread-safe: a Connection is used by one thread at a time (the pool hands
// it out exclusively).
class Connection {
 public:
  virtual ~Connection() = default;

  // Prepares (or reuses) `sql`. The SQL must be a compile-time constant of the
  // store: every statement is prepared, never built from input.
  virtual Result<std::unique_ptr<Statement>> Prepare(const char* sql) = 0;
  // For schema scripts only: runs several statements, no parameters.
  virtual Status ExecScript(const std::string& sql) = 0;

  // A write transaction. Writers are serialised (SQLite: BEGIN IMMEDIATE;
  // PostgreSQL: a transaction-scoped advisory lock), so the logic may read,
  // decide and write without re-checking, on one node or many.
  virtual Status BeginWrite() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  // The id the last INSERT on this connection gave its row.
  virtual std::int64_t LastInsertId() = 0;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  virtual int Changes() const = 0;
  // True once the connection is unusable (the server closed it): the pool
  // then opens a new one instead of handing this one out again.
  virtual bool Broken() const { return false; }
};

}  // namespace masthead::store::sqlite
