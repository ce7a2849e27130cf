// The mails Masthead sends, composed from the configuration and stored in the
// outbox inside the caller's transaction.
#pragma once

#include "accounts/account_service.h"
#include "accounts/unsubscribe.h"
#include "app/config.h"
#include "mail/store_outbox.h"
#include "store/store.h"

namespace masthead::app {

class Mailers {
 public:
  Mailers(const Config& config, mail::Outbox& outbox, const accounts::UnsubscribeSigner& signer);

  // Confirmation and reset links, and the "password changed" notice.
  Status Account(store::Store& tx, const accounts::AccountMail& mail) const;
  // "Someone replied to your comment", to the parent's author, unless they
  // turned reply mail off.
  Status Reply(store::Store& tx, const store::Comment& reply, const store::Comment& parent) const;
  // A technical-problem report: the ticket to the support desk (Reply-To the
  // reader when they gave an address) and, when they did, a confirmation to them.
  Status SupportTicket(store::Store& tx, const store::SupportTicket& ticket) const;
  // `masthead mail test ADDRESS`.
  Result<mail::Message> Test(const std::string& address) const;

  std::string host() const { return host_; }

 private:
  mail::Address From() const { return {config_.mail.from_name, config_.mail.from_address}; }

  // False when the reader turned this kind of mail off.
  bool Wants(store::Store& tx, std::int64_t user_id, const std::string& kind) const;

  const Config& config_;
  mail::Outbox& outbox_;
  const accounts::UnsubscribeSigner& signer_;
  std::string host_;
};

// The host part of a base URL ("news.example.org" from "https://news.example.org:8443").
std::string HostOf(const std::string& base_url);

}  // namespace masthead::app
