#include <gtest/gtest.h>

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

TEST(PostgresStoreTest, SchemaNamesAreCheckedBeforeUse) {
  auto store = OpenPostgresStore({.url = TestPostgresServer() + "?schema=x;drop"});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace masthead::store::postgres
