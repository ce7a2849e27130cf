// A small, forgiving reader for the mail this layer writes (and ordinary MIME mail):
// used by the staff mail page to show Maildir messages and by tests. It is not a
// general MIME library: nested multiparts are searched for the first text/plain and
// text/html parts, attachments are ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace masthead::mail {

struct ParsedMessage {
  // Unfolded header fields in order; values are raw (still RFC 2047 encoded).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string text_body;  // decoded to UTF-8, CRLF turned into LF
  std::string html_body;  // decoded; NOT sanitised: never render it as HTML

  // First value of the header `name` (case-insensitive), decoded per RFC 2047.
  std::optional<std::string> Get(std::string_view name) const;
};

// Parses a message with CRLF or LF line endings. Fails with kInvalidArgument when
// there is no header/body separator or a header line is malformed.
Result<ParsedMessage> ParseMessage(std::string_view raw);

// Decodes RFC 2047 encoded-words ("=?UTF-8?B?...?=" and "?Q?") in a header value;
// whitespace between adjacent encoded-words is dropped as the RFC requires.
// Words in a charset other than UTF-8/US-ASCII are left as they are.
std::string DecodeHeaderWords(std::string_view value);

std::string DecodeQuotedPrintable(std::string_view text);
std::string DecodeBase64(std::string_view text);

}  // namespace masthead::mail
