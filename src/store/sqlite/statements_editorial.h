// SQL of the SQLite engine for the newsroom's tools: the editor's article list,
// notes at unpublished articles, publication announcements, desks, imported items
// and the webhook queue. Plain SQL with numbered parameters (ported to PostgreSQL).
#pragma once

namespace masthead::store::sqlite::sql {

inline constexpr char kListEditorArticles[] =
    "SELECT a.id, a.slug, s.slug, s.name, a.headline, a.deck, a.credit, a.byline, a.published_at,"
    " a.updated_at, a.revision, CASE WHEN w.article_id IS NULL THEN 0 ELSE 1 END"
    " FROM articles a JOIN sections s ON s.id = a.section_id"
    " LEFT JOIN article_withdrawals w ON w.article_id = a.id"
    " WHERE (?1 = '' OR s.slug = ?1)"
    " AND (?2 = ''"
    "  OR (?2 = 'draft' AND a.published_at IS NULL AND w.article_id IS NULL)"
    "  OR (?2 = 'scheduled' AND a.published_at > ?3)"
    "  OR (?2 = 'published' AND a.published_at <= ?3)"
    "  OR (?2 = 'withdrawn' AND w.article_id IS NOT NULL))"
    " ORDER BY a.updated_at DESC, a.id DESC LIMIT ?4";

inline constexpr char kUpsertWithdrawal[] =
    "INSERT INTO article_withdrawals (article_id, note, withdrawn_by, withdrawn_at)"
    " VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (article_id) DO UPDATE SET note = excluded.note,"
    " withdrawn_by = excluded.withdrawn_by, withdrawn_at = excluded.withdrawn_at";
inline constexpr char kDeleteWithdrawal[] = "DELETE FROM article_withdrawals WHERE article_id = ?1";
inline constexpr char kFindWithdrawal[] =
    "SELECT w.article_id, a.slug, a.headline, w.note, w.withdrawn_by, w.withdrawn_at"
    " FROM article_withdrawals w JOIN articles a ON a.id = w.article_id WHERE a.slug = ?1";
inline constexpr char kArticleExists[] = "SELECT id FROM articles WHERE id = ?1";

// The WHERE before ON CONFLICT keeps SQLite's parser from reading ON as a join.
inline constexpr char kClaimDuePublications[] =
    "INSERT INTO article_announcements (article_id, published_at, announced_at)"
    " SELECT a.id, a.published_at, ?1 FROM articles a"
    " WHERE a.published_at IS NOT NULL AND a.published_at <= ?1 AND a.published_at >= ?2"
    " AND NOT EXISTS (SELECT 1 FROM article_announcements x WHERE x.article_id = a.id)"
    " ORDER BY a.id LIMIT ?3"
    " ON CONFLICT (article_id) DO NOTHING RETURNING article_id";
inline constexpr char kMarkAnnounced[] =
    "INSERT INTO article_announcements (article_id, published_at, announced_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (article_id) DO NOTHING";

inline constexpr char kUpsertDesk[] =
    "INSERT INTO desks (slug, name, email) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (slug) DO UPDATE SET name = excluded.name, email = excluded.email"
    " RETURNING id, slug, name, email";
inline constexpr char kListDesks[] = "SELECT id, slug, name, email FROM desks ORDER BY name, id";
inline constexpr char kListDeskSections[] =
    "SELECT sd.desk_id, s.slug FROM section_desks sd JOIN sections s ON s.id = sd.section_id"
    " ORDER BY s.position, s.name";
inline constexpr char kDeskIdBySlug[] = "SELECT id FROM desks WHERE slug = ?1";
inline constexpr char kClearSectionDesk[] = "DELETE FROM section_desks WHERE section_id = ?1";
inline constexpr char kSetSectionDesk[] =
    "INSERT INTO section_desks (section_id, desk_id) VALUES (?1, ?2)"
    " ON CONFLICT (section_id) DO UPDATE SET desk_id = excluded.desk_id";

inline constexpr char kFindImportedItem[] =
    "SELECT local_id FROM imported_items WHERE source = ?1 AND kind = ?2 AND external_id = ?3";
inline constexpr char kRecordImportedItem[] =
    "INSERT INTO imported_items (source, kind, external_id, local_id, imported_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

#define MASTHEAD_WEBHOOK_COLUMNS                                                           \
  "id, url, event, payload, status, attempts, next_attempt_at, last_code, last_error," \
  " created_at, delivered_at"
inline constexpr char kEnqueueWebhook[] =
    "INSERT INTO webhook_deliveries (url, event, payload, next_attempt_at, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id";
inline constexpr char kClaimWebhooks[] =
    "UPDATE webhook_deliveries SET leased_until = ?1 + ?3"
    " WHERE id IN (SELECT id FROM webhook_deliveries"
    "  WHERE status = 'pending' AND next_attempt_at <= ?1 AND leased_until <= ?1"
    "  ORDER BY next_attempt_at, id LIMIT ?2)"
    " RETURNING " MASTHEAD_WEBHOOK_COLUMNS;
inline constexpr char kWebhookDelivered[] =
    "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_code = ?2,"
    " last_error = '', delivered_at = ?3, leased_until = 0 WHERE id = ?1 RETURNING id";
inline constexpr char kWebhookNotDelivered[] =
    "UPDATE webhook_deliveries SET status = CASE WHEN ?5 = 1 THEN 'failed' ELSE 'pending' END,"
    " attempts = attempts + 1, last_code = ?2, last_error = ?3, next_attempt_at = ?4, leased_until = 0"
    " WHERE id = ?1 RETURNING id";
inline constexpr char kListWebhooks[] =
    "SELECT " MASTHEAD_WEBHOOK_COLUMNS " FROM webhook_deliveries"
    " WHERE (?1 = '' OR status = ?1) ORDER BY id DESC LIMIT ?2";
#undef MASTHEAD_WEBHOOK_COLUMNS

}  // namespace masthead::store::sqlite::sql
