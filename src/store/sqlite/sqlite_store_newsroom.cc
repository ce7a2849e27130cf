// The SQLite engine's newsroom: inbox claims, dashboard figures, user search
// and history, account deletion.
#include "store/sqlite/statements_newsroom.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {
namespace {

Result<std::vector<KeyCount>> ReadCounts(Connection& connection, const char* sql, std::int64_t since) {
  auto statement = connection.Prepare(sql);
  if (!statement) return tl::unexpected(statement.error());
  (*statement)->Bind(1, since);
  return ReadAll<KeyCount>(**statement, [](const Statement& s) { return KeyCount{s.Text(0), s.Int(1)}; });
}

AccountDeletion ReadDeletion(const Statement& s) {
  return {s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.OptionalInt(4)};
}

// A LIKE pattern matching `query` anywhere, its wildcards taken literally.
std::string ContainsPattern(const std::string& query) {
  std::string pattern = "%";
  for (char c : query) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return pattern + "%";
}

}  // namespace

Result<InboxClaim> SqliteStore::ClaimInboxItem(const ClaimInboxItemRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<InboxClaim> {
    auto statement = connection.Prepare(sql::kClaimInboxItem);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.queue);
    s.Bind(2, request.item_id);
    s.Bind(3, request.user_id);
    s.Bind(4, request.now);
    s.Bind(5, request.expires_at);
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kConflict, "someone else is working on this item", "claim");
    InboxClaim claim{s.Text(0), s.Int(1), s.Int(2), "", s.Int(3), s.Int(4)};
    auto done = s.Step();
    if (!done) return tl::unexpected(done.error());
    auto name = connection.Prepare(sql::kFindUserName);
    if (!name) return tl::unexpected(name.error());
    (*name)->Bind(1, claim.user_id);
    auto found = (*name)->Step();
    if (!found) return tl::unexpected(found.error());
    if (*found) claim.user_name = (*name)->Text(0);
    return claim;
  });
}

Status SqliteStore::ReleaseInboxClaim(const std::string& queue, std::int64_t item_id, std::int64_t user_id) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kReleaseInboxClaim);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, queue);
    (*statement)->Bind(2, item_id);
    (*statement)->Bind(3, user_id);
    MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    if (connection.Changes() == 0) return MakeError(ErrorCode::kNotFound, "you hold no claim on this item");
    return Ok();
  });
}

Result<std::vector<InboxClaim>> SqliteStore::ListInboxClaims(UnixSeconds now) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<InboxClaim>> {
    auto statement = connection.Prepare(sql::kListInboxClaims);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, now);
    return ReadAll<InboxClaim>(**statement, [](const Statement& s) {
      return InboxClaim{s.Text(0), s.Int(1), s.Int(2), s.Text(3), s.Int(4), s.Int(5)};
    });
  });
}

Result<NewsroomFigures> SqliteStore::CountNewsroomFigures(const NewsroomFiguresRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<NewsroomFigures> {
    NewsroomFigures figures;
    auto per_hour = ReadCounts(connection, sql::kCommentsPerHour, request.hours_since);
    if (!per_hour) return tl::unexpected(per_hour.error());
    figures.comments_per_hour = std::move(*per_hour);
    auto by_status = ReadCounts(connection, sql::kCommentsByStatus, request.since);
    if (!by_status) return tl::unexpected(by_status.error());
    figures.comments_by_status = std::move(*by_status);
    auto rejections = ReadCounts(connection, sql::kRejectionsByReason, request.since);
    if (!rejections) return tl::unexpected(rejections.error());
    figures.rejections_by_reason = std::move(*rejections);
    auto reports = ReadCounts(connection, sql::kReportsByReason, request.since);
    if (!reports) return tl::unexpected(reports.error());
    figures.reports_by_reason = std::move(*reports);
    auto cases = ReadCounts(connection, sql::kAccuracyCasesByState, 0);
    if (!cases) return tl::unexpected(cases.error());
    figures.accuracy_cases_by_state = std::move(*cases);
    auto statement = connection.Prepare(sql::kSecondsToFirstDecision);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, request.since);
    auto waits = ReadAll<std::int64_t>(**statement, [](const Statement& s) { return s.Int(0); });
    if (!waits) return tl::unexpected(waits.error());
    figures.seconds_to_first_decision = std::move(*waits);
    return figures;
  });
}

Result<std::vector<User>> SqliteStore::SearchUsers(const SearchUsersRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<User>> {
    auto statement = connection.Prepare(sql::kSearchUsers);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, ContainsPattern(request.query));
    (*statement)->Bind(2, request.role);
    (*statement)->Bind(3, static_cast<std::int64_t>(std::clamp(request.limit, 1, 500)));
    return ReadAll<User>(**statement, ReadUser);
  });
}

Result<std::vector<Comment>> SqliteStore::ListCommentsByAuthor(std::int64_t author_id, int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Comment>> {
    auto statement = connection.Prepare(sql::kCommentsByAuthor);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, author_id);
    (*statement)->Bind(2, static_cast<std::int64_t>(std::clamp(limit, 1, 100000)));
    return ReadComments(**statement);
  });
}

Result<std::vector<FiledReport>> SqliteStore::ListReportsBy(std::int64_t reporter_id, int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<FiledReport>> {
    auto statement = connection.Prepare(sql::kReportsBy);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, reporter_id);
    (*statement)->Bind(2, static_cast<std::int64_t>(std::clamp(limit, 1, 100000)));
    return ReadAll<FiledReport>(**statement, [](const Statement& s) {
      return FiledReport{s.Int(0), s.Text(1), s.Text(2), s.Int(3), s.OptionalInt(4)};
    });
  });
}

Result<AccountDeletion> SqliteStore::ScheduleAccountDeletion(const ScheduleAccountDeletionRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<AccountDeletion> {
    auto statement = connection.Prepare(sql::kScheduleAccountDeletion);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.user_id);
    s.Bind(2, request.requested_by);
    s.Bind(3, request.now);
    s.Bind(4, request.final_at);
    auto row = s.Step();
    if (!row) {
      // The foreign key: no such user.
      if (row.error().code == ErrorCode::kInvalidArgument || row.error().code == ErrorCode::kConflict) {
        return MakeError(ErrorCode::kNotFound, "no such user");
      }
      return tl::unexpected(row.error());
    }
    if (!*row) return MakeError(ErrorCode::kAlreadyExists, "the deletion of this account was requested already", "deletion");
    AccountDeletion deletion = ReadDeletion(s);
    auto done = s.Step();
    if (!done) return tl::unexpected(done.error());
    return deletion;
  });
}

Result<AccountDeletion> SqliteStore::FindAccountDeletion(std::int64_t user_id) {
  return WithConnection([&](Connection& connection) -> Result<AccountDeletion> {
    return ReadOne<AccountDeletion>(connection, sql::kFindAccountDeletion, user_id, ReadDeletion,
                                    "account deletion");
  });
}

Status SqliteStore::CancelAccountDeletion(std::int64_t user_id) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kCancelAccountDeletion);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, user_id);
    MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    if (connection.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no deletion of this account is pending");
    return Ok();
  });
}

Result<std::vector<AccountDeletion>> SqliteStore::ListDueAccountDeletions(UnixSeconds now, int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<AccountDeletion>> {
    auto statement = connection.Prepare(sql::kListDueAccountDeletions);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, now);
    (*statement)->Bind(2, static_cast<std::int64_t>(std::clamp(limit, 1, 10000)));
    return ReadAll<AccountDeletion>(**statement, ReadDeletion);
  });
}

Status SqliteStore::AnonymiseUser(const AnonymiseUserRequest& request) {
  return WithWrite([&](Connection& connection) -> Status {
    auto update = connection.Prepare(sql::kAnonymiseUser);
    if (!update) return tl::unexpected(update.error());
    (*update)->Bind(1, request.user_id);
    (*update)->Bind(2, request.display_name);
    (*update)->Bind(3, request.email);
    (*update)->Bind(4, request.now);
    MASTHEAD_RETURN_IF_ERROR((*update)->Run());
    if (connection.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no such user");
    for (const char* sql : sql::kRemoveUserData) {
      auto statement = connection.Prepare(sql);
      if (!statement) return tl::unexpected(statement.error());
      (*statement)->Bind(1, request.user_id);
      MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    }
    auto complete = connection.Prepare(sql::kCompleteAccountDeletion);
    if (!complete) return tl::unexpected(complete.error());
    (*complete)->Bind(1, request.user_id);
    (*complete)->Bind(2, request.now);
    return (*complete)->Run();
  });
}

}  // namespace masthead::store::sqlite
