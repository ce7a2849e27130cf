#include "base/text.h"

#include <gtest/gtest.h>

namespace masthead {
namespace {

TEST(TextTest, SlugifiesHeadlines) {
  EXPECT_EQ(Slugify("Russia won't give Assad safe haven, foreign minister says"),
            "russia-wont-give-assad-safe-haven-foreign-minister-says");
  EXPECT_EQ(Slugify("  --  "), "item");
  EXPECT_EQ(Slugify("Ünïcode only ß"), "ncode-only");
  EXPECT_TRUE(IsValidSlug("a-b-c1"));
  EXPECT_FALSE(IsValidSlug("a--b"));
  EXPECT_FALSE(IsValidSlug("-a"));
  EXPECT_FALSE(IsValidSlug("A"));
}

TEST(TextTest, StripsControlCharacters) {
  EXPECT_EQ(StripControlCharacters("a\r\nb\x01\x7f\tc\rd"), "a\nb\tc\nd");
}

TEST(TextTest, SplitsLinesAcrossEndings) {
  const auto lines = SplitLines("a\r\nb\n\nc");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "a");
  EXPECT_EQ(lines[2], "");
  EXPECT_EQ(lines[3], "c");
}

}  // namespace
}  // namespace masthead
