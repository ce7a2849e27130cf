#include "ua/lru_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace masthead::ua {
namespace {

TEST(LruCacheTest, GetReturnsWhatWasPut) {
  LruCache<int> cache(1000);
  EXPECT_FALSE(cache.Get("a").has_value());
  cache.Put("a", 1);
  cache.Put("b", 2);
  cache.Put("a", 3);  // overwrite
  EXPECT_EQ(cache.Get("a"), 3);
  EXPECT_EQ(cache.Get("b"), 2);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(LruCacheTest, StaysWithinCapacity) {
  LruCache<int> cache(LruCache<int>::kShards * 2);  // two entries per shard
  for (int i = 0; i < 10000; ++i) cache.Put(std::to_string(i), i);
  EXPECT_LE(cache.size(), cache.capacity());
}

TEST(LruCacheTest, RecentlyUsedEntrySurvivesEviction) {
  // One shard's worth of behaviour: with capacity 2 per shard, touching "keep"
  // between inserts of keys that hash to its shard keeps it.
  LruCache<int> cache(LruCache<int>::kShards * 2);
  cache.Put("keep", 0);
  const std::size_t shard = std::hash<std::string_view>{}("keep") % LruCache<int>::kShards;
  int same_shard = 0;
  for (int i = 0; same_shard < 50; ++i) {
    const std::string key = "k" + std::to_string(i);
    if (std::hash<std::string_view>{}(key) % LruCache<int>::kShards != shard) continue;
    ++same_shard;
    ASSERT_EQ(cache.Get("keep"), 0) << "after " << same_shard << " same-shard inserts";
    cache.Put(key, i);
  }
  // And an untouched entry does get evicted.
  cache.Put("gone", 1);
  for (int i = 0, n = 0; n < 3; ++i) {
    const std::string key = "g" + std::to_string(i);
    if (std::hash<std::string_view>{}(key) % LruCache<int>::kShards !=
        std::hash<std::string_view>{}("gone") % LruCache<int>::kShards) {
      continue;
    }
    ++n;
    cache.Put(key, i);
  }
  EXPECT_FALSE(cache.Get("gone").has_value());
}

TEST(LruCacheTest, ZeroCapacityDisables) {
  LruCache<int> cache(0);
  cache.Put("a", 1);
  EXPECT_FALSE(cache.Get("a").has_value());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(LruCacheTest, ConcurrentUseKeepsInvariants) {
  LruCache<std::string> cache(256);
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        const std::string key = std::to_string((i * 7 + t) % 1000);
        if (auto hit = cache.Get(key)) {
          if (*hit != "v" + key) ++wrong[t];
        } else {
          cache.Put(key, "v" + key);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(wrong[t], 0);
  EXPECT_LE(cache.size(), cache.capacity());
}

}  // namespace
}  // namespace masthead::ua
