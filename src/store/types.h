// Plain records that cross the storage interface. No engine types appear here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"

namespace masthead::store {

struct Section {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  int position = 0;  // order on the front page and in navigation, ascending
};

// The structured fields of an article as an editor writes them. `dateline` is the
// place name only ("MOSCOW"); pages render it at the start of the first paragraph.
struct ArticleFields {
  std::string slug;
  std::string section_slug;
  std::string headline;
  std::string deck;          // subheadline; may be empty
  std::string credit;        // wire service, e.g. "The Associated Press"; may be empty
  std::string byline;        // staff author; may be empty (one of credit/byline is set)
  std::string dateline;      // may be empty
  std::string body_markdown;
  std::optional<UnixSeconds> published_at;  // nullopt: draft, never shown to readers
};

struct Article {
  std::int64_t id = 0;
  ArticleFields fields;
  std::string section_name;
  int revision = 0;  // 1 for a new article, +1 on every edit
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

// What lists need: no body.
struct ArticleSummary {
  std::int64_t id = 0;
  std::string slug;
  std::string section_slug;
  std::string section_name;
  std::string headline;
  std::string deck;
  std::string credit;
  std::string byline;
  UnixSeconds published_at = 0;
  UnixSeconds updated_at = 0;
};

struct Revision {
  std::int64_t article_id = 0;
  int number = 0;
  ArticleFields fields;
  std::string note;  // why the edit was made, e.g. "import", "correction"
  UnixSeconds created_at = 0;
};

// Marks around matched words in SearchHit::snippet. Control characters cannot occur
// in stored text (inputs are stripped of them), so pages can escape the snippet and
// then turn these into <mark> safely.
inline constexpr char kHighlightStart = '\x02';
inline constexpr char kHighlightEnd = '\x03';

struct SearchHit {
  ArticleSummary article;
  std::string snippet;  // plain text with kHighlightStart/End marks; escape before HTML
};

struct User {
  std::int64_t id = 0;
  std::string email;  // normalised (lower-case) by the accounts service
  std::string display_name;
  std::string password_hash;  // argon2id encoded; never leaves the server
  std::string role;           // "reader", "moderator", "editor", "admin"
  std::optional<UnixSeconds> email_confirmed_at;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct Session {
  std::string token_hash;
  std::int64_t user_id = 0;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
};

struct RateLimitDecision {
  bool allowed = true;
  int count = 0;                 // hits in the current window, this one included
  UnixSeconds retry_after = 0;   // seconds until the window ends, when refused
};

struct PolicyVersion {
  std::string kind;  // "terms" or "guidelines"
  int version = 0;
  std::string summary;
  std::string body_markdown;
  UnixSeconds published_at = 0;
};

enum class CommentStatus { kPublished, kHeld, kRejected, kDeleted };

struct Comment {
  std::int64_t id = 0;
  std::int64_t article_id = 0;
  std::optional<std::int64_t> parent_id;
  std::int64_t thread_id = 0;
  int depth = 0;
  std::int64_t author_id = 0;
  std::string author_name;
  std::string kind;  // "comment"
  std::string body_markdown;  // empty for deleted comments
  CommentStatus status = CommentStatus::kPublished;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> edited_at;
  int respect_count = 0;
  int reply_count = 0;
  std::optional<UnixSeconds> featured_at;
};

struct Discussion {
  std::int64_t article_id = 0;
  int comment_count = 0;  // published comments
  std::optional<UnixSeconds> closed_at;
  std::optional<UnixSeconds> reopened_at;
};

// A notification held back for a reader's hourly or daily digest.
struct DigestItem {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string period;  // "hourly", "daily"
  std::string kind;    // the notification kind, e.g. "reply"
  std::string fields;  // opaque to the store (the notification's fields as JSON)
  UnixSeconds created_at = 0;
};

struct OutboxMessage {
  std::int64_t id = 0;
  std::string message_id;
  std::string recipient;
  std::string kind;
  std::string encoded;  // opaque to the store (mail::EncodeMessage)
  std::string status;   // "pending", "delivered", "failed"
  int attempts = 0;
  UnixSeconds created_at = 0;
  UnixSeconds next_attempt_at = 0;
  std::optional<UnixSeconds> lease_until;
  std::optional<UnixSeconds> finished_at;
  int last_code = 0;
  std::string last_reply;
};

// --- Moderation: reports, the audit log, sanctions, notes, appeals ----------

struct ReportedComment {
  Comment comment;
  int open_reports = 0;        // reports not yet resolved by a moderator
  std::string reasons;         // the distinct reasons, comma-separated, e.g. "hate,threat"
  std::string details;         // the "other" texts, newline-separated
  UnixSeconds last_reported_at = 0;
};

// One row of the audit log. actor_id 0: the system (e.g. a hold by reports).
struct ModerationAction {
  std::int64_t id = 0;
  std::int64_t actor_id = 0;
  std::string actor_name;
  std::string action;  // "approve", "reject", "report_hold", "warning", "suspension", "ban",
                       // "note", "appeal_upheld", "appeal_overturned"
  std::optional<std::int64_t> comment_id;
  std::optional<std::int64_t> subject_user_id;
  std::string subject_name;
  std::string reason_code;  // a guidelines clause slug, or empty
  std::string detail;
  UnixSeconds created_at = 0;
};

struct Sanction {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string kind;  // "warning", "suspension", "ban"
  std::int64_t action_id = 0;
  std::string reason_code;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> ends_at;    // suspensions
  std::optional<UnixSeconds> lifted_at;  // overturned on appeal
};

struct ModeratorNote {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::int64_t author_id = 0;
  std::string author_name;
  std::string body;
  UnixSeconds created_at = 0;
};

struct Appeal {
  std::int64_t id = 0;
  std::int64_t action_id = 0;
  std::int64_t appellant_id = 0;
  std::string body;
  std::string status;  // "open", "upheld", "overturned"
  std::int64_t decided_by = 0;
  std::string decision_note;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> decided_at;
};

struct DecisionCount {
  std::string month;  // "2026-11"
  std::string action;
  std::string reason_code;
  int count = 0;
};

// --- Accuracy: cases, their events, corrections, invites, messages to the editors ---

struct AccuracyCase {
  std::int64_t id = 0;  // the case number
  std::int64_t article_id = 0;
  std::string relation;        // "quoted", "mentioned", "other"
  std::string passage_anchor;  // "p3", or empty
  std::string quote;           // exact words the reader selected, may be empty
  std::string wrong_text;
  std::string right_text;
  std::string evidence_url;
  std::string requester_name;
  std::string requester_email;
  bool may_contact = false;
  std::optional<std::int64_t> invite_id;
  std::string state;    // "new", "triaged", "investigating", "resolved"
  std::string outcome;  // when resolved: "correction", "clarification", "editors_note", "no_change"
  std::int64_t owner_id = 0;  // 0: nobody yet
  std::string owner_name;
  std::string article_slug;
  std::string article_headline;
  std::string section_slug;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  UnixSeconds state_changed_at = 0;
  std::optional<UnixSeconds> reminded_at;
};

struct AccuracyEvent {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t actor_id = 0;  // 0: the requester or the system
  std::string actor_name;
  std::string from_state;
  std::string to_state;
  std::string note;
  UnixSeconds created_at = 0;
};

struct Correction {
  std::int64_t id = 0;
  std::int64_t article_id = 0;
  std::optional<std::int64_t> case_id;
  std::string kind;       // "correction", "clarification", "editors_note"
  std::string placement;  // "top" or "bottom"
  std::string notice;
  int revision = 0;
  UnixSeconds published_at = 0;
  std::string article_slug;
  std::string article_headline;
};

struct AccuracyInvite {
  std::int64_t id = 0;
  std::int64_t article_id = 0;
  std::optional<std::int64_t> case_id;
  std::string email;
  std::string name;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  std::optional<UnixSeconds> used_at;
};

struct EditorMessage {
  std::int64_t id = 0;
  std::int64_t article_id = 0;
  std::string desk;
  std::string sender_name;
  std::string sender_email;
  std::optional<std::int64_t> user_id;
  std::string body;
  std::string status;  // "open", "answered", "case"
  std::optional<std::int64_t> case_id;
  std::string article_slug;
  std::string article_headline;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct EditorMessageReply {
  std::int64_t id = 0;
  std::int64_t message_id = 0;
  std::int64_t author_id = 0;
  std::string author_name;
  std::string body;
  UnixSeconds created_at = 0;
};

// --- Technical-problem reports (support tickets) ---------------------------------
// Every text here is reader input or request headers: untrusted, shown only as
// escaped text.
struct SupportEnvironment {
  // As the reader confirmed or corrected them on the form.
  std::string device;
  std::string os;
  std::string browser;
  std::string screen;
  std::string window;
  std::string timezone;
  std::string language;
  // What the server detected when the report was sent, one line, uncorrected.
  std::string detected;
  std::string user_agent;    // the User-Agent header as sent
  std::string client_hints;  // the Sec-CH-UA-* headers, one "name: value" per line
};

struct SupportTicket {
  std::int64_t id = 0;  // the ticket number the reader is told
  std::string status;   // "open", "closed"
  std::string article;  // slug of the article it was reported from; may be empty
  std::string problem;  // what went wrong
  std::string steps;    // what the reader did
  std::string email;    // empty: the reader wants no reply
  SupportEnvironment environment;
  std::string network;  // the reporter's network ("203.0.113.0/24"), for abuse handling
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  std::optional<UnixSeconds> closed_at;
  std::optional<std::int64_t> closed_by;  // user id of the staff member
};

// --- Reader questions ----------------------------------------------------------
// A question is a comment of kind "question" (posted, checked and moderated as
// every comment) with the newsroom's handling of it. `id` is the comment's id.
struct Question {
  std::int64_t id = 0;
  std::int64_t article_id = 0;
  std::string article_slug;
  std::string article_headline;
  std::int64_t asker_id = 0;
  std::string asker_name;
  std::string body_markdown;
  CommentStatus status = CommentStatus::kPublished;  // the comment's: held until moderated
  std::string state;  // "open", "answered", "declined", "merged", "followup"
  int vote_count = 0;
  std::string answer_markdown;
  std::optional<std::int64_t> answered_by;
  std::string answered_by_name;
  std::optional<UnixSeconds> answered_at;
  std::string decline_reason;
  std::optional<std::int64_t> merged_into;
  std::optional<std::int64_t> followup_article_id;
  std::string followup_slug;
  std::string followup_headline;
  std::optional<UnixSeconds> followup_notified_at;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

// An article named in another's "Follow-up:" or "This story follows up on:" line.
struct ArticleLink {
  std::int64_t id = 0;
  std::string slug;
  std::string headline;
};

// One line of an article's editor-curated "Open questions" box.
struct OpenQuestion {
  std::int64_t id = 0;
  std::int64_t article_id = 0;
  std::string body;
  UnixSeconds created_at = 0;
};

// --- Newsroom: inbox claims, dashboard figures, users, account deletion ----------

// Who works an inbox item, until when. `queue` is the inbox queue's key.
struct InboxClaim {
  std::string queue;
  std::int64_t item_id = 0;
  std::int64_t user_id = 0;
  std::string user_name;
  UnixSeconds claimed_at = 0;
  UnixSeconds expires_at = 0;
};

struct KeyCount {
  std::string key;
  std::int64_t count = 0;
};

// What the dashboard draws, all counted from `since` on (see NewsroomFiguresRequest).
struct NewsroomFigures {
  std::vector<KeyCount> comments_per_hour;  // key: the hour's start (unix seconds, as text), hours with none left out
  std::vector<KeyCount> comments_by_status;  // key: "published", "held", "rejected", "deleted"
  std::vector<KeyCount> rejections_by_reason;  // key: the guidelines clause slug, "" when none
  std::vector<KeyCount> reports_by_reason;     // key: the report reason
  std::vector<std::int64_t> seconds_to_first_decision;  // one per decided comment
  std::vector<KeyCount> accuracy_cases_by_state;  // every case, not only recent ones
};

// A report a reader filed, for their history and their data export.
struct FiledReport {
  std::int64_t comment_id = 0;
  std::string reason;
  std::string detail;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> resolved_at;
};

struct AccountDeletion {
  std::int64_t user_id = 0;
  std::int64_t requested_by = 0;
  UnixSeconds requested_at = 0;
  UnixSeconds final_at = 0;  // the end of the grace period
  std::optional<UnixSeconds> completed_at;
};

// --- Editorial: the article editor, desks, imports, webhooks ----------------------

// An article as the editor's list shows it: every state, not only published.
struct EditorArticle {
  ArticleSummary article;        // published_at is 0 for a draft
  bool draft = false;            // no publication date
  bool withdrawn = false;        // unpublished with an editor's note
  int revision = 0;
};

// The editor's note readers see at the address of an unpublished article.
struct ArticleWithdrawal {
  std::int64_t article_id = 0;
  std::string slug;
  std::string headline;
  std::string note;
  std::optional<std::int64_t> withdrawn_by;
  UnixSeconds withdrawn_at = 0;
};

// A desk: the editors responsible for some sections, reached at one address.
struct Desk {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  std::string email;
  std::vector<std::string> section_slugs;  // sections it owns, in section order
};

struct WebhookDelivery {
  std::int64_t id = 0;
  std::string url;
  std::string event;    // "comment.created", "moderation.decided", "correction.published"
  std::string payload;  // the JSON body, byte for byte what is signed and sent
  std::string status;   // "pending", "delivered", "failed"
  int attempts = 0;
  UnixSeconds next_attempt_at = 0;
  int last_code = 0;    // HTTP status of the last attempt; 0: no answer
  std::string last_error;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> delivered_at;
};

}  // namespace masthead::store
