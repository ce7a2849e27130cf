// The message a module hands to the mail layer, and the checks that keep it safe to
// put on the wire. A Message is plain data; Validate* functions are the only gate
// between user-influenced text and SMTP headers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace masthead::mail {

// An RFC 5322 mailbox: "Display Name <local@domain>". `name` may be any UTF-8 text
// without control characters (it is encoded per RFC 2047 when not plain ASCII);
// `address` must be an ASCII addr-spec (no SMTPUTF8).
struct Address {
  std::string name;
  std::string address;
};

// One extra header such as List-Unsubscribe. Names are checked against RFC 5322
// field-name syntax; structural headers (From, Date, Content-Type, ...) are refused
// because the MIME builder owns them.
struct Header {
  std::string name;
  std::string value;
};

struct Message {
  Address from;
  Address to;                   // one recipient per message: one delivery outcome
  std::vector<Address> reply_to;  // empty: replies go to `from`
  std::string subject;          // UTF-8, no control characters
  std::string text_body;        // UTF-8 plain text; required
  std::string html_body;        // UTF-8 HTML; empty sends text/plain only
  std::vector<Header> headers;  // extra headers, in order
  // Date header, seconds since the epoch; set at enqueue so that every retry
  // builds the same bytes. 0 means "when the message is built".
  std::int64_t date = 0;
  // "<random@domain>" with angle brackets, set once by NewMessageId() when the
  // message is enqueued and kept across retries, so receivers can tell a resend
  // after a crash from a new message.
  std::string message_id;
};

// Returns "<32 hex chars from the OS random source@domain>". `domain` must be a
// valid host name (it is checked); fails with kInternal if no randomness is
// available.
Result<std::string> NewMessageId(std::string_view domain);

// Checks an addr-spec: ASCII local part (dot-atom) @ domain (LDH labels), lengths
// per RFC 5321. Errors are kInvalidArgument with `field` set to `field`.
Status ValidateAddress(const Address& address, std::string_view field);

// Checks every header-bound field of `message` (addresses, names, subject, extra
// header names and values, Message-ID) and that bodies are valid UTF-8. Any CR,
// LF or other control character in a header-bound field is refused, never
// stripped: a refused message is a bug or an attack, and must be seen.
Status ValidateMessage(const Message& message);

// True when `text` contains a C0 control character (except TAB when
// `allow_tab`) or DEL.
bool ContainsControlCharacter(std::string_view text, bool allow_tab = false);

// True for a syntactically valid DNS host name (LDH labels, 1..253 bytes).
bool IsValidDomain(std::string_view domain);

}  // namespace masthead::mail
