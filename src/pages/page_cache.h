// Rendered pages kept in memory until the content changes. Entries remember the
// content version they were rendered at; a newer version makes them stale. The
// cache is bounded: when full it is cleared (pages are cheap to re-render, and a
// clear is O(n) once per `capacity` misses).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "http/sealed_body.h"

namespace masthead::pages {

struct CachedPage {
  std::shared_ptr<const http::SealedBody> body;
  std::string etag;
  std::string content_type;
  int status = 200;
};

class PageCache {
 public:
  explicit PageCache(std::size_t capacity = 2048) : capacity_(capacity) {}

  std::optional<CachedPage> Find(const std::string& key, std::uint64_t version) const;
  void Store(const std::string& key, std::uint64_t version, CachedPage page);

 private:
  struct Entry {
    std::uint64_t version;
    CachedPage page;
  };
  std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace masthead::pages
