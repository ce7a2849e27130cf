#include "store/sqlite/wal_checkpointer.h"

#include <cstdio>

#include "store/sqlite/sqlite_connection.h"

namespace masthead::store::sqlite {

Result<std::shared_ptr<WalCheckpointer>> WalCheckpointer::Start(const std::string& path, int frames) {
  auto connection = SqliteConnection::Open(path);
  if (!connection) return tl::unexpected(connection.error());
  // A connection checkpoints only a log it knows of: it must see the file in
  // WAL mode (which every connection of the store sets anyway).
  MASTHEAD_RETURN_IF_ERROR((*connection)->ExecScript("PRAGMA journal_mode=WAL;"));
  std::shared_ptr<WalCheckpointer> checkpointer(new WalCheckpointer(std::move(*connection), frames));
  checkpointer->thread_ = std::thread([raw = checkpointer.get()] { raw->Run(); });
  return checkpointer;
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<SqliteConnection> connection, int frames)
    : connection_(std::move(connection)), frames_(frames) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void WalCheckpointer::Watch(sqlite3* db) { sqlite3_wal_hook(db, &WalCheckpointer::OnCommit, this); }

int WalCheckpointer::OnCommit(void* self, sqlite3*, const char*, int frames) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (frames < checkpointer->frames_) return SQLITE_OK;
  {
    std::lock_guard lock(checkpointer->mutex_);
    checkpointer->due_ = true;
  }
  checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

std::uint64_t WalCheckpointer::checkpoints() {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

void WalCheckpointer::Run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    lock.unlock();
    // PASSIVE copies what no reader still needs and never waits for anyone; what
    // it leaves is copied next time. Errors (say, a full disk) change nothing
    // stored: the log simply stays longer until a later checkpoint succeeds.
    const int rc = sqlite3_wal_checkpoint_v2(connection_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      std::fprintf(stderr, "masthead: database checkpoint: %s\n", sqlite3_errstr(rc));
    }
    lock.lock();
    ++checkpoints_;
  }
}

}  // namespace masthead::store::sqlite
