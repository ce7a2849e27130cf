// Accounts and the Further Discussion over real HTTP: a cookie-keeping client
// registers, confirms by the mail in the Maildir, accepts the terms and posts.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "http/request.h"
#include "app/test_browser.h"
#include "http/test_client.h"

namespace masthead::app {
namespace {

using testing_support::Browser;

constexpr char kSlug[] = "russia-wont-give-assad-safe-haven-foreign-minister-says";

class DiscussionHttpTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("masthead-discussion-http-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Config config;
    config.database_path = (dir_ / "site.db").string();
    config.server.port = 0;
    config.server.threads = 2;
    config.access_log = false;
    config.accounts.password_hash_cost = "minimum";
    config.mail.maildir = (dir_ / "maildir").string();
    config.discussion.max_comment_bytes = 2000;
    auto app = App::Open(config);
    ASSERT_TRUE(app) << app.error().ToString();
    app_ = std::move(*app);
    ASSERT_TRUE(app_->articles().LoadDemoContentIfEmpty());
    const auto latest = app_->articles().Latest(50);
    ASSERT_TRUE(latest);
    for (const auto& summary : *latest) {
      ASSERT_TRUE(app_->store().SetDiscussionClosed(summary.id, false, NowSeconds()));
    }
    ASSERT_TRUE(app_->Start());
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The link in the newest mail to `address` in the Maildir (bodies are
  // quoted-printable: "=3D" is "=", soft breaks are "=\n").
  std::string LinkFromMail(const std::string& address, const std::string& path) {
    for (int attempt = 0; attempt < 500; ++attempt) {
      std::string newest;
      std::filesystem::file_time_type newest_time;
      if (std::filesystem::exists(dir_ / "maildir" / "new")) {
        for (const auto& entry : std::filesystem::directory_iterator(dir_ / "maildir" / "new")) {
          std::ifstream in(entry.path());
          std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
          if (text.find(address) == std::string::npos || text.find(path) == std::string::npos) continue;
          if (newest.empty() || entry.last_write_time() > newest_time) {
            newest = text;
            newest_time = entry.last_write_time();
          }
        }
      }
      if (!newest.empty()) {
        newest = std::regex_replace(newest, std::regex("=\r?\n"), "");
        newest = std::regex_replace(newest, std::regex("=3D"), "=");
        std::smatch match;
        if (std::regex_search(newest, match, std::regex(path + "\\?token=([A-Za-z0-9_-]+)"))) return match[1];
      }
      // The worker delivers within its poll interval: wait for the file, bounded.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return {};
  }

  // Registers, confirms and accepts the terms: a reader ready to post.
  void BecomeReader(Browser& browser, const std::string& email, const std::string& name) {
    browser.Get("/register");
    auto registered = browser.Post("/register", {{"email", email}, {"display_name", name},
                                                 {"password", "a long password"}});
    ASSERT_EQ(registered.status, 201) << registered.body;
    const std::string token = LinkFromMail(email, "/account/confirm");
    ASSERT_FALSE(token.empty());
    browser.Get("/account/confirm?token=" + token);
    ASSERT_EQ(browser.Post("/account/confirm", {{"token", token}}).status, 200);
    auto terms = browser.Get("/account/terms");
    auto accepted = browser.Post("/account/terms", {{"accept", "yes"},
                                                    {"terms_version", browser.Field(terms.body, "terms_version")},
                                                    {"guidelines_version", browser.Field(terms.body, "guidelines_version")},
                                                    {"next", "/"}});
    ASSERT_EQ(accepted.status, 303) << accepted.body;
  }

  http::testing::ClientResponse Comment(Browser& browser, const std::string& body,
                                        const std::string& parent = "", std::string key = "") {
    auto page = browser.Get(std::string("/articles/") + kSlug);
    if (key.empty()) key = browser.Field(page.body, "idempotency_key");
    std::vector<std::pair<std::string, std::string>> fields = {{"body", body}, {"idempotency_key", key}};
    if (!parent.empty()) fields.emplace_back("parent_id", parent);
    return browser.Post(std::string("/articles/") + kSlug + "/comments", fields);
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
};

TEST_F(DiscussionHttpTest, ARegisteredConfirmedReaderPostsAndRepliesAsText) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  auto posted = Comment(ann, "First! <script>alert('x')</script> **bold**");
  ASSERT_EQ(posted.status, 303) << posted.body;
  EXPECT_NE(posted.Header("location").find("#c"), std::string::npos);
  auto page = http::testing::Get(app_->port(), std::string("/articles/") + kSlug);
  EXPECT_NE(page.body.find("<strong>bold</strong>"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.body.find("<span id=\"comment-count\">1"), std::string::npos);
  auto front = http::testing::Get(app_->port(), "/");
  EXPECT_NE(front.body.find(std::string("/articles/") + kSlug + "#discussion\">1 comment</a>"), std::string::npos);
  auto world = http::testing::Get(app_->port(), "/sections/world");
  EXPECT_NE(world.body.find("1 comment</a>"), std::string::npos);

  Browser bob(app_->port());
  BecomeReader(bob, "bob@example.org", "Bob Reader");
  const std::string parent = posted.Header("location").substr(posted.Header("location").find("#c") + 2);
  auto reply = Comment(bob, "A polite reply.", parent);
  ASSERT_EQ(reply.status, 303);
  // Ann is told by mail (kept in the Maildir in this configuration).
  bool mailed = false;
  for (int i = 0; i < 500 && !mailed; ++i) {
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "maildir" / "new")) {
      std::ifstream in(entry.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (text.find("ann@example.org") != std::string::npos && text.find("List-Unsubscribe-Post") != std::string::npos) mailed = true;
    }
    if (!mailed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(mailed);
}

TEST_F(DiscussionHttpTest, OneClickUnsubscribeStopsReplyMail) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  Browser bob(app_->port());
  BecomeReader(bob, "bob@example.org", "Bob Reader");
  auto top = Comment(ann, "Ann's thoughts");
  const std::string parent = top.Header("location").substr(top.Header("location").find("#c") + 2);
  ASSERT_EQ(Comment(bob, "Bob answers", parent).status, 303);
  // Find the reply mail and its List-Unsubscribe link.
  std::string unsubscribe;
  for (int i = 0; i < 500 && unsubscribe.empty(); ++i) {
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "maildir" / "new")) {
      std::ifstream in(entry.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::smatch match;
      if (std::regex_search(text, match, std::regex("List-Unsubscribe: <http://[^/]+(/mail/unsubscribe\\?[^>]+)>"))) {
        unsubscribe = match[1];
      }
    }
    if (unsubscribe.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(unsubscribe.empty());
  // A tampered link is refused; the real one works with no cookie, as RFC 8058 wants.
  auto tampered = http::testing::Request(app_->port(), "POST", std::regex_replace(unsubscribe, std::regex("t=."), "t=X"),
                                         {{"Content-Type", "application/x-www-form-urlencoded"}},
                                         "List-Unsubscribe=One-Click");
  EXPECT_EQ(tampered.status, 404);
  auto done = http::testing::Request(app_->port(), "POST", unsubscribe,
                                     {{"Content-Type", "application/x-www-form-urlencoded"}},
                                     "List-Unsubscribe=One-Click");
  EXPECT_EQ(done.status, 200);
  ASSERT_EQ(Comment(bob, "Bob again", parent).status, 303);
  // Every mail passes the outbox: Ann's second reply mail was never queued.
  int reply_mails_to_ann = 0;
  const auto outbox = app_->store().ListMail({"", 100});
  ASSERT_TRUE(outbox);
  for (const auto& mail : *outbox) {
    if (mail.kind == "reply" && mail.recipient == "ann@example.org") ++reply_mails_to_ann;
  }
  EXPECT_EQ(reply_mails_to_ann, 1);
  auto page = ann.Get("/account/notifications");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("name=\"replies\" value=\"immediately\" checked"), std::string::npos);
}

TEST_F(DiscussionHttpTest, AnonymousVisitorsAreSentToTheLogInPage) {
  auto page = http::testing::Get(app_->port(), std::string("/articles/") + kSlug);
  EXPECT_NE(page.body.find("to join the discussion"), std::string::npos);
  EXPECT_EQ(page.Header("set-cookie"), "");  // the shared page sets no cookie
  auto post = http::testing::Request(app_->port(), "POST", std::string("/articles/") + kSlug + "/comments",
                                     {{"Content-Type", "application/x-www-form-urlencoded"}}, "body=hi");
  EXPECT_EQ(post.status, 303);
  EXPECT_EQ(post.Header("location").rfind("/login?next=", 0), 0u);
}

TEST_F(DiscussionHttpTest, AForgedOrMissingCsrfTokenIsRefusedAndTheTextKept) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  auto page = ann.Get(std::string("/articles/") + kSlug);
  auto forged = ann.Post(std::string("/articles/") + kSlug + "/comments",
                         {{"body", "My careful words"}, {"csrf", "forged.token"}}, false);
  EXPECT_EQ(forged.status, 403);
  EXPECT_NE(forged.body.find("My careful words"), std::string::npos);
  auto missing = ann.Post("/logout", {}, false);
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(app_->store().FindDiscussion(1)->comment_count, 0);
}

TEST_F(DiscussionHttpTest, ADoubleSubmittedFormMakesOneComment) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  auto page = ann.Get(std::string("/articles/") + kSlug);
  const std::string key = ann.Field(page.body, "idempotency_key");
  EXPECT_EQ(Comment(ann, "Only once", "", key).status, 303);
  EXPECT_EQ(Comment(ann, "Only once", "", key).status, 303);
  auto article = app_->articles().Published(kSlug);
  EXPECT_EQ(app_->store().FindDiscussion(article->id)->comment_count, 1);
}

TEST_F(DiscussionHttpTest, BadCommentsGetAClearMessageAndKeepTheText) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  auto empty = Comment(ann, "   ");
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.body.find("write something before posting"), std::string::npos);
  const std::string long_text = "Long " + std::string(2100, 'x');
  auto too_long = Comment(ann, long_text);
  EXPECT_EQ(too_long.status, 400);
  EXPECT_NE(too_long.body.find(long_text), std::string::npos);
  auto bad_utf8 = Comment(ann, "broken \xc3\x28 text");
  EXPECT_EQ(bad_utf8.status, 400);

  auto top = Comment(ann, "Soon deleted");
  const std::string id = top.Header("location").substr(top.Header("location").find("#c") + 2);
  auto deleted = ann.Post("/comments/" + id + "/delete", {});
  EXPECT_EQ(deleted.status, 303);
  auto orphan = Comment(ann, "A reply to nothing", id);
  EXPECT_EQ(orphan.status, 409);
  EXPECT_NE(orphan.body.find("was deleted"), std::string::npos);
  EXPECT_NE(orphan.body.find("A reply to nothing"), std::string::npos);
}

TEST_F(DiscussionHttpTest, TheNoBullyingPolicyRefusesAttacksWithTheRuleAndKeepsTheText) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  auto attack = Comment(ann, "You are an idiot and everyone hates you");
  EXPECT_EQ(attack.status, 400);
  EXPECT_NE(attack.body.find("rule 2, personal attacks"), std::string::npos);
  EXPECT_NE(attack.body.find("You are an idiot and everyone hates you"), std::string::npos);
  auto disguised = Comment(ann, "You are an 1d10t and everyone hates you");
  EXPECT_EQ(disguised.status, 400);
  EXPECT_EQ(Comment(ann, "I think the minister is wrong about the sanctions.").status, 303);
  auto article = app_->articles().Published(kSlug);
  EXPECT_EQ(app_->store().FindDiscussion(article->id)->comment_count, 1);
}

TEST_F(DiscussionHttpTest, TermsMustBeAcceptedAgainAfterANewVersionAndTheCommentSurvives) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  ASSERT_TRUE(app_->policies().Publish("terms", "New terms", "# Terms v2\n\nUpdated."));
  auto asked = Comment(ann, "Written before reading the new terms");
  EXPECT_EQ(asked.status, 200);
  EXPECT_NE(asked.body.find("Before you post"), std::string::npos);
  EXPECT_NE(asked.body.find("Written before reading the new terms"), std::string::npos);
  EXPECT_NE(asked.body.find("Terms of Use, version 2"), std::string::npos);
}

TEST_F(DiscussionHttpTest, LogInIsThrottledAndSessionsRotate) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  Browser stranger(app_->port());
  stranger.Get("/login");
  for (int i = 0; i < 5; ++i) {
    auto wrong = stranger.Post("/login", {{"email", "ann@example.org"}, {"password", "guess guess " + std::to_string(i)}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_NE(wrong.body.find("do not match"), std::string::npos);
  }
  auto throttled = stranger.Post("/login", {{"email", "ann@example.org"}, {"password", "a long password"}});
  EXPECT_EQ(throttled.status, 429);
}

TEST_F(DiscussionHttpTest, StaffReadTheDemoMailboxAndNobodyElseDoes) {
  EXPECT_EQ(http::testing::Get(app_->port(), "/staff/mail").status, 303);
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann <b>Reader</b>");
  EXPECT_EQ(ann.Get("/staff/mail").status, 403);
  ASSERT_TRUE(app_->accounts().AddUser("mod@example.org", "Mo Derator", accounts::Role::kModerator,
                                       "moderator password"));
  Browser mod(app_->port());
  mod.Get("/login");
  ASSERT_EQ(mod.Post("/login", {{"email", "mod@example.org"}, {"password", "moderator password"}}).status, 303);
  auto mailbox = mod.Get("/staff/mail");
  ASSERT_EQ(mailbox.status, 200);
  EXPECT_NE(mailbox.body.find("Confirm your e-mail address"), std::string::npos);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(mailbox.body, match, std::regex("href=\"/staff/mail/([^\"]+)\"")));
  auto message = mod.Get("/staff/mail/" + match[1].str());
  ASSERT_EQ(message.status, 200);
  EXPECT_NE(message.body.find("/account/confirm?token="), std::string::npos);
  EXPECT_EQ(message.body.find("<b>Reader</b>"), std::string::npos);  // shown as text
  EXPECT_EQ(mod.Get("/staff/mail/..%2F..%2Fetc%2Fpasswd").status, 404);
}

TEST_F(DiscussionHttpTest, TheJsonApiCoversPostingWithTheSameRules) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  // A script: the session cookie and CSRF token come from GET /api/v1/session.
  auto session = ann.Get("/api/v1/session");
  ASSERT_EQ(session.status, 200);
  const auto session_json = nlohmann::json::parse(session.body);
  EXPECT_EQ(session_json["viewer"]["name"], "Ann Reader");
  const std::string csrf = session_json["csrf"];
  const std::string path = std::string("/api/v1/articles/") + kSlug + "/comments";
  auto no_token = ann.PostJson(path, R"({"body":"no token"})", "");
  EXPECT_EQ(no_token.status, 403);
  EXPECT_EQ(nlohmann::json::parse(no_token.body)["field"], "csrf");
  auto created = ann.PostJson(path, R"({"body":"Posted by **API**","idempotency_key":"k-1"})", csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto comment = nlohmann::json::parse(created.body);
  EXPECT_EQ(comment["status"], "published");
  EXPECT_NE(comment["body_html"].get<std::string>().find("<strong>API</strong>"), std::string::npos);
  auto again = ann.PostJson(path, R"({"body":"Posted by **API**","idempotency_key":"k-1"})", csrf);
  EXPECT_EQ(again.status, 409);
  auto empty = ann.PostJson(path, R"({"body":"  "})", csrf);
  EXPECT_EQ(empty.status, 400);
  const auto error = nlohmann::json::parse(empty.body);
  EXPECT_EQ(error["code"], "invalid_argument");
  EXPECT_EQ(error["field"], "body");
  EXPECT_FALSE(error["message"].get<std::string>().empty());
  auto broken = ann.PostJson(path, "{not json", csrf);
  EXPECT_EQ(broken.status, 400);
  auto list = http::testing::Get(app_->port(), path);
  ASSERT_EQ(list.status, 200);
  const auto threads = nlohmann::json::parse(list.body);
  EXPECT_EQ(threads["comment_count"], 1);
  ASSERT_EQ(threads["threads"].size(), 1u);
  EXPECT_EQ(threads["threads"][0]["author"]["name"], "Ann Reader");
  auto anonymous = http::testing::Request(app_->port(), "POST", path, {{"Content-Type", "application/json"}},
                                          R"({"body":"x"})");
  EXPECT_EQ(anonymous.status, 401);
}

TEST_F(DiscussionHttpTest, LivePagesReceiveNewCommentsOverServerSentEvents) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  // Open the stream on a raw socket and read until the event arrives (bounded).
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(app_->port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string request = std::string("GET /articles/") + kSlug + "/live?after=0 HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  ASSERT_EQ(Comment(ann, "Live and well").status, 303);
  std::string received;
  char buffer[4096];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (received.find("event: comment") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 500) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  EXPECT_NE(received.find("text/event-stream"), std::string::npos);
  EXPECT_NE(received.find("event: comment"), std::string::npos);
  EXPECT_NE(received.find("Live and well"), std::string::npos);
}

}  // namespace
}  // namespace masthead::app
