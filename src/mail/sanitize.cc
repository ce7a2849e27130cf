#include "mail/sanitize.h"

#include <array>
#include <vector>

#include "base/text.h"
#include "base/utf8.h"

namespace masthead::mail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026

// Elements whose content is never text a reader meant to show.
constexpr std::array<std::string_view, 9> kDropWithContent = {
    "script", "style", "head", "template", "iframe", "object", "noscript", "svg", "title"};
constexpr std::array<std::string_view, 16> kBlockElements = {
    "br", "p",  "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "ul", "ol", "table", "hr"};

void AppendUtf8(std::string& out, unsigned long cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    out += kReplacement;
  } else if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the character references people and editors actually produce.
std::string DecodeEntities(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kNamed = {{
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
      {"nbsp", " "}, {"#39", "'"}}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    std::size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += '&';
      continue;
    }
    std::string_view name = text.substr(i + 1, semi - i - 1);
    bool done = false;
    for (const auto& [key, value] : kNamed) {
      if (name == key) {
        out += value;
        done = true;
        break;
      }
    }
    if (!done && name.size() >= 2 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::string digits(name.substr(hex ? 2 : 1));
      if (!digits.empty() &&
          digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") ==
              std::string::npos) {
        AppendUtf8(out, std::stoul(digits.substr(0, 8), nullptr, hex ? 16 : 10));
        done = true;
      }
    }
    if (done) {
      i = semi;
    } else {
      out += '&';
    }
  }
  return out;
}

bool IsShowableLink(std::string_view url) {
  std::string lower = ToLowerAscii(url.substr(0, 7));
  if (StartsWith(lower, "mailto:")) {
    for (unsigned char c : url) {
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>') return false;
    }
    return url.size() > 7;
  }
  return IsSafeWebUrl(url);
}

void AppendLink(std::string& out, std::string_view label, std::string_view url) {
  std::string_view trimmed = TrimWhitespace(label);
  if (!IsShowableLink(url)) {
    out += trimmed;
    return;
  }
  if (trimmed.empty() || trimmed == url) {
    out += url;
    return;
  }
  out += trimmed;
  out += " (";
  out += url;
  out += ')';
}

std::string AttributeValue(std::string_view tag, std::string_view name) {
  std::string lower = ToLowerAscii(tag);
  std::size_t pos = 0;
  while ((pos = lower.find(name, pos)) != std::string::npos) {
    bool boundary = pos > 0 && (lower[pos - 1] == ' ' || lower[pos - 1] == '\t' ||
                                lower[pos - 1] == '\n' || lower[pos - 1] == '/');
    std::size_t eq = lower.find_first_not_of(" \t\n", pos + name.size());
    if (!boundary || eq == std::string::npos || lower[eq] != '=') {
      pos += name.size();
      continue;
    }
    std::size_t start = lower.find_first_not_of(" \t\n", eq + 1);
    if (start == std::string::npos) return {};
    char quote = tag[start];
    if (quote == '"' || quote == '\'') {
      std::size_t end = tag.find(quote, start + 1);
      return DecodeEntities(tag.substr(start + 1, end == std::string_view::npos
                                                      ? std::string_view::npos
                                                      : end - start - 1));
    }
    std::size_t end = tag.find_first_of(" \t\n>", start);
    return DecodeEntities(tag.substr(start, end == std::string_view::npos ? end : end - start));
  }
  return {};
}

bool IsTagStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!';
}

// Removes markup; links and images become text. Entities in text stay encoded
// until the end, so "&lt;b&gt;" is never mistaken for a tag.
std::string StripHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  struct OpenLink {
    std::string href;
    std::size_t label_start;
  };
  std::vector<OpenLink> links;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '<' || i + 1 >= text.size() || !IsTagStart(text[i + 1])) {
      out += text[i++];
      continue;
    }
    if (text.substr(i, 4) == "<!--") {
      std::size_t end = text.find("-->", i + 4);
      i = end == std::string_view::npos ? text.size() : end + 3;
      continue;
    }
    std::size_t close = text.find('>', i);
    if (close == std::string_view::npos) {
      out += text[i++];
      continue;
    }
    std::string_view tag = text.substr(i + 1, close - i - 1);
    i = close + 1;
    bool closing = !tag.empty() && tag.front() == '/';
    std::string_view rest = closing ? tag.substr(1) : tag;
    std::size_t name_end = rest.find_first_of(" \t\n/");
    std::string name = ToLowerAscii(rest.substr(0, name_end));
    std::string lower_tag = ToLowerAscii(tag);
    if (StartsWith(lower_tag, "http://") || StartsWith(lower_tag, "https://") ||
        StartsWith(lower_tag, "mailto:")) {
      AppendLink(out, "", DecodeEntities(tag));  // Markdown autolink <https://...>
      continue;
    }
    bool drop = false;
    for (std::string_view d : kDropWithContent) drop = drop || (!closing && name == d);
    if (drop) {
      std::string lower_text = ToLowerAscii(text.substr(i));
      std::size_t end = lower_text.find("</" + name);
      if (end == std::string::npos) return out;  // unterminated: drop the rest
      std::size_t end_close = text.find('>', i + end);
      i = end_close == std::string_view::npos ? text.size() : end_close + 1;
      continue;
    }
    if (name == "a") {
      if (!closing) {
        links.push_back({AttributeValue(tag, "href"), out.size()});
      } else if (!links.empty()) {
        std::string label = out.substr(links.back().label_start);
        out.resize(links.back().label_start);
        AppendLink(out, label, links.back().href);
        links.pop_back();
      }
    } else if (name == "img" && !closing) {
      std::string alt(TrimWhitespace(AttributeValue(tag, "alt")));
      if (!alt.empty()) out += "[image: " + alt + "]";
    } else if (name == "li" && !closing) {
      out += "\n- ";
    } else {
      for (std::string_view block : kBlockElements) {
        if (name == block) {
          out += '\n';
          break;
        }
      }
    }
  }
  return out;
}

// Markdown links and images: [label](url) and ![alt](url). Nested brackets are
// not interpreted; anything that does not match stays as typed.
std::string RewriteMarkdownLinks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool image = text[i] == '!' && i + 1 < text.size() && text[i + 1] == '[';
    if (text[i] != '[' && !image) {
      out += text[i++];
      continue;
    }
    std::size_t open = image ? i + 1 : i;
    std::size_t close = text.find(']', open);
    std::size_t newline = text.find('\n', open);
    if (close == std::string_view::npos || (newline != std::string_view::npos && newline < close) ||
        close + 1 >= text.size() || text[close + 1] != '(') {
      out += text[i++];
      continue;
    }
    std::size_t paren = text.find(')', close + 2);
    if (paren == std::string_view::npos) {
      out += text[i++];
      continue;
    }
    std::string_view label = text.substr(open + 1, close - open - 1);
    std::string_view target = TrimWhitespace(text.substr(close + 2, paren - close - 2));
    std::size_t space = target.find_first_of(" \t");  // [l](url "title")
    std::string_view url = target.substr(0, space);
    if (image) {
      std::string_view alt = TrimWhitespace(label);
      if (!alt.empty()) out += "[image: " + std::string(alt) + "]";
    } else {
      AppendLink(out, label, url);
    }
    i = paren + 1;
  }
  return out;
}

// Drops bidirectional overrides (U+202A..U+202E, U+2066..U+2069): in mail they
// can make a link or a name read differently from what it is.
std::string StripBidiControls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) == 0xE2 && i + 2 < text.size()) {
      unsigned char b1 = static_cast<unsigned char>(text[i + 1]);
      unsigned char b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string CollapseBlankLines(std::string_view text) {
  std::string out;
  int newlines = 0;
  for (std::string_view line : SplitLines(text)) {
    std::string_view kept = line;
    while (!kept.empty() && (kept.back() == ' ' || kept.back() == '\t')) kept.remove_suffix(1);
    if (TrimWhitespace(kept).empty()) {
      ++newlines;
      continue;
    }
    if (!out.empty()) out += newlines > 0 ? "\n\n" : "\n";
    newlines = 0;
    out += kept;
  }
  return out;
}

std::string Truncate(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes >= kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  text += kEllipsis;
  return text;
}

}  // namespace

bool IsSafeWebUrl(std::string_view url) {
  std::string lower = ToLowerAscii(url.substr(0, 8));
  std::size_t scheme = StartsWith(lower, "https://") ? 8 : StartsWith(lower, "http://") ? 7 : 0;
  if (scheme == 0 || url.size() == scheme || url.size() > 2000) return false;
  if (url[scheme] == '/' || url[scheme] == '?' || url[scheme] == '#') return false;
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' ||
        c == '\\' || c == '`') {
      return false;
    }
  }
  return true;
}

std::string SanitizeForMail(std::string_view input, std::size_t max_bytes) {
  std::string text = ReplaceInvalidUtf8(input);
  text = StripControlCharacters(text);
  text = StripHtml(text);
  text = RewriteMarkdownLinks(text);
  text = DecodeEntities(text);
  // Decoding may have produced control characters (&#7;) or bidi overrides.
  text = StripBidiControls(StripControlCharacters(text));
  return Truncate(CollapseBlankLines(text), max_bytes);
}

std::string SanitizeForMailHeader(std::string_view input, std::size_t max_bytes) {
  std::string text = SanitizeForMail(input, max_bytes * 4);
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return Truncate(out, max_bytes);
}

}  // namespace masthead::mail
