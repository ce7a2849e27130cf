// Fuzzes the Markdown renderer that turns reader comments and article bodies
// into HTML placed unescaped into pages. Beyond "no crash" it checks the output
// is safe: every tag is one cmark writes (no script, iframe, style, form...),
// every attribute one of a short list, no event handler, no href or src with a
// javascript:, vbscript: or data: (other than images) scheme, no raw '<' in
// text, and the output is valid UTF-8 (the input is, or was repaired).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "articles/markdown.h"
#include "base/utf8.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view html) {
  std::fprintf(stderr, "markdown_fuzz: %s in:\n%.*s\n", what, static_cast<int>(html.size()),
               html.data());
  std::abort();
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

const std::set<std::string, std::less<>> kTags = {
    "p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "br", "img", "del", "table", "thead", "tbody", "tr", "th", "td",
    "span", "input", "sup", "section"};
const std::set<std::string, std::less<>> kAttributes = {
    "href", "src", "alt", "title", "rel", "id", "class", "start", "align", "type", "checked",
    "disabled", "lang", "data-footnote-ref", "data-footnotes"};

// Checks a URL attribute's value (still HTML-escaped, as cmark writes it).
void CheckUrl(std::string_view name, std::string_view value, std::string_view html) {
  std::string url;
  for (char c : Lower(value)) {
    if (c > ' ') url.push_back(c);  // browsers ignore controls and spaces in schemes
  }
  if (url.starts_with("javascript:") || url.starts_with("vbscript:") ||
      url.starts_with("&#") || url.find("&colon;") != std::string::npos) {
    Fail("dangerous URL", html);
  }
  if (url.starts_with("data:") && (name != "src" || !url.starts_with("data:image/"))) {
    Fail("data: URL", html);
  }
}

void CheckHtml(std::string_view html) {
  std::size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      ++i;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      const std::size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) Fail("unclosed comment", html);
      // Only cmark's own marker for dropped raw HTML.
      if (html.substr(i, end + 3 - i) != "<!-- raw HTML omitted -->") Fail("comment", html);
      i = end + 3;
      continue;
    }
    std::size_t j = i + 1;
    if (j < html.size() && html[j] == '/') ++j;
    const std::size_t name_start = j;
    while (j < html.size() && ((html[j] >= 'a' && html[j] <= 'z') || (html[j] >= '0' && html[j] <= '9'))) ++j;
    const std::string name(html.substr(name_start, j - name_start));
    if (!kTags.contains(name)) Fail("unexpected tag or raw '<'", html);
    // Attributes: name="value" pairs (cmark always quotes with ").
    for (;;) {
      while (j < html.size() && html[j] == ' ') ++j;
      if (j >= html.size()) Fail("unclosed tag", html);
      if (html[j] == '>') break;
      if (html[j] == '/' && j + 1 < html.size() && html[j + 1] == '>') {
        ++j;
        break;
      }
      const std::size_t attribute_start = j;
      while (j < html.size() && html[j] != '=' && html[j] != ' ' && html[j] != '>' && html[j] != '/') ++j;
      const std::string attribute = Lower(html.substr(attribute_start, j - attribute_start));
      if (!kAttributes.contains(attribute)) Fail("unexpected attribute", html);
      if (j < html.size() && html[j] == '=') {
        if (j + 1 >= html.size() || html[j + 1] != '"') Fail("unquoted attribute", html);
        const std::size_t value_end = html.find('"', j + 2);
        if (value_end == std::string_view::npos) Fail("unclosed attribute", html);
        const std::string_view value = html.substr(j + 2, value_end - j - 2);
        if (value.find('<') != std::string_view::npos) Fail("'<' in attribute", html);
        if (attribute == "href" || attribute == "src") CheckUrl(attribute, value, html);
        j = value_end + 1;
      }
    }
    i = j + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string comment = masthead::articles::RenderMarkdown(input, true);
  if (!masthead::IsValidUtf8(comment)) Fail("invalid UTF-8", comment);
  CheckHtml(comment);
  const auto body = masthead::articles::RenderArticleBody(input, "MOSCOW <b>");
  CheckHtml(body.html);
  for (const auto& paragraph : body.paragraphs) {
    if (!paragraph.anchor.starts_with("p")) Fail("anchor", body.html);
  }
  return 0;
}
