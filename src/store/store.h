// The storage interface. Every engine (SQLite now, PostgreSQL later) implements
// exactly this and passes store_conformance_test. Product rules (validation,
// sanitising, permissions) live above, in the domain services; an engine stores
// and fetches, and reports constraint failures as ErrorCode values.
//
// Thread-safety: a Store is safe to call from many threads at once. A Store&
// handed to a Transact callback is bound to that transaction and must only be used
// on the calling thread, inside the callback.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/types.h"

namespace masthead::store {

struct PutSectionRequest {
  std::string slug;
  std::string name;
  int position = 0;
};

struct CreateArticleRequest {
  ArticleFields fields;
  std::string revision_note;
  UnixSeconds now = 0;
};

struct UpdateArticleRequest {
  std::int64_t id = 0;
  // Optimistic concurrency: when non-zero, the update fails with kConflict unless
  // the stored revision equals this.
  int expected_revision = 0;
  ArticleFields fields;
  std::string revision_note;
  UnixSeconds now = 0;
};

struct FindArticleRequest {
  std::optional<std::int64_t> id;  // set either id or slug
  std::string slug;
  // When false, drafts and articles scheduled after `now` are kNotFound.
  bool include_unpublished = false;
  UnixSeconds now = 0;
};

// Keyset position: lists are ordered by (published_at DESC, id DESC).
struct ArticleCursor {
  UnixSeconds published_at = 0;
  std::int64_t id = 0;
};

struct ListArticlesRequest {
  std::string section_slug;  // empty: every section
  int limit = 20;
  std::optional<ArticleCursor> after;  // next page starts after this article
  UnixSeconds now = 0;                 // only articles published at or before now
};

struct SearchArticlesRequest {
  // Plain words as a reader typed them; the engine builds its own query syntax, so
  // no operator in here has a meaning. Every word must match (prefix match on the last).
  std::string query;
  int limit = 20;
  UnixSeconds now = 0;
};

struct CreateUserRequest {
  std::string email;
  std::string display_name;
  std::string password_hash;
  std::string role = "reader";
  std::optional<UnixSeconds> email_confirmed_at;
  UnixSeconds now = 0;
};

struct FindUserRequest {
  std::optional<std::int64_t> id;  // set either id or email
  std::string email;
};

// Only the fields that are set change.
struct UpdateUserRequest {
  std::int64_t id = 0;
  std::optional<std::string> display_name;
  std::optional<std::string> password_hash;
  std::optional<std::string> role;
  std::optional<UnixSeconds> email_confirmed_at;
  UnixSeconds now = 0;
};

struct CreateSessionRequest {
  std::string token_hash;
  std::int64_t user_id = 0;
  UnixSeconds now = 0;
  UnixSeconds expires_at = 0;
  std::string user_agent;
};

struct CreateUserTokenRequest {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string purpose;  // "confirm_email", "reset_password"
  UnixSeconds now = 0;
  UnixSeconds expires_at = 0;
};

struct ConsumeUserTokenRequest {
  std::string token_hash;
  std::string purpose;
  UnixSeconds now = 0;
};

struct RateLimitRequest {
  std::string key;  // e.g. "login:addr:203.0.113.0/24"
  int limit = 10;   // hits allowed per window
  int window_seconds = 60;
  UnixSeconds now = 0;
};

struct PublishPolicyRequest {
  std::string kind;
  std::string summary;
  std::string body_markdown;
  UnixSeconds now = 0;
};

struct PolicyAcceptance {
  std::int64_t user_id = 0;
  int terms_version = 0;
  int guidelines_version = 0;
  UnixSeconds now = 0;
};

// The service decides parent, thread and depth (depth limits are a product
// rule); the engine stores, counts and enforces the idempotency key.
struct CreateCommentRequest {
  std::int64_t article_id = 0;
  std::optional<std::int64_t> parent_id;
  std::int64_t thread_id = 0;  // 0 for a new top-level comment (becomes its own id)
  int depth = 0;
  std::int64_t author_id = 0;
  std::string kind = "comment";
  std::string body_markdown;
  CommentStatus status = CommentStatus::kPublished;
  std::string idempotency_key;  // empty: none. A repeat is kAlreadyExists
  // The parent's author is owed a mail about this reply: recorded in the reply's
  // own row, and composed later by whoever drains PendingReplyMails.
  bool reply_mail_pending = false;
  UnixSeconds now = 0;
};

enum class ThreadOrder { kOldest, kNewest, kMostRespected };

// Keyset position in a list of threads: the sort key of the last thread shown
// (its id for age orders, its respect count for kMostRespected) and its id.
struct ThreadCursor {
  std::int64_t key = 0;
  std::int64_t id = 0;
};

struct ListThreadsRequest {
  std::int64_t article_id = 0;
  ThreadOrder order = ThreadOrder::kOldest;
  int limit = 20;
  std::optional<ThreadCursor> after;
  std::int64_t viewer_id = 0;  // threads they may see besides published: their own held ones
};

struct ListRepliesRequest {
  std::vector<std::int64_t> thread_ids;
  int limit_per_thread = 200;
  std::int64_t viewer_id = 0;
};

struct UpdateCommentRequest {
  std::int64_t id = 0;
  std::optional<std::string> body_markdown;  // sets edited_at
  std::optional<CommentStatus> status;       // kDeleted clears the body (tombstone)
  std::optional<bool> featured;
  UnixSeconds now = 0;
};

struct ReactRequest {
  std::int64_t comment_id = 0;
  std::int64_t user_id = 0;
  bool add = true;  // false removes the reaction
  UnixSeconds now = 0;
};

struct EnqueueMailRequest {
  std::string message_id;  // unique; a repeat is kAlreadyExists
  std::string recipient;
  std::string kind;
  std::string encoded;
  UnixSeconds now = 0;
};

struct ClaimMailRequest {
  UnixSeconds now = 0;
  int limit = 20;
  int lease_seconds = 1800;
};

struct RenewMailLeaseRequest {
  std::int64_t id = 0;
  UnixSeconds held_until = 0;  // the lease end the caller's claim set
  UnixSeconds new_until = 0;
};

enum class MailOutcome { kDelivered, kTemporaryFailure, kPermanentFailure, kReleased };

struct MailAttemptRequest {
  std::int64_t id = 0;
  MailOutcome outcome = MailOutcome::kDelivered;
  int code = 0;
  std::string reply;
  UnixSeconds now = 0;
  UnixSeconds next_attempt_at = 0;  // for kTemporaryFailure
};

struct ListMailRequest {
  std::string status;  // empty: every status
  int limit = 100;
};

struct AddDigestItemRequest {
  std::int64_t user_id = 0;
  std::string period;
  std::string kind;
  std::string fields;
  UnixSeconds now = 0;
};

struct DueDigestsRequest {
  std::string period;
  UnixSeconds created_before = 0;  // users whose oldest item is at most this old
  int limit = 100;
};

// --- Moderation requests ----------------------------------------------------

struct ReportCommentRequest {
  std::int64_t comment_id = 0;
  std::int64_t reporter_id = 0;
  std::string reason;
  std::string detail;
  UnixSeconds now = 0;
};

struct RecordModerationActionRequest {
  std::int64_t actor_id = 0;  // 0: the system
  std::string action;
  std::optional<std::int64_t> comment_id;
  std::optional<std::int64_t> subject_user_id;
  std::string reason_code;
  std::string detail;
  UnixSeconds now = 0;
};

// Newest first; every set filter must match.
struct ListModerationActionsRequest {
  std::optional<std::int64_t> comment_id;
  std::optional<std::int64_t> subject_user_id;
  std::optional<std::int64_t> before_id;  // keyset paging
  bool decisions_only = false;            // approve and reject
  int limit = 50;
};

struct AddSanctionRequest {
  std::int64_t user_id = 0;
  std::string kind;
  std::int64_t action_id = 0;
  std::string reason_code;
  std::optional<UnixSeconds> ends_at;
  UnixSeconds now = 0;
};

struct CreateAppealRequest {
  std::int64_t action_id = 0;
  std::int64_t appellant_id = 0;
  std::string body;
  UnixSeconds now = 0;
};

struct DecideAppealRequest {
  std::int64_t id = 0;
  std::int64_t decided_by = 0;
  std::string status;  // "upheld" or "overturned"
  std::string note;
  UnixSeconds now = 0;
};

// --- Spam and floods (comment fingerprints) --------------------------------
// A fingerprint is a hash of a comment's normalised text: equal texts, however
// spelt, share one. Stored with the comment so duplicates are counted from what
// was really posted.
struct CommentFingerprint {
  std::int64_t comment_id = 0;
  std::int64_t author_id = 0;
  std::string fingerprint;
  UnixSeconds created_at = 0;
};

struct CountFingerprintsRequest {
  std::string fingerprint;
  std::int64_t author_id = 0;
  std::string idempotency_key;  // the author's comment with this key is not counted
  UnixSeconds since = 0;
};

struct FingerprintCounts {
  int by_author = 0;      // the author's comments with this fingerprint
  int other_authors = 0;  // distinct other authors who posted it
};

// --- Accuracy requests -----------------------------------------------------------

struct CreateAccuracyCaseRequest {
  AccuracyCase fields;  // id, state, owner and times are set by the engine
  std::string note;     // first event's note
  UnixSeconds now = 0;
};

struct ListAccuracyCasesRequest {
  std::string state;  // empty: every state
  int limit = 100;
  std::string requester_email;  // any case; empty: every requester
};

// Moves a case; the change and its event are stored together. kConflict when the
// case is no longer in `expected_state` (two editors acting at once). A `state`
// equal to `expected_state` records an event without moving (the wait that
// reminders measure does not restart).
struct ChangeAccuracyCaseRequest {
  std::int64_t id = 0;
  std::string expected_state;
  std::string state;
  std::string outcome;                   // the case's outcome after the change
  std::optional<std::int64_t> owner_id;  // unset: unchanged
  std::int64_t actor_id = 0;
  std::string note;
  UnixSeconds now = 0;
};

struct CreateCorrectionRequest {
  std::int64_t article_id = 0;
  std::optional<std::int64_t> case_id;
  std::string kind;
  std::string placement;
  std::string notice;
  int revision = 0;
  UnixSeconds now = 0;
};

struct ListCorrectionsRequest {
  std::optional<std::int64_t> article_id;  // unset: every article, newest first
  int limit = 100;
};

struct CreateAccuracyInviteRequest {
  std::int64_t article_id = 0;
  std::optional<std::int64_t> case_id;
  std::string email;
  std::string name;
  UnixSeconds now = 0;
  UnixSeconds expires_at = 0;
};

struct CreateEditorMessageRequest {
  std::int64_t article_id = 0;
  std::string desk;
  std::string sender_name;
  std::string sender_email;
  std::optional<std::int64_t> user_id;
  std::string body;
  UnixSeconds now = 0;
};

// --- Technical-problem reports (support tickets) ---------------------------------
struct CreateSupportTicketRequest {
  std::string article;
  std::string problem;
  std::string steps;
  std::string email;
  SupportEnvironment environment;
  std::string network;
  UnixSeconds now = 0;
};

struct ListSupportTicketsRequest {
  std::string status;  // "open", "closed"; empty: every status
  int limit = 50;
  std::optional<std::int64_t> before_id;  // keyset: the next page starts below this id
  std::string email;                      // any case; empty: every sender
};

struct SetSupportTicketStatusRequest {
  std::int64_t id = 0;
  std::string status;  // "open" or "closed"
  std::int64_t by_user_id = 0;
  UnixSeconds now = 0;
};

// --- Reader questions ------------------------------------------------------------
struct CreateQuestionRequest {
  std::int64_t comment_id = 0;  // the stored comment of kind "question"
  std::int64_t article_id = 0;
  std::int64_t asker_id = 0;    // becomes the first watcher
  UnixSeconds now = 0;
};

enum class QuestionTab { kUnanswered, kAnswered, kAll };
enum class QuestionOrder { kVotes, kOldest, kNewest };

struct ListQuestionsRequest {
  std::optional<std::int64_t> article_id;  // unset: every article (the staff queue)
  QuestionTab tab = QuestionTab::kAll;     // kAll: every state but "merged"
  QuestionOrder order = QuestionOrder::kVotes;
  std::int64_t viewer_id = 0;  // their own held questions are listed too
  int limit = 200;
};

struct VoteQuestionRequest {
  std::int64_t question_id = 0;
  std::int64_t user_id = 0;
  bool add = true;
  UnixSeconds now = 0;
};

// Answer, decline, link to a follow-up: each moves the question only from
// `expected_states`; otherwise kConflict (two editors acting at once).
struct AnswerQuestionRequest {
  std::int64_t id = 0;
  std::vector<std::string> expected_states;
  std::string answer_markdown;
  std::int64_t answered_by = 0;
  UnixSeconds now = 0;
};

struct DeclineQuestionRequest {
  std::int64_t id = 0;
  std::vector<std::string> expected_states;
  std::string reason;
  UnixSeconds now = 0;
};

struct MergeQuestionRequest {
  std::int64_t id = 0;       // the duplicate: must be open
  std::int64_t into_id = 0;  // must be neither merged nor declined
  UnixSeconds now = 0;
};

struct LinkFollowUpRequest {
  std::int64_t id = 0;
  std::vector<std::string> expected_states;
  std::int64_t followup_article_id = 0;
  UnixSeconds now = 0;
};

// --- Newsroom requests ---------------------------------------------------------
struct ClaimInboxItemRequest {
  std::string queue;
  std::int64_t item_id = 0;
  std::int64_t user_id = 0;
  UnixSeconds now = 0;
  UnixSeconds expires_at = 0;
};

struct NewsroomFiguresRequest {
  UnixSeconds since = 0;        // comments, reports and decisions from then on
  UnixSeconds hours_since = 0;  // comments per hour from then on
};

struct SearchUsersRequest {
  std::string query;  // part of the display name or e-mail address, any case; empty: everyone
  std::string role;   // empty: every role
  int limit = 50;
};

struct ScheduleAccountDeletionRequest {
  std::int64_t user_id = 0;
  std::int64_t requested_by = 0;
  UnixSeconds now = 0;
  UnixSeconds final_at = 0;
};

// What a deleted account becomes: the row stays (comments and the audit log
// point at it) with no personal data left.
struct AnonymiseUserRequest {
  std::int64_t user_id = 0;
  std::string display_name;  // e.g. "Former reader"
  std::string email;         // a unique placeholder that can receive no mail
  UnixSeconds now = 0;
};

// --- Editorial: the article editor, desks, imports, webhooks ----------------------
struct ListEditorArticlesRequest {
  std::string state;         // "", "draft", "scheduled", "published", "withdrawn"
  std::string section_slug;  // empty: every section
  int limit = 100;
  UnixSeconds now = 0;       // tells scheduled from published
};

struct WithdrawArticleRequest {
  std::int64_t article_id = 0;
  std::string note;
  std::optional<std::int64_t> withdrawn_by;
  UnixSeconds now = 0;
};

struct ClaimPublicationsRequest {
  UnixSeconds now = 0;
  // Bounds the look-back so a periodic check reads only recent dates.
  UnixSeconds published_since = 0;
  int limit = 100;
};

struct PutDeskRequest {
  std::string slug;
  std::string name;
  std::string email;
};

// Identifies one item of an import source: (source, kind, external id).
struct ImportedItemKey {
  std::string source;  // "disqus", "wordpress"
  std::string kind;    // "article", "comment", "user"
  std::string external_id;
};

struct EnqueueWebhookRequest {
  std::string url;
  std::string event;
  std::string payload;
  UnixSeconds now = 0;
};

struct ClaimWebhooksRequest {
  UnixSeconds now = 0;
  int limit = 20;
  int lease_seconds = 300;
};

struct WebhookAttemptRequest {
  std::int64_t id = 0;
  bool delivered = false;
  bool give_up = false;             // when not delivered: failed for good
  int code = 0;
  std::string error;
  UnixSeconds now = 0;
  UnixSeconds next_attempt_at = 0;  // when not delivered and not given up
};

class Store {
 public:
  virtual ~Store() = default;

  // Brings the schema to the newest migration. Safe to run repeatedly and from
  // several processes; returns the schema version reached.
  virtual Result<int> Migrate() = 0;
  virtual Result<int> SchemaVersion() = 0;

  // Runs `fn` in one transaction with a Store bound to it: every write made
  // through that Store commits when `fn` returns ok and rolls back otherwise.
  virtual Status Transact(const std::function<Status(Store&)>& fn) = 0;

  // Sections: insert, or update name and position of an existing slug.
  virtual Result<Section> PutSection(const PutSectionRequest& request) = 0;
  virtual Result<std::vector<Section>> ListSections() = 0;

  // Articles. Create stores revision 1; Update stores the next revision, both in
  // the same transaction as the article. kAlreadyExists on a taken slug,
  // kNotFound on an unknown section or id.
  virtual Result<Article> CreateArticle(const CreateArticleRequest& request) = 0;
  virtual Result<Article> UpdateArticle(const UpdateArticleRequest& request) = 0;
  virtual Result<Article> FindArticle(const FindArticleRequest& request) = 0;
  virtual Result<std::vector<ArticleSummary>> ListArticles(const ListArticlesRequest& request) = 0;
  virtual Result<std::vector<SearchHit>> SearchArticles(const SearchArticlesRequest& request) = 0;
  // Oldest first.
  virtual Result<std::vector<Revision>> ListRevisions(std::int64_t article_id) = 0;
  virtual Result<std::int64_t> CountArticles() = 0;

  // Users. kAlreadyExists (field "email") on a taken e-mail address.
  virtual Result<User> CreateUser(const CreateUserRequest& request) = 0;
  virtual Result<User> FindUser(const FindUserRequest& request) = 0;
  virtual Result<User> UpdateUser(const UpdateUserRequest& request) = 0;

  // Sessions, by the hash of their cookie. FindSession ignores expired ones.
  virtual Status CreateSession(const CreateSessionRequest& request) = 0;
  virtual Result<Session> FindSession(const std::string& token_hash, UnixSeconds now) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  // Ends every session of a user but `keep_token_hash` (may be empty).
  virtual Status DeleteUserSessions(std::int64_t user_id, const std::string& keep_token_hash) = 0;

  // One-time tokens. Consume returns the user id and marks the token used, once;
  // an unknown, used, expired or other-purpose token is kNotFound.
  virtual Status CreateUserToken(const CreateUserTokenRequest& request) = 0;
  virtual Result<std::int64_t> ConsumeUserToken(const ConsumeUserTokenRequest& request) = 0;

  // Counts a hit against `key` in a fixed window and says whether it is allowed.
  // Atomic across threads and processes sharing the database.
  virtual Result<RateLimitDecision> HitRateLimit(const RateLimitRequest& request) = 0;
  virtual Status ClearRateLimit(const std::string& key) = 0;

  // Versioned policy documents: Publish stores the next version number.
  virtual Result<PolicyVersion> PublishPolicy(const PublishPolicyRequest& request) = 0;
  // The newest version of `kind`; kNotFound when none was published.
  virtual Result<PolicyVersion> CurrentPolicy(const std::string& kind) = 0;
  virtual Status RecordAcceptance(const PolicyAcceptance& acceptance) = 0;
  // True when the user accepted exactly these versions (the `now` field is unused).
  virtual Result<bool> HasAccepted(const PolicyAcceptance& acceptance) = 0;

  // Server settings: returns the stored value, storing `initial` first when the
  // name is new (so concurrent first starts agree on one value).
  virtual Result<std::string> GetOrCreateSetting(const std::string& name,
                                                 const std::string& initial) = 0;

  // Comments. Create keeps the article's published count and the thread's reply
  // count; kAlreadyExists (field "idempotency_key") for a repeated key.
  virtual Result<Comment> CreateComment(const CreateCommentRequest& request) = 0;
  virtual Result<Comment> FindComment(std::int64_t id) = 0;
  // Top-level comments, published (and the viewer's own held ones), in order.
  virtual Result<std::vector<Comment>> ListThreads(const ListThreadsRequest& request) = 0;
  // Replies of the given threads, oldest first; deleted ones stay as tombstones.
  virtual Result<std::vector<Comment>> ListReplies(const ListRepliesRequest& request) = 0;
  // Published comments of an article with an id above `after_id`, oldest first
  // (what a live page missed).
  virtual Result<std::vector<Comment>> ListCommentsAfter(std::int64_t article_id,
                                                         std::int64_t after_id, int limit) = 0;
  virtual Result<Comment> UpdateComment(const UpdateCommentRequest& request) = 0;
  // Adds or removes one reaction; returns the comment's new count. Idempotent.
  virtual Result<int> React(const ReactRequest& request) = 0;
  // Which of `comment_ids` the user reacted to.
  virtual Result<std::vector<std::int64_t>> ReactedComments(
      std::int64_t user_id, const std::vector<std::int64_t>& comment_ids) = 0;
  virtual Status SetIgnored(std::int64_t user_id, std::int64_t ignored_user_id, bool ignored,
                            UnixSeconds now) = 0;
  virtual Result<std::vector<std::int64_t>> IgnoredUsers(std::int64_t user_id) = 0;

  // Reply mails owed (CreateCommentRequest::reply_mail_pending), oldest first,
  // at most `limit`, whatever became of the replies since. Meant for a drain that
  // composes the mails and calls FinishReplyMails with every id it got, in one
  // transaction, so each mail is handed over once across crashes and nodes.
  virtual Result<std::vector<Comment>> PendingReplyMails(int limit) = 0;
  // The given replies' mails were handed over (ids from PendingReplyMails in
  // the same transaction): they are pending no more.
  virtual Status FinishReplyMails(const std::vector<std::int64_t>& reply_ids) = 0;
  // A reply that was held when posted owes its mail when a moderator publishes
  // it, composed in that transaction: true the first time for such a reply,
  // marking it so that it is neither owed again nor drained; false for a reply
  // that owed its mail when posted or was claimed already.
  virtual Result<bool> ClaimLateReplyMail(std::int64_t reply_id) = 0;

  // Discussion state; an article without a row has the defaults.
  virtual Result<Discussion> FindDiscussion(std::int64_t article_id) = 0;
  virtual Status SetDiscussionClosed(std::int64_t article_id, bool closed, UnixSeconds now) = 0;
  // Published comment counts for list pages.
  virtual Result<std::vector<Discussion>> ListDiscussions(const std::vector<std::int64_t>& article_ids) = 0;

  // The mail outbox. Claim returns pending, due, unleased messages, oldest due
  // first, and leases them until now + lease_seconds, atomically, so no two
  // workers (on any node) claim the same message while the lease holds.
  virtual Result<std::int64_t> EnqueueMail(const EnqueueMailRequest& request) = 0;
  virtual Result<std::vector<OutboxMessage>> ClaimDueMail(const ClaimMailRequest& request) = 0;
  // Moves a pending message's lease end from held_until to new_until; false (and
  // nothing changed) when the lease end is no longer held_until: the claim ran
  // out and another worker holds the message, or it is finished.
  virtual Result<bool> RenewMailLease(const RenewMailLeaseRequest& request) = 0;
  // Records one attempt (kReleased records nothing but ends the lease). kNotFound
  // for an unknown id.
  virtual Status RecordMailAttempt(const MailAttemptRequest& request) = 0;
  virtual Result<std::vector<OutboxMessage>> ListMail(const ListMailRequest& request) = 0;
  // A failed message becomes pending and due now. kConflict when it is not failed.
  virtual Status RetryMail(std::int64_t id, UnixSeconds now) = 0;

  // Notification settings: (kind, mode) pairs a reader chose; kinds without a
  // row use the product's default.
  virtual Result<std::vector<std::pair<std::string, std::string>>> NotificationSettings(
      std::int64_t user_id) = 0;
  virtual Status SetNotificationSetting(std::int64_t user_id, const std::string& kind,
                                        const std::string& mode, UnixSeconds now) = 0;

  // Digests: notifications held for a reader's hourly or daily mail. kNotFound
  // for an unknown user.
  virtual Status AddDigestItem(const AddDigestItemRequest& request) = 0;
  // Users with an item of `period` created at or before `created_before`, lowest id first.
  virtual Result<std::vector<std::int64_t>> DueDigestUsers(const DueDigestsRequest& request) = 0;
  // Every item of the user and period, oldest first.
  virtual Result<std::vector<DigestItem>> ListDigestItems(std::int64_t user_id,
                                                          const std::string& period) = 0;
  // Deletes the items and returns how many existed: fewer than asked means another
  // worker sent them first, and the caller rolls back.
  virtual Result<int> DeleteDigestItems(const std::vector<std::int64_t>& ids) = 0;

  // --- Moderation: reports, the audit log, sanctions, notes, appeals --------
  // Stores one report per reader per comment: a repeat is kAlreadyExists (field
  // "report"); kNotFound for an unknown comment or reader. Returns the comment's
  // open (unresolved) reports, this one included.
  virtual Result<int> ReportComment(const ReportCommentRequest& request) = 0;
  // Marks every open report of the comment resolved.
  virtual Status ResolveReports(std::int64_t comment_id, UnixSeconds now) = 0;
  // Comments with open reports, most reported first.
  virtual Result<std::vector<ReportedComment>> ListReportedComments(int limit) = 0;
  // Comments in one status, oldest first (the pending queue: kHeld).
  virtual Result<std::vector<Comment>> ListCommentsWithStatus(CommentStatus status, int limit) = 0;
  // An author's published comments (pre-moderation lasts until enough were approved).
  virtual Result<int> CountPublishedCommentsBy(std::int64_t author_id) = 0;
  virtual Result<ModerationAction> RecordModerationAction(const RecordModerationActionRequest& request) = 0;
  virtual Result<ModerationAction> FindModerationAction(std::int64_t id) = 0;
  virtual Result<std::vector<ModerationAction>> ListModerationActions(
      const ListModerationActionsRequest& request) = 0;
  // Actions of one kind about one user since a time (e.g. rejections in a window).
  virtual Result<int> CountModerationActions(std::int64_t subject_user_id, const std::string& action,
                                             UnixSeconds since) = 0;
  // Approvals, rejections and sanctions per calendar month (UTC) and reason,
  // from `since` on, oldest month first.
  virtual Result<std::vector<DecisionCount>> DecisionsPerMonth(UnixSeconds since) = 0;
  virtual Result<Sanction> AddSanction(const AddSanctionRequest& request) = 0;
  // Newest first, lifted ones included.
  virtual Result<std::vector<Sanction>> ListSanctions(std::int64_t user_id) = 0;
  // Ends a sanction now (an appeal overturned it). kNotFound for an unknown id.
  virtual Status LiftSanction(std::int64_t sanction_id, UnixSeconds now) = 0;
  virtual Result<ModeratorNote> AddModeratorNote(std::int64_t user_id, std::int64_t author_id,
                                                 const std::string& body, UnixSeconds now) = 0;
  // Newest first.
  virtual Result<std::vector<ModeratorNote>> ListModeratorNotes(std::int64_t user_id) = 0;
  // One appeal per action: a repeat is kAlreadyExists (field "appeal").
  virtual Result<Appeal> CreateAppeal(const CreateAppealRequest& request) = 0;
  virtual Result<Appeal> FindAppeal(std::int64_t id) = 0;
  // The appeals of these actions (for a reader's record page).
  virtual Result<std::vector<Appeal>> AppealsOfActions(const std::vector<std::int64_t>& action_ids) = 0;
  // Open appeals, oldest first.
  virtual Result<std::vector<Appeal>> ListOpenAppeals(int limit) = 0;
  // kConflict when the appeal was already decided.
  virtual Result<Appeal> DecideAppeal(const DecideAppealRequest& request) = 0;

  // --- Spam and floods (comment fingerprints) ---
  // Recorded in the transaction that creates the comment.
  virtual Status RecordCommentFingerprint(const CommentFingerprint& fingerprint) = 0;
  // Comments (not deleted) with this fingerprint created at or after `since`.
  virtual Result<FingerprintCounts> CountCommentFingerprints(
      const CountFingerprintsRequest& request) = 0;

  // --- Accuracy: cases, corrections, invites, messages to the editors ----------
  // Create stores the case in state "new" with its first event.
  virtual Result<AccuracyCase> CreateAccuracyCase(const CreateAccuracyCaseRequest& request) = 0;
  virtual Result<AccuracyCase> FindAccuracyCase(std::int64_t id) = 0;
  // Newest first.
  virtual Result<std::vector<AccuracyCase>> ListAccuracyCases(const ListAccuracyCasesRequest& request) = 0;
  virtual Result<AccuracyCase> ChangeAccuracyCase(const ChangeAccuracyCaseRequest& request) = 0;
  // Oldest first.
  virtual Result<std::vector<AccuracyEvent>> ListAccuracyEvents(std::int64_t case_id) = 0;
  // Open cases whose state has not changed since `changed_before` and that were
  // not reminded about since their last change, oldest first.
  virtual Result<std::vector<AccuracyCase>> ListWaitingAccuracyCases(UnixSeconds changed_before, int limit) = 0;
  // kConflict when the case was reminded about since its last change (by
  // another node): exactly one reminder per wait.
  virtual Status MarkAccuracyCaseReminded(std::int64_t id, UnixSeconds now) = 0;

  virtual Result<Correction> CreateCorrection(const CreateCorrectionRequest& request) = 0;
  virtual Result<std::vector<Correction>> ListCorrections(const ListCorrectionsRequest& request) = 0;

  virtual Result<AccuracyInvite> CreateAccuracyInvite(const CreateAccuracyInviteRequest& request) = 0;
  virtual Result<AccuracyInvite> FindAccuracyInvite(std::int64_t id) = 0;
  // Marks the invite used, once: kConflict when it was used already.
  virtual Status UseAccuracyInvite(std::int64_t id, UnixSeconds now) = 0;

  virtual Result<EditorMessage> CreateEditorMessage(const CreateEditorMessageRequest& request) = 0;
  virtual Result<EditorMessage> FindEditorMessage(std::int64_t id) = 0;
  // Newest first; empty status: every status.
  // sender_email (any case; empty: every sender) narrows to one person's messages.
  virtual Result<std::vector<EditorMessage>> ListEditorMessages(const std::string& status, int limit,
                                                                const std::string& sender_email) = 0;
  virtual Status SetEditorMessageStatus(std::int64_t id, const std::string& status,
                                        std::optional<std::int64_t> case_id, UnixSeconds now) = 0;
  virtual Result<EditorMessageReply> AddEditorMessageReply(std::int64_t message_id, std::int64_t author_id,
                                                           const std::string& body, UnixSeconds now) = 0;
  // Oldest first.
  virtual Result<std::vector<EditorMessageReply>> ListEditorMessageReplies(std::int64_t message_id) = 0;

  // --- Technical-problem reports (support tickets) -------------------------------
  // Ticket numbers are never reused, even after a rollback or a deletion.
  virtual Result<SupportTicket> CreateSupportTicket(const CreateSupportTicketRequest& request) = 0;
  // kNotFound for an unknown number.
  virtual Result<SupportTicket> FindSupportTicket(std::int64_t id) = 0;
  // Newest first.
  virtual Result<std::vector<SupportTicket>> ListSupportTickets(const ListSupportTicketsRequest& request) = 0;
  // Closing records when and by whom; reopening clears both. kNotFound for an
  // unknown number, kInvalidArgument (field "status") for another status.
  virtual Result<SupportTicket> SetSupportTicketStatus(const SetSupportTicketStatusRequest& request) = 0;
  // --- Reader questions: votes, answers, merges, follow-ups, experts, open questions --
  // Stores the question (state "open") for a comment of kind "question" and makes
  // the asker its first watcher. kAlreadyExists for a comment that has one.
  virtual Result<Question> CreateQuestion(const CreateQuestionRequest& request) = 0;
  // kNotFound for an unknown id.
  virtual Result<Question> FindQuestion(std::int64_t id) = 0;
  // Published questions (and the viewer's own held ones) in `order`; the age
  // orders break ties by id, kVotes by age (oldest first).
  virtual Result<std::vector<Question>> ListQuestions(const ListQuestionsRequest& request) = 0;
  // Adds or removes the reader's one vote (a voter also watches the question);
  // returns the new count. Idempotent.
  virtual Result<int> VoteQuestion(const VoteQuestionRequest& request) = 0;
  // Which of `question_ids` the user voted for.
  virtual Result<std::vector<std::int64_t>> VotedQuestions(std::int64_t user_id,
                                                           const std::vector<std::int64_t>& question_ids) = 0;
  virtual Result<Question> AnswerQuestion(const AnswerQuestionRequest& request) = 0;
  virtual Result<Question> DeclineQuestion(const DeclineQuestionRequest& request) = 0;
  // The duplicate becomes "merged"; its votes, its asker (as a vote) and its
  // watchers carry over to the other question, once each (the other's asker
  // never votes for their own question). kConflict when either is in the wrong state.
  virtual Result<Question> MergeQuestion(const MergeQuestionRequest& request) = 0;
  // State "followup"; the follow-up may be unpublished (the mail waits for it).
  virtual Result<Question> LinkFollowUp(const LinkFollowUpRequest& request) = 0;
  // User ids, lowest first.
  virtual Result<std::vector<std::int64_t>> QuestionWatchers(std::int64_t question_id) = 0;
  // Questions linked to a follow-up published at or before `now` whose mail has
  // not gone out, oldest first.
  virtual Result<std::vector<Question>> ListDueFollowUps(UnixSeconds now, int limit) = 0;
  // True for the one call that marks it (the caller then queues the mail in
  // the same transaction); false when it was marked already.
  virtual Result<bool> MarkFollowUpNotified(std::int64_t question_id, UnixSeconds now) = 0;
  // Published follow-ups of the article's questions, oldest first.
  virtual Result<std::vector<ArticleLink>> FollowUpsOf(std::int64_t article_id, UnixSeconds now) = 0;
  // Published articles whose questions this article follows up on, oldest first.
  virtual Result<std::vector<ArticleLink>> FollowedUpBy(std::int64_t followup_article_id, UnixSeconds now) = 0;
  // Experts may answer the questions of the articles they are assigned to.
  virtual Status SetQuestionExpert(std::int64_t article_id, std::int64_t user_id, bool assigned,
                                   UnixSeconds now) = 0;
  virtual Result<bool> IsQuestionExpert(std::int64_t article_id, std::int64_t user_id) = 0;
  // Oldest first.
  virtual Result<std::vector<OpenQuestion>> ListOpenQuestions(std::int64_t article_id) = 0;
  virtual Result<OpenQuestion> AddOpenQuestion(std::int64_t article_id, const std::string& body,
                                               std::int64_t created_by, UnixSeconds now) = 0;
  // kNotFound unless the line belongs to the article.
  virtual Status RemoveOpenQuestion(std::int64_t article_id, std::int64_t id) = 0;
  // --- Newsroom: the inbox's claims, the dashboard, users, account deletion ------
  // Claims an item for `user_id` until `expires_at`, or renews their own claim.
  // kConflict when another user holds an unexpired claim on it.
  virtual Result<InboxClaim> ClaimInboxItem(const ClaimInboxItemRequest& request) = 0;
  // Ends the user's claim; kNotFound when they hold none on the item.
  virtual Status ReleaseInboxClaim(const std::string& queue, std::int64_t item_id, std::int64_t user_id) = 0;
  // Unexpired claims of every queue.
  virtual Result<std::vector<InboxClaim>> ListInboxClaims(UnixSeconds now) = 0;
  virtual Result<NewsroomFigures> CountNewsroomFigures(const NewsroomFiguresRequest& request) = 0;
  // Name or address containing the query (case-insensitive), by name.
  virtual Result<std::vector<User>> SearchUsers(const SearchUsersRequest& request) = 0;
  // An author's comments in every status, newest first.
  virtual Result<std::vector<Comment>> ListCommentsByAuthor(std::int64_t author_id, int limit) = 0;
  // Reports a reader filed, newest first.
  virtual Result<std::vector<FiledReport>> ListReportsBy(std::int64_t reporter_id, int limit) = 0;
  // kAlreadyExists when a deletion of the account was requested already (pending or done).
  virtual Result<AccountDeletion> ScheduleAccountDeletion(const ScheduleAccountDeletionRequest& request) = 0;
  // kNotFound when none was requested.
  virtual Result<AccountDeletion> FindAccountDeletion(std::int64_t user_id) = 0;
  // Withdraws a pending deletion; kNotFound when none is pending.
  virtual Status CancelAccountDeletion(std::int64_t user_id) = 0;
  // Pending deletions whose grace period ended at or before `now`, oldest first.
  virtual Result<std::vector<AccountDeletion>> ListDueAccountDeletions(UnixSeconds now, int limit) = 0;
  // Replaces name and address, removes the password, sessions, tokens, settings,
  // digest items, ignore lists, claims and notes about the user, and marks a
  // pending deletion completed. Comments stay, under the new name.
  virtual Status AnonymiseUser(const AnonymiseUserRequest& request) = 0;

  // --- Editorial: the article editor, desks, imports, webhooks --------------------
  // Every article whatever its state, most recently changed first.
  virtual Result<std::vector<EditorArticle>> ListEditorArticles(const ListEditorArticlesRequest& request) = 0;
  // Stores (or replaces) the note shown at an unpublished article's address. The
  // caller unpublishes the article itself (UpdateArticle) in the same transaction.
  // kNotFound for an unknown article.
  virtual Status WithdrawArticle(const WithdrawArticleRequest& request) = 0;
  // Removes the note (the article is published again); no error when none exists.
  virtual Status ClearWithdrawal(std::int64_t article_id) = 0;
  // The note of the article with this slug; kNotFound when there is none.
  virtual Result<ArticleWithdrawal> FindWithdrawal(const std::string& slug) = 0;
  // Claims, atomically and once per article ever, articles whose publication time
  // has come (published_since <= published_at <= now) and that were not announced
  // yet; returns their ids, lowest first. Run inside a transaction together with
  // what announces them.
  virtual Result<std::vector<std::int64_t>> ClaimDuePublications(const ClaimPublicationsRequest& request) = 0;
  // Records an article as announced without claiming others (imports of old
  // articles are not news). Idempotent.
  virtual Status MarkPublicationAnnounced(std::int64_t article_id, UnixSeconds published_at,
                                          UnixSeconds now) = 0;

  // Desks: insert, or update name and e-mail of an existing slug.
  virtual Result<Desk> PutDesk(const PutDeskRequest& request) = 0;
  // By name, each with its sections.
  virtual Result<std::vector<Desk>> ListDesks() = 0;
  // Gives a section to a desk; an empty desk slug leaves it to none. kNotFound for
  // an unknown section or desk.
  virtual Status SetSectionDesk(const std::string& section_slug, const std::string& desk_slug) = 0;

  // What an earlier import made of an item; kNotFound when it was never imported.
  virtual Result<std::int64_t> FindImportedItem(const ImportedItemKey& key) = 0;
  // kAlreadyExists when the key was recorded already.
  virtual Status RecordImportedItem(const ImportedItemKey& key, std::int64_t local_id, UnixSeconds now) = 0;

  // The outgoing webhook queue (leased like the mail outbox).
  virtual Result<std::int64_t> EnqueueWebhook(const EnqueueWebhookRequest& request) = 0;
  virtual Result<std::vector<WebhookDelivery>> ClaimDueWebhooks(const ClaimWebhooksRequest& request) = 0;
  // kNotFound for an unknown id.
  virtual Status RecordWebhookAttempt(const WebhookAttemptRequest& request) = 0;
  // Newest first; empty status: every status.
  virtual Result<std::vector<WebhookDelivery>> ListWebhooks(const std::string& status, int limit) = 0;
};

}  // namespace masthead::store
