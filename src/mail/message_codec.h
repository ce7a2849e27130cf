// A stable text form of Message for the outbox row: the message is stored once at
// enqueue (Message-ID and Date included) and sent from the stored form on every
// attempt, so a retry sends the same message.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "mail/message.h"
#include "mail/notification.h"

namespace masthead::mail {

// JSON object {"v":1, "from":{"name","address"}, "to":{...}, "reply_to":[...],
// "subject", "text", "html", "headers":[["name","value"],...], "message_id",
// "date"}. Field names are part of the stored format: add, never rename.
std::string EncodeMessage(const Message& message);

// A notification stored as what it says rather than as rendered bytes, about a
// sixth of the size: {"v":2, "notification":kind, "fields":{...}, "envelope":{...}}.
// The envelope's message_id and date must be set (they make every rendering of
// the row the same message).
std::string EncodeNotification(NotificationKind kind, const NotificationFields& fields,
                               const NotificationEnvelope& envelope);

// Parses EncodeMessage or EncodeNotification output (rendering the latter) and re-runs ValidateMessage, so a row edited by hand
// cannot smuggle a header through. kInvalidArgument (field "message") if malformed.
Result<Message> DecodeMessage(std::string_view text);

}  // namespace masthead::mail
