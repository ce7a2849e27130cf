#include "store/sqlite/sqlite_engine.h"

#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/store_internal.h"
#include "store/sqlite/wal_checkpointer.h"

namespace masthead {
std::span<const EmbeddedFile> SqliteMigrations();
}

namespace masthead::store::sqlite {

Result<std::unique_ptr<SqlStore>> OpenSqliteStore(const SqliteOptions& options) {
  if (options.synchronous != "normal" && options.synchronous != "full") {
    return MakeError(ErrorCode::kInvalidArgument, "synchronous must be 'normal' or 'full'",
                     "database.synchronous");
  }
  std::shared_ptr<WalCheckpointer> checkpointer;
  if (options.checkpoint_frames > 0) {
    auto started = WalCheckpointer::Start(options.path, options.checkpoint_frames);
    if (!started) return tl::unexpected(started.error());
    checkpointer = std::move(*started);
  }
  // The pool keeps this opener, and with it the checkpointer, until its last
  // connection is closed.
  auto open = [options, checkpointer]() -> Result<std::unique_ptr<Connection>> {
    auto connection = SqliteConnection::Open(options.path);
    if (!connection) return tl::unexpected(connection.error());
    if (checkpointer) checkpointer->Watch((*connection)->handle());
    const std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                                "PRAGMA synchronous=" + options.synchronous + ";" +
                                "PRAGMA mmap_size=" + std::to_string(options.mmap_bytes) + ";";
    MASTHEAD_RETURN_IF_ERROR((*connection)->ExecScript(pragmas));
    if (options.grow_bytes > 0) {
      int chunk = options.grow_bytes;
      sqlite3_file_control((*connection)->handle(), "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
    }
    return std::unique_ptr<Connection>(std::move(*connection));
  };
  auto pool = std::make_shared<ConnectionPool>(open, options.max_connections);
  // Open one connection now so a bad path fails at start-up, not at first request.
  auto first = pool->Acquire();
  if (!first) return tl::unexpected(first.error());
  pool->Release(std::move(*first));
  return std::make_unique<SqlStore>(std::move(pool), SqliteMigrations());
}

}  // namespace masthead::store::sqlite
