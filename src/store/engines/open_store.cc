#include "store/engines/open_store.h"

#include <filesystem>

#include "store/postgres/pg_cluster_bus.h"
#include "store/postgres/postgres_engine.h"
#include "store/sqlite/sqlite_engine.h"

namespace masthead::store {

Engine EngineOf(const std::string& location) {
  return postgres::IsPostgresUrl(location) ? Engine::kPostgres : Engine::kSqlite;
}

std::string SqlitePathOf(const std::string& location) {
  return location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location;
}

Result<std::unique_ptr<Store>> OpenStore(const OpenStoreOptions& options) {
  if (EngineOf(options.location) == Engine::kPostgres) {
    auto store = postgres::OpenPostgresStore({.url = options.location, .max_connections = options.max_connections});
    if (!store) return tl::unexpected(store.error());
    return std::unique_ptr<Store>(std::move(*store));
  }
  const std::string path = SqlitePathOf(options.location);
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  auto store = sqlite::OpenSqliteStore(
      {.path = path, .max_connections = options.max_connections, .synchronous = options.synchronous});
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<Store>(std::move(*store));
}

Result<std::unique_ptr<ClusterBus>> OpenClusterBus(const std::string& location) {
  if (EngineOf(location) != Engine::kPostgres) return std::unique_ptr<ClusterBus>();
  auto bus = postgres::PgClusterBus::Open(location);
  if (!bus) return tl::unexpected(bus.error());
  return std::unique_ptr<ClusterBus>(std::move(*bus));
}

}  // namespace masthead::store
