#include "discussion/spam_guard.h"

#include <gtest/gtest.h>

#include "accounts/crypto.h"

namespace masthead::discussion {
namespace {

TEST(SpamGuardTest, CountsEachWebAddressOnce) {
  EXPECT_EQ(CountLinks("no links here, just www and http talk"), 0);
  EXPECT_EQ(CountLinks("see https://www.example.org/a?b=c and HTTP://EXAMPLE.ORG"), 2);
  EXPECT_EQ(CountLinks("www.example.org, www.example.net"), 2);
  EXPECT_EQ(CountLinks("[text](https://example.org) and <http://example.org>"), 2);
  EXPECT_EQ(CountLinks("awww.com is a word-joined www"), 0);
  EXPECT_EQ(CountLinks(""), 0);
  EXPECT_EQ(CountLinks("http://"), 1);
}

TEST(SpamGuardTest, FoldingIgnoresCaseAndSpacing) {
  EXPECT_EQ(FoldForFingerprint("  Buy   NOW\n\tfriends "), "buy now friends");
  EXPECT_EQ(TextFingerprint(FoldForFingerprint("Buy now")), TextFingerprint(FoldForFingerprint("BUY  now")));
  EXPECT_NE(TextFingerprint("a"), TextFingerprint("b"));
}

TEST(SpamGuardTest, NetworkKeysAreHashesNotAddresses) {
  const std::string key = NetworkKey("203.0.113.0/24");
  EXPECT_EQ(key.find("203"), std::string::npos);
  EXPECT_EQ(key, NetworkKey("203.0.113.0/24"));
  EXPECT_NE(key, NetworkKey("203.0.114.0/24"));
}

TEST(SpamGuardTest, FormStampsVerifyForTheirReaderOnly) {
  ASSERT_TRUE(accounts::InitCrypto());
  const FormStamp stamps("server key");
  const std::string stamp = stamps.Issue(7, 1'700'000'000);
  ASSERT_TRUE(stamps.Verify(stamp, 7));
  EXPECT_EQ(*stamps.Verify(stamp, 7), 1'700'000'000);
  EXPECT_EQ(stamps.Verify(stamp, 8).error().field, "form_stamp");  // another reader's
  EXPECT_FALSE(FormStamp("other key").Verify(stamp, 7));
  // Claiming an earlier time breaks the signature.
  EXPECT_FALSE(stamps.Verify("1600000000" + stamp.substr(stamp.find('.')), 7));
  for (const char* bad : {"", ".", "abc.def", "1700000000", "1700000000.", "-1.x", "99999999999999.x"}) {
    EXPECT_FALSE(stamps.Verify(bad, 7)) << bad;
  }
}

}  // namespace
}  // namespace masthead::discussion
