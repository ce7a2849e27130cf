// Plain records that cross the storage interface. No engine types appear here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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

}  // namespace masthead::store
