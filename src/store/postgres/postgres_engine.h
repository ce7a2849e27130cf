// The PostgreSQL engine: the SQL store (store/sqlite/sqlite_store.h) over one
// PostgreSQL database that several Masthead nodes share.
#pragma once

#include <memory>
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace masthead::store::postgres {

struct PostgresOptions {
  // postgres://user:password@host:port/database?sslmode=... (libpq's URI).
  // Masthead reads one parameter of its own, schema=NAME: the tables live in
  // that schema (created when missing) instead of "public".
  std::string url;
  int max_connections = 8;
};

bool IsPostgresUrl(const std::string& location);

// Connects (once, to fail early). Does not migrate: call Migrate().
Result<std::unique_ptr<sqlite::SqlStore>> OpenPostgresStore(const PostgresOptions& options);

// libpq's connection string and Masthead's schema, from a postgres:// URL.
struct PostgresTarget {
  std::string conninfo;
  std::string schema;
};
Result<PostgresTarget> ParsePostgresUrl(const std::string& url);

}  // namespace masthead::store::postgres
