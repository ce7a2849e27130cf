#include "accounts/account_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite/test_store.h"

namespace masthead::accounts {
namespace {

class AccountServiceTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto());
    store_ = store::sqlite::OpenTestStore("masthead-accounts");
    ASSERT_NE(store_, nullptr);
    AccountOptions options;
    options.hash_cost = HashCost::kMinimum;
    service_ = std::make_unique<AccountService>(
        *store_,
        [this](store::Store&, const AccountMail& mail) -> Status {
          if (fail_mail_) return MakeError(ErrorCode::kUnavailable, "outbox full");
          mails_.push_back(mail);
          return Ok();
        },
        options, [this] { return now_; });
  }

  store::User RegisterConfirmed(const std::string& email) {
    auto user = service_->Register({email, "Reader One", "a long password", "203.0.113.0/24"});
    EXPECT_TRUE(user) << user.error().ToString();
    EXPECT_TRUE(service_->ConfirmEmail(mails_.back().token));
    return *user;
  }

  UnixSeconds now_ = 1'700'000'000;
  bool fail_mail_ = false;
  std::vector<AccountMail> mails_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AccountService> service_;
};

TEST_F(AccountServiceTest, RegisterMailsAConfirmationLinkThatWorksOnce) {
  auto user = service_->Register({"  Reader@Example.ORG ", "Reader One", "a long password", "net"});
  ASSERT_TRUE(user) << user.error().ToString();
  EXPECT_EQ(user->email, "reader@example.org");
  EXPECT_FALSE(user->email_confirmed_at);
  ASSERT_EQ(mails_.size(), 1u);
  EXPECT_EQ(mails_[0].kind, "confirm_email");
  EXPECT_EQ(mails_[0].to_email, "reader@example.org");
  auto confirmed = service_->ConfirmEmail(mails_[0].token);
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->email_confirmed_at, now_);
  EXPECT_EQ(service_->ConfirmEmail(mails_[0].token).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(service_->ConfirmEmail("forged-token"));
}

TEST_F(AccountServiceTest, RegistrationAndItsMailAreOneTransaction) {
  fail_mail_ = true;
  auto user = service_->Register({"a@example.org", "Reader", "a long password", "net"});
  ASSERT_FALSE(user);
  EXPECT_EQ(store_->FindUser({.email = "a@example.org"}).error().code, ErrorCode::kNotFound);
}

TEST_F(AccountServiceTest, RegistrationRejectsBadInputNamingTheField) {
  EXPECT_EQ(service_->Register({"not-an-address", "Reader", "a long password", "n"}).error().field, "email");
  EXPECT_EQ(service_->Register({"a@example.org", "R", "a long password", "n"}).error().field, "display_name");
  EXPECT_EQ(service_->Register({"a@example.org", "Reader", "short", "n"}).error().field, "password");
  EXPECT_EQ(service_->Register({"a@example.org", "Bad \xff", "a long password", "n"}).error().field,
            "display_name");
  ASSERT_TRUE(service_->Register({"a@example.org", "Reader", "a long password", "n"}));
  EXPECT_EQ(service_->Register({"A@example.org", "Reader", "a long password", "n"}).error().code,
            ErrorCode::kAlreadyExists);
}

TEST_F(AccountServiceTest, LoginStartsASessionThatAuthenticatesUntilLogout) {
  RegisterConfirmed("a@example.org");
  auto login = service_->Login({"A@example.org", "a long password", "net", "UA"});
  ASSERT_TRUE(login) << login.error().ToString();
  auto viewer = service_->Authenticate(login->session_token);
  ASSERT_TRUE(viewer);
  EXPECT_EQ(viewer->user.email, "a@example.org");
  EXPECT_EQ(viewer->role, Role::kReader);
  ASSERT_TRUE(service_->Logout(login->session_token));
  EXPECT_EQ(service_->Authenticate(login->session_token).error().code, ErrorCode::kUnauthenticated);
  // A second login gets a different token (rotation).
  auto again = service_->Login({"a@example.org", "a long password", "net", "UA"});
  ASSERT_TRUE(again);
  EXPECT_NE(again->session_token, login->session_token);
  now_ = again->expires_at;
  EXPECT_FALSE(service_->Authenticate(again->session_token));  // expired
}

TEST_F(AccountServiceTest, WrongPasswordAndUnknownAccountLookTheSame) {
  RegisterConfirmed("a@example.org");
  auto wrong = service_->Login({"a@example.org", "wrong password!", "net", ""});
  auto unknown = service_->Login({"b@example.org", "a long password", "net", ""});
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountServiceTest, LoginIsThrottledPerAccountAndPerNetwork) {
  RegisterConfirmed("a@example.org");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(service_->Login({"a@example.org", "guess " + std::to_string(i) + "xxxxx", "net1", ""}).error().code,
              ErrorCode::kUnauthenticated);
  }
  // The right password no longer helps within the window.
  EXPECT_EQ(service_->Login({"a@example.org", "a long password", "net2", ""}).error().code,
            ErrorCode::kRateLimited);
  now_ += 15 * 60;
  EXPECT_TRUE(service_->Login({"a@example.org", "a long password", "net2", ""}));
  for (int i = 0; i < 50; ++i) {
    (void)service_->Login({"x" + std::to_string(i) + "@example.org", "whatever12", "net3", ""});
  }
  EXPECT_EQ(service_->Login({"a@example.org", "a long password", "net3", ""}).error().code,
            ErrorCode::kRateLimited);
}

TEST_F(AccountServiceTest, AfterTheThrottleFailuresInARowLockTheAccountMailTheOwnerOnceAndAResetUnlocks) {
  RegisterConfirmed("a@example.org");
  const std::size_t mails_before = mails_.size();
  // A patient attacker: five guesses per throttle window, from ever new networks.
  const int lock_after = AccountOptions{}.login_failures_before_lock;
  for (int i = 0; i < lock_after; ++i) {
    if (i % 5 == 0) now_ += 15 * 60;
    EXPECT_EQ(service_->Login({"a@example.org", "guess " + std::to_string(i) + "xxxxx", "net" + std::to_string(i), ""})
                  .error().code,
              ErrorCode::kUnauthenticated);
  }
  now_ += 15 * 60;
  auto locked = service_->Login({"a@example.org", "a long password", "owner-net", ""});
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
  EXPECT_NE(locked.error().message.find("locked"), std::string::npos);
  ASSERT_EQ(mails_.size(), mails_before + 1);
  EXPECT_EQ(mails_.back().kind, "login_locked");
  EXPECT_EQ(mails_.back().to_email, "a@example.org");
  EXPECT_FALSE(service_->Login({"a@example.org", "a long password", "owner-net", ""}));
  EXPECT_EQ(mails_.size(), mails_before + 1);  // one mail per lock
  ASSERT_TRUE(service_->RequestPasswordReset("a@example.org"));
  ASSERT_TRUE(service_->ResetPassword(mails_.back().token, "a new long password"));
  EXPECT_TRUE(service_->Login({"a@example.org", "a new long password", "owner-net", ""}));
}

TEST_F(AccountServiceTest, PasswordResetWorksOnceAndEndsEverySession) {
  RegisterConfirmed("a@example.org");
  auto session = service_->Login({"a@example.org", "a long password", "net", ""});
  ASSERT_TRUE(session);
  ASSERT_TRUE(service_->RequestPasswordReset("a@example.org"));
  ASSERT_EQ(mails_.back().kind, "reset_password");
  const std::string token = mails_.back().token;
  EXPECT_EQ(service_->ResetPassword(token, "short").error().field, "password");
  // The failed attempt rolled back, so the link still works.
  ASSERT_TRUE(service_->ResetPassword(token, "a brand new password"));
  EXPECT_EQ(mails_.back().kind, "password_changed");
  EXPECT_FALSE(service_->ResetPassword(token, "another new password"));
  EXPECT_FALSE(service_->Authenticate(session->session_token));
  EXPECT_FALSE(service_->Login({"a@example.org", "a long password", "net", ""}));
  EXPECT_TRUE(service_->Login({"a@example.org", "a brand new password", "net", ""}));
  // Unknown addresses succeed silently, and send nothing.
  const std::size_t sent = mails_.size();
  EXPECT_TRUE(service_->RequestPasswordReset("nobody@example.org"));
  EXPECT_EQ(mails_.size(), sent);
}

TEST_F(AccountServiceTest, ChangePasswordKeepsOnlyTheCurrentSession) {
  RegisterConfirmed("a@example.org");
  auto first = service_->Login({"a@example.org", "a long password", "net", ""});
  auto second = service_->Login({"a@example.org", "a long password", "net", ""});
  ASSERT_TRUE(first && second);
  auto viewer = service_->Authenticate(second->session_token);
  ASSERT_TRUE(viewer);
  EXPECT_EQ(service_->ChangePassword(*viewer, "not it at all", "a brand new password").error().field,
            "current_password");
  ASSERT_TRUE(service_->ChangePassword(*viewer, "a long password", "a brand new password"));
  EXPECT_FALSE(service_->Authenticate(first->session_token));
  EXPECT_TRUE(service_->Authenticate(second->session_token));
}

TEST_F(AccountServiceTest, StaffAccountsAndRoles) {
  auto editor = service_->AddUser("ed@example.org", "Ed Itor", Role::kEditor, "editor password");
  ASSERT_TRUE(editor) << editor.error().ToString();
  EXPECT_EQ(editor->role, "editor");
  EXPECT_TRUE(editor->email_confirmed_at);
  auto admin = service_->SetRole("ED@example.org", Role::kAdmin);
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->role, "admin");
  EXPECT_EQ(service_->SetRole("nobody@example.org", Role::kAdmin).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(HasRole(Role::kAdmin, Role::kModerator));
  EXPECT_FALSE(HasRole(Role::kReader, Role::kModerator));
}

}  // namespace
}  // namespace masthead::accounts
