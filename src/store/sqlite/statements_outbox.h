// SQL of the SQLite engine for the mail outbox.
#pragma once

namespace masthead::store::sqlite::sql {

inline constexpr char kInsertMail[] =
    "INSERT INTO mail_outbox (message_id, recipient, kind, encoded, created_at, next_attempt_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
#define MASTHEAD_MAIL_COLUMNS                                                         \
  "id, message_id, recipient, kind, encoded, status, attempts, created_at,"          \
  " next_attempt_at, lease_until, finished_at, last_code, last_reply"
// One statement claims: SQLite runs it under the write lock, so two workers
// cannot both see a message as unleased.
inline constexpr char kClaimMail[] =
    "UPDATE mail_outbox SET lease_until = ?1 + ?3 WHERE id IN ("
    " SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ?1"
    " AND (lease_until IS NULL OR lease_until <= ?1) ORDER BY next_attempt_at, id LIMIT ?2)"
    " RETURNING " MASTHEAD_MAIL_COLUMNS;
inline constexpr char kListMail[] =
    "SELECT " MASTHEAD_MAIL_COLUMNS " FROM mail_outbox WHERE (?1 = '' OR status = ?1)"
    " ORDER BY id DESC LIMIT ?2";
#undef MASTHEAD_MAIL_COLUMNS
inline constexpr char kMailAttempts[] = "SELECT attempts FROM mail_outbox WHERE id = ?1";
inline constexpr char kInsertMailAttempt[] =
    "INSERT INTO mail_attempts (outbox_id, attempt, at, outcome, code, reply)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr char kMailDelivered[] =
    "UPDATE mail_outbox SET status = 'delivered', attempts = attempts + 1, lease_until = NULL,"
    " finished_at = ?2, last_code = ?3, last_reply = ?4 WHERE id = ?1";
inline constexpr char kMailTemporary[] =
    "UPDATE mail_outbox SET attempts = attempts + 1, lease_until = NULL, next_attempt_at = ?5,"
    " last_code = ?3, last_reply = ?4 WHERE id = ?1";
inline constexpr char kMailPermanent[] =
    "UPDATE mail_outbox SET status = 'failed', attempts = attempts + 1, lease_until = NULL,"
    " finished_at = ?2, last_code = ?3, last_reply = ?4 WHERE id = ?1";
inline constexpr char kRenewMailLease[] =
    "UPDATE mail_outbox SET lease_until = ?3 WHERE id = ?1 AND status = 'pending' AND lease_until = ?2";
inline constexpr char kMailRelease[] = "UPDATE mail_outbox SET lease_until = NULL WHERE id = ?1";
inline constexpr char kRetryMail[] =
    "UPDATE mail_outbox SET status = 'pending', next_attempt_at = ?2, lease_until = NULL,"
    " finished_at = NULL WHERE id = ?1 AND status = 'failed'";

inline constexpr char kNotificationSettings[] =
    "SELECT kind, mode FROM notification_settings WHERE user_id = ?1 ORDER BY kind";
inline constexpr char kSetNotificationSetting[] =
    "INSERT INTO notification_settings (user_id, kind, mode, updated_at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT(user_id, kind) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at";

inline constexpr char kAddDigestItem[] =
    "INSERT INTO digest_items (user_id, period, kind, fields, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr char kDueDigestUsers[] =
    "SELECT DISTINCT user_id FROM digest_items WHERE period = ?1 AND created_at <= ?2"
    " ORDER BY user_id LIMIT ?3";
inline constexpr char kListDigestItems[] =
    "SELECT id, user_id, period, kind, fields, created_at FROM digest_items"
    " WHERE user_id = ?1 AND period = ?2 ORDER BY id";
inline constexpr char kDeleteDigestItem[] = "DELETE FROM digest_items WHERE id = ?1";

}  // namespace masthead::store::sqlite::sql
