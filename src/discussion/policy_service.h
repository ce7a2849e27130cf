// The Terms of Use and Community Guidelines as versioned documents. A reader
// must have accepted the current version of both before posting; publishing a
// new version of either asks everyone again.
//
// The current versions and who accepted them are kept in memory: every post
// asks, and the answer changes only when an admin publishes (this node clears
// the memory itself; other nodes are told through ChangedElsewhere).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

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

  // Called after this node published a version (to tell the other nodes).
  void OnChange(std::function<void()> callback) { on_change_ = std::move(callback); }
  // Another node published, or messages from other nodes may have been missed.
  void ChangedElsewhere() { Forget(); }

  // Beyond this many readers remembered as having accepted, the memory starts over.
  static constexpr std::size_t kMaxRemembered = 100'000;

 private:
  void Forget();
  void Remember(std::int64_t user_id, std::uint64_t generation);
  // The current versions from memory, or read and remembered unless a change
  // came in meanwhile; `generation` is the memory's age it belongs to.
  Result<std::shared_ptr<const CurrentPolicies>> Cached(std::uint64_t& generation);

  store::Store& store_;
  std::function<UnixSeconds()> now_;
  std::function<void()> on_change_;
  std::mutex mutex_;
  std::uint64_t generation_ = 0;  // increases with every change
  std::shared_ptr<const CurrentPolicies> current_;
  std::unordered_set<std::int64_t> accepted_current_;
};

}  // namespace masthead::discussion
