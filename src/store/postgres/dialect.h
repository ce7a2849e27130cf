// The SQL store's statements are written in SQLite's dialect; PostgreSQL gets
// them translated once per connection when first prepared:
//   ?N                      -> $N
//   INSERT OR IGNORE ...    -> INSERT ... ON CONFLICT DO NOTHING
//   x IS ?N / IS NOT ?N     -> IS NOT DISTINCT FROM / IS DISTINCT FROM
//   char(n)                 -> chr(n)
//   json_each(?N)           -> masthead_json_each(?N)   (migrations/0001)
// max(a, b), group_concat and strftime exist as functions in the schema
// (migrations/0001). A statement whose meaning needs other SQL in PostgreSQL
// (full-text search, SKIP LOCKED) has an override (statements_postgres.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace masthead::store::postgres {

struct TranslatedSql {
  std::string text;
  int parameter_count = 0;  // the highest $N
  // used[n - 1]: $n occurs (the store binds some parameters a statement
  // variant leaves out, which PostgreSQL then needs a type for).
  std::vector<bool> used;
};

TranslatedSql TranslateFromSqlite(std::string_view sql);

// The PostgreSQL text for one of the store's statements: its override when it
// has one, else its translation.
TranslatedSql PostgresSqlFor(const char* sqlite_sql);

}  // namespace masthead::store::postgres
