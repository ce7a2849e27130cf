// Every rule about readers' and staff accounts: registration and e-mail
// confirmation, log-in with throttling, sessions, password reset and change,
// names, roles. Mail that an action sends is handed to an AccountMailer inside
// the same transaction as the action, so both are stored or neither is.
#pragma once

#include <functional>
#include <string>

#include "accounts/crypto.h"
#include "accounts/roles.h"
#include "base/result.h"
#include "store/store.h"

namespace masthead::accounts {

struct AccountOptions {
  HashCost hash_cost = HashCost::kInteractive;
  int session_days = 30;
  int confirm_link_hours = 48;
  int reset_link_hours = 2;
  // Failed-or-not log-in attempts allowed per window, per account and per network.
  int login_attempts_per_account = 5;
  int login_attempts_per_network = 50;
  int login_window_seconds = 15 * 60;
  // Log-in attempts in a row without a success (past the throttle) that lock an
  // account until a password reset or the end of login_lock_seconds; the owner
  // is mailed once per lock. Counted for unknown addresses too, so the lock
  // message does not tell which addresses have accounts.
  int login_failures_before_lock = 20;
  int login_lock_seconds = 24 * 3600;
  int registrations_per_network_per_hour = 20;
  int reset_requests_per_account_per_hour = 3;
};

// The text policy for display names (the moderation pipeline, wired in by the
// app): an error, with the reason and the clause, refuses the name.
using NamePolicy = std::function<Status(std::string_view name)>;

// Runs after a correct password and before the session starts (the app
// cancels a pending account deletion here); an error refuses the log-in.
using LoginHook = std::function<Status(const store::User& user)>;

// A mail an account action causes. `token` is the secret of a link (confirm or
// reset); the mailer builds the URL.
struct AccountMail {
  std::string kind;  // "confirm_email", "reset_password", "password_changed", "login_locked"
  std::string to_email;
  std::string to_name;
  std::string token;
};
using AccountMailer = std::function<Status(store::Store& tx, const AccountMail& mail)>;

struct RegisterRequest {
  std::string email;
  std::string display_name;
  std::string password;
  std::string network;  // NetworkOf(client address), for rate limits
};

struct LoginRequest {
  std::string email;
  std::string password;
  std::string network;
  std::string user_agent;
};

// A live session: the token goes into the cookie, never into the database.
struct LoginResult {
  store::User user;
  std::string session_token;
  UnixSeconds expires_at = 0;
};

struct Viewer {
  store::User user;
  Role role = Role::kReader;
  std::string session_token_hash;
};

class AccountService {
 public:
  AccountService(store::Store& store, AccountMailer mailer, AccountOptions options = {},
                 std::function<UnixSeconds()> now = NowSeconds);

  // Normalises an e-mail address (trim, lower-case) and checks its shape.
  static Result<std::string> NormaliseEmail(std::string_view email);
  // Shape (UTF-8, length) and then the name policy, when one is set.
  Status ValidateDisplayName(std::string& name) const;
  // Set once at start-up, before requests are served.
  void SetNamePolicy(NamePolicy policy) { name_policy_ = std::move(policy); }
  // Set once at start-up, before requests are served.
  void SetLoginHook(LoginHook hook) { login_hook_ = std::move(hook); }
  static Status ValidatePassword(std::string_view password, std::string_view email);

  // Creates a reader with an unconfirmed address and mails a confirmation link.
  Result<store::User> Register(RegisterRequest request);
  Result<store::User> ConfirmEmail(const std::string& token);
  // Sends a fresh confirmation link (rate-limited like resets).
  Status ResendConfirmation(std::int64_t user_id);

  // kUnauthenticated with one message for unknown address and wrong password, so
  // the form does not tell which addresses have accounts; kRateLimited when throttled.
  Result<LoginResult> Login(const LoginRequest& request);
  Status Logout(const std::string& session_token);
  // The user behind a session cookie; kUnauthenticated when none or expired.
  Result<Viewer> Authenticate(const std::string& session_token);

  // Always succeeds for the caller (no account enumeration); mails a link when
  // the address has an account.
  Status RequestPasswordReset(const std::string& email);
  // Sets the password and ends every session of the account.
  Result<store::User> ResetPassword(const std::string& token, const std::string& new_password);
  Result<store::User> ChangeDisplayName(std::int64_t user_id, std::string name);
  // Ends every other session of the account.
  Status ChangePassword(const Viewer& viewer, const std::string& current_password,
                        const std::string& new_password);

  // Staff tools (CLI): an account that is confirmed at once.
  Result<store::User> AddUser(const std::string& email, std::string name, Role role,
                              const std::string& password);
  Result<store::User> SetRole(const std::string& email, Role role);

 private:
  Status CheckRateLimit(const std::string& key, int limit, int window_seconds, std::string field);
  Status CheckLoginLock(const std::string& email, const store::User* user);
  static std::string LoginLockKey(const std::string& email);
  Result<LoginResult> StartSession(const store::User& user, const std::string& user_agent);

  store::Store& store_;
  AccountMailer mailer_;
  AccountOptions options_;
  NamePolicy name_policy_;
  LoginHook login_hook_;
  std::function<UnixSeconds()> now_;
};

}  // namespace masthead::accounts
