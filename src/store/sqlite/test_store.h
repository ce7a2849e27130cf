// For tests only: a fresh, migrated SQLite store in its own temporary file,
// named after the running test so parallel tests never share one.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "store/sqlite/sqlite_engine.h"

namespace masthead::store::sqlite {

inline std::unique_ptr<SqliteStore> OpenTestStore(const std::string& prefix) {
  const auto* test = testing::UnitTest::GetInstance()->current_test_info();
  const auto dir = std::filesystem::temp_directory_path() /
                   (prefix + "-" + std::to_string(::getpid()) + "-" + test->test_suite_name() + "-" +
                    test->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = OpenSqliteStore({.path = (dir / "db.sqlite").string()});
  if (!store || !(*store)->Migrate()) {
    ADD_FAILURE() << "cannot open a test database in " << dir;
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace masthead::store::sqlite
