#include "ua/prefilter_pattern.h"

#include <gtest/gtest.h>

namespace masthead::ua {
namespace {

TEST(PrefilterPatternTest, RelaxForPrefilterOpensEveryCountedRepetition) {
  EXPECT_EQ(RelaxForPrefilter("^.{0,200}?(Bot)"), "^.*?(Bot)");
  EXPECT_EQ(RelaxForPrefilter("[A-z]{1,30}x"), "[A-z]+x");
  EXPECT_EQ(RelaxForPrefilter("(?:ab){2,40}"), "(?:ab){2,}");
  EXPECT_EQ(RelaxForPrefilter("\\d{4}-[0-9a-f]{32}"), "\\d{4}-[0-9a-f]{32,}");
  EXPECT_EQ(RelaxForPrefilter("a{3,}"), "a{3,}");
  // Anchors stay wherever they are.
  EXPECT_EQ(RelaxForPrefilter("^(a|^b|[^c])"), "^(a|^b|[^c])");
}

TEST(PrefilterPatternTest, DropLeadingWildcardKeepsEverythingAfterIt) {
  EXPECT_EQ(DropLeadingWildcard(RelaxForPrefilter("^.{0,200}?(Bot)")), "(Bot)");
  EXPECT_EQ(DropLeadingWildcard(RelaxForPrefilter("^.{0,100}Tizen")), "Tizen");
  EXPECT_EQ(DropLeadingWildcard(RelaxForPrefilter("^(.{0,200})/(\\d+) CFNetwork")), "/(\\d+) CFNetwork");
  EXPECT_EQ(DropLeadingWildcard("^.*?a|b"), "a|b");  // the first alternative only loosens
  EXPECT_EQ(DropLeadingWildcard("^Zao"), "^Zao");
  EXPECT_EQ(DropLeadingWildcard("(.*)x"), "(.*)x");
}

TEST(PrefilterPatternTest, BracesThatAreNotRepetitionsStay) {
  EXPECT_EQ(RelaxForPrefilter("\\{0,5\\}"), "\\{0,5\\}");
  EXPECT_EQ(RelaxForPrefilter("[{0,5}]"), "[{0,5}]");
  EXPECT_EQ(RelaxForPrefilter("[]{0,5}]"), "[]{0,5}]");
  EXPECT_EQ(RelaxForPrefilter("a{,5}"), "a{,5}");
  EXPECT_EQ(RelaxForPrefilter("a{x}"), "a{x}");
}

TEST(PrefilterPatternTest, SingleByteBoundsIgnoreGroupsAndZeroWidthEscapes) {
  EXPECT_EQ(SingleByteRepetitionBounds("^(.{0,200})/(\\d{1,3}) [^;]{0,50}(?:ab){0,9}\\b{0,2}"),
            (std::vector<std::size_t>{3, 50, 200}));
  EXPECT_TRUE(SingleByteRepetitionBounds("\\d{4}abc").empty());  // exact counts stay
}

TEST(PrefilterPatternTest, RelaxForTextsUpToOnlyOpensBoundsAtOrAboveTheLength) {
  const char* pattern = "^(.{0,200})/([a-z]{1,50})(?:xy){0,300}";
  EXPECT_EQ(RelaxForTextsUpTo(pattern, 200), "^(.*)/([a-z]{1,50})(?:xy){0,300}");
  EXPECT_EQ(RelaxForTextsUpTo(pattern, 50), "^(.*)/([a-z]+)(?:xy){0,300}");
  EXPECT_EQ(RelaxForTextsUpTo(pattern, 201), pattern);
  EXPECT_EQ(RelaxForTextsUpTo("\\.{2,9}\\\\{0,5}", 5), "\\.{2,}\\\\*");
  EXPECT_EQ(RelaxForTextsUpTo("\\.{2,9}\\\\{0,5}", 9), "\\.{2,}\\\\{0,5}");
}

}  // namespace
}  // namespace masthead::ua
