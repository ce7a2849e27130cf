// Tells open article pages that new comments exist. Publishers record the newest
// published comment id per article; each live connection polls with the id it
// has seen and fetches what is newer from the store. Thread-safe. With several
// nodes, the app forwards each local Publish to the others over the cluster bus
// (PostgreSQL's LISTEN/NOTIFY), which record it with PublishedElsewhere.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace masthead::discussion {

class LiveHub {
 public:
  void Publish(std::int64_t article_id, std::int64_t comment_id);
  // A comment published on another node: recorded, not forwarded again.
  void PublishedElsewhere(std::int64_t article_id, std::int64_t comment_id);
  // Called after each Publish on this node (set once, before serving).
  void OnPublish(std::function<void(std::int64_t article_id, std::int64_t comment_id)> forward);
  // The newest comment id published for the article (0 when none since start).
  std::int64_t Latest(std::int64_t article_id) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::int64_t, std::int64_t> latest_;
  std::function<void(std::int64_t, std::int64_t)> forward_;
};

}  // namespace masthead::discussion
