#include "mail/retry_policy.h"

#include <gtest/gtest.h>

namespace masthead::mail {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

RetryPolicy Policy() {
  RetryPolicy p;
  p.initial_delay = seconds(30);
  p.max_delay = seconds(3600);
  p.multiplier = 2.0;
  p.jitter = 0.25;
  p.max_attempts = 5;
  return p;
}

TEST(RetryPolicyTest, DoublesFromInitialDelayWithoutJitterAtUnitOne) {
  RetryPolicy p = Policy();
  EXPECT_EQ(BackoffDelay(p, 1, 1.0), seconds(30));
  EXPECT_EQ(BackoffDelay(p, 2, 1.0), seconds(60));
  EXPECT_EQ(BackoffDelay(p, 3, 1.0), seconds(120));
  EXPECT_EQ(BackoffDelay(p, 4, 1.0), seconds(240));
}

TEST(RetryPolicyTest, CappedAtMaxDelayEvenForHugeAttemptCounts) {
  RetryPolicy p = Policy();
  EXPECT_EQ(BackoffDelay(p, 8, 1.0), seconds(3600));  // 30 * 2^7 = 3840 > cap
  EXPECT_EQ(BackoffDelay(p, 100000, 1.0), seconds(3600));
}

TEST(RetryPolicyTest, JitterStaysWithinTheConfiguredFraction) {
  RetryPolicy p = Policy();
  EXPECT_EQ(BackoffDelay(p, 1, 0.0), milliseconds(22500));  // 30 s * 0.75
  EXPECT_EQ(BackoffDelay(p, 1, 0.5), milliseconds(26250));
  for (double unit = 0.0; unit < 1.0; unit += 0.01) {
    auto d = BackoffDelay(p, 3, unit);
    EXPECT_GE(d, milliseconds(90000));
    EXPECT_LE(d, milliseconds(120000));
  }
  EXPECT_EQ(BackoffDelay(p, 1, -5.0), BackoffDelay(p, 1, 0.0));  // clamped
  p.jitter = 0.0;
  EXPECT_EQ(BackoffDelay(p, 2, 0.0), seconds(60));
}

TEST(RetryPolicyTest, NextAttemptTimeAndGivingUp) {
  RetryPolicy p = Policy();
  TimePoint t0{seconds(1'000'000)};
  EXPECT_EQ(NextAttemptTime(p, 1, t0, 1.0), t0 + seconds(30));
  EXPECT_EQ(NextAttemptTime(p, 4, t0, 1.0), t0 + seconds(240));
  EXPECT_EQ(NextAttemptTime(p, 5, t0, 1.0), std::nullopt);  // 5 of 5 attempts made
  EXPECT_EQ(NextAttemptTime(p, 6, t0, 1.0), std::nullopt);
  p.max_attempts = 1;
  EXPECT_EQ(NextAttemptTime(p, 1, t0, 0.3), std::nullopt);
}

TEST(RetryPolicyTest, ValidationNamesTheField) {
  EXPECT_TRUE(ValidateRetryPolicy(Policy()));
  RetryPolicy p = Policy();
  p.initial_delay = milliseconds(0);
  EXPECT_EQ(ValidateRetryPolicy(p).error().field, "initial_delay");
  p = Policy();
  p.max_delay = seconds(1);
  EXPECT_EQ(ValidateRetryPolicy(p).error().field, "max_delay");
  p = Policy();
  p.multiplier = 0.5;
  EXPECT_EQ(ValidateRetryPolicy(p).error().field, "multiplier");
  p = Policy();
  p.jitter = 1.5;
  EXPECT_EQ(ValidateRetryPolicy(p).error().field, "jitter");
  p = Policy();
  p.max_attempts = 0;
  EXPECT_EQ(ValidateRetryPolicy(p).error().field, "max_attempts");
}

}  // namespace
}  // namespace masthead::mail
