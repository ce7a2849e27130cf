// Group commit: the write transactions of concurrent callers run one after the
// other inside ONE database transaction, each in its own savepoint, and one
// commit makes them all durable. A commit costs the same whether it carries one
// comment or twenty (the WAL frames of shared pages, the file locks, the
// PostgreSQL round trips and advisory lock), so under load each write pays a
// fraction of it; alone, a caller runs at once with no savepoint.
//
// A caller whose work fails has only its savepoint rolled back: the others
// commit. Every caller returns after the commit that carries its work (or with
// the error that lost it), so an answer is never given for a write not yet
// durable. Work runs on whichever caller's thread leads the batch; it must not
// depend on its thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "base/result.h"
#include "store/sqlite/connection.h"

namespace masthead::store::sqlite {

class ConnectionPool;

class GroupCommit {
 public:
  using Work = std::function<Status(Connection&)>;

  // At most this many callers share one transaction: a bound on how long the
  // leader works for others and on what one failing commit takes with it.
  static constexpr std::size_t kMaxBatch = 64;

  // Runs `work` in a write transaction on a connection from `pool`, holding the
  // pool's write mutex; returns `work`'s result once it is committed, or the
  // error that rolled it back. Rethrows what `work` threw, after rolling it back.
  Status Run(ConnectionPool& pool, const Work& work);

  // Callers queued behind the batch being written (for tests and metrics).
  std::size_t Waiting();
  // Transactions committed (or rolled back) and the writes they carried.
  struct Counts {
    std::uint64_t transactions = 0;
    std::uint64_t writes = 0;
  };
  Counts counts();

 private:
  struct Waiter {
    const Work* work = nullptr;
    Status result;
    std::exception_ptr thrown;
    bool done = false;
  };

  static void RunBatch(ConnectionPool& pool, const std::vector<Waiter*>& batch);

  std::mutex mutex_;
  std::condition_variable finished_;
  std::deque<Waiter*> waiting_;
  bool leading_ = false;
  Counts counts_;
};

}  // namespace masthead::store::sqlite
