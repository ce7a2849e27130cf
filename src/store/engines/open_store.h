// Picks the engine from where the data lives: a postgres:// URL is the
// PostgreSQL engine, anything else (optionally prefixed "sqlite:") a SQLite file.
#pragma once

#include <memory>
#include <string>

#include "store/cluster_bus.h"
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

// The bus between the nodes sharing the database at `location`; nullptr for
// SQLite, which one node uses alone.
Result<std::unique_ptr<ClusterBus>> OpenClusterBus(const std::string& location);

}  // namespace masthead::store
