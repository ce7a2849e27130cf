#include "store/engines/copy_to_postgres.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <filesystem>

#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_engine.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_engine.h"

namespace masthead::store {

namespace {

constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

// One row's hash: FNV-1a over its values, each with a type mark so that NULL,
// '' and the text "0" differ from each other.
class RowHash {
 public:
  void Add(const char* value, std::size_t size) {
    Byte(value == nullptr ? 0 : 1);
    for (std::size_t i = 0; value != nullptr && i < size; ++i) Byte(static_cast<unsigned char>(value[i]));
    Byte(0xff);
  }
  std::uint64_t value() const { return hash_; }

 private:
  void Byte(unsigned char b) { hash_ = (hash_ ^ b) * kFnvPrime; }
  std::uint64_t hash_ = kFnvOffset;
};

// A value in COPY's text format.
void AppendCopyValue(std::string& line, const char* value, std::size_t size) {
  if (value == nullptr) {
    line += "\\N";
    return;
  }
  for (std::size_t i = 0; i < size; ++i) {
    const char c = value[i];
    switch (c) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      default: line += c;
    }
  }
}

Status SqliteOk(sqlite3* db, int rc, const std::string& what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return Ok();
  return tl::unexpected(sqlite::ErrorFromSqlite(db, rc, what));
}

struct SqliteQuery {
  sqlite3_stmt* stmt = nullptr;
  ~SqliteQuery() { sqlite3_finalize(stmt); }
};

Result<std::vector<std::string>> SqliteStrings(sqlite3* db, const std::string& sql) {
  SqliteQuery q;
  MASTHEAD_RETURN_IF_ERROR(SqliteOk(db, sqlite3_prepare_v2(db, sql.c_str(), -1, &q.stmt, nullptr), sql));
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(q.stmt)) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(q.stmt, 0));
    out.emplace_back(text ? text : "");
  }
  MASTHEAD_RETURN_IF_ERROR(SqliteOk(db, rc, sql));
  return out;
}

Status PgExec(PGconn* conn, const std::string& sql) {
  PGresult* result = PQexec(conn, sql.c_str());
  const auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = postgres::ErrorFromPostgres(conn, result, sql);
    PQclear(result);
    return tl::unexpected(error);
  }
  PQclear(result);
  return Ok();
}

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

std::string ColumnList(const std::vector<std::string>& columns) {
  std::string list;
  for (const auto& column : columns) list += (list.empty() ? "" : ", ") + Quoted(column);
  return list;
}

// The tables to copy, parents before children (the order the migrations
// created them in): not SQLite's own, not the full-text index (PostgreSQL
// keeps its own), not the migration log (each engine has its own).
Result<std::vector<std::string>> TablesToCopy(sqlite3* db) {
  return SqliteStrings(
      db,
      "SELECT t.name FROM sqlite_master t WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
      " AND t.name <> 'schema_migrations' AND t.sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
      " AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table'"
      "   AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND t.name LIKE v.name || '\\_%' ESCAPE '\\')"
      " ORDER BY t.rowid");
}

Result<CopiedTable> CopyTable(sqlite3* source, PGconn* target, const std::string& table,
                              const std::vector<std::string>& columns, const CopyProgress& progress) {
  auto total = SqliteStrings(source, "SELECT COUNT(*) FROM " + Quoted(table));
  if (!total) return tl::unexpected(total.error());
  const std::int64_t rows_total = std::stoll(total->front());
  const std::string copy = "COPY " + Quoted(table) + " (" + ColumnList(columns) + ") FROM STDIN";
  PGresult* started = PQexec(target, copy.c_str());
  if (PQresultStatus(started) != PGRES_COPY_IN) {
    Error error = postgres::ErrorFromPostgres(target, started, copy);
    PQclear(started);
    return tl::unexpected(error);
  }
  PQclear(started);
  CopiedTable copied{table, 0, 0};
  const std::string select = "SELECT " + ColumnList(columns) + " FROM " + Quoted(table) + " ORDER BY rowid";
  SqliteQuery q;
  MASTHEAD_RETURN_IF_ERROR(SqliteOk(source, sqlite3_prepare_v2(source, select.c_str(), -1, &q.stmt, nullptr), select));
  std::string buffer;
  int rc;
  const auto flush = [&]() -> Status {
    if (PQputCopyData(target, buffer.data(), static_cast<int>(buffer.size())) != 1) {
      return MakeError(ErrorCode::kUnavailable, "postgres: COPY failed: " + std::string(PQerrorMessage(target)));
    }
    buffer.clear();
    return Ok();
  };
  while ((rc = sqlite3_step(q.stmt)) == SQLITE_ROW) {
    RowHash hash;
    for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
      const bool null = sqlite3_column_type(q.stmt, i) == SQLITE_NULL;
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(q.stmt, i));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(q.stmt, i));
      if (i > 0) buffer += '\t';
      AppendCopyValue(buffer, null ? nullptr : text, size);
      hash.Add(null ? nullptr : text, size);
    }
    buffer += '\n';
    copied.checksum += hash.value();
    ++copied.rows;
    if (buffer.size() > (1 << 20)) MASTHEAD_RETURN_IF_ERROR(flush());
    if (progress && copied.rows % 1000 == 0) progress(table, copied.rows, rows_total);
  }
  MASTHEAD_RETURN_IF_ERROR(SqliteOk(source, rc, select));
  if (!buffer.empty()) MASTHEAD_RETURN_IF_ERROR(flush());
  if (PQputCopyEnd(target, nullptr) != 1) {
    return MakeError(ErrorCode::kUnavailable, "postgres: COPY failed: " + std::string(PQerrorMessage(target)));
  }
  PGresult* result = PQgetResult(target);
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  Error error = ok ? Error{} : postgres::ErrorFromPostgres(target, result, "COPY " + table);
  PQclear(result);
  while ((result = PQgetResult(target)) != nullptr) PQclear(result);
  if (!ok) return tl::unexpected(error);
  if (progress) progress(table, copied.rows, rows_total);
  // Ids given by the database continue after the copied ones.
  for (const auto& column : columns) {
    if (column != "id") continue;
    MASTHEAD_RETURN_IF_ERROR(PgExec(target, "SELECT setval(pg_get_serial_sequence('" + table + "', 'id'),"
                                            " COALESCE(MAX(id), 0) + 1, false) FROM " + Quoted(table)));
  }
  return copied;
}

// The same count and checksum, read back from PostgreSQL.
Result<CopiedTable> SumTable(PGconn* target, const std::string& table, const std::vector<std::string>& columns) {
  const std::string select = "SELECT " + ColumnList(columns) + " FROM " + Quoted(table);
  PGresult* result = PQexec(target, select.c_str());
  if (PQresultStatus(result) != PGRES_TUPLES_OK) {
    Error error = postgres::ErrorFromPostgres(target, result, select);
    PQclear(result);
    return tl::unexpected(error);
  }
  CopiedTable sum{table, PQntuples(result), 0};
  for (int row = 0; row < PQntuples(result); ++row) {
    RowHash hash;
    for (int i = 0; i < PQnfields(result); ++i) {
      hash.Add(PQgetisnull(result, row, i) ? nullptr : PQgetvalue(result, row, i),
               static_cast<std::size_t>(PQgetlength(result, row, i)));
    }
    sum.checksum += hash.value();
  }
  PQclear(result);
  return sum;
}

}  // namespace

Result<CopyReport> CopySqliteToPostgres(const std::string& sqlite_path, const std::string& postgres_url,
                                        const CopyProgress& progress) {
  if (!std::filesystem::exists(sqlite_path)) {
    return MakeError(ErrorCode::kNotFound, "no SQLite database at " + sqlite_path, "from");
  }
  // Both schemas up to date: the same tables and columns on both sides.
  auto source_store = sqlite::OpenSqliteStore({.path = sqlite_path});
  if (!source_store) return tl::unexpected(source_store.error());
  auto source_version = (*source_store)->Migrate();
  if (!source_version) return tl::unexpected(source_version.error());
  auto target_store = postgres::OpenPostgresStore({.url = postgres_url});
  if (!target_store) return tl::unexpected(target_store.error());
  auto target_version = (*target_store)->Migrate();
  if (!target_version) return tl::unexpected(target_version.error());
  if (*source_version != *target_version) {
    return MakeError(ErrorCode::kConflict,
                     "schema versions differ: SQLite " + std::to_string(*source_version) + ", PostgreSQL " +
                         std::to_string(*target_version) + " (is this binary older than the database?)");
  }

  auto source = sqlite::SqliteConnection::Open(sqlite_path);
  if (!source) return tl::unexpected(source.error());
  sqlite3* db = (*source)->handle();
  auto target_address = postgres::ParsePostgresUrl(postgres_url);
  if (!target_address) return tl::unexpected(target_address.error());
  auto target = postgres::PgConnection::Open(target_address->conninfo, target_address->schema);
  if (!target) return tl::unexpected(target.error());
  PGconn* pg = (*target)->handle();

  // One snapshot of the source for the copy and its checksums.
  MASTHEAD_RETURN_IF_ERROR((*source)->ExecScript("BEGIN"));
  auto tables = TablesToCopy(db);
  if (!tables) return tl::unexpected(tables.error());
  std::vector<std::vector<std::string>> columns;
  for (const auto& table : *tables) {
    auto names = SqliteStrings(db, "SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid");
    if (!names) return tl::unexpected(names.error());
    columns.push_back(*names);
    PGresult* any = PQexec(pg, ("SELECT 1 FROM " + Quoted(table) + " LIMIT 1").c_str());
    const bool readable = PQresultStatus(any) == PGRES_TUPLES_OK;
    const bool has_rows = readable && PQntuples(any) > 0;
    Error error = readable ? Error{} : postgres::ErrorFromPostgres(pg, any, table);
    PQclear(any);
    if (!readable) return tl::unexpected(error);
    if (has_rows) {
      return MakeError(ErrorCode::kConflict,
                       "the PostgreSQL database already has data (table " + table + "): copy into an empty one",
                       "to");
    }
  }

  CopyReport report;
  report.schema_version = *source_version;
  MASTHEAD_RETURN_IF_ERROR(PgExec(pg, "BEGIN"));
  for (std::size_t i = 0; i < tables->size(); ++i) {
    auto copied = CopyTable(db, pg, (*tables)[i], columns[i], progress);
    if (!copied) {
      (void)PgExec(pg, "ROLLBACK");
      return tl::unexpected(copied.error());
    }
    report.tables.push_back(*copied);
  }
  MASTHEAD_RETURN_IF_ERROR(PgExec(pg, "COMMIT"));
  (void)(*source)->ExecScript("COMMIT");

  for (std::size_t i = 0; i < tables->size(); ++i) {
    auto sum = SumTable(pg, (*tables)[i], columns[i]);
    if (!sum) return tl::unexpected(sum.error());
    const CopiedTable& copied = report.tables[i];
    if (sum->rows != copied.rows || sum->checksum != copied.checksum) {
      return MakeError(ErrorCode::kInternal,
                       "verification failed for table " + copied.name + ": " + std::to_string(copied.rows) +
                           " rows copied, " + std::to_string(sum->rows) + " found, checksums " +
                           (sum->checksum == copied.checksum ? "equal" : "differ"));
    }
  }
  return report;
}

}  // namespace masthead::store
