#include "store/sqlite/group_commit.h"

#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {

namespace {

// Runs one caller's work; an exception is kept for the caller's own thread.
Status RunCaught(const GroupCommit::Work& work, Connection& connection, std::exception_ptr& thrown) {
  try {
    return work(connection);
  } catch (...) {
    thrown = std::current_exception();
    return MakeError(ErrorCode::kInternal, "the write failed with an exception");
  }
}

}  // namespace

Status GroupCommit::Run(ConnectionPool& pool, const Work& work) {
  Waiter me;
  me.work = &work;
  std::unique_lock lock(mutex_);
  waiting_.push_back(&me);
  while (!me.done) {
    if (leading_) {
      finished_.wait(lock);
      continue;
    }
    leading_ = true;
    std::vector<Waiter*> batch;
    while (!waiting_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(waiting_.front());
      waiting_.pop_front();
    }
    lock.unlock();
    RunBatch(pool, batch);
    lock.lock();
    for (Waiter* waiter : batch) waiter->done = true;
    ++counts_.transactions;
    counts_.writes += batch.size();
    leading_ = false;
    finished_.notify_all();
  }
  if (me.thrown) std::rethrow_exception(me.thrown);
  return me.result;
}

std::size_t GroupCommit::Waiting() {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

GroupCommit::Counts GroupCommit::counts() {
  std::lock_guard lock(mutex_);
  return counts_;
}

void GroupCommit::RunBatch(ConnectionPool& pool, const std::vector<Waiter*>& batch) {
  auto fail_all = [&](const Error& error) {
    for (Waiter* waiter : batch) {
      if (waiter->result) waiter->result = tl::unexpected(error);
    }
  };
  std::lock_guard write_lock(pool.write_mutex());
  auto writer = pool.Writer();
  if (!writer) return fail_all(writer.error());
  Connection& connection = **writer;
  if (auto begun = connection.BeginWrite(); !begun) return fail_all(begun.error());

  if (batch.size() == 1) {
    Waiter& only = *batch.front();
    only.result = RunCaught(*only.work, connection, only.thrown);
    if (!only.result) {
      (void)connection.Rollback();
      return;
    }
  } else {
    for (Waiter* waiter : batch) {
      if (auto saved = connection.ExecScript("SAVEPOINT masthead_write"); !saved) {
        (void)connection.Rollback();
        return fail_all(saved.error());
      }
      waiter->result = RunCaught(*waiter->work, connection, waiter->thrown);
      // A failed write leaves nothing behind; the others' stay for the commit.
      const char* end = waiter->result ? "RELEASE masthead_write"
                                       : "ROLLBACK TO masthead_write; RELEASE masthead_write";
      if (auto ended = connection.ExecScript(end); !ended) {
        (void)connection.Rollback();
        return fail_all(ended.error());
      }
    }
  }
  if (auto committed = connection.Commit(); !committed) {
    (void)connection.Rollback();
    fail_all(committed.error());
  }
}

}  // namespace masthead::store::sqlite
