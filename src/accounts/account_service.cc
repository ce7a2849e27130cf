#include "accounts/account_service.h"

#include "base/text.h"
#include "base/utf8.h"

namespace masthead::accounts {
namespace {

constexpr char kConfirmPurpose[] = "confirm_email";
constexpr char kResetPurpose[] = "reset_password";
// One message for both "no such account" and "wrong password".
constexpr char kBadLogin[] = "that e-mail address and password do not match an account";

// Runs a dummy verification so an unknown address costs as much time as a
// wrong password, and timing does not reveal which addresses have accounts.
void SpendVerificationTime(HashCost cost) {
  static const std::string dummy = HashPassword("masthead-timing-equaliser", cost).value_or("");
  (void)VerifyPassword(dummy, "not the password");
}

}  // namespace

AccountService::AccountService(store::Store& store, AccountMailer mailer, AccountOptions options,
                               std::function<UnixSeconds()> now)
    : store_(store), mailer_(std::move(mailer)), options_(options), now_(std::move(now)) {}

Result<std::string> AccountService::NormaliseEmail(std::string_view email) {
  std::string normal = ToLowerAscii(TrimWhitespace(email));
  const std::size_t at = normal.find('@');
  const bool shape_ok = at != std::string::npos && at > 0 && at + 1 < normal.size() &&
                        normal.find('@', at + 1) == std::string::npos &&
                        normal.find('.', at) != std::string::npos && normal.size() <= 254;
  bool characters_ok = true;
  for (unsigned char c : normal) {
    if (c <= 0x20 || c >= 0x7F || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' ||
        c == '\\' || c == '(' || c == ')') {
      characters_ok = false;
    }
  }
  if (!shape_ok || !characters_ok) {
    return MakeError(ErrorCode::kInvalidArgument, "enter an e-mail address like name@example.org",
                     "email");
  }
  return normal;
}

Status AccountService::ValidateDisplayName(std::string& name) const {
  if (!IsValidUtf8(name)) {
    return MakeError(ErrorCode::kInvalidArgument, "the name is not valid UTF-8", "display_name");
  }
  name = std::string(TrimWhitespace(StripControlCharacters(name)));
  for (char& c : name) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (name.size() < 2) {
    return MakeError(ErrorCode::kInvalidArgument, "the name needs at least 2 characters",
                     "display_name");
  }
  if (name.size() > 60) {
    return MakeError(ErrorCode::kInvalidArgument, "the name may have at most 60 bytes",
                     "display_name");
  }
  if (name_policy_) return name_policy_(name);
  return Ok();
}

Status AccountService::ValidatePassword(std::string_view password, std::string_view email) {
  if (password.size() < 10) {
    return MakeError(ErrorCode::kInvalidArgument, "the password needs at least 10 characters",
                     "password");
  }
  if (password.size() > 1024) {
    return MakeError(ErrorCode::kInvalidArgument, "the password may have at most 1024 bytes",
                     "password");
  }
  if (!IsValidUtf8(password)) {
    return MakeError(ErrorCode::kInvalidArgument, "the password is not valid UTF-8", "password");
  }
  if (ToLowerAscii(password) == ToLowerAscii(email)) {
    return MakeError(ErrorCode::kInvalidArgument, "the password must not be your e-mail address",
                     "password");
  }
  return Ok();
}

Status AccountService::CheckRateLimit(const std::string& key, int limit, int window_seconds,
                                      std::string field) {
  auto decision = store_.HitRateLimit({key, limit, window_seconds, now_()});
  if (!decision) return tl::unexpected(decision.error());
  if (!decision->allowed) {
    return MakeError(ErrorCode::kRateLimited,
                     "too many attempts; try again in " +
                         std::to_string((decision->retry_after + 59) / 60) + " minute(s)",
                     std::move(field));
  }
  return Ok();
}

Result<store::User> AccountService::Register(RegisterRequest request) {
  auto email = NormaliseEmail(request.email);
  if (!email) return tl::unexpected(email.error());
  MASTHEAD_RETURN_IF_ERROR(ValidateDisplayName(request.display_name));
  MASTHEAD_RETURN_IF_ERROR(ValidatePassword(request.password, *email));
  MASTHEAD_RETURN_IF_ERROR(CheckRateLimit("register:net:" + request.network,
                                          options_.registrations_per_network_per_hour, 3600, ""));
  auto hash = HashPassword(request.password, options_.hash_cost);
  if (!hash) return tl::unexpected(hash.error());
  const UnixSeconds now = now_();
  store::User created;
  const std::string token = RandomToken();
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto user = tx.CreateUser({.email = *email, .display_name = request.display_name,
                               .password_hash = *hash, .role = "reader", .now = now});
    if (!user) return tl::unexpected(user.error());
    created = *user;
    MASTHEAD_RETURN_IF_ERROR(tx.CreateUserToken(
        {HashToken(token), user->id, kConfirmPurpose, now, now + options_.confirm_link_hours * 3600}));
    return mailer_(tx, {kConfirmPurpose, *email, request.display_name, token});
  });
  if (!stored) return tl::unexpected(stored.error());
  return created;
}

Result<store::User> AccountService::ConfirmEmail(const std::string& token) {
  store::User confirmed;
  auto done = store_.Transact([&](store::Store& tx) -> Status {
    auto user_id = tx.ConsumeUserToken({HashToken(token), kConfirmPurpose, now_()});
    if (!user_id) {
      return MakeError(ErrorCode::kNotFound,
                       "this confirmation link is unknown, already used or expired");
    }
    auto user = tx.UpdateUser({.id = *user_id, .email_confirmed_at = now_(), .now = now_()});
    if (!user) return tl::unexpected(user.error());
    confirmed = *user;
    return Ok();
  });
  if (!done) return tl::unexpected(done.error());
  return confirmed;
}

Status AccountService::ResendConfirmation(std::int64_t user_id) {
  MASTHEAD_RETURN_IF_ERROR(CheckRateLimit("confirm:user:" + std::to_string(user_id),
                                          options_.reset_requests_per_account_per_hour, 3600, ""));
  auto user = store_.FindUser({.id = user_id});
  if (!user) return tl::unexpected(user.error());
  if (user->email_confirmed_at) return Ok();
  const std::string token = RandomToken();
  const UnixSeconds now = now_();
  return store_.Transact([&](store::Store& tx) -> Status {
    MASTHEAD_RETURN_IF_ERROR(tx.CreateUserToken(
        {HashToken(token), user_id, kConfirmPurpose, now, now + options_.confirm_link_hours * 3600}));
    return mailer_(tx, {kConfirmPurpose, user->email, user->display_name, token});
  });
}

Result<LoginResult> AccountService::StartSession(const store::User& user,
                                                 const std::string& user_agent) {
  LoginResult result;
  result.user = user;
  result.session_token = RandomToken();
  result.expires_at = now_() + static_cast<UnixSeconds>(options_.session_days) * 86400;
  MASTHEAD_RETURN_IF_ERROR(store_.CreateSession(
      {HashToken(result.session_token), user.id, now_(), result.expires_at, user_agent.substr(0, 300)}));
  return result;
}

Result<LoginResult> AccountService::Login(const LoginRequest& request) {
  const std::string email = ToLowerAscii(TrimWhitespace(request.email));
  MASTHEAD_RETURN_IF_ERROR(CheckRateLimit("login:net:" + request.network,
                                          options_.login_attempts_per_network,
                                          options_.login_window_seconds, "email"));
  MASTHEAD_RETURN_IF_ERROR(CheckRateLimit("login:account:" + email,
                                          options_.login_attempts_per_account,
                                          options_.login_window_seconds, "email"));
  auto user = store_.FindUser({.email = email});
  if (!user && user.error().code != ErrorCode::kNotFound) return tl::unexpected(user.error());
  MASTHEAD_RETURN_IF_ERROR(CheckLoginLock(email, user ? &*user : nullptr));
  if (!user) {
    SpendVerificationTime(options_.hash_cost);
    return MakeError(ErrorCode::kUnauthenticated, kBadLogin, "email");
  }
  if (!VerifyPassword(user->password_hash, request.password)) {
    return MakeError(ErrorCode::kUnauthenticated, kBadLogin, "email");
  }
  (void)store_.ClearRateLimit("login:account:" + email);
  (void)store_.ClearRateLimit(LoginLockKey(email));
  if (login_hook_) MASTHEAD_RETURN_IF_ERROR(login_hook_(*user));
  return StartSession(*user, request.user_agent);
}

std::string AccountService::LoginLockKey(const std::string& email) { return "login:lock:" + email; }

// Every attempt counts until a success clears the count, so the count is the
// attempts in a row without one: even the right password is refused once the
// lock is on (the attacker may have guessed it), until a reset or the window ends.
Status AccountService::CheckLoginLock(const std::string& email, const store::User* user) {
  bool locked = false;
  MASTHEAD_RETURN_IF_ERROR(store_.Transact([&](store::Store& tx) -> Status {
    auto decision = tx.HitRateLimit(
        {LoginLockKey(email), options_.login_failures_before_lock, options_.login_lock_seconds, now_()});
    if (!decision) return tl::unexpected(decision.error());
    locked = !decision->allowed;
    // The first refused attempt turns the lock on: tell the owner, in the same
    // transaction as the count, so the mail goes exactly once per lock.
    if (user != nullptr && decision->count == options_.login_failures_before_lock + 1) {
      return mailer_(tx, {"login_locked", user->email, user->display_name, ""});
    }
    return Ok();
  }));
  if (!locked) return Ok();
  return MakeError(ErrorCode::kRateLimited,
                   "this account is locked after too many failed log-ins; its owner was mailed. "
                   "Reset the password to unlock it now",
                   "email");
}

Status AccountService::Logout(const std::string& session_token) {
  if (session_token.empty()) return Ok();
  return store_.DeleteSession(HashToken(session_token));
}

Result<Viewer> AccountService::Authenticate(const std::string& session_token) {
  if (session_token.empty() || session_token.size() > 128) {
    return MakeError(ErrorCode::kUnauthenticated, "not logged in");
  }
  const std::string token_hash = HashToken(session_token);
  auto session = store_.FindSession(token_hash, now_());
  if (!session) return tl::unexpected(session.error());
  auto user = store_.FindUser({.id = session->user_id});
  if (!user) return MakeError(ErrorCode::kUnauthenticated, "not logged in");
  Viewer viewer{*user, RoleFromName(user->role).value_or(Role::kReader), token_hash};
  return viewer;
}

Status AccountService::RequestPasswordReset(const std::string& email_text) {
  const std::string email = ToLowerAscii(TrimWhitespace(email_text));
  MASTHEAD_RETURN_IF_ERROR(CheckRateLimit("reset:account:" + email,
                                          options_.reset_requests_per_account_per_hour, 3600, "email"));
  auto user = store_.FindUser({.email = email});
  if (!user) return user.error().code == ErrorCode::kNotFound ? Ok() : Status(tl::unexpected(user.error()));
  const std::string token = RandomToken();
  const UnixSeconds now = now_();
  return store_.Transact([&](store::Store& tx) -> Status {
    MASTHEAD_RETURN_IF_ERROR(tx.CreateUserToken(
        {HashToken(token), user->id, kResetPurpose, now, now + options_.reset_link_hours * 3600}));
    return mailer_(tx, {kResetPurpose, user->email, user->display_name, token});
  });
}

Result<store::User> AccountService::ResetPassword(const std::string& token,
                                                  const std::string& new_password) {
  store::User updated;
  auto done = store_.Transact([&](store::Store& tx) -> Status {
    auto user_id = tx.ConsumeUserToken({HashToken(token), kResetPurpose, now_()});
    if (!user_id) {
      return MakeError(ErrorCode::kNotFound, "this reset link is unknown, already used or expired");
    }
    auto user = tx.FindUser({.id = *user_id});
    if (!user) return tl::unexpected(user.error());
    MASTHEAD_RETURN_IF_ERROR(ValidatePassword(new_password, user->email));
    auto hash = HashPassword(new_password, options_.hash_cost);
    if (!hash) return tl::unexpected(hash.error());
    // A reset proves the mailbox, so it also confirms the address.
    auto changed = tx.UpdateUser({.id = user->id, .password_hash = *hash,
                                  .email_confirmed_at = user->email_confirmed_at.value_or(now_()),
                                  .now = now_()});
    if (!changed) return tl::unexpected(changed.error());
    updated = *changed;
    MASTHEAD_RETURN_IF_ERROR(tx.DeleteUserSessions(user->id, ""));
    // Proving the mailbox unlocks an account locked by failed log-ins.
    MASTHEAD_RETURN_IF_ERROR(tx.ClearRateLimit(LoginLockKey(user->email)));
    MASTHEAD_RETURN_IF_ERROR(tx.ClearRateLimit("login:account:" + user->email));
    return mailer_(tx, {"password_changed", user->email, user->display_name, ""});
  });
  if (!done) return tl::unexpected(done.error());
  return updated;
}

Result<store::User> AccountService::ChangeDisplayName(std::int64_t user_id, std::string name) {
  MASTHEAD_RETURN_IF_ERROR(ValidateDisplayName(name));
  return store_.UpdateUser({.id = user_id, .display_name = name, .now = now_()});
}

Status AccountService::ChangePassword(const Viewer& viewer, const std::string& current_password,
                                      const std::string& new_password) {
  MASTHEAD_RETURN_IF_ERROR(CheckRateLimit("password:user:" + std::to_string(viewer.user.id),
                                          options_.login_attempts_per_account,
                                          options_.login_window_seconds, "current_password"));
  auto user = store_.FindUser({.id = viewer.user.id});
  if (!user) return tl::unexpected(user.error());
  if (!VerifyPassword(user->password_hash, current_password)) {
    return MakeError(ErrorCode::kInvalidArgument, "the current password is not right",
                     "current_password");
  }
  MASTHEAD_RETURN_IF_ERROR(ValidatePassword(new_password, user->email));
  auto hash = HashPassword(new_password, options_.hash_cost);
  if (!hash) return tl::unexpected(hash.error());
  return store_.Transact([&](store::Store& tx) -> Status {
    MASTHEAD_RETURN_IF_ERROR(tx.UpdateUser({.id = user->id, .password_hash = *hash, .now = now_()}));
    MASTHEAD_RETURN_IF_ERROR(tx.DeleteUserSessions(user->id, viewer.session_token_hash));
    return mailer_(tx, {"password_changed", user->email, user->display_name, ""});
  });
}

Result<store::User> AccountService::AddUser(const std::string& email_text, std::string name,
                                            Role role, const std::string& password) {
  auto email = NormaliseEmail(email_text);
  if (!email) return tl::unexpected(email.error());
  MASTHEAD_RETURN_IF_ERROR(ValidateDisplayName(name));
  MASTHEAD_RETURN_IF_ERROR(ValidatePassword(password, *email));
  auto hash = HashPassword(password, options_.hash_cost);
  if (!hash) return tl::unexpected(hash.error());
  return store_.CreateUser({.email = *email, .display_name = name, .password_hash = *hash,
                            .role = std::string(RoleName(role)), .email_confirmed_at = now_(),
                            .now = now_()});
}

Result<store::User> AccountService::SetRole(const std::string& email_text, Role role) {
  auto email = NormaliseEmail(email_text);
  if (!email) return tl::unexpected(email.error());
  auto user = store_.FindUser({.email = *email});
  if (!user) return MakeError(ErrorCode::kNotFound, "no account with the address " + *email, "email");
  const std::string new_role(RoleName(role));
  if (user->role == new_role) return user;
  store::User changed;
  Status stored = store_.Transact([&](store::Store& tx) -> Status {
    const UnixSeconds now = now_();
    auto updated = tx.UpdateUser({.id = user->id, .role = new_role, .now = now});
    if (!updated) return tl::unexpected(updated.error());
    changed = std::move(*updated);
    // Actor 0: the operator at the command line, outside any account.
    return tx.RecordModerationAction({.action = "role_change", .subject_user_id = user->id,
                                      .detail = user->role + " → " + new_role + " (command line)", .now = now})
        .map([](const store::ModerationAction&) {});
  });
  if (!stored) return tl::unexpected(stored.error());
  return changed;
}

}  // namespace masthead::accounts
