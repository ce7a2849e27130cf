#include "base/periodic_task.h"

namespace masthead {

void PeriodicTask::Start(std::chrono::milliseconds interval, std::function<void()> fn, FirstRun first,
                         std::chrono::milliseconds settle) {
  Stop();
  std::lock_guard<std::mutex> lock(mutex_);
  stopping_ = false;
  thread_ = std::thread([this, interval, fn = std::move(fn), first, settle] {
    if (first == FirstRun::kAtStart) fn();
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait_for(lock, interval, [this] { return stopping_ || woken_; });
      if (stopping_) return;
      if (woken_ && settle.count() > 0) {
        // Still woken_ meanwhile, so further wakes return without notifying.
        wake_.wait_for(lock, settle, [this] { return stopping_; });
        if (stopping_) return;
      }
      woken_ = false;
      lock.unlock();
      fn();
      lock.lock();
    }
  });
}

void PeriodicTask::Wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (woken_) return;  // a run is already due: nobody to tell
    woken_ = true;
  }
  wake_.notify_all();
}

void PeriodicTask::Stop() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

}  // namespace masthead
