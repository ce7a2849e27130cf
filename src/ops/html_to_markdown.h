// Imported articles and comments arrive as HTML (WordPress, Disqus), but Masthead
// stores Markdown and renders it with raw HTML dropped. This turns the HTML into
// Markdown that keeps paragraphs, line breaks, emphasis, links, quotes and lists,
// and keeps every other tag's text only.
#pragma once

#include <string>
#include <string_view>

namespace masthead::ops {

// `html` must be UTF-8. Entities are decoded; Markdown syntax in the text is escaped.
std::string HtmlToMarkdown(std::string_view html);

// The text of a repaired legacy byte string: valid UTF-8 stays as it is, every
// byte that is not part of valid UTF-8 is read as Windows-1252 (what mixed-up
// exports usually hold), and control characters XML forbids are dropped.
std::string RepairLegacyText(std::string_view bytes);

}  // namespace masthead::ops
