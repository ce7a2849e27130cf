// Abuse of the accounts and forms over real HTTP (issue 11): log-in brute force
// (throttled, then locked with a mail to the owner), session fixation, and
// oversized uploads refused from the head alone. Slowloris, header floods and
// connections per address are server rules, tested in http/server_test.cc.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "app/site_http_test.h"
#include "pages/web_session.h"

namespace masthead::app {
namespace {

constexpr int kFailuresBeforeLock = 3;

class SecurityHttpTest : public SiteHttpTest {
 protected:
  void Configure(Config& config) override {
    config.accounts.login_failures_before_lock = kFailuresBeforeLock;
  }

  // Mails in the Maildir to `address` whose text contains `needle`.
  int CountMails(const std::string& address, const std::string& needle) {
    int count = 0;
    if (!std::filesystem::exists(dir_ / "maildir" / "new")) return 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "maildir" / "new")) {
      std::ifstream in(entry.path());
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (text.find(address) != std::string::npos && text.find(needle) != std::string::npos) ++count;
    }
    return count;
  }

  http::testing::ClientResponse LogIn(Browser& browser, const std::string& email, const std::string& password) {
    browser.Get("/login");
    return browser.Post("/login", {{"email", email}, {"password", password}});
  }
};

TEST_F(SecurityHttpTest, LogInIsLockedAfterFailuresInARowTheOwnerMailedOnceAndAResetUnlocks) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  Browser attacker(app_->port());
  for (int i = 0; i < kFailuresBeforeLock; ++i) {
    EXPECT_EQ(LogIn(attacker, "ann@example.org", "guess number " + std::to_string(i)).status, 401);
  }
  // The lock refuses even the right password: the attacker may have found it.
  auto locked = LogIn(attacker, "ann@example.org", "a long password");
  EXPECT_EQ(locked.status, 429);
  EXPECT_NE(locked.body.find("locked after too many failed log-ins"), std::string::npos);
  EXPECT_EQ(LogIn(attacker, "ann@example.org", "a long password").status, 429);
  // An address without an account gets the same answer (no account discovery).
  for (int i = 0; i <= kFailuresBeforeLock; ++i) LogIn(attacker, "nobody@example.org", "guess guess guess");
  EXPECT_NE(LogIn(attacker, "nobody@example.org", "x").body.find("locked after too many"), std::string::npos);

  // A reset proves the mailbox and unlocks. Its mail is queued after the lock
  // mail, so once it arrived every lock mail has too.
  Browser owner(app_->port());
  owner.Get("/account/forgot");
  ASSERT_EQ(owner.Post("/account/forgot", {{"email", "ann@example.org"}}).status / 100, 2);
  const std::string token = LinkFromMail("ann@example.org", "/account/reset");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(CountMails("ann@example.org", "account was locked after failed log-ins"), 1);
  owner.Get("/account/reset?token=" + token);
  auto reset = owner.Post("/account/reset", {{"token", token}, {"password", "a brand new password"}});
  EXPECT_TRUE(reset.status == 200 || reset.status == 303) << reset.status << reset.body;
  EXPECT_EQ(LogIn(owner, "ann@example.org", "a brand new password").status, 303);
}

TEST_F(SecurityHttpTest, ASessionIdPlantedBeforeLogInIsNotKeptAfterIt) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  ASSERT_TRUE(app_->accounts().AddUser("mallory@example.org", "Mallory", accounts::Role::kReader,
                                       "mallory password"));
  // Mallory logs in herself and plants her own session id, and then an
  // invented one, in the victim's browser before the victim logs in.
  Browser mallory(app_->port());
  ASSERT_EQ(LogIn(mallory, "mallory@example.org", "mallory password").status, 303);
  const std::string mallory_session = mallory.Cookie(pages::kSessionCookie);
  ASSERT_FALSE(mallory_session.empty());
  for (const std::string& planted : {mallory_session, std::string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")}) {
    Browser victim(app_->port());
    victim.SetCookie(pages::kSessionCookie, planted);
    ASSERT_EQ(LogIn(victim, "ann@example.org", "a long password").status, 303);
    const std::string after = victim.Cookie(pages::kSessionCookie);
    EXPECT_NE(after, planted);
    EXPECT_NE(victim.Get("/account").body.find("Ann Reader"), std::string::npos);
    // Whoever knows the planted id is not Ann.
    Browser holder(app_->port());
    holder.SetCookie(pages::kSessionCookie, planted);
    EXPECT_EQ(holder.Get("/account").body.find("Ann Reader"), std::string::npos);
  }
  EXPECT_NE(mallory.Get("/account").body.find("Mallory"), std::string::npos);
}

TEST_F(SecurityHttpTest, OversizedUploadsAreRefusedFromTheHeadAlone) {
  // Announces 50 MB and sends none of it: the 413 can only come from Content-Length.
  const std::string raw = http::testing::RawExchange(
      app_->port(), std::string("POST /articles/") + kSlug +
                        "/comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        "Content-Length: 52428800\r\n\r\n");
  EXPECT_EQ(http::testing::ParseResponse(raw).status, 413);
  for (const char* path : {"/support/report", "/login", "/register"}) {
    const std::string again = http::testing::RawExchange(
        app_->port(), std::string("POST ") + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n");
    EXPECT_EQ(http::testing::ParseResponse(again).status, 413) << path;
  }
  EXPECT_EQ(http::testing::Get(app_->port(), "/healthz").status, 200);
}

}  // namespace
}  // namespace masthead::app
