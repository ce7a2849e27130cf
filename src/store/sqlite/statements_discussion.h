// SQL of the SQLite engine for comments, reactions, ignores and discussions.
#pragma once

namespace masthead::store::sqlite::sql {

inline constexpr char kInsertComment[] =
    "INSERT INTO comments (article_id, parent_id, thread_id, depth, author_id, kind,"
    " body_markdown, status, created_at, idempotency_key, reply_mail_pending)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
inline constexpr char kSetOwnThread[] = "UPDATE comments SET thread_id = id WHERE id = ?1";
inline constexpr char kAddReplyCount[] =
    "UPDATE comments SET reply_count = reply_count + ?2 WHERE id = ?1";
inline constexpr char kAddCommentCount[] =
    "INSERT INTO discussions (article_id, comment_count) VALUES (?1, MAX(?2, 0))"
    " ON CONFLICT(article_id) DO UPDATE SET comment_count = MAX(discussions.comment_count + ?2, 0)";

#define MASTHEAD_COMMENT_COLUMNS                                                         \
  "c.id, c.article_id, c.parent_id, c.thread_id, c.depth, c.author_id, u.display_name," \
  " c.kind, c.body_markdown, c.status, c.created_at, c.edited_at, c.respect_count,"     \
  " c.reply_count, c.featured_at"
#define MASTHEAD_COMMENT_FROM " FROM comments c JOIN users u ON u.id = c.author_id"
// What a reader may see: published comments, tombstones that still hold replies,
// and their own held comments (so they see "awaiting review" in place).
#define MASTHEAD_VISIBLE                                                        \
  " (c.status = 'published' OR (c.status = 'deleted' AND (c.depth > 0 OR c.reply_count > 0))" \
  " OR (c.status = 'held' AND c.author_id = ?9))"

inline constexpr char kFindComment[] =
    "SELECT " MASTHEAD_COMMENT_COLUMNS MASTHEAD_COMMENT_FROM " WHERE c.id = ?1";

// ?1 article, ?2 limit, ?3 cursor key, ?4 cursor id, ?9 viewer.
inline constexpr char kThreadsOldest[] =
    "SELECT " MASTHEAD_COMMENT_COLUMNS MASTHEAD_COMMENT_FROM
    " WHERE c.article_id = ?1 AND c.depth = 0 AND c.kind = 'comment' AND c.id > ?4 AND" MASTHEAD_VISIBLE
    " ORDER BY c.id ASC LIMIT ?2";
inline constexpr char kThreadsNewest[] =
    "SELECT " MASTHEAD_COMMENT_COLUMNS MASTHEAD_COMMENT_FROM
    " WHERE c.article_id = ?1 AND c.depth = 0 AND c.kind = 'comment' AND c.id < ?4 AND" MASTHEAD_VISIBLE
    " ORDER BY c.id DESC LIMIT ?2";
inline constexpr char kThreadsRespected[] =
    "SELECT " MASTHEAD_COMMENT_COLUMNS MASTHEAD_COMMENT_FROM
    " WHERE c.article_id = ?1 AND c.depth = 0 AND c.kind = 'comment'"
    " AND (c.respect_count < ?3 OR (c.respect_count = ?3 AND c.id < ?4)) AND" MASTHEAD_VISIBLE
    " ORDER BY c.respect_count DESC, c.id DESC LIMIT ?2";
inline constexpr char kRepliesOfThread[] =
    "SELECT " MASTHEAD_COMMENT_COLUMNS MASTHEAD_COMMENT_FROM
    " WHERE c.thread_id = ?1 AND c.depth > 0 AND" MASTHEAD_VISIBLE " ORDER BY c.id LIMIT ?2";
inline constexpr char kCommentsAfter[] =
    "SELECT " MASTHEAD_COMMENT_COLUMNS MASTHEAD_COMMENT_FROM
    " WHERE c.article_id = ?1 AND c.id > ?2 AND c.status = 'published' AND c.kind = 'comment' ORDER BY c.id LIMIT ?3";

// ?1 limit.
inline constexpr char kPendingReplyMails[] =
    "SELECT " MASTHEAD_COMMENT_COLUMNS MASTHEAD_COMMENT_FROM
    " WHERE c.id > COALESCE((SELECT last_comment_id FROM reply_mail_cursor WHERE id = 1), 0)"
    " AND c.reply_mail_pending = 1 ORDER BY c.id LIMIT ?1";
// 2: the mail was composed when a moderator published the reply (the drain
// takes only 1, the replies that owed their mail when posted).
inline constexpr char kClaimLateReplyMail[] =
    "UPDATE comments SET reply_mail_pending = 2 WHERE id = ?1 AND reply_mail_pending = 0";
inline constexpr char kAdvanceReplyMailCursor[] =
    "INSERT INTO reply_mail_cursor (id, last_comment_id) VALUES (1, ?1)"
    " ON CONFLICT(id) DO UPDATE SET last_comment_id = MAX(reply_mail_cursor.last_comment_id, excluded.last_comment_id)";

// MASTHEAD_COMMENT_COLUMNS and _FROM stay defined: the moderation queues read comments too.
#undef MASTHEAD_VISIBLE

inline constexpr char kUpdateCommentBody[] =
    "UPDATE comments SET body_markdown = ?2, edited_at = ?3 WHERE id = ?1";
inline constexpr char kUpdateCommentStatus[] =
    "UPDATE comments SET status = ?2,"
    " body_markdown = CASE WHEN ?2 = 'deleted' THEN '' ELSE body_markdown END WHERE id = ?1";
inline constexpr char kUpdateCommentFeatured[] =
    "UPDATE comments SET featured_at = ?2 WHERE id = ?1";

inline constexpr char kInsertReaction[] =
    "INSERT OR IGNORE INTO comment_reactions (comment_id, user_id, created_at) VALUES (?1, ?2, ?3)";
inline constexpr char kDeleteReaction[] =
    "DELETE FROM comment_reactions WHERE comment_id = ?1 AND user_id = ?2";
inline constexpr char kAddRespect[] =
    "UPDATE comments SET respect_count = respect_count + ?2 WHERE id = ?1 RETURNING respect_count";
inline constexpr char kRespectCount[] = "SELECT respect_count FROM comments WHERE id = ?1";
inline constexpr char kReactedComments[] =
    "SELECT comment_id FROM comment_reactions WHERE user_id = ?1"
    " AND comment_id IN (SELECT value FROM json_each(?2))";

inline constexpr char kInsertIgnore[] =
    "INSERT OR IGNORE INTO ignored_users (user_id, ignored_user_id, created_at) VALUES (?1, ?2, ?3)";
inline constexpr char kDeleteIgnore[] =
    "DELETE FROM ignored_users WHERE user_id = ?1 AND ignored_user_id = ?2";
inline constexpr char kListIgnored[] =
    "SELECT ignored_user_id FROM ignored_users WHERE user_id = ?1 ORDER BY ignored_user_id";

inline constexpr char kFindDiscussion[] =
    "SELECT article_id, comment_count, closed_at, reopened_at FROM discussions WHERE article_id = ?1";
inline constexpr char kCloseDiscussion[] =
    "INSERT INTO discussions (article_id, closed_at) VALUES (?1, ?2)"
    " ON CONFLICT(article_id) DO UPDATE SET closed_at = ?2, reopened_at = NULL";
inline constexpr char kReopenDiscussion[] =
    "INSERT INTO discussions (article_id, reopened_at) VALUES (?1, ?2)"
    " ON CONFLICT(article_id) DO UPDATE SET closed_at = NULL, reopened_at = ?2";
inline constexpr char kListDiscussions[] =
    "SELECT article_id, comment_count, closed_at, reopened_at FROM discussions"
    " WHERE article_id IN (SELECT value FROM json_each(?1))";

}  // namespace masthead::store::sqlite::sql
