#include "store/postgres/dialect.h"

#include <gtest/gtest.h>

namespace masthead::store::postgres {
namespace {

TEST(DialectTest, NumberedParametersBecomeDollarParameters) {
  const auto out = TranslateFromSqlite("SELECT a FROM t WHERE b = ?2 AND c = ?10 AND d = '?3'");
  EXPECT_EQ(out.text, "SELECT a FROM t WHERE b = $2 AND c = $10 AND d = '?3'");
  EXPECT_EQ(out.parameter_count, 10);
}

TEST(DialectTest, InsertOrIgnoreBecomesOnConflictDoNothing) {
  EXPECT_EQ(TranslateFromSqlite("INSERT OR IGNORE INTO t (a) VALUES (?1)").text,
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING");
  EXPECT_EQ(TranslateFromSqlite("insert or ignore into t (a) values (?1) returning a").text,
            "insert into t (a) values ($1) ON CONFLICT DO NOTHING returning a");
}

TEST(DialectTest, IsAndIsNotWithAParameterCompareNullsAsValues) {
  EXPECT_EQ(TranslateFromSqlite("a IS NOT ?3 AND b IS ?4 AND c IS NULL AND d IS NOT NULL").text,
            "a IS DISTINCT FROM $3 AND b IS NOT DISTINCT FROM $4 AND c IS NULL AND d IS NOT NULL");
}

TEST(DialectTest, SqliteFunctionsGetTheirPostgresNames) {
  EXPECT_EQ(TranslateFromSqlite("SELECT char(10), varchar_col FROM t WHERE id IN (SELECT value FROM json_each(?1))").text,
            "SELECT chr(10), varchar_col FROM t WHERE id IN (SELECT value FROM masthead_json_each($1))");
}

TEST(DialectTest, QuotedTextIsNeverTranslated) {
  EXPECT_EQ(TranslateFromSqlite("SELECT 'INSERT OR IGNORE ?1 char(2)', \"IS ?\"").text,
            "SELECT 'INSERT OR IGNORE ?1 char(2)', \"IS ?\"");
  EXPECT_EQ(TranslateFromSqlite("SELECT 'it''s ?1' || ?2").text, "SELECT 'it''s ?1' || $2");
}

}  // namespace
}  // namespace masthead::store::postgres
