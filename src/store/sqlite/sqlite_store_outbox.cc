// The SQLite engine's mail outbox.
#include "store/sqlite/statements_outbox.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {
namespace {

OutboxMessage ReadMail(const Statement& s) {
  OutboxMessage m;
  m.id = s.Int(0);
  m.message_id = s.Text(1);
  m.recipient = s.Text(2);
  m.kind = s.Text(3);
  m.encoded = s.Text(4);
  m.status = s.Text(5);
  m.attempts = static_cast<int>(s.Int(6));
  m.created_at = s.Int(7);
  m.next_attempt_at = s.Int(8);
  m.lease_until = s.OptionalInt(9);
  m.finished_at = s.OptionalInt(10);
  m.last_code = static_cast<int>(s.Int(11));
  m.last_reply = s.Text(12);
  return m;
}

Result<std::vector<OutboxMessage>> ReadAll(Statement& s) {
  std::vector<OutboxMessage> messages;
  for (;;) {
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return messages;
    messages.push_back(ReadMail(s));
  }
}

std::string_view OutcomeName(MailOutcome outcome) {
  switch (outcome) {
    case MailOutcome::kDelivered: return "delivered";
    case MailOutcome::kTemporaryFailure: return "temporary";
    case MailOutcome::kPermanentFailure: return "permanent";
    case MailOutcome::kReleased: return "released";
  }
  return "released";
}

}  // namespace

Result<std::int64_t> SqliteStore::EnqueueMail(const EnqueueMailRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<std::int64_t> {
    auto statement = connection.Prepare(sql::kInsertMail);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.message_id);
    s.Bind(2, request.recipient);
    s.Bind(3, request.kind);
    s.Bind(4, request.encoded);
    s.Bind(5, request.now);
    MASTHEAD_RETURN_IF_ERROR(s.Run());
    return connection.LastInsertId();
  });
}

Result<std::vector<OutboxMessage>> SqliteStore::ClaimDueMail(const ClaimMailRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<std::vector<OutboxMessage>> {
    auto statement = connection.Prepare(sql::kClaimMail);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.now);
    s.Bind(2, static_cast<std::int64_t>(std::clamp(request.limit, 1, 1000)));
    s.Bind(3, static_cast<std::int64_t>(request.lease_seconds));
    auto claimed = ReadAll(s);
    if (claimed) {
      std::sort(claimed->begin(), claimed->end(), [](const auto& a, const auto& b) {
        return std::pair(a.next_attempt_at, a.id) < std::pair(b.next_attempt_at, b.id);
      });
    }
    return claimed;
  });
}

Result<bool> SqliteStore::RenewMailLease(const RenewMailLeaseRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<bool> {
    auto statement = connection.Prepare(sql::kRenewMailLease);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, request.id);
    (*statement)->Bind(2, request.held_until);
    (*statement)->Bind(3, request.new_until);
    MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    return connection.Changes() > 0;
  });
}

Status SqliteStore::RecordMailAttempt(const MailAttemptRequest& request) {
  return WithWrite([&](Connection& connection) -> Status {
    if (request.outcome == MailOutcome::kReleased) {
      auto release = connection.Prepare(sql::kMailRelease);
      if (!release) return tl::unexpected(release.error());
      (*release)->Bind(1, request.id);
      MASTHEAD_RETURN_IF_ERROR((*release)->Run());
      if (connection.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no such mail");
      return Ok();
    }
    auto attempts = connection.Prepare(sql::kMailAttempts);
    if (!attempts) return tl::unexpected(attempts.error());
    (*attempts)->Bind(1, request.id);
    auto row = (*attempts)->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "no such mail");
    const std::int64_t attempt = (*attempts)->Int(0) + 1;
    attempts->reset();
    auto log = connection.Prepare(sql::kInsertMailAttempt);
    if (!log) return tl::unexpected(log.error());
    (*log)->Bind(1, request.id);
    (*log)->Bind(2, attempt);
    (*log)->Bind(3, request.now);
    (*log)->Bind(4, OutcomeName(request.outcome));
    (*log)->Bind(5, static_cast<std::int64_t>(request.code));
    (*log)->Bind(6, request.reply);
    MASTHEAD_RETURN_IF_ERROR((*log)->Run());
    const char* sql = request.outcome == MailOutcome::kDelivered          ? sql::kMailDelivered
                      : request.outcome == MailOutcome::kTemporaryFailure ? sql::kMailTemporary
                                                                          : sql::kMailPermanent;
    auto update = connection.Prepare(sql);
    if (!update) return tl::unexpected(update.error());
    Statement& s = **update;
    s.Bind(1, request.id);
    s.Bind(2, request.now);
    s.Bind(3, static_cast<std::int64_t>(request.code));
    s.Bind(4, request.reply);
    if (request.outcome == MailOutcome::kTemporaryFailure) s.Bind(5, request.next_attempt_at);
    return s.Run();
  });
}

Result<std::vector<OutboxMessage>> SqliteStore::ListMail(const ListMailRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<OutboxMessage>> {
    auto statement = connection.Prepare(sql::kListMail);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, request.status);
    (*statement)->Bind(2, static_cast<std::int64_t>(std::clamp(request.limit, 1, 10000)));
    return ReadAll(**statement);
  });
}

Status SqliteStore::RetryMail(std::int64_t id, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kRetryMail);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, id);
    (*statement)->Bind(2, now);
    MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    if (connection.Changes() == 0) {
      return MakeError(ErrorCode::kConflict, "mail " + std::to_string(id) + " is not a failed message");
    }
    return Ok();
  });
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::NotificationSettings(
    std::int64_t user_id) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<std::pair<std::string, std::string>>> {
    auto statement = connection.Prepare(sql::kNotificationSettings);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, user_id);
    std::vector<std::pair<std::string, std::string>> settings;
    for (;;) {
      auto row = (*statement)->Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) return settings;
      settings.emplace_back((*statement)->Text(0), (*statement)->Text(1));
    }
  });
}

Status SqliteStore::SetNotificationSetting(std::int64_t user_id, const std::string& kind,
                                           const std::string& mode, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kSetNotificationSetting);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, user_id);
    s.Bind(2, kind);
    s.Bind(3, mode);
    s.Bind(4, now);
    if (auto ran = s.Run(); !ran) {
      Error error = ran.error();
      if (error.code == ErrorCode::kInvalidArgument) return MakeError(ErrorCode::kNotFound, "no such user");
      return tl::unexpected(error);
    }
    return Ok();
  });
}

Status SqliteStore::AddDigestItem(const AddDigestItemRequest& request) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kAddDigestItem);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.user_id);
    s.Bind(2, request.period);
    s.Bind(3, request.kind);
    s.Bind(4, request.fields);
    s.Bind(5, request.now);
    if (auto ran = s.Run(); !ran) {
      if (ran.error().code == ErrorCode::kInvalidArgument) return MakeError(ErrorCode::kNotFound, "no such user");
      return tl::unexpected(ran.error());
    }
    return Ok();
  });
}

Result<std::vector<std::int64_t>> SqliteStore::DueDigestUsers(const DueDigestsRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<std::int64_t>> {
    auto statement = connection.Prepare(sql::kDueDigestUsers);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.period);
    s.Bind(2, request.created_before);
    s.Bind(3, static_cast<std::int64_t>(std::clamp(request.limit, 1, 1000)));
    std::vector<std::int64_t> users;
    for (;;) {
      auto row = s.Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) return users;
      users.push_back(s.Int(0));
    }
  });
}

Result<std::vector<DigestItem>> SqliteStore::ListDigestItems(std::int64_t user_id, const std::string& period) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<DigestItem>> {
    auto statement = connection.Prepare(sql::kListDigestItems);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, user_id);
    s.Bind(2, period);
    std::vector<DigestItem> items;
    for (;;) {
      auto row = s.Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) return items;
      items.push_back({s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), s.Int(5)});
    }
  });
}

Result<int> SqliteStore::DeleteDigestItems(const std::vector<std::int64_t>& ids) {
  return WithWrite([&](Connection& connection) -> Result<int> {
    int deleted = 0;
    for (std::int64_t id : ids) {
      auto statement = connection.Prepare(sql::kDeleteDigestItem);
      if (!statement) return tl::unexpected(statement.error());
      (*statement)->Bind(1, id);
      MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
      deleted += connection.Changes();
    }
    return deleted;
  });
}

}  // namespace masthead::store::sqlite
