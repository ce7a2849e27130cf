// SQL of the SQLite engine for the newsroom: inbox claims, dashboard figures,
// user search and history, account deletion. Plain SQL, so that other engines
// can take it over: numbered parameters, integer unix times, no SQLite-only
// functions.
#pragma once

#include "store/sqlite/statements_discussion.h"

namespace masthead::store::sqlite::sql {

// An expired claim is replaced; an unexpired one only by its holder (renewal).
// No row comes back when another user holds the item.
inline constexpr char kClaimInboxItem[] =
    "INSERT INTO inbox_claims (queue, item_id, user_id, claimed_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (queue, item_id) DO UPDATE SET user_id = excluded.user_id,"
    " claimed_at = excluded.claimed_at, expires_at = excluded.expires_at"
    " WHERE inbox_claims.expires_at <= ?4 OR inbox_claims.user_id = excluded.user_id"
    " RETURNING queue, item_id, user_id, claimed_at, expires_at";
inline constexpr char kReleaseInboxClaim[] =
    "DELETE FROM inbox_claims WHERE queue = ?1 AND item_id = ?2 AND user_id = ?3";
inline constexpr char kListInboxClaims[] =
    "SELECT c.queue, c.item_id, c.user_id, u.display_name, c.claimed_at, c.expires_at"
    " FROM inbox_claims c JOIN users u ON u.id = c.user_id WHERE c.expires_at > ?1"
    " ORDER BY c.queue, c.item_id";
inline constexpr char kFindUserName[] = "SELECT display_name FROM users WHERE id = ?1";

// Dashboard figures. Each returns (key, count) rows.
inline constexpr char kCommentsPerHour[] =
    "SELECT (created_at / 3600) * 3600 AS hour, COUNT(*) FROM comments WHERE created_at >= ?1"
    " GROUP BY (created_at / 3600) * 3600 ORDER BY hour";
inline constexpr char kCommentsByStatus[] =
    "SELECT status, COUNT(*) FROM comments WHERE created_at >= ?1 GROUP BY status ORDER BY status";
inline constexpr char kRejectionsByReason[] =
    "SELECT reason_code, COUNT(*) FROM moderation_actions WHERE action = 'reject' AND created_at >= ?1"
    " GROUP BY reason_code ORDER BY COUNT(*) DESC, reason_code";
inline constexpr char kReportsByReason[] =
    "SELECT reason, COUNT(*) FROM comment_reports WHERE created_at >= ?1"
    " GROUP BY reason ORDER BY COUNT(*) DESC, reason";
// The first approve or reject of each comment posted since ?1, minus its posting time.
inline constexpr char kSecondsToFirstDecision[] =
    "SELECT MIN(a.created_at) - c.created_at FROM comments c"
    " JOIN moderation_actions a ON a.comment_id = c.id AND a.action IN ('approve', 'reject')"
    " WHERE c.created_at >= ?1 GROUP BY c.id, c.created_at ORDER BY c.id";
inline constexpr char kAccuracyCasesByState[] =
    "SELECT state, COUNT(*) FROM accuracy_cases GROUP BY state ORDER BY state";

// ?1 the LIKE pattern (lower case, with \ as escape), ?2 role or '', ?3 limit.
inline constexpr char kSearchUsers[] =
    "SELECT id, email, display_name, password_hash, role, email_confirmed_at, created_at, updated_at"
    " FROM users WHERE (LOWER(display_name) LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\')"
    " AND (?2 = '' OR role = ?2) ORDER BY LOWER(display_name), id LIMIT ?3";
inline constexpr char kCommentsByAuthor[] =
    "SELECT " MASTHEAD_COMMENT_COLUMNS MASTHEAD_COMMENT_FROM " WHERE c.author_id = ?1 ORDER BY c.id DESC LIMIT ?2";
inline constexpr char kReportsBy[] =
    "SELECT comment_id, reason, detail, created_at, resolved_at FROM comment_reports"
    " WHERE reporter_id = ?1 ORDER BY created_at DESC, comment_id DESC LIMIT ?2";

#define MASTHEAD_DELETION_COLUMNS "user_id, requested_by, requested_at, final_at, completed_at"
inline constexpr char kScheduleAccountDeletion[] =
    "INSERT INTO account_deletions (user_id, requested_by, requested_at, final_at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (user_id) DO NOTHING RETURNING " MASTHEAD_DELETION_COLUMNS;
inline constexpr char kFindAccountDeletion[] =
    "SELECT " MASTHEAD_DELETION_COLUMNS " FROM account_deletions WHERE user_id = ?1";
inline constexpr char kCancelAccountDeletion[] =
    "DELETE FROM account_deletions WHERE user_id = ?1 AND completed_at IS NULL";
inline constexpr char kListDueAccountDeletions[] =
    "SELECT " MASTHEAD_DELETION_COLUMNS " FROM account_deletions"
    " WHERE completed_at IS NULL AND final_at <= ?1 ORDER BY final_at, user_id LIMIT ?2";
#undef MASTHEAD_DELETION_COLUMNS

// Anonymisation, in one transaction: ?1 the user, then per statement below.
inline constexpr char kAnonymiseUser[] =
    "UPDATE users SET display_name = ?2, email = ?3, password_hash = '', role = 'reader',"
    " email_confirmed_at = NULL, updated_at = ?4 WHERE id = ?1";
inline constexpr const char* kRemoveUserData[] = {
    "DELETE FROM sessions WHERE user_id = ?1",
    "DELETE FROM user_tokens WHERE user_id = ?1",
    "DELETE FROM notification_settings WHERE user_id = ?1",
    "DELETE FROM digest_items WHERE user_id = ?1",
    "DELETE FROM ignored_users WHERE user_id = ?1 OR ignored_user_id = ?1",
    "DELETE FROM inbox_claims WHERE user_id = ?1",
    "DELETE FROM moderator_notes WHERE user_id = ?1",
    "DELETE FROM policy_acceptances WHERE user_id = ?1",
};
inline constexpr char kCompleteAccountDeletion[] =
    "UPDATE account_deletions SET completed_at = ?2 WHERE user_id = ?1 AND completed_at IS NULL";

}  // namespace masthead::store::sqlite::sql
