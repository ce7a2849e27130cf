#include "app/mailers.h"

#include <cstdio>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "mail/notification.h"
#include "mail/sanitize.h"
#include "base/time.h"

namespace masthead::app {

std::string HostOf(const std::string& base_url) {
  std::string host = base_url.substr(base_url.find("://") == std::string::npos ? 0 : base_url.find("://") + 3);
  host = host.substr(0, host.find_first_of(":/"));
  // Message-IDs need a DNS-style name; a bare IP address gets a neutral one.
  const bool numeric = host.find_first_not_of("0123456789.") == std::string::npos;
  return host.empty() || numeric ? "masthead.localhost" : host;
}

Mailers::Mailers(const Config& config, mail::Outbox& outbox, const accounts::UnsubscribeSigner& signer)
    : config_(config), outbox_(outbox), signer_(signer), host_(HostOf(config.site.base_url)) {}

std::string Mailers::Mode(store::Store& tx, std::int64_t user_id, const std::string& kind) const {
  auto settings = tx.NotificationSettings(user_id);
  if (!settings) return "immediately";  // when in doubt, the mail the reader asked for by default
  for (const auto& [k, mode] : *settings) {
    if (k == kind) return mode;
  }
  return "immediately";
}

mail::NotificationEnvelope Mailers::Envelope(const store::User& recipient, const std::string& setting_kind) const {
  mail::NotificationEnvelope envelope;
  envelope.from = From();
  envelope.to = {mail::SanitizeForMailHeader(recipient.display_name), recipient.email};
  envelope.message_id_domain = host_;
  envelope.unsubscribe_url = config_.site.base_url + "/mail/unsubscribe?" + signer_.Query(recipient.id, setting_kind);
  envelope.unsubscribe_mailto = "mailto:" + config_.mail.from_address + "?subject=unsubscribe";
  return envelope;
}

Status Mailers::Notify(store::Store& tx, const store::User& recipient, const std::string& setting_kind,
                       mail::NotificationKind kind, mail::NotificationFields fields) const {
  if (!recipient.email_confirmed_at) return Ok();  // never mail an unconfirmed address
  auto write = PrepareNotify(recipient, setting_kind, Mode(tx, recipient.id, setting_kind), kind, std::move(fields));
  if (!write) return tl::unexpected(write.error());
  return *write ? (*write)(tx) : Ok();
}

Result<Mailers::MailWrite> Mailers::PrepareNotify(const store::User& recipient, const std::string& setting_kind,
                                                  const std::string& mode, mail::NotificationKind kind,
                                                  mail::NotificationFields fields) const {
  if (!recipient.email_confirmed_at) return MailWrite{};  // never mail an unconfirmed address
  if (mode == "off") return MailWrite{};
  fields.emplace("site_name", config_.site.title);
  fields.emplace("settings_url", config_.site.base_url + "/account/notifications");
  fields.emplace("recipient_name", recipient.display_name);
  if (accounts::IsDigestMode(mode)) {
    // Checked now, so that a digest never meets a notification it cannot render.
    MASTHEAD_RETURN_IF_ERROR(mail::ValidateNotification(kind, fields, Envelope(recipient, accounts::kDigestsKind)));
    store::AddDigestItemRequest item{recipient.id, mode, std::string(mail::NotificationKindName(kind)),
                                     nlohmann::json(fields).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                     NowSeconds()};
    return MailWrite([item = std::move(item)](store::Store& tx) { return tx.AddDigestItem(item); });
  }
  auto row = outbox_.PrepareNotification(kind, fields, Envelope(recipient, setting_kind),
                                         std::string(mail::NotificationKindName(kind)));
  if (!row) return tl::unexpected(row.error());
  return MailWrite([row = std::move(*row)](store::Store& tx) -> Status {
    return tx.EnqueueMail(row).map([](std::int64_t) {});
  });
}

Status Mailers::Account(store::Store& tx, const accounts::AccountMail& account_mail) const {
  mail::Message message;
  message.from = From();
  message.to = {mail::SanitizeForMailHeader(account_mail.to_name), account_mail.to_email};
  const std::string& site = config_.site.title;
  std::string text;
  if (account_mail.kind == "confirm_email") {
    const std::string link = config_.site.base_url + "/account/confirm?token=" + account_mail.token;
    message.subject = "Confirm your e-mail address for " + site;
    text = "Hello " + mail::SanitizeForMail(account_mail.to_name) + ",\n\nplease confirm your address by opening this link:\n\n" +
           link + "\n\nThe link works once, for 48 hours. If you did not register at " + site +
           ", ignore this mail.\n";
  } else if (account_mail.kind == "reset_password") {
    const std::string link = config_.site.base_url + "/account/reset?token=" + account_mail.token;
    message.subject = "Reset your " + site + " password";
    text = "Hello " + mail::SanitizeForMail(account_mail.to_name) + ",\n\nto choose a new password, open this link:\n\n" +
           link + "\n\nThe link works once, for 2 hours. If you did not ask for it, ignore this mail: your password stays as it is.\n";
  } else if (account_mail.kind == "password_changed") {
    message.subject = "Your " + site + " password was changed";
    text = "Hello " + mail::SanitizeForMail(account_mail.to_name) +
           ",\n\nyour password was just changed and every other session was logged out. If this was not you, "
           "reset your password at " + config_.site.base_url + "/account/forgot and tell the editors.\n";
  } else if (account_mail.kind == "login_locked") {
    message.subject = "Your " + site + " account was locked after failed log-ins";
    text = "Hello " + mail::SanitizeForMail(account_mail.to_name) +
           ",\n\nsomeone tried to log in to your account many times with wrong passwords, so we locked it "
           "for a day: even the right password is refused until then. To log in now, choose a new password at " +
           config_.site.base_url + "/account/forgot (this unlocks the account). If it was you and you "
           "remember your password, you may also wait a day.\n";
  } else {
    return MakeError(ErrorCode::kInternal, "unknown account mail " + account_mail.kind);
  }
  message.text_body = text;
  return outbox_.Enqueue(tx, std::move(message), account_mail.kind).map([](std::int64_t) {});
}

std::vector<Result<Mailers::MailWrite>> Mailers::PrepareReplies(
    store::Store& reader, const std::vector<discussion::OwedReplyMail>& replies) const {
  struct Recipient {
    Result<store::User> user;
    std::string mode;
  };
  std::unordered_map<std::int64_t, Recipient> recipients;
  std::unordered_map<std::int64_t, Result<store::Article>> articles;
  std::vector<Result<MailWrite>> writes;
  writes.reserve(replies.size());
  for (const auto& [reply, parent] : replies) {
    auto recipient = recipients.find(parent->author_id);
    if (recipient == recipients.end()) {
      Recipient found{reader.FindUser({.id = parent->author_id}), ""};
      if (found.user && found.user->email_confirmed_at) found.mode = Mode(reader, found.user->id, "replies");
      recipient = recipients.emplace(parent->author_id, std::move(found)).first;
    }
    auto article = articles.find(reply->article_id);
    if (article == articles.end()) {
      article = articles.emplace(reply->article_id,
                                 reader.FindArticle({.id = reply->article_id, .include_unpublished = true})).first;
    }
    const Result<store::User>& user = recipient->second.user;
    if (!user) {
      writes.push_back(tl::unexpected(user.error()));
      continue;
    }
    if (!article->second) {
      writes.push_back(tl::unexpected(article->second.error()));
      continue;
    }
    const store::ArticleFields& fields = article->second->fields;
    writes.push_back(PrepareNotify(*user, "replies", recipient->second.mode, mail::NotificationKind::kReply,
                                   {{"actor_name", reply->author_name},
                                    {"article_title", fields.headline},
                                    {"article_url", config_.site.base_url + "/articles/" + fields.slug + "#c" +
                                                        std::to_string(reply->id)},
                                    {"excerpt", reply->body_markdown}}));
  }
  return writes;
}

Status Mailers::LateReply(store::Store& tx, const store::Comment& reply) const {
  if (!reply.parent_id || reply.status != store::CommentStatus::kPublished) return Ok();
  auto parent = tx.FindComment(*reply.parent_id);
  if (!parent) return parent.error().code == ErrorCode::kNotFound ? Ok() : Status(tl::unexpected(parent.error()));
  if (parent->status == store::CommentStatus::kDeleted || parent->author_id == reply.author_id) return Ok();
  auto claimed = tx.ClaimLateReplyMail(reply.id);
  if (!claimed) return tl::unexpected(claimed.error());
  if (!*claimed) return Ok();
  auto writes = PrepareReplies(tx, {{&reply, &*parent}});
  Result<MailWrite>& write = writes.front();
  if (!write && (write.error().code == ErrorCode::kInvalidArgument || write.error().code == ErrorCode::kNotFound)) {
    // The reader or the article is gone, or the mail cannot be composed: the
    // decision itself must not fail for it.
    std::fprintf(stderr, "masthead: reply mail for comment %lld dropped: %s\n", static_cast<long long>(reply.id),
                 write.error().ToString().c_str());
    return Ok();
  }
  if (!write) return tl::unexpected(write.error());
  return *write ? (*write)(tx) : Ok();
}

Result<int> Mailers::SendDueDigests(store::Store& store, UnixSeconds now) const {
  int queued = 0;
  for (const auto& [period, seconds] : {std::pair<std::string, UnixSeconds>{"hourly", 3600}, {"daily", 86400}}) {
    auto users = store.DueDigestUsers({period, now - seconds, 1000});
    if (!users) return tl::unexpected(users.error());
    for (std::int64_t user_id : *users) {
      bool sent = false;
      Status done = store.Transact([&](store::Store& tx) -> Status {
        auto items = tx.ListDigestItems(user_id, period);
        if (!items) return tl::unexpected(items.error());
        if (items->empty()) return Ok();
        std::vector<std::int64_t> ids;
        std::vector<mail::DigestEntry> entries;
        for (const store::DigestItem& item : *items) {
          ids.push_back(item.id);
          auto kind = mail::NotificationKindFromName(item.kind);
          nlohmann::json fields = nlohmann::json::parse(item.fields, nullptr, /*allow_exceptions=*/false);
          if (!kind || !fields.is_object()) continue;  // unreadable: dropped with the rest, never retried forever
          mail::DigestEntry entry{*kind, {}};
          for (const auto& [key, value] : fields.items()) {
            if (value.is_string()) entry.fields[key] = value.get<std::string>();
          }
          entries.push_back(std::move(entry));
        }
        auto deleted = tx.DeleteDigestItems(ids);
        if (!deleted) return tl::unexpected(deleted.error());
        if (*deleted != static_cast<int>(ids.size())) {
          return MakeError(ErrorCode::kConflict, "another worker sent this digest");
        }
        auto recipient = tx.FindUser({.id = user_id});
        if (!recipient) return tl::unexpected(recipient.error());
        // Items kept while the reader changed their mind since are dropped with them.
        if (entries.empty() || !recipient->email_confirmed_at) return Ok();
        const mail::NotificationFields common = {
            {"site_name", config_.site.title},
            {"settings_url", config_.site.base_url + "/account/notifications"},
            {"recipient_name", recipient->display_name}};
        auto message = mail::ComposeDigest(period, common, entries, Envelope(*recipient, accounts::kDigestsKind));
        if (!message) return tl::unexpected(message.error());
        auto enqueued = outbox_.Enqueue(tx, std::move(*message), "digest");
        if (!enqueued) return tl::unexpected(enqueued.error());
        sent = true;
        return Ok();
      });
      if (!done && done.error().code == ErrorCode::kConflict) continue;
      if (!done) return tl::unexpected(done.error());
      if (sent) ++queued;
    }
  }
  return queued;
}

Status Mailers::Decision(store::Store& tx, const moderation::DecisionMail& decision) const {
  auto recipient = tx.FindUser({.id = decision.user_id});
  if (!recipient) return tl::unexpected(recipient.error());
  mail::NotificationFields fields = {
      {"decision", decision.decision},
      {"excerpt", decision.excerpt.empty() ? std::string("(no comment)") : decision.excerpt},
      {"reason", decision.reason},
  };
  if (decision.appealable) fields["appeal_url"] = config_.site.base_url + "/account/moderation";
  return Notify(tx, *recipient, "decisions", mail::NotificationKind::kDecision, std::move(fields));
}

Status Mailers::AccountDeletion(store::Store& tx, const store::User& user,
                                const store::AccountDeletion& deletion) const {
  mail::Message message;
  message.from = From();
  message.to = {mail::SanitizeForMailHeader(user.display_name, 80), user.email};
  message.subject = "Your account on " + config_.site.title + " will be deleted";
  const bool by_reader = deletion.requested_by == user.id;
  message.text_body =
      "Hello " + user.display_name + ",\n\n" +
      (by_reader ? std::string("you asked us to delete your account") : std::string("an administrator deleted your account")) +
      " on " + config_.site.title + ". You were logged out everywhere.\n\n" +
      "On " + moderation::MomentText(deletion.final_at) +
      " the deletion becomes final: your name, e-mail address, password and settings are removed, and your "
      "comments stay under the name \"Former reader\".\n\n"
      "Changed your mind? Log in before then and your account stays as it was:\n" +
      config_.site.base_url + "/login\n";
  return outbox_.Enqueue(tx, std::move(message), "account_deletion").map([](std::int64_t) {});
}

Status Mailers::SupportTicket(store::Store& tx, const store::SupportTicket& ticket) const {
  const std::string number = "#" + std::to_string(ticket.id);
  const std::string& site = config_.site.title;
  // The desk's copy is text/plain only, so nothing in it is markup: the reader's
  // words and the hostile-by-nature User-Agent arrive as typed (a report about a
  // page showing "<div>" must keep it), with control characters and broken
  // UTF-8 already removed when the ticket was made.
  const store::SupportEnvironment& env = ticket.environment;
  auto line = [](const std::string& label, const std::string& value) {
    return label + ": " + (value.empty() ? std::string("(not given)") : value) + "\n";
  };
  std::string text = "Technical problem, ticket " + number + ", reported " + FormatRfc3339(ticket.created_at) + "\n";
  text += line("Article", ticket.article.empty() ? "" : config_.site.base_url + "/articles/" + ticket.article);
  text += line("Reader's address", ticket.email);
  text += "\nWhat went wrong:\n" + ticket.problem + "\n\nWhat the reader did:\n" + ticket.steps + "\n";
  text += "\nEnvironment, as the reader confirmed it:\n";
  text += line("Device", env.device) + line("Operating system", env.os) + line("Browser", env.browser) +
          line("Screen", env.screen) + line("Window", env.window) + line("Time zone", env.timezone) +
          line("Language", env.language);
  text += "\nDetected by the server:\n" + line("Summary", env.detected) + line("User-Agent", env.user_agent);
  text += "Client hints:\n" + (env.client_hints.empty() ? std::string("(none sent)") : env.client_hints) + "\n";
  text += "\nIn the staff queue: " + config_.site.base_url + "/staff/support/" + std::to_string(ticket.id) + "\n";

  mail::Message desk;
  desk.from = From();
  desk.to = {site + " support", config_.mail.support_desk};
  if (!ticket.email.empty()) desk.reply_to = {{"", ticket.email}};
  desk.subject = "Technical problem " + number + ": " + mail::SanitizeForMailHeader(ticket.problem, 80);
  desk.text_body = std::move(text);
  MASTHEAD_RETURN_IF_ERROR(outbox_.Enqueue(tx, std::move(desk), "support_ticket").map([](std::int64_t) {}));
  if (ticket.email.empty()) return Ok();

  // Anyone can type any address into the form, so the confirmation carries none
  // of the report's text: it cannot be used to send a stranger words of one's choosing.
  mail::Message confirmation;
  confirmation.from = From();
  confirmation.to = {"", ticket.email};
  confirmation.reply_to = {{site + " support", config_.mail.support_desk}};
  confirmation.subject = "We received your report: ticket " + number;
  confirmation.text_body =
      "Hello,\n\nthank you for telling us about a technical problem on " + site + ". Your report is ticket " +
      number + ". Our support desk reads every report; if we need more details, we will write to this address. "
      "Mention the ticket number when you write to us about it.\n\n"
      "If you did not send a report, someone typed your address by mistake: ignore this mail, nothing else will follow.\n";
  return outbox_.Enqueue(tx, std::move(confirmation), "support_confirmation").map([](std::int64_t) {});
}

Status Mailers::Question(store::Store& tx, const questions::QuestionMail& question_mail) const {
  const store::Question& question = question_mail.question;
  const std::string article_url = config_.site.base_url + "/articles/" + question_mail.article.fields.slug +
                                  "/questions?tab=answered#q" + std::to_string(question.id);
  mail::NotificationFields fields = {{"article_title", question_mail.article.fields.headline},
                                     {"article_url", article_url},
                                     {"question", question.body_markdown}};
  mail::NotificationKind kind = mail::NotificationKind::kAnswer;
  if (question_mail.kind == questions::QuestionMail::Kind::kFollowUp && question_mail.followup) {
    kind = mail::NotificationKind::kFollowUp;
    fields["followup_title"] = question_mail.followup->fields.headline;
    fields["followup_url"] = config_.site.base_url + "/articles/" + question_mail.followup->fields.slug;
  } else {
    fields["answer"] = question.answer_markdown;
  }
  for (std::int64_t user_id : question_mail.recipients) {
    auto recipient = tx.FindUser({.id = user_id});
    if (!recipient) return tl::unexpected(recipient.error());
    MASTHEAD_RETURN_IF_ERROR(Notify(tx, *recipient, "answers", kind, fields));
  }
  return Ok();
}

Result<mail::Message> Mailers::Test(const std::string& address) const {
  mail::NotificationFields fields = {{"site_name", config_.site.title},
                                     {"settings_url", config_.site.base_url + "/account/notifications"}};
  mail::NotificationEnvelope envelope;
  envelope.from = From();
  envelope.to = {"", address};
  envelope.message_id_domain = host_;
  envelope.unsubscribe_url = config_.site.base_url + "/account/notifications";
  envelope.unsubscribe_mailto = "mailto:" + config_.mail.from_address + "?subject=unsubscribe";
  return mail::ComposeNotification(mail::NotificationKind::kTest, fields, envelope);
}

}  // namespace masthead::app
