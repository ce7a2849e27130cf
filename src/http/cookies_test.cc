#include "http/cookies.h"

#include <gtest/gtest.h>

namespace masthead::http {
namespace {

TEST(CookiesTest, ParsesPairsAndIgnoresJunk) {
  const auto cookies = ParseCookies("a=1; b=\"two\";c; =x;  d=4 ; a=ignored");
  EXPECT_EQ(cookies.at("a"), "1");
  EXPECT_EQ(cookies.at("b"), "two");
  EXPECT_EQ(cookies.at("d"), "4");
  EXPECT_EQ(cookies.count("c"), 0u);
  EXPECT_EQ(cookies.size(), 3u);
}

TEST(CookiesTest, BuildsSetCookieWithFlags) {
  EXPECT_EQ(SetCookieValue("s", "tok", {.max_age_seconds = 60, .secure = true}),
            "s=tok; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax");
  EXPECT_EQ(SetCookieValue("s", "", {.max_age_seconds = 0}), "s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

}  // namespace
}  // namespace masthead::http
