#include "ops/html_to_markdown.h"

#include <gtest/gtest.h>

#include "ops/comment_import.h"

namespace masthead::ops {
namespace {

TEST(HtmlToMarkdownTest, KeepsParagraphsEmphasisLinksAndQuotes) {
  EXPECT_EQ(HtmlToMarkdown("<p>One <em>two</em> <strong>three</strong>.</p><p>Four<br>five</p>"),
            "One *two* **three**.\n\nFour  \nfive");
  EXPECT_EQ(HtmlToMarkdown("See <a href=\"https://example.org/a\">this</a>."), "See [this](https://example.org/a).");
  EXPECT_EQ(HtmlToMarkdown("<blockquote>Quoted</blockquote>Reply"), "> Quoted\n\nReply");
  // WordPress keeps paragraphs as blank lines, not <p>.
  EXPECT_EQ(HtmlToMarkdown("First line\n\nSecond &amp; last"), "First line\n\nSecond & last");
}

TEST(HtmlToMarkdownTest, DropsScriptsAndUnsafeLinksAndEscapesMarkdown) {
  EXPECT_EQ(HtmlToMarkdown("<script>alert(1)</script>Hi <a href=\"javascript:alert(1)\">x</a>"), "Hi x");
  EXPECT_EQ(HtmlToMarkdown("2 * 3 = _6_ <b>[not a link]</b>"), "2 \\* 3 = \\_6\\_ **\\[not a link\\]**");
  EXPECT_EQ(HtmlToMarkdown("&#8220;Quoted&#8221; &eacute;"), "\u201cQuoted\u201d \u00e9");
}

TEST(RepairLegacyTextTest, ReadsStrayBytesAsWindows1252) {
  EXPECT_EQ(RepairLegacyText("caf\xe9 \x93quoted\x94"), "caf\u00e9 \u201cquoted\u201d");
  EXPECT_EQ(RepairLegacyText("already UTF-8: caf\u00e9"), "already UTF-8: caf\u00e9");
  EXPECT_EQ(RepairLegacyText("bell\x07 tab\t"), "bell tab\t");
}

TEST(ArchiveParserTest, RefusesWhatIsNotAnExportNamingTheLine) {
  auto broken = ParseDisqus("<?xml version=\"1.0\"?>\n<disqus>\n<thread>\n</disqus>");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("line "), std::string::npos);
  EXPECT_FALSE(ParseWordPress("<disqus/>"));
  EXPECT_FALSE(ParseDisqus("<rss><channel/></rss>"));
}

TEST(ArchiveParserTest, ExternalEntitiesAreNotRead) {
  auto parsed = ParseDisqus(
      "<?xml version=\"1.0\"?><!DOCTYPE disqus [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<disqus xmlns:dsq=\"http://disqus.com/disqus-internals\"><thread dsq:id=\"1\"><title>&x;</title>"
      "<link>http://e.org/a</link></thread></disqus>");
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  ASSERT_EQ(parsed->threads.size(), 1u);
  EXPECT_EQ(parsed->threads[0].title.find("root:"), std::string::npos);
}

}  // namespace
}  // namespace masthead::ops
