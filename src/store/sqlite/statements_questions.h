// SQL of the SQLite engine for reader questions, their votes and watchers,
// follow-up links, experts and the "Open questions" box. Plain SQL (numbered
// parameters, ON CONFLICT DO NOTHING, RETURNING) that other engines take as is.
#pragma once

namespace masthead::store::sqlite::sql {

#define MASTHEAD_QUESTION_SELECT                                                                    \
  "SELECT q.comment_id, q.article_id, a.slug, a.headline, c.author_id, u.display_name,"            \
  " c.body_markdown, c.status, q.state, q.vote_count, q.answer_markdown, q.answered_by,"            \
  " COALESCE(au.display_name, ''), q.answered_at, q.decline_reason, q.merged_into,"                 \
  " q.followup_article_id, COALESCE(f.slug, ''), COALESCE(f.headline, ''), q.followup_notified_at," \
  " q.created_at, q.updated_at"                                                                     \
  " FROM questions q JOIN comments c ON c.id = q.comment_id JOIN users u ON u.id = c.author_id"      \
  " JOIN articles a ON a.id = q.article_id LEFT JOIN users au ON au.id = q.answered_by"             \
  " LEFT JOIN articles f ON f.id = q.followup_article_id"

inline constexpr char kInsertQuestion[] =
    "INSERT INTO questions (comment_id, article_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)";
inline constexpr char kFindQuestion[] = MASTHEAD_QUESTION_SELECT " WHERE q.comment_id = ?1";

// ?1 article (0: every article), ?2 viewer, ?3 tab, ?4 limit.
#define MASTHEAD_QUESTION_LIST                                                                    \
  MASTHEAD_QUESTION_SELECT                                                                        \
  " WHERE (?1 = 0 OR q.article_id = ?1)"                                                          \
  " AND (c.status = 'published' OR (c.status = 'held' AND c.author_id = ?2))"                    \
  " AND ((?3 = 'unanswered' AND q.state = 'open')"                                                \
  " OR (?3 = 'answered' AND q.state IN ('answered', 'followup'))"                                 \
  " OR (?3 = 'all' AND q.state <> 'merged'))"
inline constexpr char kListQuestionsByVotes[] =
    MASTHEAD_QUESTION_LIST " ORDER BY q.vote_count DESC, q.comment_id ASC LIMIT ?4";
inline constexpr char kListQuestionsOldest[] = MASTHEAD_QUESTION_LIST " ORDER BY q.comment_id ASC LIMIT ?4";
inline constexpr char kListQuestionsNewest[] = MASTHEAD_QUESTION_LIST " ORDER BY q.comment_id DESC LIMIT ?4";
#undef MASTHEAD_QUESTION_LIST

inline constexpr char kInsertQuestionVote[] =
    "INSERT INTO question_votes (question_id, user_id, created_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT DO NOTHING";
inline constexpr char kDeleteQuestionVote[] =
    "DELETE FROM question_votes WHERE question_id = ?1 AND user_id = ?2";
inline constexpr char kInsertQuestionWatcher[] =
    "INSERT INTO question_watchers (question_id, user_id, created_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT DO NOTHING";
// A reader who takes their vote back stops watching, unless they asked it.
inline constexpr char kDeleteQuestionWatcher[] =
    "DELETE FROM question_watchers WHERE question_id = ?1 AND user_id = ?2"
    " AND user_id <> (SELECT author_id FROM comments WHERE id = ?1)";
inline constexpr char kRecountQuestionVotes[] =
    "UPDATE questions SET vote_count = (SELECT COUNT(*) FROM question_votes WHERE question_id = ?1),"
    " updated_at = ?2 WHERE comment_id = ?1 RETURNING vote_count";
inline constexpr char kVotedQuestions[] =
    "SELECT question_id FROM question_votes WHERE user_id = ?1 AND question_id = ?2";
inline constexpr char kQuestionWatchers[] =
    "SELECT user_id FROM question_watchers WHERE question_id = ?1 ORDER BY user_id";

inline constexpr char kAnswerQuestion[] =
    "UPDATE questions SET state = 'answered', answer_markdown = ?2, answered_by = ?3, answered_at = ?4,"
    " updated_at = ?4 WHERE comment_id = ?1";
inline constexpr char kDeclineQuestion[] =
    "UPDATE questions SET state = 'declined', decline_reason = ?2, updated_at = ?3 WHERE comment_id = ?1";
inline constexpr char kLinkFollowUp[] =
    "UPDATE questions SET state = 'followup', followup_article_id = ?2, followup_notified_at = NULL,"
    " updated_at = ?3 WHERE comment_id = ?1";

// ?1 the duplicate, ?2 the question it merges into, ?3 that question's asker.
inline constexpr char kMergeQuestionVotes[] =
    "INSERT INTO question_votes (question_id, user_id, created_at)"
    " SELECT ?2, v.user_id, v.created_at FROM question_votes v WHERE v.question_id = ?1 AND v.user_id <> ?3"
    " ON CONFLICT DO NOTHING";
inline constexpr char kMergeQuestionWatchers[] =
    "INSERT INTO question_watchers (question_id, user_id, created_at)"
    " SELECT ?2, w.user_id, w.created_at FROM question_watchers w WHERE w.question_id = ?1"
    " ON CONFLICT DO NOTHING";
inline constexpr char kMarkQuestionMerged[] =
    "UPDATE questions SET state = 'merged', merged_into = ?2, updated_at = ?3 WHERE comment_id = ?1";

inline constexpr char kDueFollowUps[] =
    MASTHEAD_QUESTION_SELECT
    " WHERE q.state = 'followup' AND q.followup_notified_at IS NULL"
    " AND f.published_at IS NOT NULL AND f.published_at <= ?1 ORDER BY q.comment_id LIMIT ?2";
inline constexpr char kMarkFollowUpNotified[] =
    "UPDATE questions SET followup_notified_at = ?2 WHERE comment_id = ?1 AND followup_notified_at IS NULL";
inline constexpr char kFollowUpsOf[] =
    "SELECT DISTINCT f.id, f.slug, f.headline FROM questions q JOIN articles f ON f.id = q.followup_article_id"
    " WHERE q.article_id = ?1 AND q.state = 'followup' AND f.published_at IS NOT NULL AND f.published_at <= ?2"
    " ORDER BY f.id";
inline constexpr char kFollowedUpBy[] =
    "SELECT DISTINCT a.id, a.slug, a.headline FROM questions q JOIN articles a ON a.id = q.article_id"
    " WHERE q.followup_article_id = ?1 AND q.state = 'followup' AND a.published_at IS NOT NULL"
    " AND a.published_at <= ?2 ORDER BY a.id";
#undef MASTHEAD_QUESTION_SELECT

inline constexpr char kInsertQuestionExpert[] =
    "INSERT INTO question_experts (article_id, user_id, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
inline constexpr char kDeleteQuestionExpert[] =
    "DELETE FROM question_experts WHERE article_id = ?1 AND user_id = ?2";
inline constexpr char kIsQuestionExpert[] =
    "SELECT 1 FROM question_experts WHERE article_id = ?1 AND user_id = ?2";

inline constexpr char kListOpenQuestions[] =
    "SELECT id, article_id, body, created_at FROM open_questions WHERE article_id = ?1 ORDER BY id";
inline constexpr char kInsertOpenQuestion[] =
    "INSERT INTO open_questions (article_id, body, created_by, created_at) VALUES (?1, ?2, ?3, ?4)"
    " RETURNING id, article_id, body, created_at";
inline constexpr char kDeleteOpenQuestion[] = "DELETE FROM open_questions WHERE article_id = ?1 AND id = ?2";

}  // namespace masthead::store::sqlite::sql
