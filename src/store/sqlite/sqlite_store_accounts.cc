// The SQLite engine's users, sessions, tokens, rate limits, policies, settings.
#include "store/sqlite/statements_accounts.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {

User ReadUser(const Statement& s) {
  User user;
  user.id = s.Int(0);
  user.email = s.Text(1);
  user.display_name = s.Text(2);
  user.password_hash = s.Text(3);
  user.role = s.Text(4);
  user.email_confirmed_at = s.OptionalInt(5);
  user.created_at = s.Int(6);
  user.updated_at = s.Int(7);
  return user;
}

namespace {

Result<User> FindUserOn(Connection& connection, const FindUserRequest& request) {
  auto statement = connection.Prepare(request.id ? sql::kFindUserById : sql::kFindUserByEmail);
  if (!statement) return tl::unexpected(statement.error());
  if (request.id) {
    (*statement)->Bind(1, *request.id);
  } else {
    (*statement)->Bind(1, request.email);
  }
  auto row = (*statement)->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no such user");
  return ReadUser(**statement);
}

void BindOptional(Statement& s, int index, const std::optional<std::string>& value) {
  if (value) {
    s.Bind(index, *value);
  } else {
    s.BindNull(index);
  }
}

}  // namespace

Result<User> SqliteStore::CreateUser(const CreateUserRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<User> {
    auto statement = connection.Prepare(sql::kInsertUser);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.email);
    s.Bind(2, request.display_name);
    s.Bind(3, request.password_hash);
    s.Bind(4, request.role);
    s.Bind(5, request.email_confirmed_at);
    s.Bind(6, request.now);
    if (auto inserted = s.Run(); !inserted) {
      Error error = inserted.error();
      if (error.code == ErrorCode::kAlreadyExists) {
        error.message = "an account with this e-mail address already exists";
        error.field = "email";
      }
      return tl::unexpected(error);
    }
    return FindUserOn(connection, {.id = connection.LastInsertId()});
  });
}

Result<User> SqliteStore::FindUser(const FindUserRequest& request) {
  return WithConnection([&](Connection& connection) { return FindUserOn(connection, request); });
}

Result<User> SqliteStore::UpdateUser(const UpdateUserRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<User> {
    auto statement = connection.Prepare(sql::kUpdateUser);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.id);
    BindOptional(s, 2, request.display_name);
    BindOptional(s, 3, request.password_hash);
    BindOptional(s, 4, request.role);
    s.Bind(5, request.email_confirmed_at);
    s.Bind(6, request.now);
    MASTHEAD_RETURN_IF_ERROR(s.Run());
    if (connection.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no such user");
    return FindUserOn(connection, {.id = request.id});
  });
}

Status SqliteStore::CreateSession(const CreateSessionRequest& request) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kInsertSession);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.token_hash);
    s.Bind(2, request.user_id);
    s.Bind(3, request.now);
    s.Bind(4, request.expires_at);
    s.Bind(5, request.user_agent);
    return s.Run();
  });
}

Result<Session> SqliteStore::FindSession(const std::string& token_hash, UnixSeconds now) {
  return WithConnection([&](Connection& connection) -> Result<Session> {
    auto statement = connection.Prepare(sql::kFindSession);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, token_hash);
    s.Bind(2, now);
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kUnauthenticated, "no such session");
    return Session{s.Text(0), s.Int(1), s.Int(2), s.Int(3)};
  });
}

Status SqliteStore::DeleteSession(const std::string& token_hash) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kDeleteSession);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, token_hash);
    return (*statement)->Run();
  });
}

Status SqliteStore::DeleteUserSessions(std::int64_t user_id, const std::string& keep_token_hash) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kDeleteUserSessions);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, user_id);
    (*statement)->Bind(2, keep_token_hash);
    return (*statement)->Run();
  });
}

Status SqliteStore::CreateUserToken(const CreateUserTokenRequest& request) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kInsertUserToken);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.token_hash);
    s.Bind(2, request.user_id);
    s.Bind(3, request.purpose);
    s.Bind(4, request.now);
    s.Bind(5, request.expires_at);
    return s.Run();
  });
}

Result<std::int64_t> SqliteStore::ConsumeUserToken(const ConsumeUserTokenRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<std::int64_t> {
    auto statement = connection.Prepare(sql::kConsumeUserToken);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.token_hash);
    s.Bind(2, request.purpose);
    s.Bind(3, request.now);
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "this link is unknown, used or expired");
    const std::int64_t user_id = s.Int(0);
    statement->reset();
    return user_id;
  });
}

Result<RateLimitDecision> SqliteStore::HitRateLimit(const RateLimitRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<RateLimitDecision> {
    auto statement = connection.Prepare(sql::kHitRateLimit);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.key);
    s.Bind(2, request.now);
    s.Bind(3, static_cast<std::int64_t>(request.window_seconds));
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    const UnixSeconds window_start = s.Int(0);
    const int count = static_cast<int>(s.Int(1));
    statement->reset();
    RateLimitDecision decision;
    decision.count = count;
    decision.allowed = count <= request.limit;
    if (!decision.allowed) {
      decision.retry_after = std::max<UnixSeconds>(1, window_start + request.window_seconds - request.now);
    }
    return decision;
  });
}

Status SqliteStore::ClearRateLimit(const std::string& key) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kClearRateLimit);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, key);
    return (*statement)->Run();
  });
}

Result<PolicyVersion> SqliteStore::PublishPolicy(const PublishPolicyRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<PolicyVersion> {
    auto statement = connection.Prepare(sql::kInsertPolicy);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.kind);
    s.Bind(2, request.summary);
    s.Bind(3, request.body_markdown);
    s.Bind(4, request.now);
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    PolicyVersion policy{request.kind, static_cast<int>(s.Int(0)), request.summary,
                         request.body_markdown, request.now};
    statement->reset();
    return policy;
  });
}

Result<PolicyVersion> SqliteStore::CurrentPolicy(const std::string& kind) {
  return WithConnection([&](Connection& connection) -> Result<PolicyVersion> {
    auto statement = connection.Prepare(sql::kCurrentPolicy);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, kind);
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "no " + kind + " published");
    return PolicyVersion{s.Text(0), static_cast<int>(s.Int(1)), s.Text(2), s.Text(3), s.Int(4)};
  });
}

Status SqliteStore::RecordAcceptance(const PolicyAcceptance& acceptance) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kInsertAcceptance);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, acceptance.user_id);
    s.Bind(2, static_cast<std::int64_t>(acceptance.terms_version));
    s.Bind(3, static_cast<std::int64_t>(acceptance.guidelines_version));
    s.Bind(4, acceptance.now);
    return s.Run();
  });
}

Result<bool> SqliteStore::HasAccepted(const PolicyAcceptance& acceptance) {
  return WithConnection([&](Connection& connection) -> Result<bool> {
    auto statement = connection.Prepare(sql::kFindAcceptance);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, acceptance.user_id);
    s.Bind(2, static_cast<std::int64_t>(acceptance.terms_version));
    s.Bind(3, static_cast<std::int64_t>(acceptance.guidelines_version));
    return s.Step();
  });
}

Result<std::string> SqliteStore::GetOrCreateSetting(const std::string& name,
                                                   const std::string& initial) {
  return WithWrite([&](Connection& connection) -> Result<std::string> {
    auto insert = connection.Prepare(sql::kInsertSettingIfAbsent);
    if (!insert) return tl::unexpected(insert.error());
    (*insert)->Bind(1, name);
    (*insert)->Bind(2, initial);
    MASTHEAD_RETURN_IF_ERROR((*insert)->Run());
    auto select = connection.Prepare(sql::kGetSetting);
    if (!select) return tl::unexpected(select.error());
    (*select)->Bind(1, name);
    auto row = (*select)->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kInternal, "setting vanished: " + name);
    return (*select)->Text(0);
  });
}

}  // namespace masthead::store::sqlite
