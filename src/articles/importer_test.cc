#include "articles/importer.h"

#include <gtest/gtest.h>

namespace masthead::articles {
namespace {

TEST(ImporterTest, ReadsMarkdownWithFrontMatter) {
  auto parsed = ParseArticleFile("a.md",
                                 "---\n"
                                 "headline: \"Quoted: headline\"\n"
                                 "section: world\n"
                                 "credit: The Associated Press\n"
                                 "dateline: MOSCOW\n"
                                 "published: 2012-12-23T09:30:00Z\n"
                                 "---\n\nBody one.\n\nBody two.\n");
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  ASSERT_EQ(parsed->size(), 1u);
  const auto& f = (*parsed)[0].fields;
  EXPECT_EQ(f.headline, "Quoted: headline");
  EXPECT_EQ(f.section_slug, "world");
  EXPECT_EQ(f.body_markdown, "Body one.\n\nBody two.");
  ASSERT_TRUE(f.published_at);
}

TEST(ImporterTest, NamesTheLineOfABadKey) {
  auto parsed = ParseArticleFile("bad.md", "---\nheadline: x\nsection: world\nhedline: y\n---\nbody");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, "bad.md:4: unknown key 'hedline'");
}

TEST(ImporterTest, NamesTheLineOfABadDate) {
  auto parsed = ParseArticleFile("bad.md", "---\nheadline: x\npublished: 2013-02-30\n---\nbody");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message.rfind("bad.md:3: '2013-02-30' is not a date", 0), 0u)
      << parsed.error().message;
}

TEST(ImporterTest, RejectsInvalidUtf8WithItsLine) {
  auto parsed = ParseArticleFile("bin.md", "---\nheadline: ok\n---\nline four \xC3\x28 bad\n");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message.rfind("bin.md:4: invalid UTF-8", 0), 0u) << parsed.error().message;
}

TEST(ImporterTest, RejectsUnclosedFrontMatterAndEmptyFiles) {
  EXPECT_FALSE(ParseArticleFile("a.md", "---\nheadline: x\n"));
  EXPECT_FALSE(ParseArticleFile("a.md", "   \n"));
  EXPECT_FALSE(ParseArticleFile("a.md", "no front matter"));
}

TEST(ImporterTest, ReadsJsonObjectsAndArrays) {
  auto one = ParseArticleFile("a.json", R"({"headline":"H","section":"world","body":"B"})");
  ASSERT_TRUE(one) << one.error().ToString();
  EXPECT_EQ((*one)[0].fields.body_markdown, "B");
  auto many = ParseArticleFile("b.json", "[\n{\"headline\":\"One\"},\n{\"headline\":\"Two\"}\n]");
  ASSERT_TRUE(many);
  ASSERT_EQ(many->size(), 2u);
  EXPECT_EQ((*many)[1].origin, "b.json:3");
}

TEST(ImporterTest, NamesTheLineOfJsonErrors) {
  auto syntax = ParseArticleFile("s.json", "{\n\"headline\": \"x\",\n\"deck\": \n}");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().message.rfind("s.json:4: invalid JSON", 0), 0u) << syntax.error().message;
  // Valid JSON syntax, but a number no double holds (found by importer_fuzz).
  auto overflow = ParseArticleFile("o.json", "[\n{\"headline\": \"x\",\n\"deck\": 333E3333333333}]");
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.error().message.rfind("o.json:3: invalid JSON: number overflow", 0), 0u)
      << overflow.error().message;
  auto key = ParseArticleFile("k.json", "[\n{\"headline\": \"x\"},\n{\"headline\": \"y\",\n \"colour\": \"red\"}\n]");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().message, "k.json:4: unknown key 'colour'");
  auto type = ParseArticleFile("t.json", "{\"headline\": 42}");
  ASSERT_FALSE(type);
  EXPECT_EQ(type.error().field, "headline");
}

}  // namespace
}  // namespace masthead::articles
