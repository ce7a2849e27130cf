#include "mail/store_outbox.h"

#include "mail/message_codec.h"

namespace masthead::mail {
namespace {

UnixSeconds Seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

UnixSeconds NowForStore() { return NowSeconds(); }

}  // namespace

Result<std::int64_t> Outbox::Enqueue(store::Store& tx, Message message, const std::string& kind) const {
  if (message.message_id.empty()) {
    auto id = NewMessageId(domain_);
    if (!id) return tl::unexpected(id.error());
    message.message_id = *id;
  }
  if (message.date == 0) message.date = NowSeconds();
  MASTHEAD_RETURN_IF_ERROR(ValidateMessage(message));
  return tx.EnqueueMail({message.message_id, message.to.address, kind, EncodeMessage(message),
                         message.date});
}

Result<std::int64_t> Outbox::EnqueueNotification(store::Store& tx, NotificationKind kind,
                                                 const NotificationFields& fields,
                                                 NotificationEnvelope envelope,
                                                 const std::string& outbox_kind) const {
  auto row = PrepareNotification(kind, fields, std::move(envelope), outbox_kind);
  if (!row) return tl::unexpected(row.error());
  return tx.EnqueueMail(*row);
}

Result<store::EnqueueMailRequest> Outbox::PrepareNotification(NotificationKind kind,
                                                              const NotificationFields& fields,
                                                              NotificationEnvelope envelope,
                                                              const std::string& outbox_kind) const {
  if (envelope.message_id_domain.empty()) envelope.message_id_domain = domain_;
  if (envelope.message_id.empty()) {
    auto id = NewMessageId(envelope.message_id_domain);
    if (!id) return tl::unexpected(id.error());
    envelope.message_id = std::move(*id);
  }
  if (envelope.date == 0) envelope.date = NowSeconds();
  MASTHEAD_RETURN_IF_ERROR(ValidateNotification(kind, fields, envelope));
  return store::EnqueueMailRequest{envelope.message_id, envelope.to.address, outbox_kind,
                                   EncodeNotification(kind, fields, envelope), envelope.date};
}

Result<std::vector<OutboxItem>> StoreOutboxQueue::ClaimDue(TimePoint now, std::size_t limit,
                                                           std::chrono::seconds lease) {
  auto claimed = store_.ClaimDueMail(
      {Seconds(now), static_cast<int>(limit), static_cast<int>(lease.count())});
  if (!claimed) return tl::unexpected(claimed.error());
  std::vector<OutboxItem> items;
  for (const auto& row : *claimed) {
    auto message = DecodeMessage(row.encoded);
    if (!message) {
      // A row that no longer decodes can never be sent: fail it for the operator
      // to see, instead of claiming it forever.
      (void)store_.RecordMailAttempt({row.id, store::MailOutcome::kPermanentFailure, 0,
                                      "undecodable outbox row: " + message.error().message,
                                      NowForStore()});
      continue;
    }
    items.push_back({row.id, std::move(*message), row.attempts, row.lease_until.value_or(0)});
  }
  return items;
}

Status StoreOutboxQueue::MarkDelivered(std::int64_t id, const DeliveryResult& result) {
  return store_.RecordMailAttempt(
      {id, store::MailOutcome::kDelivered, result.code, result.reply, NowForStore()});
}

Status StoreOutboxQueue::MarkTemporaryFailure(std::int64_t id, TimePoint next_attempt,
                                              const DeliveryResult& result) {
  return store_.RecordMailAttempt({id, store::MailOutcome::kTemporaryFailure, result.code,
                                   result.reply, NowForStore(), Seconds(next_attempt)});
}

Status StoreOutboxQueue::MarkPermanentFailure(std::int64_t id, const DeliveryResult& result) {
  return store_.RecordMailAttempt(
      {id, store::MailOutcome::kPermanentFailure, result.code, result.reply, NowForStore()});
}

Result<bool> StoreOutboxQueue::Renew(OutboxItem& item, TimePoint now, std::chrono::seconds lease) {
  const UnixSeconds until = Seconds(now) + lease.count();
  auto renewed = store_.RenewMailLease({item.id, item.lease_token, until});
  if (renewed && *renewed) item.lease_token = until;
  return renewed;
}

Status StoreOutboxQueue::Release(std::int64_t id) {
  return store_.RecordMailAttempt({id, store::MailOutcome::kReleased, 0, "", NowForStore()});
}

}  // namespace masthead::mail
