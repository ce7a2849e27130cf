#include <gtest/gtest.h>

#include "newsroom/dashboard.h"
#include "newsroom/inbox.h"

namespace masthead::newsroom {
namespace {

TEST(ResponseHoursTest, ReadsQueueHoursPairs) {
  auto hours = ParseResponseHours(" held=4, reported = 2,appeals=48 ");
  ASSERT_TRUE(hours) << hours.error().ToString();
  EXPECT_EQ(hours->size(), 3u);
  EXPECT_EQ(hours->at("held"), 4);
  EXPECT_EQ(hours->at("reported"), 2);
  EXPECT_EQ(hours->at("appeals"), 48);
  EXPECT_TRUE(ParseResponseHours("")->empty());
}

TEST(ResponseHoursTest, RefusesWhatIsNotWholeHours) {
  for (const char* bad : {"held", "held=", "held=0", "held=-1", "held=2.5", "=4", "held=999999", "held=4;x=2"}) {
    auto hours = ParseResponseHours(bad);
    ASSERT_FALSE(hours) << bad;
    EXPECT_EQ(hours.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(InboxFilterTest, ReadsEveryFilterFromTheQueryAndBoundsItsLength) {
  auto filter = InboxFilterFrom({{"queue", "held"}, {"section", "world"}, {"desk", "world-desk"}, {"unclaimed", "1"}});
  EXPECT_EQ(filter.queue, "held");
  EXPECT_EQ(filter.section, "world");
  EXPECT_EQ(filter.desk, "world-desk");
  EXPECT_TRUE(filter.unclaimed_only);
  auto odd = InboxFilterFrom({{"desk", std::string(5000, 'd')}, {"unclaimed", "10"}});
  EXPECT_EQ(odd.desk.size(), 100u);
  EXPECT_TRUE(odd.queue.empty());
  EXPECT_FALSE(odd.unclaimed_only);
}

TEST(DecisionTimeBucketsTest, PutsEachWaitInOneBucket) {
  auto bars = DecisionTimeBuckets({0, 899, 900, 3599, 3600, 4 * 3600, 86399, 86400, 10 * 86400});
  ASSERT_EQ(bars.size(), 5u);
  EXPECT_EQ(bars[0].value, 2);  // under 15 min
  EXPECT_EQ(bars[1].value, 2);  // 15-60 min
  EXPECT_EQ(bars[2].value, 1);  // 1-4 hours
  EXPECT_EQ(bars[3].value, 2);  // 4-24 hours
  EXPECT_EQ(bars[4].value, 2);  // over a day
}

}  // namespace
}  // namespace masthead::newsroom
