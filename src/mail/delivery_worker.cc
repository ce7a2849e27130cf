#include "mail/delivery_worker.h"

namespace masthead::mail {

DeliveryWorker::DeliveryWorker(OutboxQueue& queue, Transport& transport,
                               DeliveryWorkerOptions options)
    : queue_(queue), transport_(transport), options_(std::move(options)),
      random_(std::random_device{}()) {}

DeliveryWorker::~DeliveryWorker() { Stop(); }

Status DeliveryWorker::Start() {
  MASTHEAD_RETURN_IF_ERROR(ValidateRetryPolicy(options_.retry));
  if (options_.batch_size == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "batch_size must be positive", "batch_size");
  }
  if (options_.lease.count() <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "lease must be positive", "lease");
  }
  if (options_.poll_interval.count() <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "poll_interval must be positive",
                     "poll_interval");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable()) return MakeError(ErrorCode::kConflict, "worker already running");
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
  return Ok();
}

void DeliveryWorker::Notify() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    notified_ = true;
  }
  wake_.notify_one();
}

void DeliveryWorker::Stop() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_one();
  if (thread.joinable()) thread.join();
}

DeliveryWorkerStats DeliveryWorker::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

double DeliveryWorker::NextJitterUnit() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

void DeliveryWorker::Record(const OutboxItem& item, const DeliveryResult& result) {
  Status status;
  int attempts_made = item.attempts_made + 1;
  switch (result.status) {
    case DeliveryStatus::kDelivered:
      status = queue_.MarkDelivered(item.id, result);
      break;
    case DeliveryStatus::kPermanentFailure:
      status = queue_.MarkPermanentFailure(item.id, result);
      break;
    case DeliveryStatus::kTemporaryFailure: {
      auto next = NextAttemptTime(options_.retry, attempts_made, options_.now(), NextJitterUnit());
      if (next) {
        status = queue_.MarkTemporaryFailure(item.id, *next, result);
      } else {
        DeliveryResult final_result = result;
        final_result.status = DeliveryStatus::kPermanentFailure;
        final_result.reply = "gave up after " + std::to_string(attempts_made) +
                             " attempts; last reply: " + result.reply;
        status = queue_.MarkPermanentFailure(item.id, final_result);
      }
      break;
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (!status) {
    // The message stays leased; when the lease ends it is sent again (same
    // Message-ID). Nothing better is possible without the database.
    ++stats_.queue_errors;
    stats_.last_queue_error = status.error().ToString();
    return;
  }
  bool gave_up = result.status == DeliveryStatus::kTemporaryFailure &&
                 attempts_made >= options_.retry.max_attempts;
  if (result.status == DeliveryStatus::kDelivered) {
    ++stats_.delivered;
  } else if (result.status == DeliveryStatus::kPermanentFailure || gave_up) {
    ++stats_.permanent_failures;
  } else {
    ++stats_.temporary_failures;
  }
}

bool DeliveryWorker::Stopping() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopping_;
}

Result<std::size_t> DeliveryWorker::DeliverDueOnce() {
  if (Stopping()) return 0;
  const TimePoint claimed_at = options_.now();
  auto items = queue_.ClaimDue(claimed_at, options_.batch_size, options_.lease);
  if (!items) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.queue_errors;
    stats_.last_queue_error = items.error().ToString();
    return tl::unexpected(items.error());
  }
  std::size_t attempted = 0;
  for (OutboxItem& item : *items) {
    if (Stopping()) {
      // Not attempted: hand it back (an error only means the lease runs out).
      (void)queue_.Release(item.id);
      continue;
    }
    // A slow batch can outlive its lease, and then another node claims and sends
    // the rest too: past half the lease, each message is renewed before it is
    // sent, and skipped if the lease is no longer ours.
    const TimePoint now = options_.now();
    if (now - claimed_at >= options_.lease / 2) {
      auto renewed = queue_.Renew(item, now, options_.lease);
      if (!renewed || !*renewed) {
        std::lock_guard<std::mutex> lock(mutex_);
        ++stats_.leases_lost;
        continue;
      }
    }
    Record(item, transport_.Send(item.message));
    ++attempted;
  }
  return attempted;
}

void DeliveryWorker::Run() {
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      notified_ = false;
    }
    auto attempted = DeliverDueOnce();
    // A full batch means more may be due: go again without sleeping.
    if (attempted && *attempted == options_.batch_size) continue;
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || notified_; });
  }
}

}  // namespace masthead::mail
