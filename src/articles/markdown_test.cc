#include "articles/markdown.h"

#include <gtest/gtest.h>

namespace masthead::articles {
namespace {

TEST(MarkdownTest, NumbersTopLevelParagraphsAndLeadsWithTheDateline) {
  const auto body = RenderArticleBody("Russia's foreign minister says.\n\n## Aside\n\nSecond *one*.",
                                      "MOSCOW");
  EXPECT_EQ(body.html.find("<p id=\"p1\"><span class=\"dateline\">MOSCOW -</span> Russia's"), 0u)
      << body.html;
  EXPECT_NE(body.html.find("<p id=\"p2\">Second <em>one</em>.</p>"), std::string::npos);
  ASSERT_EQ(body.paragraphs.size(), 2u);
  EXPECT_EQ(body.paragraphs[0].anchor, "p1");
  EXPECT_EQ(body.paragraphs[1].text, "Second one.");
}

TEST(MarkdownTest, DropsRawHtmlAndScriptUrls) {
  const auto body = RenderArticleBody(
      "<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> [x](javascript:alert(1))", "");
  EXPECT_EQ(body.html.find("<script"), std::string::npos) << body.html;
  EXPECT_EQ(body.html.find("<img"), std::string::npos);
  EXPECT_EQ(body.html.find("javascript:"), std::string::npos);
}

TEST(MarkdownTest, EscapesTheDateline) {
  const auto body = RenderArticleBody("Text.", "<b>X</b>");
  EXPECT_NE(body.html.find("&lt;b&gt;X&lt;/b&gt; -"), std::string::npos);
}

TEST(MarkdownTest, UserLinksAreNofollow) {
  const std::string html = RenderMarkdown("see [here](https://example.org) and https://a.example", true);
  EXPECT_NE(html.find("<a rel=\"nofollow ugc\" href=\"https://example.org\">"), std::string::npos)
      << html;
  EXPECT_EQ(html.find("<a href="), std::string::npos);
}

TEST(MarkdownTest, SurvivesInvalidUtf8AndDeepNesting) {
  const std::string nested(5000, '>');
  EXPECT_FALSE(RenderArticleBody(nested + " deep", "").html.empty());
  const auto body = RenderArticleBody("bad \xff\xfe bytes", "");
  EXPECT_NE(body.html.find("bad"), std::string::npos);
}

}  // namespace
}  // namespace masthead::articles
