// Turns a Message into the RFC 5322 / MIME bytes that go on the wire or into a
// Maildir: UTF-8 everywhere, quoted-printable bodies, RFC 2047 encoded-words for
// non-ASCII header text, multipart/alternative when there is an HTML part.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "base/time.h"
#include "mail/message.h"

namespace masthead::mail {

// Validates `message` (ValidateMessage) and renders it with CRLF line endings.
// The Date header is `message.date`, or `now` when that is 0. The output is a
// pure function of (message, date): a retry sends byte-identical mail.
Result<std::string> BuildMime(const Message& message, UnixSeconds now);

// "Fri, 27 Nov 2026 20:07:02 +0000" (RFC 5322 date-time, always UTC).
std::string FormatRfc5322Date(UnixSeconds t);

// Quoted-printable (RFC 2045 section 6.7) of UTF-8 text. Line breaks (LF or CRLF)
// become CRLF; encoded lines are at most 76 characters. A leading '.' and a
// leading "From " are encoded too, so no transport or mbox tool mangles a line.
std::string EncodeQuotedPrintable(std::string_view text);

// Standard base64 (RFC 4648) without line breaks.
std::string EncodeBase64(std::string_view bytes);

// The value of an unstructured header ("Subject: " + this): plain when it is
// printable ASCII, else RFC 2047 "B" encoded-words of at most 75 characters, each
// holding whole UTF-8 characters. Folded with CRLF SP so no line passes 78
// characters. `name_length` is the length of "Name: " already on the first line.
std::string EncodeUnstructuredHeader(std::string_view text, std::size_t name_length);

// "Display Name <local@domain>", the name quoted or encoded as RFC 5322 requires.
std::string FormatAddress(const Address& address);

}  // namespace masthead::mail
