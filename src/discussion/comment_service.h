// Every rule of the Further Discussion: who may post where, threads and their
// depth, edits within a window, tombstones, reactions, featured comments,
// ignoring readers, closing discussions, and the pages of threads readers see.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "accounts/account_service.h"
#include "articles/article_service.h"
#include "discussion/live_hub.h"
#include "discussion/policy_service.h"
#include "discussion/spam_guard.h"
#include "store/store.h"

namespace masthead::discussion {

struct DiscussionOptions {
  int max_depth = 3;                 // replies deeper than this attach at this depth
  std::size_t max_body_bytes = 5000;
  int edit_window_seconds = 15 * 60;
  int close_after_days = 14;         // 0: discussions never close by themselves
  int posts_per_minute = 5;          // per account
  int threads_per_page = 20;
  int replies_per_thread = 200;

  // Spam and floods. Networks are client addresses cut to /24 (IPv4) or /48
  // (IPv6), stored hashed (see base/network.h).
  int network_posts_per_minute = 20;   // every account behind one network together
  int links_before_hold = 2;           // more links than this: held for a moderator
  int links_before_refusal = 5;        // more than this: refused
  int duplicate_window_minutes = 24 * 60;  // the same text again by the same reader: refused
  int flood_window_minutes = 10;       // the same text from `flood_accounts` accounts in
  int flood_accounts = 3;              //   this window: held from the last of them on
  std::size_t duplicate_min_bytes = 24;  // shorter texts ("Agreed.") are never repeats
  int min_seconds_to_submit = 3;       // from showing the form to posting it; 0: no check
  std::string form_key;                // signs the form's "shown at" stamp
};

// What the text policy (moderation) decided about a text before it is stored.
struct TextVerdict {
  store::CommentStatus status = store::CommentStatus::kPublished;
  std::string reason;  // shown to the author when not published
  // The writer should be told before posting and may rephrase once: the text
  // and `nudge_message` (reason and clause) go back to the form.
  bool nudge = false;
  std::string nudge_message;
  std::string canonical_text;  // the normalised text, for duplicate detection
  bool unreadable = false;     // nothing left to read once normalised: refused
};
using TextPolicy = std::function<TextVerdict(std::string_view text)>;

// Whether an author may post now and whether their comments wait for a
// moderator (sanctions and pre-moderation decide this, in moderation/). An
// error refuses the post.
struct AuthorVerdict {
  bool hold = false;
  std::string reason;  // shown to the author when held
};
using AuthorGate = std::function<Result<AuthorVerdict>(const accounts::Viewer& viewer)>;

// Called after a reply that owes its parent's author a mail was stored (the
// debt is in the reply's row; see ReplyMails): wakes whoever composes the mails.
using ReplyMailOwed = std::function<void()>;

struct PostRequest {
  std::string article_slug;
  std::optional<std::int64_t> parent_id;
  std::string body;
  std::string idempotency_key;
  std::string network;          // NetworkOf(client address); empty: no network limit
  std::string honeypot;         // a field hidden from people: filled in by programs only
  std::optional<std::string> form_stamp;  // FormStamp of the form; required from HTML forms
  bool rephrased = false;       // the writer was nudged already: decide now
  // "comment", or "question" (top-level only, listed apart from the threads).
  std::string kind = "comment";
  // Called inside the posting transaction with the stored comment, so that what
  // another capability keeps about it (a question's state) is stored with it.
  std::function<Status(store::Store& tx, const store::Comment& stored)> on_stored;
};

struct PostResult {
  store::Comment comment;
  std::string notice;  // for held comments: why, to show the author
};

struct ThreadView {
  store::Comment top;
  std::vector<store::Comment> replies;  // depth-first, in reading order
};

struct ThreadPage {
  store::Article article;
  store::Discussion discussion;
  bool open = true;
  std::vector<ThreadView> threads;
  std::optional<store::ThreadCursor> next;
  std::set<std::int64_t> reacted;  // comment ids the viewer gave Respect
  std::set<std::int64_t> ignored;  // author ids the viewer ignores
};

class CommentService {
 public:
  CommentService(store::Store& store, articles::ArticleService& articles, PolicyService& policies,
                 LiveHub& live, DiscussionOptions options, TextPolicy text_policy = {},
                 ReplyMailOwed reply_mail_owed = {}, std::function<UnixSeconds()> now = NowSeconds);

  // Errors: kNotFound (article or parent), kConflict (closed, deleted parent),
  // kPermissionDenied (field "email": unconfirmed; field "terms": must accept),
  // kInvalidArgument (field "body"), kRateLimited, kAlreadyExists (repeat key).
  // Spam and floods: kInvalidArgument (field "website": the honeypot; field
  // "form_stamp": missing or forged), kRateLimited (field "form_stamp": sent
  // too soon after the form was shown; field "body": account or network limit),
  // kInvalidArgument (field "body": too many links), kConflict (field "body":
  // the reader posted this text already). A nudge is kConflict with field
  // "nudge" and the reason: nothing stored, the writer may rephrase once.
  Result<PostResult> Post(const accounts::Viewer& viewer, const PostRequest& request);
  // The stamp an HTML form carries for the minimum time to submit.
  std::string IssueFormStamp(std::int64_t user_id) const;
  Result<store::Comment> Edit(const accounts::Viewer& viewer, std::int64_t comment_id,
                              const std::string& body);
  Result<store::Comment> Delete(const accounts::Viewer& viewer, std::int64_t comment_id);
  Result<int> Respect(const accounts::Viewer& viewer, std::int64_t comment_id, bool add);
  // Staff (moderator and up).
  Result<store::Comment> Feature(const accounts::Viewer& viewer, std::int64_t comment_id, bool featured);
  Status Ignore(const accounts::Viewer& viewer, std::int64_t author_id, bool ignored);
  // The readers the viewer ignores, by name.
  Result<std::vector<store::User>> IgnoredReaders(const accounts::Viewer& viewer);
  // Editors.
  Status SetClosed(const accounts::Viewer& viewer, const std::string& article_slug, bool closed);

  bool IsOpen(const store::Article& article, const store::Discussion& discussion) const;
  bool CanEdit(const accounts::Viewer& viewer, const store::Comment& comment) const;
  Result<ThreadPage> Threads(const std::string& article_slug, store::ThreadOrder order,
                             std::optional<store::ThreadCursor> after,
                             const accounts::Viewer* viewer);
  Result<store::Comment> Find(std::int64_t comment_id);
  // Published comments newer than `after_id` (live updates).
  Result<std::vector<store::Comment>> NewSince(std::int64_t article_id, std::int64_t after_id, int limit);

  // Set once while the app is built, before it serves.
  void SetAuthorGate(AuthorGate gate) { author_gate_ = std::move(gate); }
  // Called inside the transaction that stores every new comment (whatever its
  // status), so what it queues (webhooks) commits with the comment or not at all.
  using CreatedHook = std::function<Status(store::Store& tx, const store::Comment& comment)>;
  void SetCreatedHook(CreatedHook hook) { created_hook_ = std::move(hook); }

  const DiscussionOptions& options() const { return options_; }
  LiveHub& live() { return live_; }

 private:
  Status ValidateBody(std::string& body) const;
  Status CheckFormTiming(const accounts::Viewer& viewer, const PostRequest& request) const;
  // The limits a post counts against: the account's, and its network's.
  struct PostLimit {
    store::RateLimitRequest request;
    const char* who;  // "you are", "readers on your network are"
  };
  std::vector<PostLimit> PostLimits(const accounts::Viewer& viewer, const PostRequest& request) const;
  // Counts one post against each limit in `store`: the posting transaction, so
  // a stored comment costs one commit, or the store itself for an attempt
  // refused on the way, which counts as well. kRateLimited past a limit.
  Status HitPostLimits(store::Store& store, const std::vector<PostLimit>& limits);
  // kRateLimited when a limit was found exhausted a moment ago: a flood is turned
  // away before its text is checked and without a write. Only a hint; the
  // store's count decides.
  Status RefuseIfKnownExhausted(const std::vector<PostLimit>& limits);
  // Post without the counting of attempts refused before the transaction:
  // `counted` is false when such an attempt still has to be counted.
  Result<PostResult> PostCounted(const accounts::Viewer& viewer, const PostRequest& request,
                                 std::vector<PostLimit>& limits, bool& counted);
  // The number of links, or a refusal past links_before_refusal.
  Result<int> CheckLinks(std::string_view body) const;
  std::string LinksHeldNotice() const;
  // Inside the posting transaction: the reader's own repeat is refused, a text
  // many accounts post at once is held (sets `create.status` and the notice).
  Status CheckRepeats(store::Store& tx, const accounts::Viewer& viewer, const std::string& fingerprint,
                      store::CreateCommentRequest& create, PostResult& result) const;

  store::Store& store_;
  articles::ArticleService& articles_;
  PolicyService& policies_;
  LiveHub& live_;
  DiscussionOptions options_;
  TextPolicy text_policy_;
  ReplyMailOwed reply_mail_owed_;
  AuthorGate author_gate_;
  CreatedHook created_hook_;
  std::function<UnixSeconds()> now_;
  FormStamp form_stamp_;
  std::mutex exhausted_mutex_;
  std::unordered_map<std::string, UnixSeconds> exhausted_until_;  // by limit key
};

}  // namespace masthead::discussion
