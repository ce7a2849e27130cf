// One Hyperscan scratch area per thread and call site, grown once to fit each
// database the thread scans. (Asking Hyperscan to check the fit costs tens of
// microseconds for uap-core's databases, so it is done once per database, not
// per scan.)
#pragma once

#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <vector>

namespace masthead::ua {

// Distinguishes databases for ThreadScratch; never reused, unlike addresses.
inline std::uint64_t NextDatabaseSerial() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1);
}

class ThreadScratch {
 public:
  ThreadScratch() = default;
  ThreadScratch(const ThreadScratch&) = delete;
  ThreadScratch& operator=(const ThreadScratch&) = delete;
  ~ThreadScratch() {
    if (scratch_ != nullptr) hs_free_scratch(scratch_);
  }
  // nullptr if Hyperscan cannot allocate (out of memory).
  hs_scratch_t* For(const hs_database_t* db, std::uint64_t serial) {
    if (scratch_ != nullptr && std::find(fitted_.begin(), fitted_.end(), serial) != fitted_.end()) {
      return scratch_;
    }
    if (hs_alloc_scratch(db, &scratch_) != HS_SUCCESS) return nullptr;
    fitted_.push_back(serial);
    return scratch_;
  }

 private:
  hs_scratch_t* scratch_ = nullptr;
  std::vector<std::uint64_t> fitted_;  // serials of the databases it fits
};

}  // namespace masthead::ua
