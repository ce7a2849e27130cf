// What the delivery worker needs from the durable outbox. The lead's store layer
// implements this on the database (the outbox table written in the same
// transaction as the change that caused the mail); the worker knows nothing else
// about storage.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/result.h"
#include "mail/message.h"
#include "mail/retry_policy.h"
#include "mail/transport.h"

namespace masthead::mail {

struct OutboxItem {
  std::int64_t id = 0;    // the outbox row
  Message message;        // message_id already set at enqueue; never regenerated
  int attempts_made = 0;  // attempts recorded before this claim
  // The claim's lease end as stored: Renew compares it to tell this claim from a
  // later one by another node after the lease ran out.
  std::int64_t lease_token = 0;
};

// Contract for implementations. Every method may be called from the worker thread
// while other threads enqueue; implementations must be thread-safe.
class OutboxQueue {
 public:
  virtual ~OutboxQueue() = default;

  // Returns up to `limit` messages that are pending and due (next attempt time <=
  // `now`), oldest due first, and leases them until `now + lease`: until then no
  // other ClaimDue call (on any node) returns them. If the worker dies, the lease
  // runs out and the message is claimed again: that is how a crash after SMTP
  // accepted a message but before MarkDelivered leads to a resend with the same
  // Message-ID (the only duplicate SMTP cannot rule out).
  virtual Result<std::vector<OutboxItem>> ClaimDue(TimePoint now, std::size_t limit,
                                                   std::chrono::seconds lease) = 0;

  // Each Mark* records one attempt (attempts_made + 1, the time, the result's
  // code and reply) and ends the lease. kNotFound if `id` is unknown.

  // Final: the server accepted the message.
  virtual Status MarkDelivered(std::int64_t id, const DeliveryResult& result) = 0;
  // Pending again, not due before `next_attempt`.
  virtual Status MarkTemporaryFailure(std::int64_t id, TimePoint next_attempt,
                                      const DeliveryResult& result) = 0;
  // Final: failed; kept with its reply for `masthead mail queue` and a manual retry.
  virtual Status MarkPermanentFailure(std::int64_t id, const DeliveryResult& result) = 0;

  // Optional: extends the lease of `item` (claimed by this worker) to `now +
  // lease` and updates its token; false when the lease is no longer this
  // worker's (it ran out and another node claimed the message, or the message
  // is finished), so the worker must not send it. The default keeps it.
  virtual Result<bool> Renew(OutboxItem& item, TimePoint now, std::chrono::seconds lease) {
    (void)item;
    (void)now;
    (void)lease;
    return true;
  }

  // Optional: ends the lease of a claimed message that was not attempted (the
  // worker is stopping), recording nothing, so it is due again at once rather
  // than when the lease runs out. The default does nothing: the lease runs out.
  virtual Status Release(std::int64_t id) {
    (void)id;
    return Ok();
  }
};

}  // namespace masthead::mail
