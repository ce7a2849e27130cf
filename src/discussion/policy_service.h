// The Terms of Use and Community Guidelines as versioned documents. A reader
// must have accepted the current version of both before posting; publishing a
// new version of either asks everyone again.
#pragma once

#include <functional>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace masthead::discussion {

struct CurrentPolicies {
  store::PolicyVersion terms;
  store::PolicyVersion guidelines;
};

class PolicyService {
 public:
  PolicyService(store::Store& store, std::function<UnixSeconds()> now = NowSeconds);

  // Publishes the shipped defaults when no version exists yet (first start).
  Status EnsureDefaults();
  Result<CurrentPolicies> Current();
  // An admin's new version. kind: "terms" or "guidelines".
  Result<store::PolicyVersion> Publish(const std::string& kind, std::string summary,
                                       std::string body_markdown);
  Result<bool> HasAcceptedCurrent(std::int64_t user_id);
  // Records acceptance of the versions the reader was shown; kConflict when a
  // newer version was published meanwhile (they must read that one).
  Status Accept(std::int64_t user_id, int terms_version, int guidelines_version);

 private:
  store::Store& store_;
  std::function<UnixSeconds()> now_;
};

}  // namespace masthead::discussion
