#include "discussion/live_hub.h"

#include <algorithm>

namespace masthead::discussion {

void LiveHub::Publish(std::int64_t article_id, std::int64_t comment_id) {
  PublishedElsewhere(article_id, comment_id);
  if (forward_) forward_(article_id, comment_id);
}

void LiveHub::PublishedElsewhere(std::int64_t article_id, std::int64_t comment_id) {
  std::lock_guard lock(mutex_);
  auto& latest = latest_[article_id];
  latest = std::max(latest, comment_id);
}

void LiveHub::OnPublish(std::function<void(std::int64_t, std::int64_t)> forward) { forward_ = std::move(forward); }

std::int64_t LiveHub::Latest(std::int64_t article_id) const {
  std::lock_guard lock(mutex_);
  auto found = latest_.find(article_id);
  return found == latest_.end() ? 0 : found->second;
}

}  // namespace masthead::discussion
