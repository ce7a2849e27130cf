// The contract every Store engine must meet, as one parameterised test suite.
// An engine's test file instantiates it with a factory for fresh, migrated,
// empty stores:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest, testing::Values(factory));
#pragma once

#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "store/store.h"

namespace masthead::store {

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<Store>()> make;  // fresh, migrated, empty
};

inline std::ostream& operator<<(std::ostream& out, const StoreFactory& factory) {
  return out << factory.name;
}

class StoreConformanceTest : public testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().make();
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<Store> store_;
};

// The published article "story" in section "world" that the discussion-side
// suites hang their comments, cases and tickets on. Returns its id.
inline std::int64_t CreatePublishedStory(Store& store, UnixSeconds now) {
  EXPECT_TRUE(store.PutSection({"world", "World", 1}));
  ArticleFields f;
  f.slug = "story";
  f.section_slug = "world";
  f.headline = "Story";
  f.credit = "AP";
  f.body_markdown = "Body.";
  f.published_at = now - 100;
  return store.CreateArticle({f, "", now}).value().id;
}

}  // namespace masthead::store
