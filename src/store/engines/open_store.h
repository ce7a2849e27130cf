// Picks the engine from where the data lives: a postgres:// URL is the
// PostgreSQL engine, anything else (optionally prefixed "sqlite:") a SQLite file.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace masthead::store {

enum class Engine { kSqlite, kPostgres };

struct OpenStoreOptions {
  std::string location;              // "var/masthead.db", "sqlite:var/masthead.db", "postgres://..."
  std::string synchronous = "normal";  // SQLite only
  int max_connections = 8;
};

Engine EngineOf(const std::string& location);
// The SQLite path of a location (without "sqlite:").
std::string SqlitePathOf(const std::string& location);

// Opens (creating a SQLite file when missing). Does not migrate.
Result<std::unique_ptr<Store>> OpenStore(const OpenStoreOptions& options);

}  // namespace masthead::store
