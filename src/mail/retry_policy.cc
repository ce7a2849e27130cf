#include "mail/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace masthead::mail {

Status ValidateRetryPolicy(const RetryPolicy& policy) {
  if (policy.initial_delay.count() <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "initial_delay must be positive", "initial_delay");
  }
  if (policy.max_delay < policy.initial_delay) {
    return MakeError(ErrorCode::kInvalidArgument, "max_delay must be >= initial_delay", "max_delay");
  }
  if (!(policy.multiplier >= 1.0 && policy.multiplier <= 100.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "multiplier must be in [1, 100]", "multiplier");
  }
  if (!(policy.jitter >= 0.0 && policy.jitter <= 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "jitter must be in [0, 1]", "jitter");
  }
  if (policy.max_attempts < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "max_attempts must be at least 1", "max_attempts");
  }
  return Ok();
}

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int attempts_made, double unit) {
  int exponent = std::max(0, attempts_made - 1);
  double initial = static_cast<double>(policy.initial_delay.count());
  double cap = static_cast<double>(policy.max_delay.count());
  // pow may overflow to inf for large exponents; min() with the cap handles that.
  double delay = std::min(cap, initial * std::pow(policy.multiplier, exponent));
  unit = std::clamp(unit, 0.0, 1.0);
  double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  delay *= (1.0 - jitter) + jitter * unit;
  return std::chrono::milliseconds(std::max<long long>(1, std::llround(delay)));
}

std::optional<TimePoint> NextAttemptTime(const RetryPolicy& policy, int attempts_made,
                                         TimePoint failed_at, double unit) {
  if (attempts_made >= policy.max_attempts) return std::nullopt;
  return failed_at + BackoffDelay(policy, attempts_made, unit);
}

}  // namespace masthead::mail
