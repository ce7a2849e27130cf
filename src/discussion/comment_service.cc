#include "discussion/comment_service.h"

#include <map>

#include "base/text.h"
#include "base/utf8.h"

namespace masthead::discussion {
namespace {

using accounts::HasRole;
using accounts::Role;
using store::CommentStatus;

bool Visible(const store::Comment& comment, std::int64_t viewer_id) {
  return comment.status == CommentStatus::kPublished ||
         (comment.status == CommentStatus::kHeld && comment.author_id == viewer_id);
}

// Orders replies depth-first under their parents, oldest first at each level.
std::vector<store::Comment> InReadingOrder(std::int64_t top_id, std::vector<store::Comment> replies) {
  std::map<std::int64_t, std::vector<std::size_t>> children;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    children[replies[i].parent_id.value_or(top_id)].push_back(i);
  }
  std::vector<store::Comment> ordered;
  ordered.reserve(replies.size());
  std::vector<std::int64_t> stack = {top_id};
  // Iterative DFS: push children in reverse so the oldest is read first.
  std::vector<std::size_t> pending;
  const auto push_children = [&](std::int64_t parent) {
    auto found = children.find(parent);
    if (found == children.end()) return;
    for (auto it = found->second.rbegin(); it != found->second.rend(); ++it) pending.push_back(*it);
  };
  push_children(top_id);
  while (!pending.empty()) {
    const std::size_t index = pending.back();
    pending.pop_back();
    ordered.push_back(replies[index]);
    push_children(replies[index].id);
  }
  return ordered;
}

}  // namespace

CommentService::CommentService(store::Store& store, articles::ArticleService& articles,
                               PolicyService& policies, LiveHub& live, DiscussionOptions options,
                               TextPolicy text_policy, ReplyMailOwed reply_mail_owed,
                               std::function<UnixSeconds()> now)
    : store_(store),
      articles_(articles),
      policies_(policies),
      live_(live),
      options_(options),
      text_policy_(std::move(text_policy)),
      reply_mail_owed_(std::move(reply_mail_owed)),
      now_(std::move(now)),
      form_stamp_(options_.form_key) {}

std::string CommentService::IssueFormStamp(std::int64_t user_id) const {
  return form_stamp_.Issue(user_id, now_());
}

Status CommentService::CheckFormTiming(const accounts::Viewer& viewer, const PostRequest& request) const {
  if (!request.honeypot.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "this comment was not posted: a field that people never see was filled in, as "
                     "spam programs do",
                     "website");
  }
  if (options_.min_seconds_to_submit <= 0 || !request.form_stamp) return Ok();
  auto shown = form_stamp_.Verify(*request.form_stamp, viewer.user.id);
  if (!shown) return tl::unexpected(shown.error());
  if (now_() - *shown < options_.min_seconds_to_submit) {
    return MakeError(ErrorCode::kRateLimited,
                     "that was quick: to keep automated spam out, comments are accepted " +
                         std::to_string(options_.min_seconds_to_submit) +
                         " seconds after the form is shown. Your text is below: please post it again",
                     "form_stamp");
  }
  return Ok();
}

Result<int> CommentService::CheckLinks(std::string_view body) const {
  const int links = CountLinks(body);
  if (links > options_.links_before_refusal) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a comment may have at most " + std::to_string(options_.links_before_refusal) +
                         " links (this one has " + std::to_string(links) + "); remove some and post again",
                     "body");
  }
  return links;
}

std::string CommentService::LinksHeldNotice() const {
  return "held for review: comments with more than " + std::to_string(options_.links_before_hold) +
         " links wait for a moderator";
}

std::vector<CommentService::PostLimit> CommentService::PostLimits(const accounts::Viewer& viewer,
                                                                 const PostRequest& request) const {
  std::vector<PostLimit> limits = {
      {{"comment:user:" + std::to_string(viewer.user.id), options_.posts_per_minute, 60, now_()}, "you are"}};
  if (!request.network.empty()) {
    limits.push_back({{"comment:net:" + NetworkKey(request.network), options_.network_posts_per_minute, 60, now_()},
                      "readers on your network are"});
  }
  return limits;
}

namespace {

tl::unexpected<Error> PostingTooFast(const std::string& who, UnixSeconds retry_after) {
  return MakeError(ErrorCode::kRateLimited,
                   who + " posting very fast; wait " + std::to_string(retry_after) + " seconds and post again",
                   "body");
}

}  // namespace

Status CommentService::HitPostLimits(store::Store& store, const std::vector<PostLimit>& limits) {
  for (const PostLimit& limit : limits) {
    auto rate = store.HitRateLimit(limit.request);
    if (!rate) return tl::unexpected(rate.error());
    if (rate->allowed) continue;
    {
      std::lock_guard lock(exhausted_mutex_);
      // A bounded hint: past the bound, forgetting costs a write per attempt, nothing more.
      if (exhausted_until_.size() >= 10000) std::erase_if(exhausted_until_, [&](const auto& entry) {
        return entry.second <= limit.request.now;
      });
      if (exhausted_until_.size() >= 10000) exhausted_until_.clear();
      exhausted_until_[limit.request.key] = limit.request.now + rate->retry_after;
    }
    return PostingTooFast(limit.who, rate->retry_after);
  }
  return Ok();
}

Status CommentService::RefuseIfKnownExhausted(const std::vector<PostLimit>& limits) {
  std::lock_guard lock(exhausted_mutex_);
  for (const PostLimit& limit : limits) {
    auto it = exhausted_until_.find(limit.request.key);
    if (it == exhausted_until_.end()) continue;
    if (it->second > limit.request.now) return PostingTooFast(limit.who, it->second - limit.request.now);
    exhausted_until_.erase(it);
  }
  return Ok();
}

Status CommentService::CheckRepeats(store::Store& tx, const accounts::Viewer& viewer,
                                    const std::string& fingerprint, store::CreateCommentRequest& create,
                                    PostResult& result) const {
  const auto since = [&](int minutes) { return create.now - static_cast<UnixSeconds>(minutes) * 60; };
  auto repeats = tx.CountCommentFingerprints({fingerprint, viewer.user.id, create.idempotency_key,
                                              since(options_.duplicate_window_minutes)});
  if (!repeats) return tl::unexpected(repeats.error());
  if (repeats->by_author > 0) {
    return MakeError(ErrorCode::kConflict,
                     "you posted this text already; write something new, or edit the comment you posted",
                     "body");
  }
  auto flood = tx.CountCommentFingerprints({fingerprint, viewer.user.id, create.idempotency_key,
                                            since(options_.flood_window_minutes)});
  if (!flood) return tl::unexpected(flood.error());
  if (flood->other_authors + 1 >= options_.flood_accounts && create.status == CommentStatus::kPublished) {
    create.status = CommentStatus::kHeld;
    result.notice = "held for review: the same text was just posted from several accounts";
  }
  return Ok();
}

Status CommentService::ValidateBody(std::string& body) const {
  if (!IsValidUtf8(body)) {
    return MakeError(ErrorCode::kInvalidArgument, "the text is not valid UTF-8", "body");
  }
  body = StripControlCharacters(body);
  const std::string_view trimmed = TrimWhitespace(body);
  if (trimmed.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "write something before posting", "body");
  }
  if (body.size() > options_.max_body_bytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the text is longer than " + std::to_string(options_.max_body_bytes) +
                         " bytes (" + std::to_string(body.size()) + ")",
                     "body");
  }
  body = std::string(trimmed);
  return Ok();
}

bool CommentService::IsOpen(const store::Article& article, const store::Discussion& discussion) const {
  if (discussion.closed_at) return false;
  if (discussion.reopened_at || options_.close_after_days <= 0) return true;
  const UnixSeconds published = article.fields.published_at.value_or(0);
  return now_() < published + static_cast<UnixSeconds>(options_.close_after_days) * 86400;
}

bool CommentService::CanEdit(const accounts::Viewer& viewer, const store::Comment& comment) const {
  return comment.author_id == viewer.user.id && comment.status != CommentStatus::kDeleted &&
         comment.status != CommentStatus::kRejected &&
         now_() <= comment.created_at + options_.edit_window_seconds;
}

Result<PostResult> CommentService::Post(const accounts::Viewer& viewer, const PostRequest& request) {
  std::vector<PostLimit> limits;
  bool counted = true;
  auto posted = PostCounted(viewer, request, limits, counted);
  // Refused texts count too: a flood of variants meets the limit like a flood of posts.
  if (!counted) (void)HitPostLimits(store_, limits);
  return posted;
}

Result<PostResult> CommentService::PostCounted(const accounts::Viewer& viewer, const PostRequest& request,
                                               std::vector<PostLimit>& limits, bool& counted) {
  auto article = articles_.Published(request.article_slug);
  if (!article) return tl::unexpected(article.error());
  auto discussion = store_.FindDiscussion(article->id);
  if (!discussion) return tl::unexpected(discussion.error());
  if (!IsOpen(*article, *discussion)) {
    return MakeError(ErrorCode::kConflict, "the discussion of this article is closed", "body");
  }
  if (!viewer.user.email_confirmed_at) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "please confirm your e-mail address first: we sent you a link", "email");
  }
  auto accepted = policies_.HasAcceptedCurrent(viewer.user.id);
  if (!accepted) return tl::unexpected(accepted.error());
  if (!*accepted) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "please read and accept the current Terms of Use and Community Guidelines",
                     "terms");
  }
  AuthorVerdict author;
  if (author_gate_) {
    auto verdict = author_gate_(viewer);
    if (!verdict) return tl::unexpected(verdict.error());
    author = std::move(*verdict);
  }
  std::string body = request.body;
  MASTHEAD_RETURN_IF_ERROR(ValidateBody(body));
  MASTHEAD_RETURN_IF_ERROR(CheckFormTiming(viewer, request));
  if (request.idempotency_key.size() > 100) {
    return MakeError(ErrorCode::kInvalidArgument, "bad form key", "idempotency_key");
  }

  if (request.kind != "comment" && request.parent_id) {
    return MakeError(ErrorCode::kInvalidArgument, "a question cannot be a reply", "parent_id");
  }
  store::CreateCommentRequest create;
  create.kind = request.kind;
  create.article_id = article->id;
  create.author_id = viewer.user.id;
  create.now = now_();
  create.idempotency_key = request.idempotency_key;
  std::optional<store::Comment> parent;
  if (request.parent_id) {
    auto found = store_.FindComment(*request.parent_id);
    // Questions take no replies: the newsroom answers them on the questions page.
    if (!found || found->article_id != article->id || found->kind != "comment" ||
        !Visible(*found, viewer.user.id)) {
      if (found && found->status == CommentStatus::kDeleted) {
        return MakeError(ErrorCode::kConflict, "the comment you are replying to was deleted", "parent_id");
      }
      return MakeError(ErrorCode::kNotFound, "the comment you are replying to does not exist", "parent_id");
    }
    // Too deep: attach to the deepest allowed level, as a sibling further up.
    while (found->depth >= options_.max_depth && found->parent_id) {
      auto up = store_.FindComment(*found->parent_id);
      if (!up) return tl::unexpected(up.error());
      found = std::move(up);
    }
    parent = *found;
    create.parent_id = parent->id;
    create.thread_id = parent->thread_id;
    create.depth = parent->depth + 1;
  }
  limits = PostLimits(viewer, request);
  MASTHEAD_RETURN_IF_ERROR(RefuseIfKnownExhausted(limits));
  counted = false;
  auto links = CheckLinks(body);
  if (!links) return tl::unexpected(links.error());
  PostResult result;
  TextVerdict verdict;
  if (text_policy_) verdict = text_policy_(body);
  if (verdict.status == CommentStatus::kRejected) {
    return MakeError(ErrorCode::kInvalidArgument, verdict.reason, "body");
  }
  // Only zero-width characters, bidi controls or accents with nothing under them
  // would be an invisible comment.
  if (verdict.unreadable) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "write something readable: this text has no words, only invisible characters, "
                     "accents or punctuation",
                     "body");
  }
  if (verdict.nudge && !request.rephrased) {
    return MakeError(ErrorCode::kConflict, verdict.nudge_message, "nudge");
  }
  create.status = verdict.status;
  result.notice = verdict.reason;
  if (*links > options_.links_before_hold && create.status == CommentStatus::kPublished) {
    create.status = CommentStatus::kHeld;
    result.notice = LinksHeldNotice();
  }
  const std::string canonical =
      verdict.canonical_text.empty() ? FoldForFingerprint(body) : verdict.canonical_text;
  // "Thanks!" or "Agreed." said twice, or by several readers, is conversation,
  // not spam: only longer texts count as repeats.
  const bool repeat_checked = canonical.size() >= options_.duplicate_min_bytes;
  const std::string fingerprint = TextFingerprint(canonical);
  if (author.hold && create.status == CommentStatus::kPublished) {
    create.status = CommentStatus::kHeld;
    result.notice = author.reason;
  }
  create.body_markdown = std::move(body);
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    MASTHEAD_RETURN_IF_ERROR(HitPostLimits(tx, limits));
    if (repeat_checked) MASTHEAD_RETURN_IF_ERROR(CheckRepeats(tx, viewer, fingerprint, create, result));
    // Only a published reply is news to the parent's author; a held one is not
    // (yet) for them to read.
    create.reply_mail_pending = reply_mail_owed_ && parent && create.status == CommentStatus::kPublished &&
                                parent->author_id != viewer.user.id;
    auto comment = tx.CreateComment(create);
    if (!comment) return tl::unexpected(comment.error());
    result.comment = *comment;
    if (repeat_checked) {
      MASTHEAD_RETURN_IF_ERROR(
          tx.RecordCommentFingerprint({comment->id, viewer.user.id, fingerprint, create.now}));
    }
    if (request.on_stored) MASTHEAD_RETURN_IF_ERROR(request.on_stored(tx, *comment));
    if (created_hook_) MASTHEAD_RETURN_IF_ERROR(created_hook_(tx, *comment));
    return Ok();
  });
  if (!stored) {
    // A refusal by the limits themselves was counted by the refusal cache's entry.
    counted = stored.error().code == ErrorCode::kRateLimited;
    return tl::unexpected(stored.error());
  }
  counted = true;
  if (create.reply_mail_pending && result.comment.status == CommentStatus::kPublished) reply_mail_owed_();
  if (result.comment.status == CommentStatus::kPublished) {
    // Live pages show new comments; questions have their own page.
    if (request.kind == "comment") live_.Publish(article->id, result.comment.id);
    articles_.TouchDiscussion(article->id);
  }
  return result;
}

Result<store::Comment> CommentService::Edit(const accounts::Viewer& viewer, std::int64_t comment_id,
                                            const std::string& body_text) {
  auto comment = store_.FindComment(comment_id);
  if (!comment) return comment;
  if (comment->author_id != viewer.user.id) {
    return MakeError(ErrorCode::kPermissionDenied, "you can only edit your own comments");
  }
  if (!CanEdit(viewer, *comment)) {
    return MakeError(ErrorCode::kConflict,
                     "comments can be edited for " + std::to_string(options_.edit_window_seconds / 60) +
                         " minutes after posting",
                     "body");
  }
  if (author_gate_) {
    // A suspended reader cannot rewrite what is already published either.
    auto verdict = author_gate_(viewer);
    if (!verdict) return tl::unexpected(verdict.error());
  }
  std::string body = body_text;
  MASTHEAD_RETURN_IF_ERROR(ValidateBody(body));
  // Links added by an edit count as in a new comment: a clean comment cannot
  // turn into link spam after it was published.
  auto links = CheckLinks(body);
  if (!links) return tl::unexpected(links.error());
  store::UpdateCommentRequest update{.id = comment_id, .body_markdown = body, .now = now_()};
  CommentStatus status = comment->status;
  if (text_policy_) {
    TextVerdict verdict = text_policy_(body);
    if (verdict.status == CommentStatus::kRejected) {
      return MakeError(ErrorCode::kInvalidArgument, verdict.reason, "body");
    }
    status = verdict.status;
  }
  if (*links > options_.links_before_hold && status == CommentStatus::kPublished) status = CommentStatus::kHeld;
  if (status != comment->status) update.status = status;
  auto updated = store_.UpdateComment(update);
  if (updated) articles_.TouchDiscussion(updated->article_id);
  return updated;
}

Result<store::Comment> CommentService::Delete(const accounts::Viewer& viewer, std::int64_t comment_id) {
  auto comment = store_.FindComment(comment_id);
  if (!comment) return comment;
  if (comment->author_id != viewer.user.id && !HasRole(viewer.role, Role::kModerator)) {
    return MakeError(ErrorCode::kPermissionDenied, "you can only delete your own comments");
  }
  if (comment->status == CommentStatus::kDeleted) return comment;
  auto deleted = store_.UpdateComment({.id = comment_id, .status = CommentStatus::kDeleted, .now = now_()});
  if (deleted) articles_.TouchDiscussion(deleted->article_id);
  return deleted;
}

Result<int> CommentService::Respect(const accounts::Viewer& viewer, std::int64_t comment_id, bool add) {
  auto comment = store_.FindComment(comment_id);
  if (!comment || comment->status != CommentStatus::kPublished) {
    return MakeError(ErrorCode::kNotFound, "no such comment");
  }
  if (comment->author_id == viewer.user.id) {
    return MakeError(ErrorCode::kInvalidArgument, "you cannot give Respect to your own comment");
  }
  auto count = store_.React({comment_id, viewer.user.id, add, now_()});
  if (count) articles_.TouchDiscussion(comment->article_id);
  return count;
}

Result<store::Comment> CommentService::Feature(const accounts::Viewer& viewer, std::int64_t comment_id,
                                               bool featured) {
  if (!HasRole(viewer.role, Role::kModerator)) {
    return MakeError(ErrorCode::kPermissionDenied, "only staff choose featured comments");
  }
  auto updated = store_.UpdateComment({.id = comment_id, .featured = featured, .now = now_()});
  if (updated) articles_.TouchDiscussion(updated->article_id);
  return updated;
}

Status CommentService::Ignore(const accounts::Viewer& viewer, std::int64_t author_id, bool ignored) {
  if (author_id == viewer.user.id) {
    return MakeError(ErrorCode::kInvalidArgument, "you cannot ignore yourself");
  }
  auto author = store_.FindUser({.id = author_id});
  if (!author) return MakeError(ErrorCode::kNotFound, "no such reader");
  return store_.SetIgnored(viewer.user.id, author_id, ignored, now_());
}

Result<std::vector<store::User>> CommentService::IgnoredReaders(const accounts::Viewer& viewer) {
  auto ids = store_.IgnoredUsers(viewer.user.id);
  if (!ids) return tl::unexpected(ids.error());
  std::vector<store::User> readers;
  for (std::int64_t id : *ids) {
    if (auto user = store_.FindUser({.id = id})) readers.push_back(std::move(*user));
  }
  return readers;
}

Status CommentService::SetClosed(const accounts::Viewer& viewer, const std::string& article_slug,
                                 bool closed) {
  if (!HasRole(viewer.role, Role::kEditor)) {
    return MakeError(ErrorCode::kPermissionDenied, "only editors open and close discussions");
  }
  auto article = articles_.Published(article_slug);
  if (!article) return tl::unexpected(article.error());
  MASTHEAD_RETURN_IF_ERROR(store_.SetDiscussionClosed(article->id, closed, now_()));
  articles_.TouchDiscussion(article->id);
  return Ok();
}

Result<store::Comment> CommentService::Find(std::int64_t comment_id) {
  return store_.FindComment(comment_id);
}

Result<std::vector<store::Comment>> CommentService::NewSince(std::int64_t article_id,
                                                            std::int64_t after_id, int limit) {
  return store_.ListCommentsAfter(article_id, after_id, limit);
}

Result<ThreadPage> CommentService::Threads(const std::string& article_slug, store::ThreadOrder order,
                                           std::optional<store::ThreadCursor> after,
                                           const accounts::Viewer* viewer) {
  auto article = articles_.Published(article_slug);
  if (!article) return tl::unexpected(article.error());
  ThreadPage page;
  page.article = std::move(*article);
  auto discussion = store_.FindDiscussion(page.article.id);
  if (!discussion) return tl::unexpected(discussion.error());
  page.discussion = *discussion;
  page.open = IsOpen(page.article, page.discussion);
  const std::int64_t viewer_id = viewer ? viewer->user.id : 0;
  const int limit = options_.threads_per_page;
  auto tops = store_.ListThreads({page.article.id, order, limit + 1, after, viewer_id});
  if (!tops) return tl::unexpected(tops.error());
  if (static_cast<int>(tops->size()) > limit) {
    tops->resize(static_cast<std::size_t>(limit));
    const auto& last = tops->back();
    page.next = store::ThreadCursor{order == store::ThreadOrder::kMostRespected ? last.respect_count : last.id,
                                    last.id};
  }
  std::vector<std::int64_t> thread_ids;
  for (const auto& top : *tops) {
    if (top.reply_count > 0 || viewer_id != 0) thread_ids.push_back(top.id);
  }
  auto replies = store_.ListReplies({thread_ids, options_.replies_per_thread, viewer_id});
  if (!replies) return tl::unexpected(replies.error());
  std::map<std::int64_t, std::vector<store::Comment>> by_thread;
  for (auto& reply : *replies) by_thread[reply.thread_id].push_back(std::move(reply));
  std::vector<std::int64_t> shown_ids;
  for (auto& top : *tops) {
    ThreadView view;
    view.replies = InReadingOrder(top.id, std::move(by_thread[top.id]));
    shown_ids.push_back(top.id);
    for (const auto& reply : view.replies) shown_ids.push_back(reply.id);
    view.top = std::move(top);
    page.threads.push_back(std::move(view));
  }
  if (viewer) {
    auto reacted = store_.ReactedComments(viewer_id, shown_ids);
    if (!reacted) return tl::unexpected(reacted.error());
    page.reacted.insert(reacted->begin(), reacted->end());
    auto ignored = store_.IgnoredUsers(viewer_id);
    if (!ignored) return tl::unexpected(ignored.error());
    page.ignored.insert(ignored->begin(), ignored->end());
  }
  return page;
}

}  // namespace masthead::discussion
