// For tests only: where a test's site keeps its data. A SQLite file in the
// test's directory; or, when the run has a PostgreSQL server
// (MASTHEAD_TEST_POSTGRES or MASTHEAD_TEST_POSTGRES_FILE, as CTest's
// "postgres." copies of the HTTP tests set), a fresh schema on it.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/postgres/test_postgres.h"

namespace masthead::app {

inline std::string TestDatabaseLocation(const std::filesystem::path& dir) {
  const std::string url = store::postgres::FreshTestPostgresUrl("site");
  return url.empty() ? (dir / "site.db").string() : url;
}

// Compiled user-agent rules shared by every test process of a run, which would
// otherwise each spend seconds compiling the same rules
// (MASTHEAD_UA_CACHE_DIR when set, as CTest does).
inline std::string TestUaCacheDir() {
  if (const char* dir = std::getenv("MASTHEAD_UA_CACHE_DIR"); dir != nullptr && *dir != '\0') return dir;
  return (std::filesystem::temp_directory_path() / "masthead-test-ua-cache").string();
}

}  // namespace masthead::app
