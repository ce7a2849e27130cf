#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_engine.h"
#include "store/postgres/test_postgres.h"
#include "store/store_conformance.h"

namespace masthead::store::postgres {
namespace {

std::unique_ptr<Store> MakePostgres() {
  const std::string url = FreshTestPostgresUrl("conformance");
  if (url.empty()) {
    ADD_FAILURE() << "no PostgreSQL for the tests: set MASTHEAD_TEST_POSTGRES (a URL) or run through "
                     "CTest, whose fixture starts one (tests/support/postgres.sh)";
    return nullptr;
  }
  auto store = OpenPostgresStore({.url = url});
  if (!store) {
    ADD_FAILURE() << store.error().ToString();
    return nullptr;
  }
  if (auto migrated = (*store)->Migrate(); !migrated) {
    ADD_FAILURE() << migrated.error().ToString();
    return nullptr;
  }
  return std::move(*store);
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformanceTest,
                         testing::Values(StoreFactory{"postgres", MakePostgres}),
                         [](const auto& info) { return info.param.name; });

TEST(PostgresStoreTest, AnUnreachableServerFailsClearly) {
  auto store = OpenPostgresStore({.url = "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(store.error().message.find("cannot connect"), std::string::npos);
}

TEST(PostgresStoreTest, MigratingTwiceAndFromTwoNodesAtOnceAppliesEachMigrationOnce) {
  const std::string url = FreshTestPostgresUrl("migrate");
  ASSERT_FALSE(url.empty());
  auto first = OpenPostgresStore({.url = url});
  auto second = OpenPostgresStore({.url = url});
  ASSERT_TRUE(first && second);
  Result<int> a, b;
  std::thread other([&] { b = (*second)->Migrate(); });
  a = (*first)->Migrate();
  other.join();
  ASSERT_TRUE(a) << a.error().ToString();
  ASSERT_TRUE(b) << b.error().ToString();
  EXPECT_EQ(*a, *b);
  EXPECT_EQ((*first)->SchemaVersion().value(), *a);
  EXPECT_EQ((*first)->Migrate().value(), *a);
}

// Two nodes' delivery workers claiming from one outbox at once: every message
// is claimed by exactly one of them.
TEST(PostgresStoreTest, TwoNodesClaimEachQueuedMessageOnce) {
  const std::string url = FreshTestPostgresUrl("claim");
  ASSERT_FALSE(url.empty());
  auto a = OpenPostgresStore({.url = url});
  auto b = OpenPostgresStore({.url = url});
  ASSERT_TRUE(a && b);
  ASSERT_TRUE((*a)->Migrate());
  constexpr int kMessages = 300;
  const UnixSeconds now = 1'700'000'000;
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_TRUE((*a)->EnqueueMail({"<m" + std::to_string(i) + "@test>", "r@example.org", "test", "x", now}));
  }
  std::mutex mutex;
  std::multiset<std::int64_t> claimed;
  auto drain = [&](Store& store) {
    for (;;) {
      auto batch = store.ClaimDueMail({.now = now, .limit = 7, .lease_seconds = 600});
      ASSERT_TRUE(batch) << batch.error().ToString();
      if (batch->empty()) return;
      std::lock_guard lock(mutex);
      for (const auto& message : *batch) claimed.insert(message.id);
    }
  };
  std::thread node_b([&] { drain(**b); });
  drain(**a);
  node_b.join();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kMessages));
  for (auto id : claimed) EXPECT_EQ(claimed.count(id), 1u) << id;
}

TEST(PostgresStoreTest, SchemaNamesAreCheckedBeforeUse) {
  auto store = OpenPostgresStore({.url = TestPostgresServer() + "?schema=x;drop"});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace masthead::store::postgres
