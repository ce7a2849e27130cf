// For tests only: the URL of the PostgreSQL server the test run started
// (tests/support/postgres.sh, CTest fixture "postgres"), with a schema of its
// own for each store so that tests run in parallel on one server.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>

namespace masthead::store::postgres {

// Empty when no server was started for this run.
inline std::string TestPostgresServer() {
  if (const char* url = std::getenv("MASTHEAD_TEST_POSTGRES"); url != nullptr && *url != '\0') return url;
  if (const char* file = std::getenv("MASTHEAD_TEST_POSTGRES_FILE"); file != nullptr && *file != '\0') {
    std::ifstream in(file);
    std::string url;
    std::getline(in, url);
    return url;
  }
  return {};
}

// A URL naming a schema no other store of any test process uses.
inline std::string FreshTestPostgresUrl(const std::string& prefix) {
  static std::atomic<int> counter{0};
  const std::string server = TestPostgresServer();
  if (server.empty()) return {};
  std::string schema = prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  return server + (server.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
}

}  // namespace masthead::store::postgres
