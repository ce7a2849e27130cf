#include "store/postgres/postgres_engine.h"

#include "store/postgres/pg_connection.h"
#include "store/sqlite/store_internal.h"

namespace masthead {
std::span<const EmbeddedFile> PostgresMigrations();
}

namespace masthead::store::postgres {

bool IsPostgresUrl(const std::string& location) {
  return location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0;
}

Result<PostgresTarget> ParsePostgresUrl(const std::string& url) {
  if (!IsPostgresUrl(url)) {
    return MakeError(ErrorCode::kInvalidArgument, "a PostgreSQL URL starts with postgres://", "database.path");
  }
  PostgresTarget target;
  const auto query = url.find('?');
  if (query == std::string::npos) {
    target.conninfo = url;
    return target;
  }
  std::string kept;
  std::size_t at = query + 1;
  while (at <= url.size()) {
    auto end = url.find('&', at);
    if (end == std::string::npos) end = url.size();
    const std::string pair = url.substr(at, end - at);
    if (pair.rfind("schema=", 0) == 0) {
      target.schema = pair.substr(7);
      for (char c : target.schema) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!plain) {
          return MakeError(ErrorCode::kInvalidArgument, "schema= takes lower-case letters, digits and _",
                           "database.path");
        }
      }
    } else if (!pair.empty()) {
      kept += (kept.empty() ? "" : "&") + pair;
    }
    at = end + 1;
  }
  target.conninfo = url.substr(0, query) + (kept.empty() ? "" : "?" + kept);
  return target;
}

Result<std::unique_ptr<sqlite::SqlStore>> OpenPostgresStore(const PostgresOptions& options) {
  auto target = ParsePostgresUrl(options.url);
  if (!target) return tl::unexpected(target.error());
  auto open = [target = *target]() -> Result<std::unique_ptr<sqlite::Connection>> {
    auto connection = PgConnection::Open(target.conninfo, target.schema);
    if (!connection) return tl::unexpected(connection.error());
    return std::unique_ptr<sqlite::Connection>(std::move(*connection));
  };
  auto pool = std::make_shared<sqlite::ConnectionPool>(open, options.max_connections);
  auto first = pool->Acquire();
  if (!first) return tl::unexpected(first.error());
  pool->Release(std::move(*first));
  return std::make_unique<sqlite::SqlStore>(std::move(pool), PostgresMigrations());
}

}  // namespace masthead::store::postgres
