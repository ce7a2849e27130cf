// Checkpoints SQLite's write-ahead log on a thread of its own. By default the
// commit that makes the log long enough copies it into the database file and
// waits for the fsync, inside the write lock that every other writer queues
// for; here commits only note the length, and this thread checkpoints in
// PASSIVE mode, beside the writers and readers rather than in front of them.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.h"

namespace masthead::store::sqlite {

class SqliteConnection;

class WalCheckpointer {
 public:
  // Opens its own connection to `path` and starts the thread. The log is
  // checkpointed once a commit leaves it at least `frames` pages long.
  static Result<std::shared_ptr<WalCheckpointer>> Start(const std::string& path, int frames);
  ~WalCheckpointer();  // stops and joins the thread
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Commits on `db` no longer checkpoint themselves but wake this thread.
  // `db` must be closed before the checkpointer is destroyed.
  void Watch(sqlite3* db);

  std::uint64_t checkpoints();  // run so far, for tests and metrics

 private:
  WalCheckpointer(std::unique_ptr<SqliteConnection> connection, int frames);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int frames);
  void Run();

  std::unique_ptr<SqliteConnection> connection_;
  const int frames_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::uint64_t checkpoints_ = 0;
  std::thread thread_;
};

}  // namespace masthead::store::sqlite
