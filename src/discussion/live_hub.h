// Tells open article pages that new comments exist. Publishers record the newest
// published comment id per article; each live connection polls with the id it
// has seen and fetches what is newer from the store. Thread-safe. (With several
// nodes, the PostgreSQL engine feeds Publish from LISTEN/NOTIFY.)
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace masthead::discussion {

class LiveHub {
 public:
  void Publish(std::int64_t article_id, std::int64_t comment_id);
  // The newest comment id published for the article (0 when none since start).
  std::int64_t Latest(std::int64_t article_id) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::int64_t, std::int64_t> latest_;
};

}  // namespace masthead::discussion
