// A bounded, thread-safe map from user-agent string to parse result, evicting the
// least recently used entry. Sharded by hash so that concurrent requests rarely
// wait on the same mutex.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace masthead::ua {

// Thread-safety: every method may be called concurrently. Values are copied in
// and out, so no reference into the cache outlives a lock.
template <typename Value>
class LruCache {
 public:
  static constexpr std::size_t kShards = 16;

  // `capacity` is the total number of entries kept (at least one per shard);
  // 0 disables the cache: Get always misses and Put keeps nothing.
  explicit LruCache(std::size_t capacity)
      : per_shard_(capacity == 0 ? 0 : std::max<std::size_t>(1, capacity / kShards)) {}

  std::optional<Value> Get(std::string_view key) {
    if (per_shard_ == 0) return std::nullopt;
    Shard& shard = ShardOf(key);
    std::lock_guard lock(shard.mutex);
    auto it = shard.index.find(key);
    if (it == shard.index.end()) return std::nullopt;
    shard.order.splice(shard.order.begin(), shard.order, it->second);
    return it->second->second;
  }

  void Put(std::string_view key, const Value& value) {
    if (per_shard_ == 0) return;
    Shard& shard = ShardOf(key);
    std::lock_guard lock(shard.mutex);
    if (auto it = shard.index.find(key); it != shard.index.end()) {
      it->second->second = value;
      shard.order.splice(shard.order.begin(), shard.order, it->second);
      return;
    }
    shard.order.emplace_front(std::string(key), value);
    // The index keys view the list's strings, which std::list never moves.
    shard.index.emplace(shard.order.front().first, shard.order.begin());
    if (shard.order.size() > per_shard_) {
      shard.index.erase(shard.order.back().first);
      shard.order.pop_back();
    }
  }

  std::size_t size() const {
    std::size_t total = 0;
    for (const Shard& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      total += shard.order.size();
    }
    return total;
  }

  std::size_t capacity() const { return per_shard_ * kShards; }

 private:
  using Entry = std::pair<std::string, Value>;
  struct Shard {
    mutable std::mutex mutex;
    std::list<Entry> order;  // most recently used first
    std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index;
  };

  Shard& ShardOf(std::string_view key) {
    return shards_[std::hash<std::string_view>{}(key) % kShards];
  }

  const std::size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace masthead::ua
