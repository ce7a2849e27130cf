// The SQLite engine's reports, moderation audit log, sanctions, moderator notes
// and appeals.
#include "store/sqlite/statements_moderation.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {
namespace {

ModerationAction ReadAction(const Statement& s) {
  ModerationAction a;
  a.id = s.Int(0);
  a.actor_id = s.Int(1);
  a.actor_name = s.Text(2);
  a.action = s.Text(3);
  a.comment_id = s.OptionalInt(4);
  a.subject_user_id = s.OptionalInt(5);
  a.subject_name = s.Text(6);
  a.reason_code = s.Text(7);
  a.detail = s.Text(8);
  a.created_at = s.Int(9);
  return a;
}

Sanction ReadSanction(const Statement& s) {
  return Sanction{s.Int(0), s.Int(1), s.Text(2), s.Int(3), s.Text(4), s.Int(5), s.OptionalInt(6),
                  s.OptionalInt(7)};
}

ModeratorNote ReadNote(const Statement& s) {
  return ModeratorNote{s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Int(5)};
}

Appeal ReadAppeal(const Statement& s) {
  return Appeal{s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Int(5), s.Text(6), s.Int(7),
                s.OptionalInt(8)};
}

Result<int> CountOf(Statement& s) {
  auto row = s.Step();
  if (!row) return tl::unexpected(row.error());
  return *row ? static_cast<int>(s.Int(0)) : 0;
}

// A foreign-key failure on insert means the referenced row does not exist.
Error AsNotFound(Error error, const char* message) {
  if (error.code == ErrorCode::kInvalidArgument) {
    error.code = ErrorCode::kNotFound;
    error.message = message;
  }
  return error;
}

}  // namespace

Result<int> SqliteStore::ReportComment(const ReportCommentRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<int> {
    auto statement = connection.Prepare(sql::kInsertReport);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.comment_id);
    s.Bind(2, request.reporter_id);
    s.Bind(3, request.reason);
    s.Bind(4, request.detail);
    s.Bind(5, request.now);
    if (auto inserted = s.Run(); !inserted) {
      Error error = inserted.error();
      if (error.code == ErrorCode::kAlreadyExists) {
        error.message = "you already reported this comment";
        error.field = "report";
        return tl::unexpected(error);
      }
      return tl::unexpected(AsNotFound(error, "the comment or reader does not exist"));
    }
    auto count = connection.Prepare(sql::kCountOpenReports);
    if (!count) return tl::unexpected(count.error());
    (*count)->Bind(1, request.comment_id);
    return CountOf(**count);
  });
}

Status SqliteStore::ResolveReports(std::int64_t comment_id, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kResolveReports);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, comment_id);
    (*statement)->Bind(2, now);
    return (*statement)->Run();
  });
}

Result<std::vector<ReportedComment>> SqliteStore::ListReportedComments(int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<ReportedComment>> {
    auto statement = connection.Prepare(sql::kReportedComments);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, static_cast<std::int64_t>(limit));
    return ReadAll<ReportedComment>(**statement, [](const Statement& s) {
      return ReportedComment{ReadComment(s), static_cast<int>(s.Int(15)), s.Text(16), s.Text(17), s.Int(18)};
    });
  });
}

Result<std::vector<Comment>> SqliteStore::ListCommentsWithStatus(CommentStatus status, int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Comment>> {
    auto statement = connection.Prepare(sql::kCommentsWithStatus);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, StatusName(status));
    (*statement)->Bind(2, static_cast<std::int64_t>(limit));
    return ReadComments(**statement);
  });
}

Result<int> SqliteStore::CountPublishedCommentsBy(std::int64_t author_id) {
  return WithConnection([&](Connection& connection) -> Result<int> {
    auto statement = connection.Prepare(sql::kCountPublishedCommentsBy);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, author_id);
    return CountOf(**statement);
  });
}

Result<ModerationAction> SqliteStore::RecordModerationAction(const RecordModerationActionRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<ModerationAction> {
    auto statement = connection.Prepare(sql::kInsertAction);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.actor_id);
    s.Bind(2, request.action);
    s.Bind(3, request.comment_id);
    s.Bind(4, request.subject_user_id);
    s.Bind(5, request.reason_code);
    s.Bind(6, request.detail);
    s.Bind(7, request.now);
    if (auto inserted = s.Run(); !inserted) {
      return tl::unexpected(AsNotFound(inserted.error(), "the moderator, comment or reader does not exist"));
    }
    return ReadOne<ModerationAction>(connection, sql::kFindAction, connection.LastInsertId(), ReadAction,
                                     "moderation action");
  });
}

Result<ModerationAction> SqliteStore::FindModerationAction(std::int64_t id) {
  return WithConnection([&](Connection& connection) {
    return ReadOne<ModerationAction>(connection, sql::kFindAction, id, ReadAction, "moderation action");
  });
}

Result<std::vector<ModerationAction>> SqliteStore::ListModerationActions(
    const ListModerationActionsRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<ModerationAction>> {
    auto statement = connection.Prepare(sql::kListActions);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.comment_id);
    s.Bind(2, request.subject_user_id);
    s.Bind(3, request.before_id);
    s.Bind(4, static_cast<std::int64_t>(request.decisions_only ? 1 : 0));
    s.Bind(5, static_cast<std::int64_t>(request.limit));
    return ReadAll<ModerationAction>(s, ReadAction);
  });
}

Result<int> SqliteStore::CountModerationActions(std::int64_t subject_user_id, const std::string& action,
                                                UnixSeconds since) {
  return WithConnection([&](Connection& connection) -> Result<int> {
    auto statement = connection.Prepare(sql::kCountActions);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, subject_user_id);
    (*statement)->Bind(2, action);
    (*statement)->Bind(3, since);
    return CountOf(**statement);
  });
}

Result<std::vector<DecisionCount>> SqliteStore::DecisionsPerMonth(UnixSeconds since) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<DecisionCount>> {
    auto statement = connection.Prepare(sql::kDecisionsPerMonth);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, since);
    return ReadAll<DecisionCount>(**statement, [](const Statement& s) {
      return DecisionCount{s.Text(0), s.Text(1), s.Text(2), static_cast<int>(s.Int(3))};
    });
  });
}

Result<Sanction> SqliteStore::AddSanction(const AddSanctionRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Sanction> {
    auto statement = connection.Prepare(sql::kInsertSanction);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.user_id);
    s.Bind(2, request.kind);
    s.Bind(3, request.action_id);
    s.Bind(4, request.reason_code);
    s.Bind(5, request.now);
    s.Bind(6, request.ends_at);
    if (auto inserted = s.Run(); !inserted) {
      return tl::unexpected(AsNotFound(inserted.error(), "the reader or moderation action does not exist"));
    }
    return ReadOne<Sanction>(connection, sql::kFindSanction, connection.LastInsertId(), ReadSanction, "sanction");
  });
}

Result<std::vector<Sanction>> SqliteStore::ListSanctions(std::int64_t user_id) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Sanction>> {
    auto statement = connection.Prepare(sql::kListSanctions);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, user_id);
    return ReadAll<Sanction>(**statement, ReadSanction);
  });
}

Status SqliteStore::LiftSanction(std::int64_t sanction_id, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto found = ReadOne<Sanction>(connection, sql::kFindSanction, sanction_id, ReadSanction, "sanction");
    if (!found) return tl::unexpected(found.error());
    auto statement = connection.Prepare(sql::kLiftSanction);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, sanction_id);
    (*statement)->Bind(2, now);
    return (*statement)->Run();
  });
}

Result<ModeratorNote> SqliteStore::AddModeratorNote(std::int64_t user_id, std::int64_t author_id,
                                                    const std::string& body, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Result<ModeratorNote> {
    auto statement = connection.Prepare(sql::kInsertNote);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, user_id);
    s.Bind(2, author_id);
    s.Bind(3, body);
    s.Bind(4, now);
    if (auto inserted = s.Run(); !inserted) {
      return tl::unexpected(AsNotFound(inserted.error(), "the reader or moderator does not exist"));
    }
    return ReadOne<ModeratorNote>(connection, sql::kFindNote, connection.LastInsertId(), ReadNote, "note");
  });
}

Result<std::vector<ModeratorNote>> SqliteStore::ListModeratorNotes(std::int64_t user_id) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<ModeratorNote>> {
    auto statement = connection.Prepare(sql::kListNotes);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, user_id);
    return ReadAll<ModeratorNote>(**statement, ReadNote);
  });
}

Result<Appeal> SqliteStore::CreateAppeal(const CreateAppealRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Appeal> {
    auto statement = connection.Prepare(sql::kInsertAppeal);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.action_id);
    s.Bind(2, request.appellant_id);
    s.Bind(3, request.body);
    s.Bind(4, request.now);
    if (auto inserted = s.Run(); !inserted) {
      Error error = inserted.error();
      if (error.code == ErrorCode::kAlreadyExists) {
        error.message = "this decision was already appealed: each decision can be appealed once";
        error.field = "appeal";
        return tl::unexpected(error);
      }
      return tl::unexpected(AsNotFound(error, "the decision or reader does not exist"));
    }
    return ReadOne<Appeal>(connection, sql::kFindAppeal, connection.LastInsertId(), ReadAppeal, "appeal");
  });
}

Result<Appeal> SqliteStore::FindAppeal(std::int64_t id) {
  return WithConnection([&](Connection& connection) {
    return ReadOne<Appeal>(connection, sql::kFindAppeal, id, ReadAppeal, "appeal");
  });
}

Result<std::vector<Appeal>> SqliteStore::AppealsOfActions(const std::vector<std::int64_t>& action_ids) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Appeal>> {
    auto statement = connection.Prepare(sql::kAppealsOfActions);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, JsonIdList(action_ids));
    return ReadAll<Appeal>(**statement, ReadAppeal);
  });
}

Result<std::vector<Appeal>> SqliteStore::ListOpenAppeals(int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Appeal>> {
    auto statement = connection.Prepare(sql::kOpenAppeals);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, static_cast<std::int64_t>(limit));
    return ReadAll<Appeal>(**statement, ReadAppeal);
  });
}

Result<Appeal> SqliteStore::DecideAppeal(const DecideAppealRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Appeal> {
    auto found = ReadOne<Appeal>(connection, sql::kFindAppeal, request.id, ReadAppeal, "appeal");
    if (!found) return found;
    if (found->status != "open") return MakeError(ErrorCode::kConflict, "this appeal was already decided");
    auto statement = connection.Prepare(sql::kDecideAppeal);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.id);
    s.Bind(2, request.status);
    s.Bind(3, request.decided_by);
    s.Bind(4, request.note);
    s.Bind(5, request.now);
    MASTHEAD_RETURN_IF_ERROR(s.Run());
    return ReadOne<Appeal>(connection, sql::kFindAppeal, request.id, ReadAppeal, "appeal");
  });
}

}  // namespace masthead::store::sqlite
