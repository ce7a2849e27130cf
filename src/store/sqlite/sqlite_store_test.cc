#include "store/sqlite/sqlite_engine.h"

#include <atomic>
#include <filesystem>

#include "store/sqlite/sqlite_connection.h"
#include "store/store_conformance.h"

namespace masthead::store::sqlite {
namespace {

std::string FreshDatabasePath() {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("masthead-store-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / ("db" + std::to_string(counter++) + ".sqlite");
  std::filesystem::remove(path);
  return path.string();
}

std::unique_ptr<Store> MakeSqlite() {
  auto store = OpenSqliteStore({.path = FreshDatabasePath()});
  if (!store) return nullptr;
  if (!(*store)->Migrate()) return nullptr;
  return std::move(*store);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         testing::Values(StoreFactory{"sqlite", MakeSqlite}),
                         [](const auto& info) { return info.param.name; });

TEST(SqliteStoreTest, OpeningAnUnwritablePathFailsClearly) {
  auto store = OpenSqliteStore({.path = "/proc/no/such/dir/db.sqlite"});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
}

TEST(SqliteStoreTest, UsesWriteAheadLogging) {
  const std::string path = FreshDatabasePath();
  auto store = OpenSqliteStore({.path = path});
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->Migrate());
  auto connection = SqliteConnection::Open(path);
  ASSERT_TRUE(connection);
  auto statement = (*connection)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(statement);
  ASSERT_TRUE((*statement)->Step().value());
  EXPECT_EQ((*statement)->Text(0), "wal");
}

TEST(SqliteStoreTest, RejectsUnknownSynchronousMode) {
  auto store = OpenSqliteStore({.path = FreshDatabasePath(), .synchronous = "off"});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().field, "database.synchronous");
}

}  // namespace
}  // namespace masthead::store::sqlite
