// The checkpointer on a real SQLite file: commits that make the log long wake
// its thread, which copies the log into the database file.
#include "store/sqlite/wal_checkpointer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/sqlite/sqlite_connection.h"

namespace masthead::store::sqlite {
namespace {

std::string FreshPath() {
  const auto dir = std::filesystem::temp_directory_path() / ("masthead-checkpointer-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".sqlite");
  std::filesystem::remove(path);
  return path.string();
}

TEST(WalCheckpointerTest, ALongLogIsCopiedIntoTheDatabaseByItsOwnThread) {
  const std::string path = FreshPath();
  auto checkpointer = WalCheckpointer::Start(path, 20);
  ASSERT_TRUE(checkpointer) << checkpointer.error().ToString();
  {
    auto writer = SqliteConnection::Open(path);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->ExecScript("PRAGMA journal_mode=WAL; CREATE TABLE notes (body TEXT);"));
    (*checkpointer)->Watch((*writer)->handle());
    const auto empty_size = std::filesystem::file_size(path);
    // Each commit adds a few pages: well past 20 frames, far below SQLite's own
    // threshold of 1000, so only the checkpointer can have copied them.
    for (int i = 0; i < 60; ++i) {
      ASSERT_TRUE((*writer)->ExecScript("INSERT INTO notes VALUES (hex(randomblob(3000)))"));
    }
    for (int i = 0; i < 600 && (*checkpointer)->checkpoints() == 0; ++i) {  // bounded: 60 s
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_GT((*checkpointer)->checkpoints(), 0u);
    for (int i = 0; i < 600 && std::filesystem::file_size(path) <= empty_size; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_GT(std::filesystem::file_size(path), empty_size + 60 * 3000);
    auto count = (*writer)->Prepare("SELECT count(*) FROM notes");
    ASSERT_TRUE(count && *(*count)->Step());
    EXPECT_EQ((*count)->Int(0), 60);
  }
  checkpointer->reset();  // after the connection it watched is closed
}

}  // namespace
}  // namespace masthead::store::sqlite
