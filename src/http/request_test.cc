#include "http/request.h"

#include <gtest/gtest.h>

namespace masthead::http {
namespace {

TEST(RequestTest, PercentDecodesAndRejectsBrokenEscapes) {
  EXPECT_EQ(PercentDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(PercentDecode("%e2%80%94", false), "\xe2\x80\x94");
  EXPECT_FALSE(PercentDecode("%", false));
  EXPECT_FALSE(PercentDecode("%4", false));
  EXPECT_FALSE(PercentDecode("%zz", false));
  EXPECT_EQ(PercentEncode("a b/é"), "a%20b%2F%C3%A9");
}

TEST(RequestTest, ParsesFormsKeepingTheFirstValue) {
  const auto form = ParseForm("q=chemical+weapons&x=%zz&q=second&&empty=&flag");
  EXPECT_EQ(form.at("q"), "chemical weapons");
  EXPECT_EQ(form.at("empty"), "");
  EXPECT_EQ(form.at("flag"), "");
  EXPECT_EQ(form.count("x"), 0u);
}

TEST(RequestTest, EtagsAreQuotedAndDependOnTheBody) {
  EXPECT_EQ(EtagOf("a").front(), '"');
  EXPECT_NE(EtagOf("a"), EtagOf("b"));
  EXPECT_EQ(EtagOf("same"), EtagOf("same"));
}

}  // namespace
}  // namespace masthead::http
