// A background thread that runs one function at a fixed interval until stopped:
// the small schedulers of a serving node (digests, reminders) without a thread
// library for each. Stop() wakes the thread at once rather than after a sleep;
// Wake() runs the function early (work arrived).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace masthead {

class PeriodicTask {
 public:
  PeriodicTask() = default;
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  ~PeriodicTask() { Stop(); }

  enum class FirstRun { kAfterInterval, kAtStart };
  // Runs `fn` every `interval`; the first time one interval after Start, or at
  // once (work that may have waited while the process was down).
  // `settle` > 0 delays a run that Wake() asked for by that long, so that a
  // burst of work (a reply posted every millisecond) is handled in one run
  // instead of one run per item.
  void Start(std::chrono::milliseconds interval, std::function<void()> fn,
             FirstRun first = FirstRun::kAfterInterval,
             std::chrono::milliseconds settle = std::chrono::milliseconds(0));
  // Runs `fn` again soon, without waiting for the interval: `settle` after the
  // first wake when the thread is idle, right after the current run otherwise.
  // Wakes while a run is pending coalesce into one run and cost no system call.
  void Wake();
  // Waits for a run in progress to finish; idempotent.
  void Stop();

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace masthead
