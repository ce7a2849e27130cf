#include "store/postgres/pg_connection.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace masthead::store::postgres {

namespace {

constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
// Every write transaction of every node takes this lock: writers run one at a
// time, as on SQLite, so the logic written for SQLite stays correct.
constexpr char kBeginWrite[] = "BEGIN; SELECT pg_advisory_xact_lock(7236097108155654912)";

bool IsOk(const PGresult* result) {
  const auto status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

Status Simple(PGconn* conn, const char* sql) {
  PGresult* result = PQexec(conn, sql);
  if (!IsOk(result)) {
    Error error = ErrorFromPostgres(conn, result, sql);
    PQclear(result);
    return tl::unexpected(error);
  }
  PQclear(result);
  return Ok();
}

std::string QuoteIdentifier(PGconn* conn, const std::string& name) {
  char* quoted = PQescapeIdentifier(conn, name.c_str(), name.size());
  std::string text = quoted ? quoted : "";
  PQfreemem(quoted);
  return text;
}

}  // namespace

PgStatement::~PgStatement() { PQclear(result_); }

PgStatement::Parameter& PgStatement::At(int index) {
  if (static_cast<int>(parameters_.size()) < index) parameters_.resize(static_cast<std::size_t>(index));
  return parameters_[static_cast<std::size_t>(index - 1)];
}

void PgStatement::Bind(int index, std::int64_t value) { At(index) = {std::to_string(value), true}; }

void PgStatement::Bind(int index, std::string_view value) { At(index) = {std::string(value), false}; }

void PgStatement::BindNull(int index) { At(index) = {std::nullopt, false}; }

Result<bool> PgStatement::Step() {
  if (result_ == nullptr) {
    std::vector<std::optional<std::string>> values;
    std::vector<bool> integers;
    for (const auto& parameter : parameters_) {
      values.push_back(parameter.value);
      integers.push_back(parameter.integer);
    }
    auto result = connection_->Execute(sql_, values, integers);
    if (!result) return tl::unexpected(result.error());
    result_ = *result;
    row_ = -1;
  }
  ++row_;
  return row_ < PQntuples(result_);
}

std::int64_t PgStatement::Int(int column) const {
  const char* text = PQgetvalue(result_, row_, column);
  if (text[0] == 't' && text[1] == '\0') return 1;  // a boolean expression
  if (text[0] == 'f' && text[1] == '\0') return 0;
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

std::optional<std::int64_t> PgStatement::OptionalInt(int column) const {
  if (PQgetisnull(result_, row_, column)) return std::nullopt;
  return Int(column);
}

std::string PgStatement::Text(int column) const {
  return std::string(PQgetvalue(result_, row_, column),
                     static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& conninfo,
                                                          const std::string& schema) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = "postgres: cannot connect: " + std::string(PQerrorMessage(conn));
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn);
    return MakeError(ErrorCode::kUnavailable, message);
  }
  // Notices (e.g. "schema already exists") are not errors; keep stderr quiet.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  std::unique_ptr<PgConnection> connection(new PgConnection(conn));
  std::string setup = "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'";
  if (!schema.empty()) {
    const std::string name = QuoteIdentifier(conn, schema);
    setup += "; CREATE SCHEMA IF NOT EXISTS " + name + "; SET search_path TO " + name;
  }
  auto configured = Simple(conn, setup.c_str());
  if (!configured) {
    // Two connections creating one schema at once: the loser finds it made.
    configured = Simple(conn, setup.c_str());
    if (!configured) return tl::unexpected(configured.error());
  }
  return connection;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Result<std::unique_ptr<sqlite::Statement>> PgConnection::Prepare(const char* sql) {
  return std::unique_ptr<sqlite::Statement>(new PgStatement(this, sql));
}

Result<PGresult*> PgConnection::Execute(const char* sql, const std::vector<std::optional<std::string>>& values,
                                        const std::vector<bool>& given_integers) {
  auto translated = translated_.find(sql);
  if (translated == translated_.end()) translated = translated_.emplace(sql, PostgresSqlFor(sql)).first;
  const int count = translated->second.parameter_count;
  std::vector<bool> integers = given_integers;
  integers.resize(static_cast<std::size_t>(count), false);
  std::vector<const char*> pointers(static_cast<std::size_t>(count), nullptr);
  for (std::size_t i = 0; i < values.size() && i < pointers.size(); ++i) {
    if (!values[i]) continue;
    if (values[i]->find('\0') != std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "postgres: text must not contain NUL characters");
    }
    pointers[i] = values[i]->c_str();
  }
  auto& name = prepared_[{sql, integers}];
  if (name.empty()) {
    auto prepared = PrepareVariant(translated->second, integers, values);
    if (!prepared) {
      prepared_.erase({sql, integers});
      return tl::unexpected(prepared.error());
    }
    name = *prepared;
  }
  PGresult* result = PQexecPrepared(conn_, name.c_str(), count, pointers.data(), nullptr, nullptr, 0);
  if (!IsOk(result)) {
    Error error = ErrorFromPostgres(conn_, result, translated->second.text);
    PQclear(result);
    return tl::unexpected(error);
  }
  const char* tuples = PQcmdTuples(result);
  changes_ = tuples[0] ? std::atoi(tuples) : 0;
  return result;
}

Result<std::string> PgConnection::PrepareVariant(const TranslatedSql& translated, const std::vector<bool>& integers,
                                                const std::vector<std::optional<std::string>>& values) {
  const auto count = static_cast<std::size_t>(translated.parameter_count);
  std::vector<Oid> types(count, 0);
  for (std::size_t i = 0; i < count; ++i) {
    const bool used = i < translated.used.size() && translated.used[i];
    types[i] = !used ? kTextOid : integers[i] ? kInt8Oid : 0;
  }
  const std::string name = "s" + std::to_string(++next_name_);
  // A NULL whose first use is "?N IS NULL" leaves PostgreSQL without a type
  // for it (SQLite needs none). Such a parameter is retried as a bigint (the
  // store's nullable parameters are ids and times), inside a savepoint so a
  // failed attempt does not abort the transaction around it.
  const bool in_transaction = PQtransactionStatus(conn_) == PQTRANS_INTRANS;
  for (;;) {
    if (in_transaction) MASTHEAD_RETURN_IF_ERROR(Simple(conn_, "SAVEPOINT masthead_prepare"));
    PGresult* prepared =
        PQprepare(conn_, name.c_str(), translated.text.c_str(), static_cast<int>(count), types.data());
    if (IsOk(prepared)) {
      PQclear(prepared);
      if (in_transaction) MASTHEAD_RETURN_IF_ERROR(Simple(conn_, "RELEASE SAVEPOINT masthead_prepare"));
      return name;
    }
    Error error = ErrorFromPostgres(conn_, prepared, translated.text);
    const char* state = PQresultErrorField(prepared, PG_DIAG_SQLSTATE);
    const bool indeterminate = state != nullptr && (std::string_view(state) == "42P08" || std::string_view(state) == "42P18");
    const std::string message = PQresultErrorMessage(prepared);
    PQclear(prepared);
    if (in_transaction) MASTHEAD_RETURN_IF_ERROR(Simple(conn_, "ROLLBACK TO SAVEPOINT masthead_prepare"));
    const auto dollar = message.find("parameter $");
    if (!indeterminate || dollar == std::string::npos) return tl::unexpected(error);
    const std::size_t index = static_cast<std::size_t>(std::atoi(message.c_str() + dollar + 11)) - 1;
    const bool null_bound = index < values.size() ? !values[index].has_value() : true;
    if (index >= count || types[index] != 0 || !null_bound) return tl::unexpected(error);
    types[index] = kInt8Oid;
  }
}

Status PgConnection::ExecScript(const std::string& sql) { return Simple(conn_, sql.c_str()); }

Status PgConnection::BeginWrite() { return Simple(conn_, kBeginWrite); }

Status PgConnection::Commit() { return Simple(conn_, "COMMIT"); }

Status PgConnection::Rollback() { return Simple(conn_, "ROLLBACK"); }

std::int64_t PgConnection::LastInsertId() {
  PGresult* result = PQexec(conn_, "SELECT lastval()");
  std::int64_t id = 0;
  if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1) {
    const char* text = PQgetvalue(result, 0, 0);
    std::from_chars(text, text + std::strlen(text), id);
  }
  PQclear(result);
  return id;
}

Error ErrorFromPostgres(PGconn* conn, const PGresult* result, std::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  std::string detail = result ? PQresultErrorMessage(result) : "";
  if (detail.empty()) detail = PQerrorMessage(conn);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  ErrorCode code = ErrorCode::kInternal;
  if (sqlstate == "23505") {
    code = ErrorCode::kAlreadyExists;  // unique_violation
  } else if (sqlstate.rfind("23", 0) == 0 || sqlstate.rfind("22", 0) == 0) {
    code = ErrorCode::kInvalidArgument;  // other constraints, bad data (e.g. broken UTF-8)
  } else if (sqlstate == "54000") {
    code = ErrorCode::kTooLarge;
  } else if (sqlstate.empty() || sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57", 0) == 0 ||
             sqlstate.rfind("53", 0) == 0 || sqlstate == "40001" || sqlstate == "40P01") {
    code = ErrorCode::kUnavailable;  // connection lost, server shutting down, out of resources
  }
  std::string message = "postgres: " + detail;
  if (!what.empty() && code == ErrorCode::kInternal) {
    message += " (in: " + std::string(what.substr(0, 160)) + ")";
  }
  return Error{code, std::move(message), {}};
}

}  // namespace masthead::store::postgres
