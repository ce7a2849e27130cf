#include "pages/page_cache.h"

namespace masthead::pages {

std::optional<CachedPage> PageCache::Find(const std::string& key, std::uint64_t version) const {
  std::shared_lock lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end() || found->second.version != version) return std::nullopt;
  return found->second.page;
}

void PageCache::Store(const std::string& key, std::uint64_t version, CachedPage page) {
  std::unique_lock lock(mutex_);
  if (entries_.size() >= capacity_ && !entries_.count(key)) entries_.clear();
  entries_[key] = Entry{version, std::move(page)};
}

}  // namespace masthead::pages
