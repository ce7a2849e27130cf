#include "http/sealed_body.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace masthead::http {
namespace {

TEST(SealedBodyTest, HoldsTheBytesInAFileNoOneCanChange) {
  const std::string page = "<p>" + std::string(20000, 'x') + "</p>";
  const auto body = SealedBody::From(page);
  EXPECT_EQ(body->view(), page);
  ASSERT_GE(body->fd(), 0);
  // What a response announced (length, ETag) stays true while it is sent.
  EXPECT_EQ(::pwrite(body->fd(), "X", 1, 0), -1);
  EXPECT_EQ(::ftruncate(body->fd(), 1), -1);
  char first = 0;
  EXPECT_EQ(::pread(body->fd(), &first, 1, 0), 1);
  EXPECT_EQ(first, '<');
}

TEST(SealedBodyTest, SmallBodiesStayOnTheHeap) {
  EXPECT_EQ(SealedBody::From("")->fd(), -1);
  const auto small = SealedBody::From("<p>short</p>");
  EXPECT_EQ(small->view(), "<p>short</p>");
  EXPECT_EQ(small->fd(), -1);
}

}  // namespace
}  // namespace masthead::http
