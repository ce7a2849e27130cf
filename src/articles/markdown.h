// Markdown to safe HTML with cmark-gfm. Raw HTML in the source is dropped and
// unsafe link schemes (javascript:, vbscript:, data: except images) removed by
// cmark's safe mode, so the output may be placed into a page unescaped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace masthead::articles {

struct BodyParagraph {
  std::string anchor;  // "p1", "p2", ... in document order; stable for a revision
  std::string text;    // plain text, for lists of paragraphs (accuracy form)
};

struct RenderedBody {
  std::string html;  // safe HTML
  std::vector<BodyParagraph> paragraphs;
};

// Renders an article body. Every top-level paragraph gets id="pN"; when
// `dateline` is non-empty the first paragraph starts with
// <span class="dateline">DATELINE -</span>.
RenderedBody RenderArticleBody(std::string_view markdown, std::string_view dateline);

// Renders reader or editor Markdown without anchors. Links get
// rel="nofollow ugc" when `user_content` is set.
std::string RenderMarkdown(std::string_view markdown, bool user_content);

}  // namespace masthead::articles
