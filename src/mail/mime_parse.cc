#include "mail/mime_parse.h"

#include "base/text.h"

namespace masthead::mail {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string NormalizeNewlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

// Value of `param` in a header like `multipart/alternative; boundary="x"`.
std::string HeaderParameter(std::string_view value, std::string_view param) {
  std::string lower = ToLowerAscii(value);
  std::string key = std::string(param) + "=";
  std::size_t pos = lower.find(key);
  if (pos == std::string::npos) return {};
  std::string_view rest = value.substr(pos + key.size());
  if (!rest.empty() && rest.front() == '"') {
    std::size_t close = rest.find('"', 1);
    return std::string(rest.substr(1, close == std::string_view::npos ? rest.npos : close - 1));
  }
  std::size_t end = rest.find_first_of("; \t");
  return std::string(rest.substr(0, end));
}

struct Part {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
};

std::optional<std::string> FindHeader(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  std::string wanted = ToLowerAscii(name);
  for (const auto& [key, value] : headers) {
    if (ToLowerAscii(key) == wanted) return value;
  }
  return std::nullopt;
}

// Splits header block and body (input already LF-only).
Result<Part> SplitPart(std::string_view text) {
  Part part;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      part.body = pos <= text.size() ? text.substr(pos) : std::string_view();
      return part;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !part.headers.empty()) {
      part.headers.back().second += std::string(line);  // unfold: drop the CRLF only
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return MakeError(ErrorCode::kInvalidArgument, "malformed header line", "message");
    }
    part.headers.emplace_back(std::string(line.substr(0, colon)),
                              std::string(TrimWhitespace(line.substr(colon + 1))));
  }
  return part;  // headers only, empty body
}

std::string DecodeBody(const Part& part) {
  std::string encoding =
      ToLowerAscii(FindHeader(part.headers, "Content-Transfer-Encoding").value_or(""));
  if (encoding == "quoted-printable") return DecodeQuotedPrintable(part.body);
  if (encoding == "base64") return DecodeBase64(part.body);
  return std::string(part.body);
}

void Collect(const Part& part, ParsedMessage& out, int depth) {
  std::string type = ToLowerAscii(FindHeader(part.headers, "Content-Type").value_or("text/plain"));
  if (StartsWith(type, "multipart/") && depth < 8) {
    std::string boundary = HeaderParameter(
        FindHeader(part.headers, "Content-Type").value_or(""), "boundary");
    if (boundary.empty()) return;
    std::string delimiter = "--" + boundary;
    std::size_t pos = part.body.find(delimiter);
    while (pos != std::string_view::npos) {
      pos += delimiter.size();
      if (part.body.substr(pos, 2) == "--") return;
      std::size_t start = part.body.find('\n', pos);
      if (start == std::string_view::npos) return;
      ++start;
      std::size_t next = part.body.find("\n" + delimiter, start);
      std::string_view child_text = part.body.substr(
          start, next == std::string_view::npos ? std::string_view::npos : next - start);
      auto child = SplitPart(child_text);
      if (child) Collect(*child, out, depth + 1);
      pos = next == std::string_view::npos ? next : next + 1;
    }
    return;
  }
  if (StartsWith(type, "text/html")) {
    if (out.html_body.empty()) out.html_body = NormalizeNewlines(DecodeBody(part));
  } else if (StartsWith(type, "text/plain") || type.empty()) {
    if (out.text_body.empty()) out.text_body = NormalizeNewlines(DecodeBody(part));
  }
}

}  // namespace

std::optional<std::string> ParsedMessage::Get(std::string_view name) const {
  auto value = FindHeader(headers, name);
  if (!value) return std::nullopt;
  return DecodeHeaderWords(*value);
}

std::string DecodeQuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '=') {
      out += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '\n') {
      i += 1;  // soft line break
    } else if (i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
      i += 2;
    } else if (i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;  // malformed: keep as is (RFC 2045 suggests leniency)
    }
  }
  return out;
}

std::string DecodeBase64(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = Base64Value(c);
    if (v < 0) continue;  // skips line breaks and padding
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::string DecodeHeaderWords(std::string_view value) {
  std::string out;
  std::size_t pos = 0;
  std::size_t pending_space_start = std::string::npos;  // whitespace after a word
  while (pos < value.size()) {
    std::size_t start = value.find("=?", pos);
    if (start == std::string_view::npos) break;
    std::size_t q1 = value.find('?', start + 2);
    std::size_t q2 = q1 == std::string_view::npos ? q1 : value.find('?', q1 + 1);
    std::size_t end = q2 == std::string_view::npos ? q2 : value.find("?=", q2 + 1);
    if (end == std::string_view::npos) break;
    std::string charset = ToLowerAscii(value.substr(start + 2, q1 - start - 2));
    std::string encoding = ToLowerAscii(value.substr(q1 + 1, q2 - q1 - 1));
    std::string_view payload = value.substr(q2 + 1, end - q2 - 1);
    std::string_view between = value.substr(pos, start - pos);
    bool only_space = TrimWhitespace(between).empty();
    if (!(pending_space_start != std::string::npos && only_space)) out += between;
    if ((charset == "utf-8" || charset == "us-ascii") && (encoding == "b" || encoding == "q")) {
      if (encoding == "b") {
        out += DecodeBase64(payload);
      } else {
        std::string underscores(payload);
        for (char& c : underscores) {
          if (c == '_') c = ' ';
        }
        out += DecodeQuotedPrintable(underscores);
      }
      pending_space_start = end + 2;
    } else {
      out += value.substr(start, end + 2 - start);
      pending_space_start = std::string::npos;
    }
    pos = end + 2;
  }
  out += value.substr(pos);
  return out;
}

Result<ParsedMessage> ParseMessage(std::string_view raw) {
  std::string text = NormalizeNewlines(raw);
  auto part = SplitPart(text);
  if (!part) return tl::unexpected(part.error());
  ParsedMessage message;
  message.headers = part->headers;
  Collect(*part, message, 0);
  return message;
}

}  // namespace masthead::mail
