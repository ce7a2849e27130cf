// Notification mail: the text and HTML bodies rendered from templates, and the
// headers every notification carries (List-Unsubscribe, one-click per RFC 8058).
// User text is passed through SanitizeForMail before it reaches a template; the
// templates escape every value for the part it lands in.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "mail/message.h"

namespace masthead::mail {

enum class NotificationKind {
  kReply,        // someone replied to the reader's comment
  kAnswer,       // the newsroom answered a question the reader asked or voted for
  kFollowUp,     // a follow-up story answers a question the reader asked or voted for
  kDecision,     // a moderation decision about the reader's comment
  kEditorReply,  // the newsroom answered a message sent to the editors
  kTest,         // `masthead mail test ADDRESS`
};

std::string_view NotificationKindName(NotificationKind kind);
// The inverse of NotificationKindName; kInvalidArgument for an unknown name.
Result<NotificationKind> NotificationKindFromName(std::string_view name);

// Field name -> value. Keys ending in "_url" must be absolute http(s) URLs built
// by Masthead (they become links); every other value is user or newsroom text and
// is sanitised strictly. Which keys a kind needs is listed in notification.cc;
// a missing or unknown key is kInvalidArgument naming it.
// Every kind needs: site_name, settings_url (the per-user notification settings).
using NotificationFields = std::map<std::string, std::string, std::less<>>;

struct RenderedMail {
  std::string subject;    // one line, sanitised
  std::string text_body;  // text/plain part
  std::string html_body;  // text/html part: no images, no remote content
};

Result<RenderedMail> RenderNotification(NotificationKind kind, const NotificationFields& fields);

// Adds List-Unsubscribe: <https_url>, <mailto> and List-Unsubscribe-Post:
// List-Unsubscribe=One-Click. `https_url` must be https (plain http is accepted
// only for localhost/127.0.0.1, for the demo); `mailto` must be
// "mailto:addr[?subject=...]" with a valid address.
Status AddListUnsubscribe(Message& message, std::string_view https_url, std::string_view mailto);

// Everything ComposeNotification needs besides the template fields.
struct NotificationEnvelope {
  Address from;
  Address to;
  std::vector<Address> reply_to;
  std::string message_id_domain;  // e.g. the site's host name
  std::string unsubscribe_url;    // one-click endpoint for this user and kind
  std::string unsubscribe_mailto;
  std::int64_t date = 0;          // enqueue time; 0: now
  // Empty: a fresh Message-ID. Set when a stored notification is rendered again,
  // so every attempt sends the same id.
  std::string message_id;
};

// Renders, adds List-Unsubscribe headers and a fresh Message-ID, and validates the
// result: the Message is ready to enqueue.
Result<Message> ComposeNotification(NotificationKind kind, const NotificationFields& fields,
                                    const NotificationEnvelope& envelope);

// One notification held for a digest.
struct DigestEntry {
  NotificationKind kind;
  NotificationFields fields;  // as for ComposeNotification
};

// One mail that carries several notifications, each rendered as it would be on
// its own, under the greeting and footer built from `common` (site_name,
// settings_url, recipient_name). `period` is "hourly" or "daily".
Result<Message> ComposeDigest(std::string_view period, const NotificationFields& common,
                              const std::vector<DigestEntry>& entries,
                              const NotificationEnvelope& envelope);

// Every check ComposeNotification makes, without rendering: what the outbox runs
// at enqueue, inside the request, when it stores the notification to be rendered
// by the delivery worker.
Status ValidateNotification(NotificationKind kind, const NotificationFields& fields,
                            const NotificationEnvelope& envelope);

}  // namespace masthead::mail
