// The PostgreSQL backend of the SQL store, over libpq.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/result.h"
#include "store/postgres/dialect.h"
#include "store/sqlite/connection.h"

namespace masthead::store::postgres {

class PgConnection;

// Executes on the first Step() and holds the whole result: PostgreSQL sends it
// at once, and the logic may prepare other statements while reading rows.
class PgStatement final : public sqlite::Statement {
 public:
  PgStatement(PgConnection* connection, const char* sql) : connection_(connection), sql_(sql) {}
  ~PgStatement() override;

  using Statement::Bind;
  void Bind(int index, std::int64_t value) override;
  void Bind(int index, std::string_view value) override;
  void BindNull(int index) override;

  Result<bool> Step() override;

  std::int64_t Int(int column) const override;
  std::optional<std::int64_t> OptionalInt(int column) const override;
  std::string Text(int column) const override;

 private:
  struct Parameter {
    std::optional<std::string> value;
    bool integer = false;
  };
  Parameter& At(int index);

  PgConnection* connection_;
  const char* sql_;
  std::vector<Parameter> parameters_;
  PGresult* result_ = nullptr;
  int row_ = -1;
};

class PgConnection final : public sqlite::Connection {
 public:
  // `schema`, when not empty, is created if missing and put first on the
  // search path (tests give each store its own).
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& conninfo, const std::string& schema);
  ~PgConnection() override;

  Result<std::unique_ptr<sqlite::Statement>> Prepare(const char* sql) override;
  Status ExecScript(const std::string& sql) override;
  Status BeginWrite() override;
  Status Commit() override;
  Status Rollback() override;
  std::int64_t LastInsertId() override;
  int Changes() const override { return changes_; }
  bool Broken() const override { return PQstatus(conn_) != CONNECTION_OK; }

  // Runs `sql` (translated) with text parameters; integers are sent typed so
  // that PostgreSQL never has to guess an operand's type from an int literal.
  Result<PGresult*> Execute(const char* sql, const std::vector<std::optional<std::string>>& values,
                            const std::vector<bool>& integers);
  PGconn* handle() { return conn_; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  // Prepares one variant of a statement under a new name, which it returns.
  Result<std::string> PrepareVariant(const TranslatedSql& translated, const std::vector<bool>& integers,
                                     const std::vector<std::optional<std::string>>& values);

  PGconn* conn_;
  // Prepared statement names by (SQL, which parameters are integers).
  std::map<std::pair<const char*, std::vector<bool>>, std::string> prepared_;
  std::unordered_map<const char*, TranslatedSql> translated_;
  int changes_ = 0;
  int next_name_ = 0;
};

// Maps a PostgreSQL error (by SQLSTATE) to Masthead's error codes.
Error ErrorFromPostgres(PGconn* conn, const PGresult* result, std::string_view what);

}  // namespace masthead::store::postgres
