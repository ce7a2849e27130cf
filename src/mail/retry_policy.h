// When to try a message again after a temporary failure: exponential backoff with
// a cap and jitter, and a limit on attempts. Pure functions, so the schedule is
// testable and the same on every node.
#pragma once

#include <chrono>
#include <optional>

#include "base/result.h"

namespace masthead::mail {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

struct RetryPolicy {
  std::chrono::milliseconds initial_delay{std::chrono::seconds(30)};
  std::chrono::milliseconds max_delay{std::chrono::hours(2)};
  double multiplier = 2.0;
  // Fraction of the delay that is randomised: the delay is drawn from
  // [d * (1 - jitter), d]. Spreads retries of messages that failed together
  // (a server outage) so they do not all return at once.
  double jitter = 0.25;
  // Attempts in total, the first included. After the last temporary failure the
  // message is failed permanently. At 30 s doubling to 2 h, 20 attempts span ~1.5 days.
  int max_attempts = 20;
};

// Errors name the field: delays must be positive with initial <= max, multiplier
// >= 1, jitter in [0, 1], max_attempts >= 1.
Status ValidateRetryPolicy(const RetryPolicy& policy);

// Delay before the next attempt after `attempts_made` (>= 1) attempts have failed:
// min(max_delay, initial_delay * multiplier^(attempts_made - 1)), then jittered.
// `unit` is a random number in [0, 1) (clamped); 0 gives the shortest delay.
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int attempts_made, double unit);

// When to try again after attempt number `attempts_made` failed at `failed_at`;
// nullopt when attempts_made >= max_attempts (give up: permanent failure).
std::optional<TimePoint> NextAttemptTime(const RetryPolicy& policy, int attempts_made,
                                         TimePoint failed_at, double unit);

}  // namespace masthead::mail
