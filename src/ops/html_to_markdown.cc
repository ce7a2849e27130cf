#include "ops/html_to_markdown.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <cstring>
#include <memory>

#include "base/utf8.h"

namespace masthead::ops {
namespace {

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
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

// Windows-1252's 0x80..0x9F; the rest of the upper half is Latin-1.
constexpr std::uint16_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

class MarkdownWriter {
 public:
  std::string Finish() {
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) out_.pop_back();
    return out_;
  }

  void Walk(xmlNode* node) {
    for (; node != nullptr; node = node->next) {
      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
        Text(reinterpret_cast<const char*>(node->content));
        continue;
      }
      if (node->type != XML_ELEMENT_NODE) continue;
      const std::string name = reinterpret_cast<const char*>(node->name);
      if (name == "script" || name == "style" || name == "iframe" || name == "object") continue;
      if (name == "p" || name == "div" || name == "h1" || name == "h2" || name == "h3" || name == "h4" ||
          name == "h5" || name == "h6" || name == "figure" || name == "table" || name == "pre") {
        Block();
        if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') out_ += "### ";
        Walk(node->children);
        Block();
      } else if (name == "br") {
        out_ += "  \n";
        at_line_start_ = true;
        pending_space_ = false;
        pending_newlines_ = 0;
      } else if (name == "em" || name == "i") {
        Inline("*", node);
      } else if (name == "strong" || name == "b") {
        Inline("**", node);
      } else if (name == "a") {
        xmlChar* href = xmlGetProp(node, reinterpret_cast<const xmlChar*>("href"));
        std::string url = href ? reinterpret_cast<const char*>(href) : "";
        xmlFree(href);
        const bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 || url.rfind("mailto:", 0) == 0;
        if (!web || url.find_first_of(" ()<>") != std::string::npos) {
          Walk(node->children);  // the text stays; a link we cannot carry safely does not
        } else {
          Open("[");
          Walk(node->children);
          out_ += "](" + url + ")";
        }
      } else if (name == "blockquote") {
        Block();
        MarkdownWriter inner;
        inner.Walk(node->children);
        std::string quoted = inner.Finish();
        for (std::size_t start = 0; start <= quoted.size();) {
          const std::size_t end = quoted.find('\n', start);
          out_ += "> " + quoted.substr(start, end == std::string::npos ? std::string::npos : end - start) + "\n";
          if (end == std::string::npos) break;
          start = end + 1;
        }
        Block();
      } else if (name == "li") {
        pending_space_ = false;
        pending_newlines_ = 0;
        if (!at_line_start_) out_ += "\n";
        out_ += "- ";
        at_line_start_ = false;
        Walk(node->children);
        out_ += "\n";
        at_line_start_ = true;
      } else if (name == "ul" || name == "ol") {
        Block();
        Walk(node->children);
        Block();
      } else {
        Walk(node->children);
      }
    }
  }

 private:
  void Block() {
    pending_space_ = false;
    pending_newlines_ = 0;
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    if (out_.empty()) return;
    if (out_.back() != '\n') out_ += '\n';
    if (out_.size() < 2 || out_[out_.size() - 2] != '\n') out_ += '\n';
    at_line_start_ = true;
  }

  // Space typed before an opening mark goes before it; a closing mark hugs the
  // text ("*two* three", never "*two *three").
  void Inline(const char* mark, xmlNode* node) {
    Open(mark);
    Walk(node->children);
    out_ += mark;
  }

  void Open(const char* mark) {
    Flush();
    out_ += mark;
    at_line_start_ = false;
  }

  // Whitespace waits until something visible follows: then it is a paragraph
  // break (a blank line, as WordPress stores paragraphs) or one space.
  void Flush() {
    if (pending_newlines_ >= 2) {
      Block();
    } else if (pending_space_ && !at_line_start_ && !out_.empty() && out_.back() != ' ' && out_.back() != '\n') {
      out_ += ' ';
    }
    pending_space_ = false;
    pending_newlines_ = 0;
  }

  // Text as Markdown would show it: whitespace collapsed (HTML does so too), blank
  // lines kept as paragraph breaks (WordPress stores paragraphs that way), and
  // characters with a meaning in Markdown escaped.
  void Text(const char* text) {
    for (const char* p = text; *p != '\0'; ++p) {
      const char c = *p;
      if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
        if (c == '\n') ++pending_newlines_;
        pending_space_ = true;
        continue;
      }
      Flush();
      if (std::strchr("\\*_[]<>`#|", c) != nullptr) out_ += '\\';
      out_ += c;
      at_line_start_ = false;
    }
  }

  std::string out_;
  bool at_line_start_ = true;
  bool pending_space_ = false;
  int pending_newlines_ = 0;
};

}  // namespace

std::string RepairLegacyText(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  while (!bytes.empty()) {
    const std::size_t bad = FindInvalidUtf8(bytes);
    std::string_view good = bytes.substr(0, bad == std::string_view::npos ? bytes.size() : bad);
    for (const char c : good) {
      // XML 1.0 allows no C0 controls but tab, newline and carriage return.
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
      out += c;
    }
    if (bad == std::string_view::npos) break;
    const auto byte = static_cast<unsigned char>(bytes[bad]);
    AppendUtf8(out, byte >= 0x80 && byte < 0xA0 ? kCp1252High[byte - 0x80] : byte);
    bytes.remove_prefix(bad + 1);
  }
  return out;
}

std::string HtmlToMarkdown(std::string_view html) {
  const std::string document = "<html><body><div>" + std::string(html) + "</div></body></html>";
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      htmlReadMemory(document.data(), static_cast<int>(document.size()), nullptr, "UTF-8",
                     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET),
      &xmlFreeDoc);
  if (!doc) return std::string();
  MarkdownWriter writer;
  writer.Walk(xmlDocGetRootElement(doc.get()));
  return writer.Finish();
}

}  // namespace masthead::ops
