#include "store/sqlite/sqlite_connection.h"

namespace masthead::store::sqlite {

SqliteStatement::~SqliteStatement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void SqliteStatement::Bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

void SqliteStatement::Bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

Result<bool> SqliteStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(ErrorFromSqlite(sqlite3_db_handle(stmt_), rc, sqlite3_sql(stmt_)));
}

std::int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<std::int64_t> SqliteStatement::OptionalInt(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = ErrorFromSqlite(db, rc, "open " + path);
    error.code = ErrorCode::kUnavailable;
    sqlite3_close_v2(db);
    return tl::unexpected(error);
  }
  sqlite3_extended_result_codes(db, 1);
  // Waits for a competing writer instead of failing at once with SQLITE_BUSY.
  sqlite3_busy_timeout(db, 10000);
  return std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Statement>> SqliteConnection::Prepare(const char* sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return std::make_unique<SqliteStatement>(found->second);
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(ErrorFromSqlite(db_, rc, sql));
  statements_.emplace(sql, stmt);
  return std::make_unique<SqliteStatement>(stmt);
}

Status SqliteConnection::ExecScript(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return MakeError(ErrorCode::kInternal, "sqlite: " + text);
  }
  return Ok();
}

std::int64_t SqliteConnection::LastInsertId() { return sqlite3_last_insert_rowid(db_); }

int SqliteConnection::Changes() const { return sqlite3_changes(db_); }

Status SqliteConnection::RunSimple(const char* sql) {
  auto statement = Prepare(sql);
  if (!statement) return tl::unexpected(statement.error());
  return (*statement)->Run();
}

// IMMEDIATE takes the write lock at BEGIN, so two writers never deadlock
// upgrading from a read.
Status SqliteConnection::BeginWrite() { return RunSimple("BEGIN IMMEDIATE"); }
Status SqliteConnection::Commit() { return RunSimple("COMMIT"); }
Status SqliteConnection::Rollback() { return RunSimple("ROLLBACK"); }

Error ErrorFromSqlite(sqlite3* db, int rc, std::string_view what) {
  const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  ErrorCode code = ErrorCode::kInternal;
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
      code = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
                 ? ErrorCode::kAlreadyExists
                 : ErrorCode::kInvalidArgument;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      code = ErrorCode::kUnavailable;
      break;
    case SQLITE_TOOBIG:
      code = ErrorCode::kTooLarge;
      break;
    default:
      break;
  }
  std::string message = "sqlite: " + detail;
  if (!what.empty() && code == ErrorCode::kInternal) {
    message += " (in: " + std::string(what.substr(0, 120)) + ")";
  }
  return Error{code, std::move(message), {}};
}

}  // namespace masthead::store::sqlite
