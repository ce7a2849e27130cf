// Group commit on a real SQLite file: writers that queue while one transaction
// is being written share the next one, and each keeps its own outcome.
#include "store/sqlite/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("masthead-group-commit-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    path_ = (dir / (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".sqlite"))
                .string();
    std::filesystem::remove(path_);
    pool_ = std::make_shared<ConnectionPool>(
        [path = path_]() -> Result<std::unique_ptr<Connection>> {
          auto connection = SqliteConnection::Open(path);
          if (!connection) return tl::unexpected(connection.error());
          MASTHEAD_RETURN_IF_ERROR((*connection)->ExecScript("PRAGMA journal_mode=WAL;"));
          return std::unique_ptr<Connection>(std::move(*connection));
        },
        8);
    ASSERT_TRUE(Write([](Connection& c) { return c.ExecScript("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"); }));
  }

  Status Write(const GroupCommit::Work& work) { return pool_->group_commit().Run(*pool_, work); }

  static Status Insert(Connection& connection, const std::string& body) {
    auto statement = connection.Prepare("INSERT INTO notes (body) VALUES (?1)");
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, body);
    return (*statement)->Run();
  }

  std::vector<std::string> Bodies() {
    auto connection = pool_->Acquire();
    EXPECT_TRUE(connection);
    PooledConnection lease(pool_.get(), std::move(*connection));
    auto statement = (*lease).Prepare("SELECT body FROM notes ORDER BY body");
    std::vector<std::string> bodies;
    while (*(*statement)->Step()) bodies.push_back((*statement)->Text(0));
    return bodies;
  }

  // Holds the current transaction open until `queued` writers wait behind it, so
  // that all of them go into the next one together.
  void RunQueuedBehindOneWriter(std::vector<GroupCommit::Work> queued, std::vector<Status>& results) {
    results.assign(queued.size(), Ok());
    std::vector<std::thread> threads;
    std::atomic<bool> leader_in{false};
    std::thread leader([&] {
      ASSERT_TRUE(Write([&](Connection& c) {
        leader_in = true;
        while (pool_->group_commit().Waiting() < queued.size()) std::this_thread::yield();
        return Insert(c, "leader");
      }));
    });
    while (!leader_in) std::this_thread::yield();
    for (std::size_t i = 0; i < queued.size(); ++i) {
      threads.emplace_back([&, i] {
        try {
          results[i] = Write(queued[i]);
        } catch (const std::runtime_error& e) {
          results[i] = MakeError(ErrorCode::kInternal, std::string("thrown: ") + e.what());
        }
      });
    }
    leader.join();
    for (auto& thread : threads) thread.join();
  }

  std::string path_;
  std::shared_ptr<ConnectionPool> pool_;
};

TEST_F(GroupCommitTest, WritersQueuedBehindOneTransactionShareTheNextCommit) {
  const auto before = pool_->group_commit().counts();
  std::vector<GroupCommit::Work> queued;
  for (int i = 0; i < 5; ++i) {
    queued.push_back([i](Connection& c) { return Insert(c, "note " + std::to_string(i)); });
  }
  std::vector<Status> results;
  RunQueuedBehindOneWriter(queued, results);
  for (const auto& result : results) EXPECT_TRUE(result) << result.error().ToString();
  const auto after = pool_->group_commit().counts();
  EXPECT_EQ(after.writes - before.writes, 6u);
  EXPECT_EQ(after.transactions - before.transactions, 2u);  // the leader's, then the five together
  EXPECT_EQ(Bodies(), (std::vector<std::string>{"leader", "note 0", "note 1", "note 2", "note 3", "note 4"}));
}

TEST_F(GroupCommitTest, AFailedWriteInASharedTransactionLeavesNothingAndTheOthersCommit) {
  std::vector<GroupCommit::Work> queued = {
      [](Connection& c) { return Insert(c, "kept 1"); },
      [](Connection& c) -> Status {
        MASTHEAD_RETURN_IF_ERROR(Insert(c, "half of a failed write"));
        return MakeError(ErrorCode::kConflict, "the second half was refused");
      },
      [](Connection& c) -> Status {
        MASTHEAD_RETURN_IF_ERROR(Insert(c, "written before the throw"));
        throw std::runtime_error("a bug in the write");
      },
      [](Connection& c) { return c.ExecScript("INSERT INTO no_such_table VALUES (1)"); },
      [](Connection& c) { return Insert(c, "kept 2"); },
  };
  std::vector<Status> results;
  RunQueuedBehindOneWriter(queued, results);
  EXPECT_TRUE(results[0]);
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().code, ErrorCode::kConflict);
  ASSERT_FALSE(results[2]);
  EXPECT_NE(results[2].error().message.find("thrown: a bug in the write"), std::string::npos);
  EXPECT_FALSE(results[3]);
  EXPECT_TRUE(results[4]);
  EXPECT_EQ(Bodies(), (std::vector<std::string>{"kept 1", "kept 2", "leader"}));
}

TEST_F(GroupCommitTest, ManyConcurrentWritersAllCommit) {
  constexpr int kThreads = 8, kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!Write([&](Connection& c) { return Insert(c, std::to_string(t) + "/" + std::to_string(i)); })) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Bodies().size(), static_cast<std::size_t>(kThreads * kEach));
  const auto counts = pool_->group_commit().counts();
  EXPECT_EQ(counts.writes, static_cast<std::uint64_t>(kThreads * kEach + 1));  // + the CREATE TABLE
  EXPECT_LE(counts.transactions, counts.writes);
}

}  // namespace
}  // namespace masthead::store::sqlite
