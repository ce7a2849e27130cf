// The SQLite engine: the SQL store over one SQLite file.
#pragma once

#include <memory>
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace masthead::store::sqlite {

struct SqliteOptions {
  std::string path;
  int max_connections = 8;
  // "normal" is durable against a crash of the process (the WAL is in the OS);
  // "full" also against power loss, at the cost of an fsync per commit.
  std::string synchronous = "normal";
  // The database file is read through a memory map of up to this size: a read
  // after another connection's write (SQLite then drops the reader's page
  // cache) copies from the map instead of making a read() call per page.
  std::int64_t mmap_bytes = std::int64_t{1} << 30;
  // The file grows in steps of this size. Each growth makes every connection
  // map the file anew, and each unmap stops all the server's threads to flush
  // their TLBs: growing page by page under steady posting did that about once
  // per post.
  int grow_bytes = 8 << 20;
  // The write-ahead log is checkpointed on a thread of its own once it has this
  // many pages (SQLite's own default length); 0: by the commits themselves.
  int checkpoint_frames = 1000;
};

// Opens (creating if needed) the database. Does not migrate: call Migrate().
Result<std::unique_ptr<SqlStore>> OpenSqliteStore(const SqliteOptions& options);

}  // namespace masthead::store::sqlite
