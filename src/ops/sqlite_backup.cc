#include "ops/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace masthead::ops {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Error SqliteError(sqlite3* db, const std::string& what) {
  return Error{ErrorCode::kUnavailable, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"), ""};
}

Result<Db> OpenDb(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return tl::unexpected(SqliteError(raw, "cannot open " + path));
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

Status Exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    Error error{ErrorCode::kUnavailable, std::string(sql) + ": " + (message ? message : "failed"), ""};
    sqlite3_free(message);
    return tl::unexpected(error);
  }
  return Ok();
}

// Runs a query and collects the first column of every row as text.
Result<std::vector<std::string>> Column(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return tl::unexpected(SqliteError(db, sql));
  }
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(raw, &sqlite3_finalize);
  std::vector<std::string> values;
  for (;;) {
    const int rc = sqlite3_step(raw);
    if (rc == SQLITE_DONE) return values;
    if (rc != SQLITE_ROW) return tl::unexpected(SqliteError(db, sql));
    const unsigned char* text = sqlite3_column_text(raw, 0);
    values.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
  }
}

Result<std::int64_t> Number(sqlite3* db, const std::string& sql) {
  auto values = Column(db, sql);
  if (!values) return tl::unexpected(values.error());
  if (values->empty()) return 0;
  return std::stoll(values->front().empty() ? "0" : values->front());
}

std::string Quoted(const std::string& name) {
  std::string quoted = "\"";
  for (const char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Row counts of every ordinary table (FTS shadow tables included: they are data too).
Result<std::vector<std::pair<std::string, std::int64_t>>> TableRows(sqlite3* db) {
  auto tables = Column(db,
                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                       " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name");
  if (!tables) return tl::unexpected(tables.error());
  std::vector<std::pair<std::string, std::int64_t>> rows;
  for (const auto& table : *tables) {
    auto count = Number(db, "SELECT count(*) FROM " + Quoted(table));
    if (!count) return tl::unexpected(count.error());
    rows.emplace_back(table, *count);
  }
  return rows;
}

// integrity_check, then the facts a report shows.
Result<CopyReport> Check(sqlite3* db, const std::string& path) {
  auto integrity = Column(db, "PRAGMA integrity_check");
  if (!integrity) return tl::unexpected(integrity.error());
  if (integrity->size() != 1 || integrity->front() != "ok") {
    std::string problems;
    for (std::size_t i = 0; i < integrity->size() && i < 5; ++i) problems += "\n  " + (*integrity)[i];
    return MakeError(ErrorCode::kInternal, path + " failed the integrity check:" + problems);
  }
  CopyReport report;
  auto rows = TableRows(db);
  if (!rows) return tl::unexpected(rows.error());
  report.table_rows = std::move(*rows);
  auto pages = Number(db, "PRAGMA page_count");
  auto page_size = Number(db, "PRAGMA page_size");
  if (!pages || !page_size) return MakeError(ErrorCode::kInternal, "cannot read the page count of " + path);
  report.pages = *pages;
  report.page_size = *page_size;
  auto has_migrations = Number(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'");
  if (has_migrations && *has_migrations > 0) {
    auto version = Number(db, "SELECT max(version) FROM schema_migrations");
    if (version) report.schema_version = static_cast<int>(*version);
  }
  return report;
}

// One page copy of the whole database; the source's read transaction (if open)
// pins the moment copied.
Status Copy(sqlite3* from, sqlite3* to) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return tl::unexpected(SqliteError(to, "backup"));
  const int step = sqlite3_backup_step(backup, -1);
  const int finish = sqlite3_backup_finish(backup);
  if (step != SQLITE_DONE || finish != SQLITE_OK) return tl::unexpected(SqliteError(to, "copying pages"));
  return Ok();
}

Status SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return MakeError(ErrorCode::kUnavailable, "cannot open " + path + " to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return MakeError(ErrorCode::kUnavailable, "cannot sync " + path);
  return Ok();
}

}  // namespace

Result<CopyReport> BackupSqlite(const std::string& database_path, const std::string& backup_path) {
  if (!std::filesystem::exists(database_path)) {
    return MakeError(ErrorCode::kNotFound, "no database at " + database_path);
  }
  auto source = OpenDb(database_path, SQLITE_OPEN_READWRITE);  // read-write so the WAL can be read
  if (!source) return tl::unexpected(source.error());
  const std::string partial = backup_path + ".partial";
  std::filesystem::remove(partial);
  auto target = OpenDb(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!target) return tl::unexpected(target.error());

  // One read transaction: the counts and the copied pages are the same moment.
  MASTHEAD_RETURN_IF_ERROR(Exec(source->get(), "BEGIN"));
  auto source_rows = TableRows(source->get());
  Status copied = source_rows ? Copy(source->get(), target->get()) : Status(tl::unexpected(source_rows.error()));
  (void)Exec(source->get(), "COMMIT");
  if (!copied) {
    target.value().reset();
    std::filesystem::remove(partial);
    return tl::unexpected(copied.error());
  }
  // A single file is easier to keep and move: the copy leaves WAL mode.
  MASTHEAD_RETURN_IF_ERROR(Exec(target->get(), "PRAGMA journal_mode=DELETE"));
  auto report = Check(target->get(), backup_path);
  if (report && report->table_rows != *source_rows) {
    report = MakeError(ErrorCode::kInternal, "the copy's row counts differ from the database's");
  }
  target.value().reset();
  if (!report) {
    std::filesystem::remove(partial);
    return report;
  }
  MASTHEAD_RETURN_IF_ERROR(SyncFile(partial));
  std::error_code ec;
  std::filesystem::rename(partial, backup_path, ec);
  if (ec) return MakeError(ErrorCode::kUnavailable, "cannot move the backup into " + backup_path + ": " + ec.message());
  return report;
}

Result<CopyReport> RestoreSqlite(const std::string& backup_path, const std::string& database_path, bool force) {
  auto backup = OpenDb(backup_path, SQLITE_OPEN_READONLY);
  if (!backup) return tl::unexpected(backup.error());
  auto checked = Check(backup->get(), backup_path);
  if (!checked) return checked;
  if (checked->schema_version == 0) {
    return MakeError(ErrorCode::kInvalidArgument, backup_path + " is not a Masthead database (no schema_migrations)");
  }

  auto target = OpenDb(database_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!target) return tl::unexpected(target.error());
  sqlite3_busy_timeout(target->get(), 0);
  // Exclusive locking before the first access: in WAL mode this succeeds only
  // when no other connection (a running server, another command) has the file.
  MASTHEAD_RETURN_IF_ERROR(Exec(target->get(), "PRAGMA locking_mode=EXCLUSIVE"));
  if (!Exec(target->get(), "BEGIN EXCLUSIVE")) {
    return MakeError(ErrorCode::kConflict,
                     database_path + " is in use (is the server running?): stop it before restoring");
  }
  auto tables = Number(target->get(), "SELECT count(*) FROM sqlite_schema");
  (void)Exec(target->get(), "COMMIT");
  if (!tables) return tl::unexpected(tables.error());
  if (*tables > 0 && !force) {
    return MakeError(ErrorCode::kConflict,
                     database_path + " already holds a database; restore into a new path, or add --force to replace it");
  }
  MASTHEAD_RETURN_IF_ERROR(Copy(backup->get(), target->get()));
  // The served database runs in WAL mode (the server sets it at every start).
  MASTHEAD_RETURN_IF_ERROR(Exec(target->get(), "PRAGMA journal_mode=WAL"));
  auto restored = Check(target->get(), database_path);
  if (!restored) return restored;
  if (restored->table_rows != checked->table_rows) {
    return MakeError(ErrorCode::kInternal, "the restored database's row counts differ from the backup's");
  }
  return restored;
}

}  // namespace masthead::ops
