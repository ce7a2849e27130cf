// Internals shared by the SQL store's source files; not part of any API.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/group_commit.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statements.h"

namespace masthead::store::sqlite {

// Hands out connections exclusively; creates them lazily up to a maximum, so an
// idle server holds one. Writers also take `write_mutex`, so a node's writers
// queue here rather than in the engine's lock (SQLite's busy-wait sleeps and
// wastes throughput; PostgreSQL's advisory lock would hold a connection each).
class ConnectionPool {
 public:
  using Opener = std::function<Result<std::unique_ptr<Connection>>()>;
  ConnectionPool(Opener open, int max_connections) : open_connection_(std::move(open)), max_(max_connections) {}

  Result<std::unique_ptr<Connection>> Acquire() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
      if (open_ < max_) {
        ++open_;
        lock.unlock();
        auto connection = open_connection_();
        if (!connection) {
          lock.lock();
          --open_;
          available_.notify_one();
        }
        return connection;
      }
      available_.wait(lock);
    }
  }

  void Release(std::unique_ptr<Connection> connection) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(connection));
    }
    available_.notify_one();
  }

  // A connection that broke (the server went away) is closed, not reused.
  void Discard(std::unique_ptr<Connection> connection) {
    connection.reset();
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    available_.notify_one();
  }

  std::mutex& write_mutex() { return write_mutex_; }
  GroupCommit& group_commit() { return group_commit_; }

  // The connection every write transaction runs on; call with write_mutex held.
  // One connection for all writes keeps its page cache valid from one write to
  // the next (SQLite drops a connection's cache when another one wrote), so a
  // write reads the pages it changes from memory rather than from the file.
  Result<Connection*> Writer() {
    if (writer_ && writer_->Broken()) Discard(std::move(writer_));
    if (!writer_) {
      auto connection = Acquire();
      if (!connection) return tl::unexpected(connection.error());
      writer_ = std::move(*connection);
    }
    return writer_.get();
  }

 private:
  Opener open_connection_;
  int max_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  std::mutex write_mutex_;
  GroupCommit group_commit_;
  std::unique_ptr<Connection> writer_;  // guarded by write_mutex_
};

// Ensures a pooled connection goes back even on early return.
class PooledConnection {
 public:
  PooledConnection(ConnectionPool* pool, std::unique_ptr<Connection> connection)
      : pool_(pool), connection_(std::move(connection)) {}
  ~PooledConnection() {
    if (connection_->Broken()) {
      pool_->Discard(std::move(connection_));
    } else {
      pool_->Release(std::move(connection_));
    }
  }
  Connection& operator*() { return *connection_; }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<Connection> connection_;
};

// Shared by the engine's files (defined in sqlite_store_discussion.cc).
std::string_view StatusName(CommentStatus status);
CommentStatus StatusFromName(const std::string& name);
Comment ReadComment(const Statement& s);
Result<std::vector<Comment>> ReadComments(Statement& s);
// Reads the users columns "id, email, display_name, password_hash, role,
// email_confirmed_at, created_at, updated_at" (defined in sqlite_store_accounts.cc).
User ReadUser(const Statement& s);

// A list of ids as one JSON array parameter, read with json_each().
inline std::string JsonIdList(const std::vector<std::int64_t>& ids) {
  std::string json = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) json += ',';
    json += std::to_string(ids[i]);
  }
  return json + "]";
}

inline Status RunSimple(Connection& connection, const char* sql) {
  auto statement = connection.Prepare(sql);
  if (!statement) return tl::unexpected(statement.error());
  return (*statement)->Run();
}

// Runs `fn` in a write transaction, rolling back when it fails.
template <typename Fn>
auto InTransaction(Connection& connection, Fn&& fn) -> decltype(fn()) {
  MASTHEAD_RETURN_IF_ERROR(connection.BeginWrite());
  auto result = fn();
  if (!result) {
    (void)connection.Rollback();
    return result;
  }
  if (auto committed = connection.Commit(); !committed) {
    (void)connection.Rollback();
    return tl::unexpected(committed.error());
  }
  return result;
}

template <typename Fn>
auto SqliteStore::WithConnection(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
  if (bound_ != nullptr) return fn(*bound_);
  auto connection = pool_->Acquire();
  if (!connection) return tl::unexpected(connection.error());
  PooledConnection lease(pool_.get(), std::move(*connection));
  return fn(*lease);
}

template <typename Fn>
auto SqliteStore::WithWrite(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
  if (bound_ != nullptr) return fn(*bound_);
  std::lock_guard write_lock(pool_->write_mutex());
  auto writer = pool_->Writer();
  if (!writer) return tl::unexpected(writer.error());
  return InTransaction(**writer, [&] { return fn(**writer); });
}

// Runs a prepared statement and reads every row with `read`.
template <typename Row, typename Read>
Result<std::vector<Row>> ReadAll(Statement& s, Read read) {
  std::vector<Row> rows;
  for (;;) {
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return rows;
    rows.push_back(read(s));
  }
}

// The one row a lookup by id finds, or kNotFound with `what`.
template <typename Row, typename Read>
Result<Row> ReadOne(Connection& connection, const char* sql, std::int64_t id, Read read,
                    const char* what) {
  auto statement = connection.Prepare(sql);
  if (!statement) return tl::unexpected(statement.error());
  (*statement)->Bind(1, id);
  auto row = (*statement)->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, std::string("no such ") + what);
  return read(**statement);
}


}  // namespace masthead::store::sqlite
