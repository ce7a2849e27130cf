// SQL of the SQLite engine for accuracy cases, corrections, invites and messages
// to the editors.
#pragma once

namespace masthead::store::sqlite::sql {

inline constexpr char kInsertAccuracyCase[] =
    "INSERT INTO accuracy_cases (article_id, relation, passage_anchor, quote, wrong_text, right_text,"
    " evidence_url, requester_name, requester_email, may_contact, invite_id, created_at, updated_at,"
    " state_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?12)";
#define MASTHEAD_CASE_SELECT                                                                      \
  "SELECT c.id, c.article_id, c.relation, c.passage_anchor, c.quote, c.wrong_text, c.right_text," \
  " c.evidence_url, c.requester_name, c.requester_email, c.may_contact, c.invite_id, c.state,"    \
  " c.outcome, COALESCE(c.owner_id, 0), COALESCE(u.display_name, ''), a.slug, a.headline, s.slug," \
  " c.created_at, c.updated_at, c.state_changed_at, c.reminded_at"                                \
  " FROM accuracy_cases c JOIN articles a ON a.id = c.article_id"                                 \
  " JOIN sections s ON s.id = a.section_id LEFT JOIN users u ON u.id = c.owner_id"
inline constexpr char kFindAccuracyCase[] = MASTHEAD_CASE_SELECT " WHERE c.id = ?1";
inline constexpr char kListAccuracyCases[] =
    MASTHEAD_CASE_SELECT " WHERE (?1 = '' OR c.state = ?1)"
    " AND (?3 = '' OR lower(c.requester_email) = lower(?3)) ORDER BY c.id DESC LIMIT ?2";
inline constexpr char kListWaitingAccuracyCases[] =
    MASTHEAD_CASE_SELECT " WHERE c.state <> 'resolved' AND c.state_changed_at <= ?1"
    " AND (c.reminded_at IS NULL OR c.reminded_at < c.state_changed_at)"
    " ORDER BY c.state_changed_at, c.id LIMIT ?2";
#undef MASTHEAD_CASE_SELECT
inline constexpr char kChangeAccuracyCase[] =
    "UPDATE accuracy_cases SET state = ?3, outcome = ?4, owner_id = COALESCE(?5, owner_id),"
    " updated_at = ?6, state_changed_at = CASE WHEN state <> ?3 THEN ?6 ELSE state_changed_at END"
    " WHERE id = ?1 AND state = ?2";
inline constexpr char kAccuracyCaseExists[] = "SELECT 1 FROM accuracy_cases WHERE id = ?1";
// Only while the case waits unreminded: of several nodes, one sends the reminder.
inline constexpr char kMarkAccuracyCaseReminded[] =
    "UPDATE accuracy_cases SET reminded_at = ?2 WHERE id = ?1"
    " AND (reminded_at IS NULL OR reminded_at < state_changed_at)";
inline constexpr char kInsertAccuracyEvent[] =
    "INSERT INTO accuracy_events (case_id, actor_id, from_state, to_state, note, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr char kListAccuracyEvents[] =
    "SELECT e.id, e.case_id, COALESCE(e.actor_id, 0), COALESCE(u.display_name, ''), e.from_state,"
    " e.to_state, e.note, e.created_at FROM accuracy_events e LEFT JOIN users u ON u.id = e.actor_id"
    " WHERE e.case_id = ?1 ORDER BY e.id";

inline constexpr char kInsertCorrection[] =
    "INSERT INTO corrections (article_id, case_id, kind, placement, notice, revision, published_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
#define MASTHEAD_CORRECTION_SELECT                                                          \
  "SELECT k.id, k.article_id, k.case_id, k.kind, k.placement, k.notice, k.revision,"         \
  " k.published_at, a.slug, a.headline FROM corrections k JOIN articles a ON a.id = k.article_id"
inline constexpr char kFindCorrection[] = MASTHEAD_CORRECTION_SELECT " WHERE k.id = ?1";
inline constexpr char kListCorrections[] =
    MASTHEAD_CORRECTION_SELECT " WHERE (?1 IS NULL OR k.article_id = ?1)"
    " ORDER BY k.published_at DESC, k.id DESC LIMIT ?2";
#undef MASTHEAD_CORRECTION_SELECT

inline constexpr char kInsertAccuracyInvite[] =
    "INSERT INTO accuracy_invites (article_id, case_id, email, name, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr char kFindAccuracyInvite[] =
    "SELECT id, article_id, case_id, email, name, created_at, expires_at, used_at"
    " FROM accuracy_invites WHERE id = ?1";
inline constexpr char kUseAccuracyInvite[] =
    "UPDATE accuracy_invites SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL";

inline constexpr char kInsertEditorMessage[] =
    "INSERT INTO editor_messages (article_id, desk, sender_name, sender_email, user_id, body,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
#define MASTHEAD_MESSAGE_SELECT                                                                 \
  "SELECT m.id, m.article_id, m.desk, m.sender_name, m.sender_email, m.user_id, m.body, m.status," \
  " m.case_id, a.slug, a.headline, m.created_at, m.updated_at"                                   \
  " FROM editor_messages m JOIN articles a ON a.id = m.article_id"
inline constexpr char kFindEditorMessage[] = MASTHEAD_MESSAGE_SELECT " WHERE m.id = ?1";
inline constexpr char kListEditorMessages[] =
    MASTHEAD_MESSAGE_SELECT " WHERE (?1 = '' OR m.status = ?1)"
    " AND (?3 = '' OR lower(m.sender_email) = lower(?3)) ORDER BY m.id DESC LIMIT ?2";
#undef MASTHEAD_MESSAGE_SELECT
inline constexpr char kSetEditorMessageStatus[] =
    "UPDATE editor_messages SET status = ?2, case_id = COALESCE(?3, case_id), updated_at = ?4 WHERE id = ?1";
inline constexpr char kInsertEditorMessageReply[] =
    "INSERT INTO editor_message_replies (message_id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4)";
inline constexpr char kListEditorMessageReplies[] =
    "SELECT r.id, r.message_id, r.author_id, u.display_name, r.body, r.created_at"
    " FROM editor_message_replies r JOIN users u ON u.id = r.author_id WHERE r.message_id = ?1"
    " ORDER BY r.id";

}  // namespace masthead::store::sqlite::sql
