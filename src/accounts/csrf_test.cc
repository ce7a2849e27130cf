#include "accounts/csrf.h"

#include <gtest/gtest.h>

#include "accounts/crypto.h"

namespace masthead::accounts {
namespace {

TEST(CsrfTest, AcceptsOnlyMatchingSignedTokensForTheSameBinding) {
  ASSERT_TRUE(InitCrypto());
  CsrfGuard guard("server-key");
  const std::string token = guard.Issue("session-a");
  EXPECT_TRUE(guard.Verify(token, token, "session-a"));
  EXPECT_FALSE(guard.Verify(token, token, "session-b"));        // bound to another session
  EXPECT_FALSE(guard.Verify(token, guard.Issue("session-a"), "session-a"));  // cookie differs
  EXPECT_FALSE(guard.Verify("", "", "session-a"));
  const std::string forged = token.substr(0, token.find('.')) + ".AAAA";
  EXPECT_FALSE(guard.Verify(forged, forged, "session-a"));
  CsrfGuard other("other-key");
  EXPECT_FALSE(other.Verify(token, token, "session-a"));         // another server's key
}

}  // namespace
}  // namespace masthead::accounts
