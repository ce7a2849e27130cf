// Runs the accuracy reminders periodically in the serving process, like the mail
// delivery worker: a thread that wakes every `interval`, and stops promptly.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace masthead::accuracy {

class PeriodicJob {
 public:
  PeriodicJob(std::function<void()> run, std::chrono::milliseconds interval)
      : run_(std::move(run)), interval_(interval) {}
  ~PeriodicJob() { Stop(); }

  // Runs once right away, then every interval.
  void Start();
  void Stop();

 private:
  std::function<void()> run_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace masthead::accuracy
