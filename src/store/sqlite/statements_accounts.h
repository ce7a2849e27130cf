// SQL of the SQLite engine for users, sessions, tokens, rate limits, policies
// and settings.
#pragma once

namespace masthead::store::sqlite::sql {

inline constexpr char kInsertUser[] =
    "INSERT INTO users (email, display_name, password_hash, role, email_confirmed_at,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
#define MASTHEAD_USER_COLUMNS \
  "id, email, display_name, password_hash, role, email_confirmed_at, created_at, updated_at"
inline constexpr char kFindUserById[] = "SELECT " MASTHEAD_USER_COLUMNS " FROM users WHERE id = ?1";
inline constexpr char kFindUserByEmail[] =
    "SELECT " MASTHEAD_USER_COLUMNS " FROM users WHERE email = ?1";
#undef MASTHEAD_USER_COLUMNS
// COALESCE keeps a column when its parameter is NULL (field not being changed).
inline constexpr char kUpdateUser[] =
    "UPDATE users SET display_name = COALESCE(?2, display_name),"
    " password_hash = COALESCE(?3, password_hash), role = COALESCE(?4, role),"
    " email_confirmed_at = COALESCE(?5, email_confirmed_at), updated_at = ?6 WHERE id = ?1";

inline constexpr char kInsertSession[] =
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, user_agent)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr char kFindSession[] =
    "SELECT token_hash, user_id, created_at, expires_at FROM sessions"
    " WHERE token_hash = ?1 AND expires_at > ?2";
inline constexpr char kDeleteSession[] = "DELETE FROM sessions WHERE token_hash = ?1";
inline constexpr char kDeleteUserSessions[] =
    "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2";

inline constexpr char kInsertUserToken[] =
    "INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr char kConsumeUserToken[] =
    "UPDATE user_tokens SET used_at = ?3 WHERE token_hash = ?1 AND purpose = ?2"
    " AND used_at IS NULL AND expires_at > ?3 RETURNING user_id";

// One statement: a new window when the old one ended, else one more hit.
inline constexpr char kHitRateLimit[] =
    "INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)"
    " ON CONFLICT(key) DO UPDATE SET"
    "  count = CASE WHEN rate_limits.window_start <= ?2 - ?3 THEN 1 ELSE rate_limits.count + 1 END,"
    "  window_start = CASE WHEN rate_limits.window_start <= ?2 - ?3 THEN ?2 ELSE rate_limits.window_start END"
    " RETURNING window_start, count";
inline constexpr char kClearRateLimit[] = "DELETE FROM rate_limits WHERE key = ?1";

inline constexpr char kInsertPolicy[] =
    "INSERT INTO policy_versions (kind, version, summary, body_markdown, published_at)"
    " VALUES (?1, (SELECT COALESCE(MAX(version), 0) + 1 FROM policy_versions WHERE kind = ?1),"
    " ?2, ?3, ?4) RETURNING version";
inline constexpr char kCurrentPolicy[] =
    "SELECT kind, version, summary, body_markdown, published_at FROM policy_versions"
    " WHERE kind = ?1 ORDER BY version DESC LIMIT 1";
inline constexpr char kInsertAcceptance[] =
    "INSERT OR IGNORE INTO policy_acceptances (user_id, terms_version, guidelines_version,"
    " accepted_at) VALUES (?1, ?2, ?3, ?4)";
inline constexpr char kFindAcceptance[] =
    "SELECT 1 FROM policy_acceptances WHERE user_id = ?1 AND terms_version = ?2"
    " AND guidelines_version = ?3";

inline constexpr char kInsertSettingIfAbsent[] =
    "INSERT OR IGNORE INTO settings (name, value) VALUES (?1, ?2)";
inline constexpr char kGetSetting[] = "SELECT value FROM settings WHERE name = ?1";

}  // namespace masthead::store::sqlite::sql
