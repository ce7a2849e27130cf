// The store's statements whose PostgreSQL text differs in more than the
// dialect translation (dialect.h) covers, keyed by the SQLite statement.
#pragma once

#include <unordered_map>

namespace masthead::store::postgres {

std::unordered_map<const char*, const char*> StatementOverrides();

}  // namespace masthead::store::postgres
