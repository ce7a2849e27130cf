// The SQLite engine's reader questions: votes, watchers, answers, merges,
// follow-up links, experts and the "Open questions" box.
#include <algorithm>

#include "store/sqlite/statements_questions.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {
namespace {

Question ReadQuestion(const Statement& s) {
  Question q;
  q.id = s.Int(0);
  q.article_id = s.Int(1);
  q.article_slug = s.Text(2);
  q.article_headline = s.Text(3);
  q.asker_id = s.Int(4);
  q.asker_name = s.Text(5);
  q.body_markdown = s.Text(6);
  q.status = StatusFromName(s.Text(7));
  q.state = s.Text(8);
  q.vote_count = static_cast<int>(s.Int(9));
  q.answer_markdown = s.Text(10);
  q.answered_by = s.OptionalInt(11);
  q.answered_by_name = s.Text(12);
  q.answered_at = s.OptionalInt(13);
  q.decline_reason = s.Text(14);
  q.merged_into = s.OptionalInt(15);
  q.followup_article_id = s.OptionalInt(16);
  q.followup_slug = s.Text(17);
  q.followup_headline = s.Text(18);
  q.followup_notified_at = s.OptionalInt(19);
  q.created_at = s.Int(20);
  q.updated_at = s.Int(21);
  return q;
}

ArticleLink ReadArticleLink(const Statement& s) { return ArticleLink{s.Int(0), s.Text(1), s.Text(2)}; }

Result<Question> FindQuestionOn(Connection& connection, std::int64_t id) {
  return ReadOne<Question>(connection, sql::kFindQuestion, id, ReadQuestion, "question");
}

// Runs a statement bound to (a, b, c) and returns how many rows it changed.
Result<int> RunChanging(Connection& connection, const char* sql, std::int64_t a, std::int64_t b,
                        std::int64_t c) {
  auto statement = connection.Prepare(sql);
  if (!statement) return tl::unexpected(statement.error());
  (*statement)->Bind(1, a);
  (*statement)->Bind(2, b);
  (*statement)->Bind(3, c);
  MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
  return connection.Changes();
}

Result<int> RecountVotes(Connection& connection, std::int64_t question_id, UnixSeconds now) {
  auto statement = connection.Prepare(sql::kRecountQuestionVotes);
  if (!statement) return tl::unexpected(statement.error());
  Statement& s = **statement;
  s.Bind(1, question_id);
  s.Bind(2, now);
  auto row = s.Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no such question");
  const int count = static_cast<int>(s.Int(0));
  auto done = s.Step();
  if (!done) return tl::unexpected(done.error());
  return count;
}

// The state check and the change happen under the engine's write transaction,
// so two editors acting at once cannot both move the same question.
template <typename Change>
Result<Question> MoveQuestion(Connection& connection, std::int64_t id,
                              const std::vector<std::string>& expected_states, Change change) {
  auto current = FindQuestionOn(connection, id);
  if (!current) return current;
  if (std::find(expected_states.begin(), expected_states.end(), current->state) == expected_states.end()) {
    return MakeError(ErrorCode::kConflict, "the question is " + current->state + " already", "state");
  }
  MASTHEAD_RETURN_IF_ERROR(change(connection));
  return FindQuestionOn(connection, id);
}

}  // namespace

Result<Question> SqliteStore::CreateQuestion(const CreateQuestionRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Question> {
    auto inserted = RunChanging(connection, sql::kInsertQuestion, request.comment_id, request.article_id, request.now);
    if (!inserted) {
      Error error = inserted.error();
      if (error.code == ErrorCode::kAlreadyExists) {
        error.message = "this comment is a question already";
      } else if (error.code == ErrorCode::kInvalidArgument) {
        error = {ErrorCode::kNotFound, "the comment or article does not exist", ""};
      }
      return tl::unexpected(error);
    }
    auto watched = RunChanging(connection, sql::kInsertQuestionWatcher, request.comment_id, request.asker_id,
                               request.now);
    if (!watched) return tl::unexpected(watched.error());
    return FindQuestionOn(connection, request.comment_id);
  });
}

Result<Question> SqliteStore::FindQuestion(std::int64_t id) {
  return WithConnection([&](Connection& connection) { return FindQuestionOn(connection, id); });
}

Result<std::vector<Question>> SqliteStore::ListQuestions(const ListQuestionsRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Question>> {
    const char* sql = request.order == QuestionOrder::kVotes    ? sql::kListQuestionsByVotes
                      : request.order == QuestionOrder::kOldest ? sql::kListQuestionsOldest
                                                                : sql::kListQuestionsNewest;
    auto statement = connection.Prepare(sql);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.article_id.value_or(0));
    s.Bind(2, request.viewer_id);
    s.Bind(3, request.tab == QuestionTab::kUnanswered ? "unanswered"
              : request.tab == QuestionTab::kAnswered ? "answered"
                                                      : "all");
    s.Bind(4, static_cast<std::int64_t>(std::clamp(request.limit, 1, 1000)));
    return ReadAll<Question>(s, ReadQuestion);
  });
}

Result<int> SqliteStore::VoteQuestion(const VoteQuestionRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<int> {
    if (request.add) {
      auto voted = RunChanging(connection, sql::kInsertQuestionVote, request.question_id, request.user_id, request.now);
      if (!voted) {
        if (voted.error().code == ErrorCode::kInvalidArgument) {
          return MakeError(ErrorCode::kNotFound, "no such question or reader");
        }
        return tl::unexpected(voted.error());
      }
      auto watched =
          RunChanging(connection, sql::kInsertQuestionWatcher, request.question_id, request.user_id, request.now);
      if (!watched) return tl::unexpected(watched.error());
    } else {
      auto removed = RunChanging(connection, sql::kDeleteQuestionVote, request.question_id, request.user_id, 0);
      if (!removed) return tl::unexpected(removed.error());
      auto unwatched =
          RunChanging(connection, sql::kDeleteQuestionWatcher, request.question_id, request.user_id, 0);
      if (!unwatched) return tl::unexpected(unwatched.error());
    }
    return RecountVotes(connection, request.question_id, request.now);
  });
}

Result<std::vector<std::int64_t>> SqliteStore::VotedQuestions(std::int64_t user_id,
                                                             const std::vector<std::int64_t>& question_ids) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> voted;
    for (std::int64_t id : question_ids) {
      auto statement = connection.Prepare(sql::kVotedQuestions);
      if (!statement) return tl::unexpected(statement.error());
      (*statement)->Bind(1, user_id);
      (*statement)->Bind(2, id);
      auto row = (*statement)->Step();
      if (!row) return tl::unexpected(row.error());
      if (*row) voted.push_back(id);
      auto done = (*statement)->Run();
      if (!done) return tl::unexpected(done.error());
    }
    return voted;
  });
}

Result<Question> SqliteStore::AnswerQuestion(const AnswerQuestionRequest& request) {
  return WithWrite([&](Connection& connection) {
    return MoveQuestion(connection, request.id, request.expected_states, [&](Connection& c) -> Status {
      auto statement = c.Prepare(sql::kAnswerQuestion);
      if (!statement) return tl::unexpected(statement.error());
      (*statement)->Bind(1, request.id);
      (*statement)->Bind(2, request.answer_markdown);
      (*statement)->Bind(3, request.answered_by);
      (*statement)->Bind(4, request.now);
      return (*statement)->Run();
    });
  });
}

Result<Question> SqliteStore::DeclineQuestion(const DeclineQuestionRequest& request) {
  return WithWrite([&](Connection& connection) {
    return MoveQuestion(connection, request.id, request.expected_states, [&](Connection& c) -> Status {
      auto statement = c.Prepare(sql::kDeclineQuestion);
      if (!statement) return tl::unexpected(statement.error());
      (*statement)->Bind(1, request.id);
      (*statement)->Bind(2, request.reason);
      (*statement)->Bind(3, request.now);
      return (*statement)->Run();
    });
  });
}

Result<Question> SqliteStore::LinkFollowUp(const LinkFollowUpRequest& request) {
  return WithWrite([&](Connection& connection) {
    return MoveQuestion(connection, request.id, request.expected_states, [&](Connection& c) -> Status {
      auto linked = RunChanging(c, sql::kLinkFollowUp, request.id, request.followup_article_id, request.now);
      if (!linked && linked.error().code == ErrorCode::kInvalidArgument) {
        return MakeError(ErrorCode::kNotFound, "no such follow-up article", "article");
      }
      return linked.map([](int) {});
    });
  });
}

Result<Question> SqliteStore::MergeQuestion(const MergeQuestionRequest& request) {
  if (request.id == request.into_id) {
    return MakeError(ErrorCode::kInvalidArgument, "a question cannot be merged into itself", "into");
  }
  return WithWrite([&](Connection& connection) -> Result<Question> {
    auto into = FindQuestionOn(connection, request.into_id);
    if (!into) return into;
    if (into->state == "merged" || into->state == "declined") {
      return MakeError(ErrorCode::kConflict, "the question to merge into is " + into->state, "into");
    }
    return MoveQuestion(connection, request.id, {"open"}, [&](Connection& c) -> Status {
      auto duplicate = FindQuestionOn(c, request.id);
      if (!duplicate) return tl::unexpected(duplicate.error());
      if (duplicate->article_id != into->article_id) {
        return MakeError(ErrorCode::kInvalidArgument, "only questions on the same article can be merged", "into");
      }
      for (const char* sql : {sql::kMergeQuestionVotes, sql::kMergeQuestionWatchers}) {
        auto carried = RunChanging(c, sql, request.id, request.into_id, into->asker_id);
        if (!carried) return tl::unexpected(carried.error());
      }
      // Asking the same question counts as a vote for it.
      if (duplicate->asker_id != into->asker_id) {
        auto voted = RunChanging(c, sql::kInsertQuestionVote, request.into_id, duplicate->asker_id, request.now);
        if (!voted) return tl::unexpected(voted.error());
      }
      auto recounted = RecountVotes(c, request.into_id, request.now);
      if (!recounted) return tl::unexpected(recounted.error());
      return RunChanging(c, sql::kMarkQuestionMerged, request.id, request.into_id, request.now).map([](int) {});
    });
  });
}

Result<std::vector<std::int64_t>> SqliteStore::QuestionWatchers(std::int64_t question_id) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<std::int64_t>> {
    auto statement = connection.Prepare(sql::kQuestionWatchers);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, question_id);
    return ReadAll<std::int64_t>(**statement, [](const Statement& s) { return s.Int(0); });
  });
}

Result<std::vector<Question>> SqliteStore::ListDueFollowUps(UnixSeconds now, int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Question>> {
    auto statement = connection.Prepare(sql::kDueFollowUps);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, now);
    (*statement)->Bind(2, static_cast<std::int64_t>(std::clamp(limit, 1, 1000)));
    return ReadAll<Question>(**statement, ReadQuestion);
  });
}

Result<bool> SqliteStore::MarkFollowUpNotified(std::int64_t question_id, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Result<bool> {
    auto statement = connection.Prepare(sql::kMarkFollowUpNotified);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, question_id);
    (*statement)->Bind(2, now);
    MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    return connection.Changes() == 1;
  });
}

namespace {

Result<std::vector<ArticleLink>> ReadLinks(Connection& connection, const char* sql, std::int64_t article_id,
                                           UnixSeconds now) {
  auto statement = connection.Prepare(sql);
  if (!statement) return tl::unexpected(statement.error());
  (*statement)->Bind(1, article_id);
  (*statement)->Bind(2, now);
  return ReadAll<ArticleLink>(**statement, ReadArticleLink);
}

}  // namespace

Result<std::vector<ArticleLink>> SqliteStore::FollowUpsOf(std::int64_t article_id, UnixSeconds now) {
  return WithConnection([&](Connection& connection) { return ReadLinks(connection, sql::kFollowUpsOf, article_id, now); });
}

Result<std::vector<ArticleLink>> SqliteStore::FollowedUpBy(std::int64_t followup_article_id, UnixSeconds now) {
  return WithConnection(
      [&](Connection& connection) { return ReadLinks(connection, sql::kFollowedUpBy, followup_article_id, now); });
}

Status SqliteStore::SetQuestionExpert(std::int64_t article_id, std::int64_t user_id, bool assigned, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto changed = RunChanging(connection, assigned ? sql::kInsertQuestionExpert : sql::kDeleteQuestionExpert,
                               article_id, user_id, now);
    if (!changed && changed.error().code == ErrorCode::kInvalidArgument) {
      return MakeError(ErrorCode::kNotFound, "no such article or user");
    }
    return changed.map([](int) {});
  });
}

Result<bool> SqliteStore::IsQuestionExpert(std::int64_t article_id, std::int64_t user_id) {
  return WithConnection([&](Connection& connection) -> Result<bool> {
    auto statement = connection.Prepare(sql::kIsQuestionExpert);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, article_id);
    (*statement)->Bind(2, user_id);
    auto row = (*statement)->Step();
    if (!row) return tl::unexpected(row.error());
    const bool found = *row;
    MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    return found;
  });
}

namespace {

OpenQuestion ReadOpenQuestion(const Statement& s) {
  return OpenQuestion{s.Int(0), s.Int(1), s.Text(2), s.Int(3)};
}

}  // namespace

Result<std::vector<OpenQuestion>> SqliteStore::ListOpenQuestions(std::int64_t article_id) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<OpenQuestion>> {
    auto statement = connection.Prepare(sql::kListOpenQuestions);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, article_id);
    return ReadAll<OpenQuestion>(**statement, ReadOpenQuestion);
  });
}

Result<OpenQuestion> SqliteStore::AddOpenQuestion(std::int64_t article_id, const std::string& body,
                                                  std::int64_t created_by, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Result<OpenQuestion> {
    auto statement = connection.Prepare(sql::kInsertOpenQuestion);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, article_id);
    s.Bind(2, body);
    s.Bind(3, created_by > 0 ? std::optional<std::int64_t>(created_by) : std::nullopt);
    s.Bind(4, now);
    auto row = s.Step();
    if (!row) {
      if (row.error().code == ErrorCode::kInvalidArgument) return MakeError(ErrorCode::kNotFound, "no such article");
      return tl::unexpected(row.error());
    }
    if (!*row) return MakeError(ErrorCode::kInternal, "the open question was not stored");
    OpenQuestion added = ReadOpenQuestion(s);
    MASTHEAD_RETURN_IF_ERROR(s.Run());
    return added;
  });
}

Status SqliteStore::RemoveOpenQuestion(std::int64_t article_id, std::int64_t id) {
  return WithWrite([&](Connection& connection) -> Status {
    auto removed = RunChanging(connection, sql::kDeleteOpenQuestion, article_id, id, 0);
    if (!removed) return tl::unexpected(removed.error());
    if (*removed == 0) return MakeError(ErrorCode::kNotFound, "no such open question on this article");
    return Ok();
  });
}

}  // namespace masthead::store::sqlite
