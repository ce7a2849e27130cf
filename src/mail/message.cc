#include "mail/message.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <cerrno>

#include <sys/random.h>

#include "base/text.h"
#include "base/utf8.h"

namespace masthead::mail {
namespace {

// Headers the MIME builder writes itself; letting callers add them would allow a
// second From or a Content-Type that re-frames the body.
constexpr std::array<std::string_view, 16> kReservedHeaders = {
    "from",         "to",         "cc",
    "bcc",          "reply-to",   "subject",
    "date",         "message-id", "mime-version",
    "content-type", "sender",     "content-transfer-encoding",
    "return-path",  "received",   "in-reply-to",
    "references"};

bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return kSpecials.find(c) != std::string_view::npos;
}

bool IsValidDotAtom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  char previous = 0;
  for (char c : text) {
    if (c == '.') {
      if (previous == '.') return false;
    } else if (!IsAtext(c)) {
      return false;
    }
    previous = c;
  }
  return true;
}

Status FieldError(std::string_view field, std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::string(field) + ": " + message,
                   std::string(field));
}

}  // namespace

bool ContainsControlCharacter(std::string_view text, bool allow_tab) {
  for (unsigned char c : text) {
    if (c == '\t' && allow_tab) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool IsValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t label_length = 0;
  char previous = '.';
  for (char c : domain) {
    if (c == '.') {
      if (label_length == 0 || previous == '-') return false;
      label_length = 0;
    } else {
      bool ldh = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '-';
      if (!ldh || (label_length == 0 && c == '-') || ++label_length > 63) return false;
    }
    previous = c;
  }
  return label_length > 0 && previous != '-';
}

Result<std::string> NewMessageId(std::string_view domain) {
  if (!IsValidDomain(domain)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "message-id domain is not a valid host name", "domain");
  }
  // OS randomness (getrandom(2)) keeps ids unpredictable across nodes and
  // restarts; each thread reads it in 4 KB batches so that minting an id inside
  // the request that enqueues the mail rarely costs a system call.
  struct RandomPool {
    std::array<std::uint8_t, 4096> bytes{};
    std::size_t used = 4096;
  };
  thread_local RandomPool pool;
  constexpr std::size_t kIdBytes = 16;
  if (pool.used + kIdBytes > pool.bytes.size()) {
    std::size_t filled = 0;
    while (filled < pool.bytes.size()) {
      const ssize_t got = ::getrandom(pool.bytes.data() + filled, pool.bytes.size() - filled, 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return MakeError(ErrorCode::kInternal, "no OS random source for Message-ID");
      filled += static_cast<std::size_t>(got);
    }
    pool.used = 0;
  }
  const std::uint8_t* random = pool.bytes.data() + pool.used;
  pool.used += kIdBytes;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "<";
  // A time prefix (microseconds, fixed width) before the random part: ids sort
  // in the order they are made, so the outbox's unique index on them grows at
  // its right edge instead of dirtying a random page of it with every mail.
  const auto micros = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                     std::chrono::system_clock::now().time_since_epoch())
                                                     .count());
  for (int shift = 52; shift >= 0; shift -= 4) id += kHex[(micros >> shift) & 0xf];
  id += '.';
  for (std::size_t i = 0; i < kIdBytes; ++i) {
    id += kHex[random[i] >> 4];
    id += kHex[random[i] & 0xf];
  }
  id += '@';
  id += ToLowerAscii(domain);
  id += '>';
  return id;
}

Status ValidateAddress(const Address& address, std::string_view field) {
  if (ContainsControlCharacter(address.name, /*allow_tab=*/false)) {
    return FieldError(field, "display name contains a line break or control character");
  }
  if (!IsValidUtf8(address.name)) {
    return FieldError(field, "display name is not valid UTF-8");
  }
  if (address.name.size() > 200) return FieldError(field, "display name is too long");
  const std::string& spec = address.address;
  if (ContainsControlCharacter(spec)) {
    return FieldError(field, "address contains a line break or control character");
  }
  if (spec.empty()) return FieldError(field, "address is empty");
  if (spec.size() > 254) return FieldError(field, "address is longer than 254 bytes");
  std::size_t at = spec.rfind('@');
  if (at == std::string::npos) return FieldError(field, "address has no '@'");
  std::string_view local = std::string_view(spec).substr(0, at);
  std::string_view domain = std::string_view(spec).substr(at + 1);
  if (local.empty() || local.size() > 64 || !IsValidDotAtom(local)) {
    return FieldError(field, "address has an invalid local part");
  }
  if (!IsValidDomain(domain) || domain.find('.') == std::string_view::npos) {
    // A dotless domain is legal in RFC 5321 but never right for our mail; "localhost"
    // style addresses are almost always a configuration mistake.
    return FieldError(field, "address has an invalid domain");
  }
  return Ok();
}

Status ValidateMessage(const Message& message) {
  MASTHEAD_RETURN_IF_ERROR(ValidateAddress(message.from, "from"));
  MASTHEAD_RETURN_IF_ERROR(ValidateAddress(message.to, "to"));
  for (const Address& reply_to : message.reply_to) {
    MASTHEAD_RETURN_IF_ERROR(ValidateAddress(reply_to, "reply_to"));
  }
  if (ContainsControlCharacter(message.subject, /*allow_tab=*/false)) {
    return FieldError("subject", "contains a line break or control character");
  }
  if (!IsValidUtf8(message.subject)) return FieldError("subject", "is not valid UTF-8");
  if (message.subject.size() > 900) return FieldError("subject", "is too long");
  if (message.text_body.empty()) return FieldError("text_body", "is empty");
  if (!IsValidUtf8(message.text_body)) return FieldError("text_body", "is not valid UTF-8");
  if (!IsValidUtf8(message.html_body)) return FieldError("html_body", "is not valid UTF-8");

  const std::string& id = message.message_id;
  if (id.size() < 5 || id.size() > 250 || id.front() != '<' || id.back() != '>' ||
      id.find('@') == std::string::npos) {
    return FieldError("message_id", "must be \"<id@domain>\" (use NewMessageId)");
  }
  for (std::size_t i = 1; i + 1 < id.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(id[i]);
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>') {
      return FieldError("message_id", "contains a character not allowed in a msg-id");
    }
  }

  for (const Header& header : message.headers) {
    if (header.name.empty() || header.name.size() > 76) {
      return FieldError("headers", "header name must be 1..76 characters");
    }
    for (unsigned char c : header.name) {
      if (c <= 0x20 || c >= 0x7f || c == ':') {
        return FieldError("headers", "header name \"" + StripControlCharacters(header.name) +
                                         "\" contains a character outside RFC 5322 ftext");
      }
    }
    std::string lower = ToLowerAscii(header.name);
    for (std::string_view reserved : kReservedHeaders) {
      if (lower == reserved) {
        return FieldError("headers", "header " + header.name + " is set by the mail layer");
      }
    }
    if (ContainsControlCharacter(header.value, /*allow_tab=*/true)) {
      return FieldError("headers", "value of " + header.name +
                                       " contains a line break or control character");
    }
    for (unsigned char c : header.value) {
      if (c >= 0x80) {
        return FieldError("headers", "value of " + header.name + " must be ASCII");
      }
    }
    if (header.name.size() + header.value.size() > 900) {
      return FieldError("headers", "value of " + header.name + " is too long");
    }
  }
  return Ok();
}

}  // namespace masthead::mail
