// SQL of the SQLite engine for reports, the moderation audit log, sanctions,
// moderator notes and appeals.
#pragma once

#include "store/sqlite/statements_discussion.h"

namespace masthead::store::sqlite::sql {

inline constexpr char kInsertReport[] =
    "INSERT INTO comment_reports (comment_id, reporter_id, reason, detail, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr char kCountOpenReports[] =
    "SELECT COUNT(*) FROM comment_reports WHERE comment_id = ?1 AND resolved_at IS NULL";
inline constexpr char kResolveReports[] =
    "UPDATE comment_reports SET resolved_at = ?2 WHERE comment_id = ?1 AND resolved_at IS NULL";
inline constexpr char kReportedComments[] =
    "SELECT " MASTHEAD_COMMENT_COLUMNS ", r.open_reports, r.reasons, r.details, r.last_at"
    MASTHEAD_COMMENT_FROM
    " JOIN (SELECT comment_id, COUNT(*) AS open_reports, GROUP_CONCAT(DISTINCT reason) AS reasons,"
    "   COALESCE(GROUP_CONCAT(NULLIF(detail, ''), char(10)), '') AS details, MAX(created_at) AS last_at"
    "   FROM comment_reports WHERE resolved_at IS NULL GROUP BY comment_id) r ON r.comment_id = c.id"
    " WHERE c.status != 'deleted'"
    " ORDER BY r.open_reports DESC, r.last_at ASC LIMIT ?1";
inline constexpr char kCommentsWithStatus[] =
    "SELECT " MASTHEAD_COMMENT_COLUMNS MASTHEAD_COMMENT_FROM
    " WHERE c.status = ?1 ORDER BY c.id LIMIT ?2";
inline constexpr char kCountPublishedCommentsBy[] = "SELECT COUNT(*) FROM comments WHERE author_id = ?1 AND status = 'published'";

#define MASTHEAD_ACTION_COLUMNS                                                           \
  "a.id, COALESCE(a.actor_id, 0), COALESCE(actor.display_name, ''), a.action, a.comment_id," \
  " a.subject_user_id, COALESCE(subject.display_name, ''), a.reason_code, a.detail, a.created_at"
#define MASTHEAD_ACTION_FROM                                          \
  " FROM moderation_actions a LEFT JOIN users actor ON actor.id = a.actor_id" \
  " LEFT JOIN users subject ON subject.id = a.subject_user_id"

inline constexpr char kInsertAction[] =
    "INSERT INTO moderation_actions (actor_id, action, comment_id, subject_user_id, reason_code,"
    " detail, created_at) VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7)";
inline constexpr char kFindAction[] =
    "SELECT " MASTHEAD_ACTION_COLUMNS MASTHEAD_ACTION_FROM " WHERE a.id = ?1";
// ?1 comment or NULL, ?2 subject or NULL, ?3 before id or NULL, ?4 decisions only, ?5 limit.
inline constexpr char kListActions[] =
    "SELECT " MASTHEAD_ACTION_COLUMNS MASTHEAD_ACTION_FROM
    " WHERE (?1 IS NULL OR a.comment_id = ?1) AND (?2 IS NULL OR a.subject_user_id = ?2)"
    " AND (?3 IS NULL OR a.id < ?3) AND (?4 = 0 OR a.action IN ('approve', 'reject'))"
    " ORDER BY a.id DESC LIMIT ?5";
inline constexpr char kCountActions[] =
    "SELECT COUNT(*) FROM moderation_actions WHERE subject_user_id = ?1 AND action = ?2"
    " AND created_at >= ?3";
inline constexpr char kDecisionsPerMonth[] =
    "SELECT strftime('%Y-%m', created_at, 'unixepoch') AS month, action, reason_code, COUNT(*)"
    " FROM moderation_actions"
    " WHERE created_at >= ?1 AND action IN ('approve', 'reject', 'report_hold', 'warning', 'suspension',"
    " 'ban', 'appeal_upheld', 'appeal_overturned')"
    " GROUP BY month, action, reason_code ORDER BY month, action, reason_code";

#undef MASTHEAD_ACTION_COLUMNS
#undef MASTHEAD_ACTION_FROM

#define MASTHEAD_SANCTION_COLUMNS \
  "id, user_id, kind, action_id, reason_code, created_at, ends_at, lifted_at"
inline constexpr char kInsertSanction[] =
    "INSERT INTO sanctions (user_id, kind, action_id, reason_code, created_at, ends_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr char kFindSanction[] =
    "SELECT " MASTHEAD_SANCTION_COLUMNS " FROM sanctions WHERE id = ?1";
inline constexpr char kListSanctions[] =
    "SELECT " MASTHEAD_SANCTION_COLUMNS " FROM sanctions WHERE user_id = ?1 ORDER BY id DESC";
inline constexpr char kLiftSanction[] =
    "UPDATE sanctions SET lifted_at = ?2 WHERE id = ?1 AND lifted_at IS NULL";
#undef MASTHEAD_SANCTION_COLUMNS

inline constexpr char kInsertNote[] =
    "INSERT INTO moderator_notes (user_id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4)";
#define MASTHEAD_NOTE_SELECT                                                                 \
  "SELECT n.id, n.user_id, n.author_id, u.display_name, n.body, n.created_at"                 \
  " FROM moderator_notes n JOIN users u ON u.id = n.author_id"
inline constexpr char kFindNote[] = MASTHEAD_NOTE_SELECT " WHERE n.id = ?1";
inline constexpr char kListNotes[] = MASTHEAD_NOTE_SELECT " WHERE n.user_id = ?1 ORDER BY n.id DESC";
#undef MASTHEAD_NOTE_SELECT

#define MASTHEAD_APPEAL_SELECT                                                            \
  "SELECT id, action_id, appellant_id, body, status, COALESCE(decided_by, 0), decision_note," \
  " created_at, decided_at FROM appeals"
inline constexpr char kInsertAppeal[] =
    "INSERT INTO appeals (action_id, appellant_id, body, created_at) VALUES (?1, ?2, ?3, ?4)";
inline constexpr char kFindAppeal[] = MASTHEAD_APPEAL_SELECT " WHERE id = ?1";
inline constexpr char kAppealsOfActions[] =
    MASTHEAD_APPEAL_SELECT " WHERE action_id IN (SELECT value FROM json_each(?1)) ORDER BY id";
inline constexpr char kOpenAppeals[] = MASTHEAD_APPEAL_SELECT " WHERE status = 'open' ORDER BY id LIMIT ?1";
inline constexpr char kDecideAppeal[] =
    "UPDATE appeals SET status = ?2, decided_by = ?3, decision_note = ?4, decided_at = ?5"
    " WHERE id = ?1 AND status = 'open'";
#undef MASTHEAD_APPEAL_SELECT

}  // namespace masthead::store::sqlite::sql
