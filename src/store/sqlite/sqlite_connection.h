// The SQLite backend of the SQL store: RAII wrappers over the SQLite C API.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.h"
#include "store/sqlite/connection.h"

namespace masthead::store::sqlite {

// Resets and clears its bindings when it goes out of scope.
class SqliteStatement final : public Statement {
 public:
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqliteStatement() override;

  using Statement::Bind;
  void Bind(int index, std::int64_t value) override;
  void Bind(int index, std::string_view value) override;
  void BindNull(int index) override;

  Result<bool> Step() override;

  std::int64_t Int(int column) const override;
  std::optional<std::int64_t> OptionalInt(int column) const override;
  std::string Text(int column) const override;

 private:
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path);
  ~SqliteConnection() override;

  Result<std::unique_ptr<Statement>> Prepare(const char* sql) override;
  Status ExecScript(const std::string& sql) override;
  Status BeginWrite() override;
  Status Commit() override;
  Status Rollback() override;
  std::int64_t LastInsertId() override;
  int Changes() const override;
  sqlite3* handle() { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Status RunSimple(const char* sql);

  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

// Maps a SQLite result code to Masthead's error codes; `what` says what was tried.
Error ErrorFromSqlite(sqlite3* db, int rc, std::string_view what);

}  // namespace masthead::store::sqlite
