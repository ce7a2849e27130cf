#include "mail/mime.h"

#include <ctime>

namespace masthead::mail {
namespace {

constexpr std::size_t kMaxLine = 78;      // RFC 5322 "SHOULD" limit for a line
constexpr std::size_t kMaxQpLine = 76;    // RFC 2045 limit for an encoded line
constexpr std::size_t kMaxWordBytes = 39; // UTF-8 bytes per encoded-word: 52 base64 chars

constexpr char kHexUpper[] = "0123456789ABCDEF";

bool IsPrintableAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// Length of the UTF-8 sequence starting with `lead` (input is validated UTF-8).
std::size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xe) return 3;
  return 4;
}

// Joins `words` with single spaces, breaking lines (CRLF SP) before a word that
// would pass kMaxLine. `used` is what is already on the first line.
std::string FoldWords(const std::vector<std::string>& words, std::size_t used) {
  std::string out;
  std::size_t line = used;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) {
      if (line + 1 + words[i].size() > kMaxLine) {
        out += "\r\n ";
        line = 1;
      } else {
        out += ' ';
        ++line;
      }
    }
    out += words[i];
    line += words[i].size();
  }
  return out;
}

std::vector<std::string> EncodedWords(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size()) {
      std::size_t next = end + Utf8SequenceLength(static_cast<unsigned char>(text[end]));
      if (next - i > kMaxWordBytes) break;
      end = next;
    }
    if (end > text.size()) end = text.size();
    words.push_back("=?UTF-8?B?" + EncodeBase64(text.substr(i, end - i)) + "?=");
    i = end;
  }
  return words;
}

bool IsAtextOrSpace(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
      c == ' ') {
    return true;
  }
  constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return kSpecials.find(c) != std::string_view::npos;
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

// A boundary that cannot occur in quoted-printable output: QP always writes '='
// as "=3D", so "=_" never appears in an encoded part.
std::string BoundaryFor(const Message& message) {
  std::string boundary = "=_masthead_";
  for (char c : message.message_id) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      boundary += c;
    }
    if (boundary.size() >= 50) break;
  }
  return boundary;
}

// In a multipart body the CRLF before "--boundary" belongs to the boundary, so it
// is always added; a single part only needs its last line terminated.
void AppendTextPart(std::string& out, std::string_view subtype, std::string_view body,
                    bool in_multipart) {
  out += "Content-Type: text/";
  out += subtype;
  out += "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  std::string encoded = EncodeQuotedPrintable(body);
  out += encoded;
  if (in_multipart || !encoded.ends_with("\r\n")) out += "\r\n";
}

}  // namespace

std::string FormatRfc5322Date(UnixSeconds t) {
  std::time_t time = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buffer;
}

std::string EncodeBase64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string EncodeQuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    bool has_newline = end != std::string_view::npos;
    if (!has_newline) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      bool at_end = i + 1 == line.size();
      bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
      if (i == 0 && c == '.') literal = false;
      if (i == 0 && line.substr(0, 5) == "From ") literal = false;
      std::size_t width = literal ? 1 : 3;
      // Keep room for the soft break "=" unless this token ends the line.
      std::size_t limit = at_end ? kMaxQpLine : kMaxQpLine - 1;
      if (column + width > limit) {
        out += "=\r\n";
        column = 0;
      }
      if (literal) {
        out += static_cast<char>(c);
      } else {
        out += '=';
        out += kHexUpper[c >> 4];
        out += kHexUpper[c & 0xf];
      }
      column += width;
    }
    if (has_newline) out += "\r\n";
    start = end + 1;
  }
  return out;
}

std::string EncodeUnstructuredHeader(std::string_view text, std::size_t name_length) {
  std::vector<std::string> words;
  if (IsPrintableAscii(text) && text.find("=?") == std::string_view::npos) {
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t space = text.find(' ', start);
      if (space == std::string_view::npos) space = text.size();
      // Runs of spaces collapse to one; folding would change them anyway.
      if (space > start) words.emplace_back(text.substr(start, space - start));
      start = space + 1;
    }
    // A single word longer than a line is legal (up to 998); it stays unfolded.
  } else {
    words = EncodedWords(text);
  }
  return FoldWords(words, name_length);
}

std::string FormatAddress(const Address& address) {
  if (address.name.empty()) return "<" + address.address + ">";
  std::string out;
  bool plain = true;
  for (char c : address.name) plain = plain && IsAtextOrSpace(c);
  if (plain && address.name.front() != ' ' && address.name.back() != ' ') {
    out = address.name;
  } else if (IsPrintableAscii(address.name)) {
    out = "\"";
    for (char c : address.name) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  } else {
    // Folded as if after "Reply-To: ", the longest header name it goes into.
    out = FoldWords(EncodedWords(address.name), 10);
  }
  return out + " <" + address.address + ">";
}

Result<std::string> BuildMime(const Message& message, UnixSeconds now) {
  MASTHEAD_RETURN_IF_ERROR(ValidateMessage(message));
  std::string out;
  out.reserve(1024 + message.text_body.size() * 2 + message.html_body.size() * 2);
  AppendHeader(out, "Date", FormatRfc5322Date(message.date != 0 ? message.date : now));
  AppendHeader(out, "From", FormatAddress(message.from));
  AppendHeader(out, "To", FormatAddress(message.to));
  if (!message.reply_to.empty()) {
    std::vector<std::string> mailboxes;
    for (std::size_t i = 0; i < message.reply_to.size(); ++i) {
      mailboxes.push_back(FormatAddress(message.reply_to[i]) +
                          (i + 1 < message.reply_to.size() ? "," : ""));
    }
    AppendHeader(out, "Reply-To", FoldWords(mailboxes, 10));
  }
  AppendHeader(out, "Subject", EncodeUnstructuredHeader(message.subject, 9));
  AppendHeader(out, "Message-ID", message.message_id);
  for (const Header& header : message.headers) AppendHeader(out, header.name, header.value);
  AppendHeader(out, "MIME-Version", "1.0");

  if (message.html_body.empty()) {
    AppendTextPart(out, "plain", message.text_body, /*in_multipart=*/false);
    return out;
  }
  std::string boundary = BoundaryFor(message);
  AppendHeader(out, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
  out += "\r\n";
  // Clients show the last part they understand, so the richer HTML part comes last.
  out += "--" + boundary + "\r\n";
  AppendTextPart(out, "plain", message.text_body, /*in_multipart=*/true);
  out += "--" + boundary + "\r\n";
  AppendTextPart(out, "html", message.html_body, /*in_multipart=*/true);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace masthead::mail
