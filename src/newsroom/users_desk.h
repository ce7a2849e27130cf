// The users desk: staff find readers and read their history; admins change
// roles; a reader's data leaves as one JSON archive (the reader may take it
// themself, rate-limited); an account is deleted after a grace period in which
// logging in cancels the deletion, and then anonymised: the comments stay
// under a neutral name, the personal data goes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "base/result.h"
#include "store/store.h"

namespace masthead::newsroom {

struct UsersOptions {
  int deletion_grace_days = 14;
  int exports_per_day = 1;  // a reader's own exports per 24 hours; staff exports are not counted
  std::string former_name = "Former reader";
};

struct ReaderHistory {
  store::User user;
  std::vector<store::Comment> comments;  // newest first, every status
  std::vector<store::FiledReport> reports;
  std::vector<store::Sanction> sanctions;
  std::vector<store::ModerationAction> actions;  // about the reader
  std::optional<store::AccountDeletion> deletion;
};

class UsersDesk {
 public:
  UsersDesk(store::Store& store, UsersOptions options, std::function<UnixSeconds()> now = NowSeconds)
      : store_(store), options_(std::move(options)), now_(std::move(now)) {}

  const UsersOptions& options() const { return options_; }
  // Queues the mail that tells the reader about the deletion and how to keep
  // the account, in the transaction that schedules it. Set once at start-up.
  using DeletionMailer =
      std::function<Status(store::Store& tx, const store::User& user, const store::AccountDeletion& deletion)>;
  void SetDeletionMailer(DeletionMailer mailer) { deletion_mailer_ = std::move(mailer); }
  // Called after an anonymisation, so cached pages stop showing the old name.
  // Set once at start-up.
  void SetNamesChanged(std::function<void()> changed) { names_changed_ = std::move(changed); }

  Result<std::vector<store::User>> Search(const std::string& query, const std::string& role);
  Result<ReaderHistory> History(std::int64_t user_id, int comment_limit = 100);

  // Admins only (kPermissionDenied). An admin cannot give up their own admin
  // role here (kInvalidArgument), so the site is never left without one.
  Result<store::User> ChangeRole(const accounts::Viewer& by, std::int64_t user_id, const std::string& role);

  // Everything stored about the reader, as pretty-printed JSON. The reader
  // themself may do this exports_per_day times (kRateLimited); admins always.
  Result<std::string> Export(const accounts::Viewer& by, std::int64_t user_id);

  // By the reader themself or an admin. Ends the account's sessions at once;
  // the account is anonymised when the grace period ends (PurgeDue). Staff
  // accounts must be made readers first (kInvalidArgument).
  Result<store::AccountDeletion> RequestDeletion(const accounts::Viewer& by, std::int64_t user_id);
  // Admins only; kNotFound when none is pending.
  Status CancelDeletion(const accounts::Viewer& by, std::int64_t user_id);
  // A log-in within the grace period keeps the account: true when a pending
  // deletion was cancelled.
  Result<bool> CancelOnLogin(std::int64_t user_id);
  // Anonymises every account whose grace period has ended; returns how many.
  Result<int> PurgeDue();

 private:
  store::Store& store_;
  UsersOptions options_;
  std::function<UnixSeconds()> now_;
  std::function<void()> names_changed_;
  DeletionMailer deletion_mailer_;

  Status Anonymise(std::int64_t user_id, UnixSeconds now);
};

}  // namespace masthead::newsroom
