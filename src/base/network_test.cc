#include "base/network.h"

#include <gtest/gtest.h>

namespace masthead {
namespace {

TEST(NetworkTest, GroupsAddressesByAllocation) {
  EXPECT_EQ(NetworkOf("203.0.113.77"), "203.0.113.0/24");
  EXPECT_EQ(NetworkOf("::ffff:203.0.113.77"), "203.0.113.0/24");
  EXPECT_EQ(NetworkOf("2001:db8:1:2:3:4:5:6"), "2001:db8:1::/48");
  EXPECT_EQ(NetworkOf("::1"), "::/48");
  EXPECT_EQ(NetworkOf("not-an-ip"), "not-an-ip");
}

}  // namespace
}  // namespace masthead
