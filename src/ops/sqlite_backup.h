// `masthead backup FILE` and `masthead restore FILE` for the SQLite engine.
//
// Backup is online: it copies the database with SQLite's backup API inside one
// read transaction of the source, so the copy is one consistent moment while the
// server goes on writing (WAL readers do not block writers). The copy is written
// next to FILE, checked (PRAGMA integrity_check, and every table's row count
// equal to the source's in that same moment), synced, then renamed into place.
//
// Restore copies a checked backup into the database file. It refuses a database
// that holds data unless forced, and refuses always while another process has it
// open (a running server), since replacing pages under it would corrupt it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace masthead::ops {

struct CopyReport {
  std::vector<std::pair<std::string, std::int64_t>> table_rows;  // every table, by name
  std::int64_t pages = 0;
  std::int64_t page_size = 0;
  int schema_version = 0;  // highest migration recorded in the copy
};

Result<CopyReport> BackupSqlite(const std::string& database_path, const std::string& backup_path);

Result<CopyReport> RestoreSqlite(const std::string& backup_path, const std::string& database_path, bool force);

}  // namespace masthead::ops
