// Moves a site's data from its SQLite file into an empty PostgreSQL database
// (`masthead migrate --from sqlite:PATH --to postgres://...`): both schemas are
// brought to the same version, every table is copied in one PostgreSQL
// transaction (COPY), then each table's row count and checksum are compared.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"

namespace masthead::store {

struct CopiedTable {
  std::string name;
  std::int64_t rows = 0;
  // An order-independent sum of a hash of each row's values, computed the
  // same way on both sides (so collation and physical order do not matter).
  std::uint64_t checksum = 0;
};

struct CopyReport {
  int schema_version = 0;
  std::vector<CopiedTable> tables;
};

// Called now and then while a table is copied (rows done of rows in total).
using CopyProgress = std::function<void(const std::string& table, std::int64_t done, std::int64_t total)>;

// The SQLite file is read in one snapshot; writes a running node makes after
// it started are not copied (stop the node first for a move). The target must
// have no rows yet. kInternal when the verification finds a difference.
Result<CopyReport> CopySqliteToPostgres(const std::string& sqlite_path, const std::string& postgres_url,
                                        const CopyProgress& progress);

}  // namespace masthead::store
