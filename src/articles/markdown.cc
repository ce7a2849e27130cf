#include "articles/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "base/html.h"

namespace masthead::articles {
namespace {

// No CMARK_OPT_UNSAFE: raw HTML becomes a comment and dangerous URLs are blanked.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_NOBREAKS;

struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct ParserDeleter {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};

std::string TakeString(char* text) {
  std::string out = text ? text : "";
  std::free(text);
  return out;
}

void AttachExtensions(cmark_parser* parser) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  for (const char* name : {"table", "strikethrough", "autolink"}) {
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser, extension);
    }
  }
}

std::unique_ptr<cmark_node, NodeDeleter> Parse(std::string_view markdown, cmark_parser*& parser_out,
                                              std::unique_ptr<cmark_parser, ParserDeleter>& owner) {
  owner.reset(cmark_parser_new(kOptions));
  parser_out = owner.get();
  AttachExtensions(parser_out);
  cmark_parser_feed(parser_out, markdown.data(), markdown.size());
  return std::unique_ptr<cmark_node, NodeDeleter>(cmark_parser_finish(parser_out));
}

std::string RenderNode(cmark_node* node, cmark_parser* parser) {
  return TakeString(cmark_render_html(node, kOptions, cmark_parser_get_syntax_extensions(parser)));
}

}  // namespace

RenderedBody RenderArticleBody(std::string_view markdown, std::string_view dateline) {
  RenderedBody body;
  cmark_parser* parser = nullptr;
  std::unique_ptr<cmark_parser, ParserDeleter> parser_owner;
  auto document = Parse(markdown, parser, parser_owner);
  int paragraph_number = 0;
  for (cmark_node* node = cmark_node_first_child(document.get()); node != nullptr;
       node = cmark_node_next(node)) {
    std::string html = RenderNode(node, parser);
    if (cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH && html.rfind("<p>", 0) == 0) {
      ++paragraph_number;
      const std::string anchor = "p" + std::to_string(paragraph_number);
      std::string opening = "<p id=\"" + anchor + "\">";
      if (paragraph_number == 1 && !dateline.empty()) {
        opening += "<span class=\"dateline\">";
        AppendEscapedHtml(opening, dateline);
        opening += " -</span> ";
      }
      html.replace(0, 3, opening);
      std::string text = TakeString(cmark_render_plaintext(node, kOptions, 0));
      while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
      body.paragraphs.push_back({anchor, std::move(text)});
    }
    body.html += html;
  }
  return body;
}

std::string RenderMarkdown(std::string_view markdown, bool user_content) {
  cmark_parser* parser = nullptr;
  std::unique_ptr<cmark_parser, ParserDeleter> parser_owner;
  auto document = Parse(markdown, parser, parser_owner);
  std::string html = RenderNode(document.get(), parser);
  if (user_content) {
    // cmark writes every link as <a href="...">; mark them as user-generated.
    std::string marked;
    marked.reserve(html.size() + 64);
    std::size_t position = 0;
    for (;;) {
      const std::size_t found = html.find("<a href=", position);
      if (found == std::string::npos) break;
      marked.append(html, position, found - position);
      marked += "<a rel=\"nofollow ugc\" href=";
      position = found + 8;
    }
    marked.append(html, position);
    html = std::move(marked);
  }
  return html;
}

}  // namespace masthead::articles
