// The background thread that drains the outbox: claims due messages, sends each
// through the Transport, and records the outcome with the retry schedule.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "base/result.h"
#include "mail/outbox_queue.h"
#include "mail/retry_policy.h"
#include "mail/transport.h"

namespace masthead::mail {

struct DeliveryWorkerOptions {
  RetryPolicy retry;
  std::size_t batch_size = 20;  // messages per ClaimDue
  // How long claimed messages stay invisible to other workers. Must exceed
  // batch_size * the transport's timeout (20 * 60 s), or a hanging server lets a
  // second node send the same messages.
  std::chrono::seconds lease{1800};
  // Longest sleep between looks at the queue when not notified; it also bounds how
  // late a retry becomes due, and how long the worker waits after a queue error.
  std::chrono::milliseconds poll_interval{std::chrono::seconds(5)};
  std::function<TimePoint()> now = [] { return Clock::now(); };
};

struct DeliveryWorkerStats {
  std::uint64_t delivered = 0;
  std::uint64_t temporary_failures = 0;
  std::uint64_t permanent_failures = 0;  // including retries given up
  std::uint64_t queue_errors = 0;
  std::uint64_t leases_lost = 0;  // claimed, not sent: the lease ran out first
  std::string last_queue_error;
};

class DeliveryWorker {
 public:
  // `queue` and `transport` must outlive the worker.
  DeliveryWorker(OutboxQueue& queue, Transport& transport, DeliveryWorkerOptions options);
  ~DeliveryWorker();  // Stop()s
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // Starts the thread. kInvalidArgument for a bad retry policy or batch size,
  // kConflict if already running.
  Status Start();

  // Wakes the thread now (call after committing an enqueue). Cheap; any thread.
  void Notify();

  // Finishes the message being sent, Release()s claimed but unsent ones, joins
  // the thread. Idempotent; any thread but the worker's own. After Stop,
  // DeliverDueOnce does nothing until Start.
  void Stop();

  // Claims and sends one batch on the calling thread; returns how many messages
  // were attempted. For `masthead mail` commands and tests; safe to call while
  // the thread runs (leases keep them apart).
  Result<std::size_t> DeliverDueOnce();

  DeliveryWorkerStats stats() const;

 private:
  void Run();
  bool Stopping() const;
  void Record(const OutboxItem& item, const DeliveryResult& result);
  double NextJitterUnit();

  OutboxQueue& queue_;
  Transport& transport_;
  const DeliveryWorkerOptions options_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  bool notified_ = false;
  bool stopping_ = false;
  std::thread thread_;
  std::mt19937_64 random_;
  DeliveryWorkerStats stats_;
};

}  // namespace masthead::mail
