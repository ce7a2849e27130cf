// The mails Masthead sends, composed from the configuration and stored in the
// outbox inside the caller's transaction.
#pragma once

#include <functional>

#include "accounts/account_service.h"
#include "accounts/unsubscribe.h"
#include "app/config.h"
#include "discussion/reply_mails.h"
#include "mail/store_outbox.h"
#include "moderation/moderation_desk.h"
#include "questions/question_service.h"
#include "store/store.h"

namespace masthead::app {

class Mailers {
 public:
  Mailers(const Config& config, mail::Outbox& outbox, const accounts::UnsubscribeSigner& signer);

  // Confirmation and reset links, and the "password changed" notice.
  Status Account(store::Store& tx, const accounts::AccountMail& mail) const;
  // What a composed mail writes in the transaction that hands it over (an outbox
  // row or a digest item); empty when nothing is to be sent.
  using MailWrite = discussion::ReplyMailWrite;
  // "Someone replied to your comment", to each parent's author, unless they
  // turned reply mail off: one result per (reply, parent) pair, in order.
  // Composed from `reader` (committed data, outside any write transaction; each
  // reader, article and setting looked up once per batch); the writes run
  // later in the drain's transaction.
  std::vector<Result<MailWrite>> PrepareReplies(store::Store& reader,
                                                const std::vector<discussion::OwedReplyMail>& replies) const;
  // The reply mail of a reply published only after it was posted (a moderator
  // approved it, an appeal restored it), composed in that decision's transaction;
  // once per reply, and never for one whose mail the drain owed.
  Status LateReply(store::Store& tx, const store::Comment& reply) const;
  // Collects each reader's due digest items into one mail per reader and period
  // (hourly: once the oldest item is an hour old; daily: a day), enqueued in the
  // transaction that deletes the items, so a digest goes out once even when two
  // nodes run this at the same moment. Returns how many digests were queued.
  Result<int> SendDueDigests(store::Store& store, UnixSeconds now) const;

  // A moderation decision about the reader (a comment held, published or
  // rejected, a sanction, an appeal's outcome), with the rule it cites.
  Status Decision(store::Store& tx, const moderation::DecisionMail& decision) const;
  // A technical-problem report: the ticket to the support desk (Reply-To the
  // reader when they gave an address) and, when they did, a confirmation to them.
  Status SupportTicket(store::Store& tx, const store::SupportTicket& ticket) const;
  // A reader question answered on the page or in a published follow-up, to
  // each recipient as their "answers" setting says (now, digest, or not at all).
  Status Question(store::Store& tx, const questions::QuestionMail& mail) const;
  // "Your account will be deleted on DATE; log in before then to keep it."
  Status AccountDeletion(store::Store& tx, const store::User& user, const store::AccountDeletion& deletion) const;
  // `masthead mail test ADDRESS`.
  Result<mail::Message> Test(const std::string& address) const;

  std::string host() const { return host_; }

 private:
  mail::Address From() const { return {config_.mail.from_name, config_.mail.from_address}; }

  // The reader's mode for a kind of mail ("immediately" unless they chose otherwise).
  std::string Mode(store::Store& tx, std::int64_t user_id, const std::string& kind) const;
  // Sends a notification as the reader wants it: now, held for their digest, or not at all.
  Status Notify(store::Store& tx, const store::User& recipient, const std::string& setting_kind,
                mail::NotificationKind kind, mail::NotificationFields fields) const;
  // Notify's checks and composing, without the write, for a reader whose mode
  // for `setting_kind` is `mode`.
  Result<MailWrite> PrepareNotify(const store::User& recipient, const std::string& setting_kind,
                                  const std::string& mode, mail::NotificationKind kind,
                                  mail::NotificationFields fields) const;
  // The headers that let the reader stop this mail (RFC 8058) and reply to us.
  mail::NotificationEnvelope Envelope(const store::User& recipient, const std::string& setting_kind) const;

  const Config& config_;
  mail::Outbox& outbox_;
  const accounts::UnsubscribeSigner& signer_;
  std::string host_;
};

// The host part of a base URL ("news.example.org" from "https://news.example.org:8443").
std::string HostOf(const std::string& base_url);

}  // namespace masthead::app
