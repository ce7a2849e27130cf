#include "base/utf8.h"

#include <gtest/gtest.h>

namespace masthead {
namespace {

TEST(Utf8Test, AcceptsAsciiAndMultibyte) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("MOSCOW - Russia"));
  EXPECT_TRUE(IsValidUtf8("Москва — “quoted” 😀"));
}

TEST(Utf8Test, RejectsBrokenSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));               // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));           // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));       // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));   // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_EQ(FindInvalidUtf8("ok\x80"), 2u);
}

TEST(Utf8Test, ReplacesEachBrokenByteAndKeepsTheRest) {
  EXPECT_EQ(ReplaceInvalidUtf8("Chrome/1.0"), "Chrome/1.0");
  EXPECT_EQ(ReplaceInvalidUtf8("a\xff\xfe b \xC3\xA9"), "a\xEF\xBF\xBD\xEF\xBF\xBD b \xC3\xA9");
  EXPECT_TRUE(IsValidUtf8(ReplaceInvalidUtf8("\xC3")));
}

}  // namespace
}  // namespace masthead
