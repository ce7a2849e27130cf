// The SQL store's statements (SQLite dialect), as named constants. Statements are
// prepared once per connection and keyed by these pointers.
#pragma once

namespace masthead::store::sqlite::sql {

inline constexpr char kCreateMigrationsTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
inline constexpr char kSchemaVersion[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
inline constexpr char kRecordMigration[] =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)";

inline constexpr char kUpsertSection[] =
    "INSERT INTO sections (slug, name, position) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(slug) DO UPDATE SET name = excluded.name, position = excluded.position "
    "RETURNING id, slug, name, position";
inline constexpr char kListSections[] =
    "SELECT id, slug, name, position FROM sections ORDER BY position, name";
inline constexpr char kSectionIdBySlug[] = "SELECT id FROM sections WHERE slug = ?1";

inline constexpr char kInsertArticle[] =
    "INSERT INTO articles (slug, section_id, headline, deck, credit, byline, dateline,"
    " body_markdown, published_at, revision, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10)";
// Parameters ?1..?10 mean the same as in kInsertArticle (one binding helper).
inline constexpr char kUpdateArticle[] =
    "UPDATE articles SET slug = ?1, section_id = ?2, headline = ?3, deck = ?4, credit = ?5,"
    " byline = ?6, dateline = ?7, body_markdown = ?8, published_at = ?9,"
    " revision = revision + 1, updated_at = ?10 WHERE id = ?11";
inline constexpr char kArticleRevision[] = "SELECT revision FROM articles WHERE id = ?1";
inline constexpr char kInsertRevision[] =
    "INSERT INTO article_revisions (article_id, number, slug, section_slug, headline, deck,"
    " credit, byline, dateline, body_markdown, published_at, note, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

#define MASTHEAD_ARTICLE_COLUMNS                                                     \
  "a.id, a.slug, s.slug, s.name, a.headline, a.deck, a.credit, a.byline, a.dateline," \
  " a.body_markdown, a.published_at, a.revision, a.created_at, a.updated_at"

inline constexpr char kFindArticleById[] =
    "SELECT " MASTHEAD_ARTICLE_COLUMNS
    " FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ?1";
inline constexpr char kFindArticleBySlug[] =
    "SELECT " MASTHEAD_ARTICLE_COLUMNS
    " FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.slug = ?1";

#define MASTHEAD_SUMMARY_COLUMNS \
  "a.id, a.slug, s.slug, s.name, a.headline, a.deck, a.credit, a.byline, a.published_at, a.updated_at"

// Keyset pagination: (published_at, id) strictly below the cursor; ?3/?4 are the
// cursor (a huge value when there is none).
inline constexpr char kListArticles[] =
    "SELECT " MASTHEAD_SUMMARY_COLUMNS
    " FROM articles a JOIN sections s ON s.id = a.section_id"
    " WHERE a.published_at IS NOT NULL AND a.published_at <= ?1"
    " AND (a.published_at < ?3 OR (a.published_at = ?3 AND a.id < ?4))"
    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?2";
inline constexpr char kListArticlesInSection[] =
    "SELECT " MASTHEAD_SUMMARY_COLUMNS
    " FROM articles a JOIN sections s ON s.id = a.section_id"
    " WHERE s.slug = ?5 AND a.published_at IS NOT NULL AND a.published_at <= ?1"
    " AND (a.published_at < ?3 OR (a.published_at = ?3 AND a.id < ?4))"
    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?2";

inline constexpr char kSearchArticles[] =
    "SELECT " MASTHEAD_SUMMARY_COLUMNS
    ", snippet(articles_fts, 2, char(2), char(3), '…', 24)"
    " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
    " JOIN sections s ON s.id = a.section_id"
    " WHERE articles_fts MATCH ?1 AND a.published_at IS NOT NULL AND a.published_at <= ?2"
    " ORDER BY bm25(articles_fts, 10.0, 4.0, 1.0) LIMIT ?3";

inline constexpr char kListRevisions[] =
    "SELECT article_id, number, slug, section_slug, headline, deck, credit, byline, dateline,"
    " body_markdown, published_at, note, created_at"
    " FROM article_revisions WHERE article_id = ?1 ORDER BY number";
inline constexpr char kCountArticles[] = "SELECT COUNT(*) FROM articles";

#undef MASTHEAD_ARTICLE_COLUMNS
#undef MASTHEAD_SUMMARY_COLUMNS

}  // namespace masthead::store::sqlite::sql
