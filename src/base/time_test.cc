#include "base/time.h"

#include <gtest/gtest.h>

namespace masthead {
namespace {

TEST(TimeTest, FormatsTheNewspaperDate) {
  const auto t = ParseDateTime("2012-12-23T14:05:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatLongDate(*t), "December 23, 2012");
  EXPECT_EQ(FormatRfc3339(*t), "2012-12-23T14:05:00Z");
  EXPECT_EQ(FormatRfc1123(*t), "Sun, 23 Dec 2012 14:05:00 GMT");
  EXPECT_EQ(FormatIsoDate(*t), "2012-12-23");
}

TEST(TimeTest, ParsesOffsetsAndPlainDates) {
  EXPECT_EQ(ParseDateTime("1970-01-01"), 0);
  EXPECT_EQ(ParseDateTime("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(ParseDateTime("1970-01-01 00:01"), 60);
}

TEST(TimeTest, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseDateTime("2013-02-29"));
  EXPECT_FALSE(ParseDateTime("2012-13-01"));
  EXPECT_FALSE(ParseDateTime("2012-12-23T25:00"));
  EXPECT_FALSE(ParseDateTime("December 23, 2012"));
  EXPECT_FALSE(ParseDateTime("2012-12-23Tjunk"));
  EXPECT_TRUE(ParseDateTime("2012-02-29"));
}

}  // namespace
}  // namespace masthead
