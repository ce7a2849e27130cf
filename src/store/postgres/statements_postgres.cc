#include "store/postgres/statements_postgres.h"

#include "store/sqlite/statements.h"
#include "store/sqlite/statements_outbox.h"

namespace masthead::store::postgres {

namespace {

// Full text: the generated tsvector column and masthead_fts_query (migrations/
// 0001) instead of FTS5; the snippet marks hits with the same \x02 and \x03.
constexpr char kSearchArticles[] =
    "SELECT a.id, a.slug, s.slug, s.name, a.headline, a.deck, a.credit, a.byline, a.published_at,"
    " a.updated_at, ts_headline('simple', a.body_markdown, q.query,"
    "   'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=24, MinWords=8')"
    " FROM articles a JOIN sections s ON s.id = a.section_id, masthead_fts_query(?1) AS q(query)"
    " WHERE a.search @@ q.query AND a.published_at IS NOT NULL AND a.published_at <= ?2"
    " ORDER BY ts_rank(a.search, q.query) DESC, a.id DESC LIMIT ?3";

// Several nodes claim mail at once: each skips the rows another is claiming
// instead of waiting for them, and no message is claimed twice.
constexpr char kClaimMail[] =
    "UPDATE mail_outbox SET lease_until = ?1 + ?3 WHERE id IN ("
    " SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ?1"
    " AND (lease_until IS NULL OR lease_until <= ?1) ORDER BY next_attempt_at, id LIMIT ?2"
    " FOR UPDATE SKIP LOCKED)"
    " AND (lease_until IS NULL OR lease_until <= ?1)"
    " RETURNING id, message_id, recipient, kind, encoded, status, attempts, created_at,"
    " next_attempt_at, lease_until, finished_at, last_code, last_reply";

}  // namespace

std::unordered_map<const char*, const char*> StatementOverrides() {
  return {
      {sqlite::sql::kSearchArticles, kSearchArticles},
      {sqlite::sql::kClaimMail, kClaimMail},
  };
}

}  // namespace masthead::store::postgres
