// The mail outbox on the Store: Outbox enqueues inside the caller's transaction;
// StoreOutboxQueue is the delivery worker's view of the same table.
#pragma once

#include <string>

#include "mail/message.h"
#include "mail/notification.h"
#include "mail/outbox_queue.h"
#include "store/store.h"

namespace masthead::mail {

class Outbox {
 public:
  // `message_id_domain`: the host part of new Message-IDs (the site's host name).
  explicit Outbox(std::string message_id_domain) : domain_(std::move(message_id_domain)) {}

  // Validates `message`, gives it a Message-ID and a Date, and stores it through
  // `tx` (normally the Store bound to the caller's transaction). Header
  // injection and bad addresses are refused here, with the field named.
  Result<std::int64_t> Enqueue(store::Store& tx, Message message, const std::string& kind) const;

  // Stores a notification unrendered, after every check rendering would make:
  // the delivery worker renders it when it claims the row. Rendering two
  // templates and writing the ~4 KB result into the WAL used to be most of the
  // cost of the request that caused the mail; this keeps the request's share small.
  Result<std::int64_t> EnqueueNotification(store::Store& tx, NotificationKind kind,
                                           const NotificationFields& fields,
                                           NotificationEnvelope envelope,
                                           const std::string& outbox_kind) const;
  // Everything EnqueueNotification does but the insert: the row it would store,
  // made outside any transaction so that the writers do not wait while it is.
  Result<store::EnqueueMailRequest> PrepareNotification(NotificationKind kind, const NotificationFields& fields,
                                                        NotificationEnvelope envelope,
                                                        const std::string& outbox_kind) const;

 private:
  std::string domain_;
};

class StoreOutboxQueue final : public OutboxQueue {
 public:
  explicit StoreOutboxQueue(store::Store& store) : store_(store) {}

  Result<std::vector<OutboxItem>> ClaimDue(TimePoint now, std::size_t limit,
                                           std::chrono::seconds lease) override;
  Status MarkDelivered(std::int64_t id, const DeliveryResult& result) override;
  Status MarkTemporaryFailure(std::int64_t id, TimePoint next_attempt,
                              const DeliveryResult& result) override;
  Status MarkPermanentFailure(std::int64_t id, const DeliveryResult& result) override;
  Status Release(std::int64_t id) override;
  Result<bool> Renew(OutboxItem& item, TimePoint now, std::chrono::seconds lease) override;

 private:
  store::Store& store_;
};

}  // namespace masthead::mail
