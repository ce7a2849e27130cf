#include "accounts/crypto.h"

#include <gtest/gtest.h>

namespace masthead::accounts {
namespace {

TEST(CryptoTest, PasswordsVerifyOnlyWithTheRightPassword) {
  ASSERT_TRUE(InitCrypto());
  auto hash = HashPassword("correct horse battery", HashCost::kMinimum);
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("garbage", "x"));
}

TEST(CryptoTest, TokensAreRandomAndHashesStable) {
  ASSERT_TRUE(InitCrypto());
  const std::string a = RandomToken(), b = RandomToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(HashToken(a), HashToken(a));
  EXPECT_NE(HashToken(a), HashToken(b));
  EXPECT_EQ(HashToken(a).size(), 64u);
  EXPECT_NE(Mac("k1", "m"), Mac("k2", "m"));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace masthead::accounts
