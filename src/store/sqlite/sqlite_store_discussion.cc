// The SQLite engine's comments, reactions, ignores and discussion state.
#include "store/sqlite/statements_discussion.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {

std::string_view StatusName(CommentStatus status) {
  switch (status) {
    case CommentStatus::kPublished: return "published";
    case CommentStatus::kHeld: return "held";
    case CommentStatus::kRejected: return "rejected";
    case CommentStatus::kDeleted: return "deleted";
  }
  return "held";
}

CommentStatus StatusFromName(const std::string& name) {
  if (name == "published") return CommentStatus::kPublished;
  if (name == "rejected") return CommentStatus::kRejected;
  if (name == "deleted") return CommentStatus::kDeleted;
  return CommentStatus::kHeld;
}

Comment ReadComment(const Statement& s) {
  Comment c;
  c.id = s.Int(0);
  c.article_id = s.Int(1);
  c.parent_id = s.OptionalInt(2);
  c.thread_id = s.Int(3);
  c.depth = static_cast<int>(s.Int(4));
  c.author_id = s.Int(5);
  c.author_name = s.Text(6);
  c.kind = s.Text(7);
  c.body_markdown = s.Text(8);
  c.status = StatusFromName(s.Text(9));
  c.created_at = s.Int(10);
  c.edited_at = s.OptionalInt(11);
  c.respect_count = static_cast<int>(s.Int(12));
  c.reply_count = static_cast<int>(s.Int(13));
  c.featured_at = s.OptionalInt(14);
  return c;
}

Result<std::vector<Comment>> ReadComments(Statement& s) {
  std::vector<Comment> comments;
  for (;;) {
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return comments;
    comments.push_back(ReadComment(s));
  }
}

namespace {

Result<Comment> FindCommentOn(Connection& connection, std::int64_t id) {
  auto statement = connection.Prepare(sql::kFindComment);
  if (!statement) return tl::unexpected(statement.error());
  (*statement)->Bind(1, id);
  auto row = (*statement)->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no such comment");
  return ReadComment(**statement);
}

Status Exec(Connection& connection, const char* sql, std::int64_t a, std::int64_t b) {
  auto statement = connection.Prepare(sql);
  if (!statement) return tl::unexpected(statement.error());
  (*statement)->Bind(1, a);
  (*statement)->Bind(2, b);
  return (*statement)->Run();
}

// Keeps the counters right when a comment enters or leaves the published set.
Status AdjustCounters(Connection& connection, const Comment& comment, int delta) {
  if (delta == 0) return Ok();
  if (comment.depth > 0) {
    MASTHEAD_RETURN_IF_ERROR(Exec(connection, sql::kAddReplyCount, comment.thread_id, delta));
  }
  // The count beside "comments" counts comments; questions are listed apart.
  if (comment.kind != "comment") return Ok();
  return Exec(connection, sql::kAddCommentCount, comment.article_id, delta);
}

Discussion ReadDiscussion(const Statement& s) {
  return Discussion{s.Int(0), static_cast<int>(s.Int(1)), s.OptionalInt(2), s.OptionalInt(3)};
}

}  // namespace

Result<Comment> SqliteStore::CreateComment(const CreateCommentRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Comment> {
    auto statement = connection.Prepare(sql::kInsertComment);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.article_id);
    s.Bind(2, request.parent_id);
    s.Bind(3, request.thread_id);
    s.Bind(4, static_cast<std::int64_t>(request.depth));
    s.Bind(5, request.author_id);
    s.Bind(6, request.kind);
    s.Bind(7, request.body_markdown);
    s.Bind(8, StatusName(request.status));
    s.Bind(9, request.now);
    if (request.idempotency_key.empty()) {
      s.BindNull(10);
    } else {
      s.Bind(10, request.idempotency_key);
    }
    s.Bind(11, static_cast<std::int64_t>(request.reply_mail_pending ? 1 : 0));
    if (auto inserted = s.Run(); !inserted) {
      Error error = inserted.error();
      if (error.code == ErrorCode::kAlreadyExists) {
        error.message = "this comment was already posted";
        error.field = "idempotency_key";
      } else if (error.code == ErrorCode::kInvalidArgument) {
        error.code = ErrorCode::kNotFound;  // a foreign key: no such article, parent or author
        error.message = "the article, parent comment or author does not exist";
      }
      return tl::unexpected(error);
    }
    const std::int64_t id = connection.LastInsertId();
    if (request.thread_id == 0) {
      MASTHEAD_RETURN_IF_ERROR(Exec(connection, sql::kSetOwnThread, id, 0));
    }
    auto comment = FindCommentOn(connection, id);
    if (!comment) return comment;
    if (request.status == CommentStatus::kPublished) {
      MASTHEAD_RETURN_IF_ERROR(AdjustCounters(connection, *comment, +1));
    }
    return comment;
  });
}

Result<Comment> SqliteStore::FindComment(std::int64_t id) {
  return WithConnection([&](Connection& connection) { return FindCommentOn(connection, id); });
}

Result<std::vector<Comment>> SqliteStore::ListThreads(const ListThreadsRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Comment>> {
    const char* sql = request.order == ThreadOrder::kOldest   ? sql::kThreadsOldest
                      : request.order == ThreadOrder::kNewest ? sql::kThreadsNewest
                                                              : sql::kThreadsRespected;
    auto statement = connection.Prepare(sql);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.article_id);
    s.Bind(2, static_cast<std::int64_t>(std::clamp(request.limit, 1, 500)));
    constexpr std::int64_t kTop = std::numeric_limits<std::int64_t>::max();
    if (request.order == ThreadOrder::kOldest) {
      s.Bind(4, request.after ? request.after->id : 0);
    } else {
      s.Bind(3, request.after ? request.after->key : kTop);
      s.Bind(4, request.after ? request.after->id : kTop);
    }
    s.Bind(9, request.viewer_id);
    return ReadComments(s);
  });
}

Result<std::vector<Comment>> SqliteStore::ListReplies(const ListRepliesRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Comment>> {
    std::vector<Comment> replies;
    for (std::int64_t thread_id : request.thread_ids) {
      auto statement = connection.Prepare(sql::kRepliesOfThread);
      if (!statement) return tl::unexpected(statement.error());
      Statement& s = **statement;
      s.Bind(1, thread_id);
      s.Bind(2, static_cast<std::int64_t>(std::clamp(request.limit_per_thread, 1, 5000)));
      s.Bind(9, request.viewer_id);
      auto some = ReadComments(s);
      if (!some) return some;
      replies.insert(replies.end(), std::make_move_iterator(some->begin()),
                     std::make_move_iterator(some->end()));
    }
    return replies;
  });
}

Result<std::vector<Comment>> SqliteStore::ListCommentsAfter(std::int64_t article_id,
                                                            std::int64_t after_id, int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Comment>> {
    auto statement = connection.Prepare(sql::kCommentsAfter);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, article_id);
    s.Bind(2, after_id);
    s.Bind(3, static_cast<std::int64_t>(std::clamp(limit, 1, 1000)));
    return ReadComments(s);
  });
}

Result<std::vector<Comment>> SqliteStore::PendingReplyMails(int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Comment>> {
    auto statement = connection.Prepare(sql::kPendingReplyMails);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, static_cast<std::int64_t>(std::clamp(limit, 1, 1000)));
    return ReadComments(**statement);
  });
}

Status SqliteStore::FinishReplyMails(const std::vector<std::int64_t>& reply_ids) {
  if (reply_ids.empty()) return Ok();
  // The ids are the oldest pending ones and no earlier comment can commit
  // later, so moving the cursor past the newest finishes exactly these.
  const std::int64_t newest = *std::max_element(reply_ids.begin(), reply_ids.end());
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kAdvanceReplyMailCursor);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, newest);
    return (*statement)->Run();
  });
}

Result<bool> SqliteStore::ClaimLateReplyMail(std::int64_t reply_id) {
  return WithWrite([&](Connection& connection) -> Result<bool> {
    auto statement = connection.Prepare(sql::kClaimLateReplyMail);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, reply_id);
    MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    return connection.Changes() > 0;
  });
}

Result<Comment> SqliteStore::UpdateComment(const UpdateCommentRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Comment> {
    auto before = FindCommentOn(connection, request.id);
    if (!before) return before;
    if (request.body_markdown) {
      auto statement = connection.Prepare(sql::kUpdateCommentBody);
      if (!statement) return tl::unexpected(statement.error());
      (*statement)->Bind(1, request.id);
      (*statement)->Bind(2, *request.body_markdown);
      (*statement)->Bind(3, request.now);
      MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    }
    if (request.status && *request.status != before->status) {
      auto statement = connection.Prepare(sql::kUpdateCommentStatus);
      if (!statement) return tl::unexpected(statement.error());
      (*statement)->Bind(1, request.id);
      (*statement)->Bind(2, StatusName(*request.status));
      MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
      const bool was = before->status == CommentStatus::kPublished;
      const bool is = *request.status == CommentStatus::kPublished;
      MASTHEAD_RETURN_IF_ERROR(AdjustCounters(connection, *before, (is ? 1 : 0) - (was ? 1 : 0)));
    }
    if (request.featured) {
      auto statement = connection.Prepare(sql::kUpdateCommentFeatured);
      if (!statement) return tl::unexpected(statement.error());
      (*statement)->Bind(1, request.id);
      (*statement)->Bind(2, *request.featured ? std::optional<std::int64_t>(request.now) : std::nullopt);
      MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    }
    return FindCommentOn(connection, request.id);
  });
}

Result<int> SqliteStore::React(const ReactRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<int> {
    auto change = connection.Prepare(request.add ? sql::kInsertReaction : sql::kDeleteReaction);
    if (!change) return tl::unexpected(change.error());
    (*change)->Bind(1, request.comment_id);
    (*change)->Bind(2, request.user_id);
    if (request.add) (*change)->Bind(3, request.now);
    if (auto ran = (*change)->Run(); !ran) {
      Error error = ran.error();
      if (error.code == ErrorCode::kInvalidArgument) {
        return MakeError(ErrorCode::kNotFound, "no such comment");
      }
      return tl::unexpected(error);
    }
    const bool changed = connection.Changes() > 0;
    auto count = connection.Prepare(changed ? sql::kAddRespect : sql::kRespectCount);
    if (!count) return tl::unexpected(count.error());
    (*count)->Bind(1, request.comment_id);
    if (changed) (*count)->Bind(2, static_cast<std::int64_t>(request.add ? 1 : -1));
    auto row = (*count)->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "no such comment");
    const int value = static_cast<int>((*count)->Int(0));
    count->reset();
    return value;
  });
}

Result<std::vector<std::int64_t>> SqliteStore::ReactedComments(
    std::int64_t user_id, const std::vector<std::int64_t>& comment_ids) {
  if (comment_ids.empty() || user_id == 0) return std::vector<std::int64_t>{};
  return WithConnection([&](Connection& connection) -> Result<std::vector<std::int64_t>> {
    auto statement = connection.Prepare(sql::kReactedComments);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, user_id);
    (*statement)->Bind(2, JsonIdList(comment_ids));
    std::vector<std::int64_t> ids;
    for (;;) {
      auto row = (*statement)->Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) return ids;
      ids.push_back((*statement)->Int(0));
    }
  });
}

Status SqliteStore::SetIgnored(std::int64_t user_id, std::int64_t ignored_user_id, bool ignored,
                               UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(ignored ? sql::kInsertIgnore : sql::kDeleteIgnore);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, user_id);
    (*statement)->Bind(2, ignored_user_id);
    if (ignored) (*statement)->Bind(3, now);
    return (*statement)->Run();
  });
}

Result<std::vector<std::int64_t>> SqliteStore::IgnoredUsers(std::int64_t user_id) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<std::int64_t>> {
    auto statement = connection.Prepare(sql::kListIgnored);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, user_id);
    std::vector<std::int64_t> ids;
    for (;;) {
      auto row = (*statement)->Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) return ids;
      ids.push_back((*statement)->Int(0));
    }
  });
}

Result<Discussion> SqliteStore::FindDiscussion(std::int64_t article_id) {
  return WithConnection([&](Connection& connection) -> Result<Discussion> {
    auto statement = connection.Prepare(sql::kFindDiscussion);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, article_id);
    auto row = (*statement)->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return Discussion{article_id, 0, std::nullopt, std::nullopt};
    return ReadDiscussion(**statement);
  });
}

Status SqliteStore::SetDiscussionClosed(std::int64_t article_id, bool closed, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    return Exec(connection, closed ? sql::kCloseDiscussion : sql::kReopenDiscussion, article_id, now);
  });
}

Result<std::vector<Discussion>> SqliteStore::ListDiscussions(
    const std::vector<std::int64_t>& article_ids) {
  if (article_ids.empty()) return std::vector<Discussion>{};
  return WithConnection([&](Connection& connection) -> Result<std::vector<Discussion>> {
    auto statement = connection.Prepare(sql::kListDiscussions);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, JsonIdList(article_ids));
    std::vector<Discussion> discussions;
    for (;;) {
      auto row = (*statement)->Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) return discussions;
      discussions.push_back(ReadDiscussion(**statement));
    }
  });
}

}  // namespace masthead::store::sqlite
