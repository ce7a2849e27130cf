// Accounts and the Further Discussion over real HTTP: a cookie-keeping client
// registers, confirms by the mail in the Maildir, accepts the terms and posts.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/site_http_test.h"
#include "mail/message_codec.h"

namespace masthead::app {
namespace {

using DiscussionHttpTest = SiteHttpTest;

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
  // The token's first character is changed to another one (replacing it with a
  // fixed 'X' left the link intact whenever the token began with 'X').
  std::string tampered_link = unsubscribe;
  const std::size_t token = tampered_link.find("&t=");
  ASSERT_NE(token, std::string::npos);
  char& first = tampered_link[token + 3];
  first = first == 'X' ? 'Y' : 'X';
  auto tampered = http::testing::Request(app_->port(), "POST", tampered_link,
                                         {{"Content-Type", "application/x-www-form-urlencoded"}},
                                         "List-Unsubscribe=One-Click");
  EXPECT_EQ(tampered.status, 404);
  auto done = http::testing::Request(app_->port(), "POST", unsubscribe,
                                     {{"Content-Type", "application/x-www-form-urlencoded"}},
                                     "List-Unsubscribe=One-Click");
  EXPECT_EQ(done.status, 200);
  ASSERT_EQ(Comment(bob, "Bob again", parent).status, 303);
  ASSERT_TRUE(app_->reply_mails().Drain());
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
  EXPECT_NE(page.body.find("<option value=\"off\" selected>"), std::string::npos);
}

TEST_F(DiscussionHttpTest, AReplyMailOwedByANodeThatDiedIsComposedByTheNextDrain) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  Browser bob(app_->port());
  BecomeReader(bob, "bob@example.org", "Bob Reader");
  auto top = Comment(ann, "Ann's thoughts");
  const std::int64_t parent_id =
      std::stoll(top.Header("location").substr(top.Header("location").find("#c") + 2));
  auto parent = app_->store().FindComment(parent_id);
  ASSERT_TRUE(parent);
  // What a node that crashed right after committing a reply leaves behind: the
  // reply and its debt, and no one woken to compose the mail.
  auto bob_user = app_->store().FindUser({.email = "bob@example.org"});
  ASSERT_TRUE(bob_user);
  store::CreateCommentRequest orphan;
  orphan.article_id = parent->article_id;
  orphan.parent_id = parent->id;
  orphan.thread_id = parent->thread_id;
  orphan.depth = 1;
  orphan.author_id = bob_user->id;
  orphan.body_markdown = "A reply from a node that died";
  orphan.reply_mail_pending = true;
  orphan.now = NowSeconds();
  ASSERT_TRUE(app_->store().CreateComment(orphan));
  // This node's periodic drain finds it (every few seconds) and the worker sends it.
  bool mailed = false;
  for (int i = 0; i < 500 && !mailed; ++i) {
    const auto outbox = app_->store().ListMail({"", 100});
    for (const auto& mail : *outbox) {
      if (mail.kind == "reply" && mail.recipient == "ann@example.org") {
        auto message = mail::DecodeMessage(mail.encoded);
        mailed = message && message->text_body.find("A reply from a node that died") != std::string::npos;
      }
    }
    if (!mailed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(mailed);
}

TEST_F(DiscussionHttpTest, ANodeThatDoesNotDeliverStillQueuesMailForTheOthers) {
  StartApp([](Config& c) { c.mail.deliver = false; });
  Browser ann(app_->port());
  ann.Get("/register");
  ASSERT_EQ(ann.Post("/register", {{"email", "ann@example.org"}, {"display_name", "Ann"},
                                   {"password", "a long password"}}).status, 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // longer than a worker's poll
  const auto pending = app_->store().ListMail({"pending", 10});
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].kind, "confirm_email");
  EXPECT_TRUE(!std::filesystem::exists(dir_ / "maildir" / "new") ||
              std::filesystem::is_empty(dir_ / "maildir" / "new"));
}

TEST_F(DiscussionHttpTest, AReaderWhoChoosesAnHourlyDigestGetsOneMailForSeveralReplies) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  Browser bob(app_->port());
  BecomeReader(bob, "bob@example.org", "Bob Reader");
  ann.Get("/account/notifications");
  auto saved = ann.Post("/account/notifications", {{"replies", "hourly"}, {"answers", "immediately"}, {"decisions", "daily"}});
  ASSERT_EQ(saved.status, 200);
  EXPECT_NE(saved.body.find("<option value=\"hourly\" selected>"), std::string::npos);
  auto top = Comment(ann, "Ann's thoughts");
  const std::string parent = top.Header("location").substr(top.Header("location").find("#c") + 2);
  ASSERT_EQ(Comment(bob, "Bob's first reply", parent).status, 303);
  ASSERT_EQ(Comment(bob, "Bob's second reply", parent).status, 303);
  ASSERT_TRUE(app_->reply_mails().Drain());

  auto mail_to_ann = [this](const std::string& kind) {
    std::vector<store::OutboxMessage> found;
    const auto outbox = app_->store().ListMail({"", 100});
    for (const auto& mail : *outbox) {
      if (mail.kind == kind && mail.recipient == "ann@example.org") found.push_back(mail);
    }
    return found;
  };
  EXPECT_TRUE(mail_to_ann("reply").empty());  // held for the digest, not sent one by one
  const UnixSeconds now = NowSeconds();
  EXPECT_EQ(app_->mailers().SendDueDigests(app_->store(), now).value(), 0);  // not an hour old yet
  EXPECT_EQ(app_->mailers().SendDueDigests(app_->store(), now + 3601).value(), 1);
  EXPECT_EQ(app_->mailers().SendDueDigests(app_->store(), now + 3602).value(), 0);  // sent once
  const auto digests = mail_to_ann("digest");
  ASSERT_EQ(digests.size(), 1u);
  auto digest = mail::DecodeMessage(digests[0].encoded);
  ASSERT_TRUE(digest) << digest.error().ToString();
  EXPECT_EQ(digest->subject, "Your hourly digest from " + app_->config().site.title + ": 2 notifications");
  EXPECT_NE(digest->text_body.find("Bob's first reply"), std::string::npos);
  EXPECT_NE(digest->text_body.find("Bob's second reply"), std::string::npos);

  // The digest's one-click link stops every kind collected into digests, and only those.
  std::string unsubscribe;
  for (const auto& header : digest->headers) {
    std::smatch match;
    if (header.name == "List-Unsubscribe" &&
        std::regex_search(header.value, match, std::regex("<http://[^/]+(/mail/unsubscribe\\?[^>]+)>"))) {
      unsubscribe = match[1];
    }
  }
  ASSERT_NE(unsubscribe.find("k=digests"), std::string::npos);
  auto done = http::testing::Request(app_->port(), "POST", unsubscribe,
                                     {{"Content-Type", "application/x-www-form-urlencoded"}},
                                     "List-Unsubscribe=One-Click");
  EXPECT_EQ(done.status, 200);
  const auto ann_id = app_->store().FindUser({.email = "ann@example.org"})->id;
  EXPECT_EQ(*app_->store().NotificationSettings(ann_id),
            (std::vector<std::pair<std::string, std::string>>{
                {"answers", "immediately"}, {"decisions", "off"}, {"replies", "off"}}));
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

TEST_F(DiscussionHttpTest, AnAdminPublishesANewTermsVersionFromTheStaffPages) {
  ASSERT_TRUE(app_->accounts().AddUser("admin@example.org", "Ada Admin", accounts::Role::kAdmin, "admin password"));
  ASSERT_TRUE(app_->accounts().AddUser("mod@example.org", "Mo Derator", accounts::Role::kModerator, "moderator password"));
  Browser admin(app_->port());
  admin.Get("/login");
  ASSERT_EQ(admin.Post("/login", {{"email", "admin@example.org"}, {"password", "admin password"}}).status, 303);
  Browser mod(app_->port());
  mod.Get("/login");
  ASSERT_EQ(mod.Post("/login", {{"email", "mod@example.org"}, {"password", "moderator password"}}).status, 303);
  EXPECT_EQ(mod.Get("/staff/policies/terms").status, 403);  // staff, but not an admin
  EXPECT_EQ(mod.Post("/staff/policies/terms", {{"summary", "Sneaky"}, {"body", "# Mine"}}).status, 403);
  EXPECT_EQ(admin.Get("/staff/policies/nonsense").status, 404);

  auto form = admin.Get("/staff/policies/terms");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("Version 1 is in force"), std::string::npos);
  auto forged = admin.Post("/staff/policies/terms", {{"summary", "x"}, {"body", "y"}, {"csrf", "forged"}}, false);
  EXPECT_EQ(forged.status, 403);
  auto empty = admin.Post("/staff/policies/terms", {{"summary", "Short"}, {"body", ""}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.body.find("aria-invalid"), std::string::npos);
  auto published = admin.Post("/staff/policies/terms",
                              {{"summary", "Be kind <b>always</b>."}, {"body", "# Terms v2\n\nBe kind."}});
  ASSERT_EQ(published.status, 200);
  EXPECT_NE(published.body.find("Version 2 is published"), std::string::npos);
  EXPECT_EQ(app_->policies().Current()->terms.version, 2);
  EXPECT_EQ(app_->policies().Current()->guidelines.version, 1);
  auto terms = http::testing::Get(app_->port(), "/terms");
  EXPECT_NE(terms.body.find("Be kind."), std::string::npos);

  // A reader who accepted version 1 is asked again before the next comment.
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");  // accepts version 2
  ASSERT_EQ(admin.Post("/staff/policies/guidelines", {{"summary", "No bullying."}, {"body", "# Rules v2"}}).status, 200);
  auto asked = Comment(ann, "After the new guidelines");
  EXPECT_EQ(asked.status, 200);
  EXPECT_NE(asked.body.find("Community Guidelines, version 2"), std::string::npos);
}

TEST_F(DiscussionHttpTest, StaffFeatureACommentAndReadersCannot) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  auto top = Comment(ann, "A comment worth featuring");
  const std::string id = top.Header("location").substr(top.Header("location").find("#c") + 2);
  EXPECT_EQ(ann.Get(std::string("/articles/") + kSlug).body.find("action=\"/comments/" + id + "/feature\""),
            std::string::npos);  // no button for readers
  auto refused = ann.Post("/comments/" + id + "/feature", {{"featured", "1"}});
  EXPECT_EQ(refused.status, 403);
  ASSERT_TRUE(app_->accounts().AddUser("mod@example.org", "Mo Derator", accounts::Role::kModerator, "moderator password"));
  Browser mod(app_->port());
  mod.Get("/login");
  ASSERT_EQ(mod.Post("/login", {{"email", "mod@example.org"}, {"password", "moderator password"}}).status, 303);
  auto page = mod.Get(std::string("/articles/") + kSlug);
  EXPECT_NE(page.body.find("action=\"/comments/" + id + "/feature\""), std::string::npos);
  EXPECT_EQ(mod.Post("/comments/" + id + "/feature", {{"featured", "1"}}).status, 303);
  EXPECT_TRUE(app_->store().FindComment(std::stoll(id))->featured_at.has_value());
  auto featured = http::testing::Get(app_->port(), std::string("/articles/") + kSlug);
  EXPECT_NE(featured.body.find("<span class=\"badge\">Featured</span>"), std::string::npos);
  EXPECT_EQ(mod.Post("/comments/" + id + "/feature", {{"featured", "0"}}).status, 303);
  EXPECT_FALSE(app_->store().FindComment(std::stoll(id))->featured_at.has_value());
}

TEST_F(DiscussionHttpTest, AnIgnoredReaderCanBeUnignoredFromTheCommentOrTheAccountPage) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  Browser bob(app_->port());
  BecomeReader(bob, "bob@example.org", "Bob <i>Loud</i>");
  ASSERT_EQ(Comment(bob, "Bob's opinion").status, 303);
  const auto bob_id = std::to_string(app_->store().FindUser({.email = "bob@example.org"})->id);
  ann.Get(std::string("/articles/") + kSlug);
  ASSERT_EQ(ann.Post("/readers/" + bob_id + "/ignore", {{"back", "/articles/x"}}).status, 303);
  auto folded = ann.Get(std::string("/articles/") + kSlug);
  EXPECT_EQ(folded.body.find("Bob's opinion"), std::string::npos);
  EXPECT_NE(folded.body.find("Stop ignoring Bob &lt;i&gt;Loud&lt;/i&gt;"), std::string::npos);
  auto list = ann.Get("/account/ignored");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("action=\"/readers/" + bob_id + "/ignore\""), std::string::npos);
  EXPECT_EQ(list.body.find("<i>Loud</i>"), std::string::npos);  // names are text
  auto undone = ann.Post("/readers/" + bob_id + "/ignore", {{"undo", "1"}, {"back", "/account/ignored"}});
  EXPECT_EQ(undone.status, 303);
  EXPECT_EQ(undone.Header("location"), "/account/ignored");
  EXPECT_NE(ann.Get("/account/ignored").body.find("You ignore no one."), std::string::npos);
  EXPECT_NE(ann.Get(std::string("/articles/") + kSlug).body.find("Bob's opinion"), std::string::npos);
  EXPECT_EQ(http::testing::Get(app_->port(), "/account/ignored").status, 303);  // anonymous: log in first
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

// --- Spam and floods, and the nudge to rephrase -------------------------------

std::int64_t CommentIdOf(const http::testing::ClientResponse& response) {
  const std::string location = response.Header("location");
  const auto at = location.find("#c");
  return at == std::string::npos ? 0 : std::stoll(location.substr(at + 2));
}

// The textarea of a re-shown form holds exactly what was typed (HTML-escaped).
bool FormKeeps(const http::testing::ClientResponse& response, const std::string& text) {
  return response.body.find("name=\"body\"") != std::string::npos &&
         response.body.find(">" + text + "</textarea>") != std::string::npos;
}

TEST_F(DiscussionHttpTest, ReadersPostingTooFastAreThrottledPerAccountAndPerNetwork) {
  StartApp([](Config& c) {
    c.discussion.posts_per_minute = 2;
    c.discussion.network_posts_per_minute = 2;
  });
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  EXPECT_EQ(Comment(ann, "First thought on the talks.").status, 303);
  EXPECT_EQ(Comment(ann, "Second thought on the talks.").status, 303);
  auto third = Comment(ann, "Third thought, too soon.");
  EXPECT_EQ(third.status, 429);
  EXPECT_NE(third.body.find("you are posting very fast"), std::string::npos);
  EXPECT_TRUE(FormKeeps(third, "Third thought, too soon."));
  // Another account on the same network (127.0.0.0/24): Ann's two posts filled
  // the network's two, whoever posts next.
  Browser bob(app_->port());
  BecomeReader(bob, "bob@example.org", "Bob Reader");
  auto crowded = Comment(bob, "Bob has a view as well.");
  EXPECT_EQ(crowded.status, 429);
  EXPECT_NE(crowded.body.find("readers on your network are posting very fast"), std::string::npos);
  EXPECT_TRUE(FormKeeps(crowded, "Bob has a view as well."));
  auto article = app_->articles().Published(kSlug);
  EXPECT_EQ(app_->store().FindDiscussion(article->id)->comment_count, 2);
}

TEST_F(DiscussionHttpTest, BehindATrustedProxyEachReadersOwnNetworkCounts) {
  StartApp([](Config& c) {
    c.discussion.network_posts_per_minute = 2;
    c.server.trusted_proxies = http::TrustedProxies::Parse("127.0.0.1").value();
  });
  // nginx in front names each reader in X-Forwarded-For.
  Browser ann(app_->port()), bob(app_->port()), cat(app_->port());
  ann.AddHeader("X-Forwarded-For", "203.0.113.7");
  bob.AddHeader("X-Forwarded-For", "198.51.100.9");
  cat.AddHeader("X-Forwarded-For", "203.0.113.99");  // Ann's network
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  BecomeReader(bob, "bob@example.org", "Bob Reader");
  BecomeReader(cat, "cat@example.org", "Cat Reader");
  EXPECT_EQ(Comment(ann, "First thought on the talks.").status, 303);
  EXPECT_EQ(Comment(ann, "Second thought on the talks.").status, 303);
  EXPECT_EQ(Comment(bob, "Bob has a view as well.").status, 303);  // another network
  auto crowded = Comment(cat, "Cat would like to add something.");
  EXPECT_EQ(crowded.status, 429);
  EXPECT_NE(crowded.body.find("readers on your network are posting very fast"), std::string::npos);
}

TEST_F(DiscussionHttpTest, ManyLinksAreHeldAndTooManyAreRefusedWithTheTextKept) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  // Defaults: more than 2 links waits for a moderator, more than 5 is refused.
  EXPECT_EQ(Comment(ann, "Background: https://example.org/a and www.example.org/b").status, 303);
  auto three = Comment(ann, "Sources: https://example.org/1 https://example.org/2 http://example.org/3");
  ASSERT_EQ(three.status, 303);
  auto held = app_->store().FindComment(CommentIdOf(three));
  ASSERT_TRUE(held);
  EXPECT_EQ(held->status, store::CommentStatus::kHeld);
  const std::string spam = "Cheap deals http://a.example http://b.example http://c.example "
                           "http://d.example http://e.example http://f.example";
  auto refused = Comment(ann, spam);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("at most 5 links (this one has 6)"), std::string::npos);
  EXPECT_TRUE(FormKeeps(refused, spam));
  // An edit cannot turn a published comment into link spam.
  auto clean = Comment(ann, "A plain remark about the talks.");
  ASSERT_EQ(clean.status, 303);
  const std::string edit = "/comments/" + std::to_string(CommentIdOf(clean)) + "/edit";
  auto edited_spam = ann.Post(edit, {{"body", spam}});
  EXPECT_EQ(edited_spam.status, 400);
  EXPECT_NE(edited_spam.body.find("at most 5 links"), std::string::npos);
  EXPECT_EQ(ann.Post(edit, {{"body", "Sources: https://example.org/1 https://example.org/2 http://example.org/3"}}).status, 303);
  EXPECT_EQ(app_->store().FindComment(CommentIdOf(clean))->status, store::CommentStatus::kHeld);
}

TEST_F(DiscussionHttpTest, TheSameTextAgainIsRefusedAndAFloodFromManyAccountsIsHeld) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  const std::string text = "Visit my page for the real story behind the talks.";
  ASSERT_EQ(Comment(ann, text).status, 303);
  // Ann again, spelt differently: the normalised text is the same.
  const std::string respelt = "VISIT my page   for the real st0ry behind the talks.";
  auto again = Comment(ann, respelt);
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("you posted this text already"), std::string::npos);
  EXPECT_TRUE(FormKeeps(again, respelt));
  // Short replies are conversation, not spam.
  EXPECT_EQ(Comment(ann, "Agreed.").status, 303);
  EXPECT_EQ(Comment(ann, "Agreed.").status, 303);
  // The same text from three accounts within ten minutes: the third is held.
  Browser bob(app_->port());
  BecomeReader(bob, "bob@example.org", "Bob Reader");
  auto second = Comment(bob, text);
  ASSERT_EQ(second.status, 303);
  EXPECT_EQ(app_->store().FindComment(CommentIdOf(second))->status, store::CommentStatus::kPublished);
  Browser cat(app_->port());
  BecomeReader(cat, "cat@example.org", "Cat Reader");
  auto third = Comment(cat, text);
  ASSERT_EQ(third.status, 303);
  EXPECT_EQ(app_->store().FindComment(CommentIdOf(third))->status, store::CommentStatus::kHeld);
  auto page = cat.Get(std::string("/articles/") + kSlug);
  EXPECT_NE(page.body.find("id=\"c" + std::to_string(CommentIdOf(third)) + "\""), std::string::npos);
}

TEST_F(DiscussionHttpTest, TheHoneypotIsHiddenFromPeopleAndRefusesProgramsThatFillIt) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  auto page = ann.Get(std::string("/articles/") + kSlug);
  // Off screen, hidden from screen readers and out of the tab order.
  EXPECT_NE(page.body.find("<div class=\"trap\" aria-hidden=\"true\">"), std::string::npos);
  EXPECT_NE(page.body.find("name=\"website\" value=\"\" tabindex=\"-1\" autocomplete=\"off\""), std::string::npos);
  const std::string text = "Great article, see my site for more.";
  auto filled = ann.Post(std::string("/articles/") + kSlug + "/comments",
                         {{"body", text}, {"idempotency_key", ann.Field(page.body, "idempotency_key")},
                          {"form_stamp", ann.Field(page.body, "form_stamp")},
                          {"website", "http://spam.example"}});
  EXPECT_EQ(filled.status, 400);
  EXPECT_NE(filled.body.find("a field that people never see was filled in"), std::string::npos);
  EXPECT_TRUE(FormKeeps(filled, text));
  EXPECT_NE(filled.body.find("name=\"website\" value=\"\""), std::string::npos);
  auto article = app_->articles().Published(kSlug);
  EXPECT_EQ(app_->store().FindDiscussion(article->id)->comment_count, 0);
}

TEST_F(DiscussionHttpTest, AFormSentTooSoonIsRefusedPolitelyAndGoesThroughOnceTimeHasPassed) {
  StartApp([](Config& c) { c.discussion.min_seconds_to_submit = 1; });
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  const std::string text = "A considered view on the ceasefire.";
  auto quick = Comment(ann, text);
  EXPECT_EQ(quick.status, 429);
  EXPECT_NE(quick.body.find("that was quick"), std::string::npos);
  EXPECT_TRUE(FormKeeps(quick, text));
  const std::string stamp = ann.Field(quick.body, "form_stamp");
  const std::string key = ann.Field(quick.body, "idempotency_key");
  EXPECT_FALSE(stamp.empty());
  // The re-shown form keeps the time it was first shown: after the minimum it is accepted.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto later = ann.Post(std::string("/articles/") + kSlug + "/comments",
                        {{"body", text}, {"idempotency_key", key}, {"form_stamp", stamp}, {"website", ""}});
  EXPECT_EQ(later.status, 303) << later.body;
  // A forged or missing stamp is not accepted, and the text is kept.
  for (const std::string& forged : {std::string("1.abc"), std::string(), stamp.substr(0, stamp.find('.')) + ".x"}) {
    auto refused = ann.Post(std::string("/articles/") + kSlug + "/comments",
                            {{"body", "Another view."}, {"idempotency_key", "k-" + forged}, {"form_stamp", forged}});
    EXPECT_EQ(refused.status, 400) << forged;
    EXPECT_NE(refused.body.find("not loaded from the article page"), std::string::npos);
    EXPECT_TRUE(FormKeeps(refused, "Another view."));
  }
}

TEST_F(DiscussionHttpTest, TheJsonApiAppliesTheSpamChecks) {
  StartApp([](Config& c) { c.discussion.min_seconds_to_submit = 1; });
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  const std::string csrf = nlohmann::json::parse(ann.Get("/api/v1/session").body)["csrf"];
  const std::string path = std::string("/api/v1/articles/") + kSlug + "/comments";
  const auto field = [](const http::testing::ClientResponse& r) {
    return nlohmann::json::parse(r.body)["field"].get<std::string>();
  };
  auto trap = ann.PostJson(path, R"({"body":"Buy now, friends","website":"x"})", csrf);
  EXPECT_EQ(trap.status, 400);
  EXPECT_EQ(field(trap), "website");
  auto links = ann.PostJson(
      path, R"({"body":"http://a.example http://b.example http://c.example http://d.example http://e.example http://f.example"})",
      csrf);
  EXPECT_EQ(links.status, 400);
  EXPECT_NE(links.body.find("at most 5 links"), std::string::npos);
  auto forged = ann.PostJson(path, R"({"body":"With a forged stamp","form_stamp":"1.x"})", csrf);
  EXPECT_EQ(forged.status, 400);
  EXPECT_EQ(field(forged), "form_stamp");
  const std::string text = R"({"body":"A longer comment about the negotiations."})";
  EXPECT_EQ(ann.PostJson(path, text, csrf).status, 201);
  auto again = ann.PostJson(path, text, csrf);
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("you posted this text already"), std::string::npos);
}

TEST_F(DiscussionHttpTest, DisplayNamesPassThePolicyAtRegistrationAndNameChange) {
  Browser eve(app_->port());
  eve.Get("/register");
  // A banned term, however it is spelt, refuses the name with the clause; the form keeps the rest.
  for (const std::string& name : {std::string("Kill Yourself"), std::string("k1ll y0urself"), std::string("KYS")}) {
    auto refused = eve.Post("/register", {{"email", "eve@example.org"}, {"display_name", name},
                                          {"password", "a long password"}});
    EXPECT_EQ(refused.status, 400) << name;
    EXPECT_NE(refused.body.find("this name cannot be used: it breaks rule 1, threats of violence"), std::string::npos) << name;
    EXPECT_NE(refused.body.find("eve@example.org"), std::string::npos);
  }
  EXPECT_FALSE(app_->store().FindUser({.email = "eve@example.org"}));
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  ann.Get("/account");
  auto renamed = ann.Post("/account/name", {{"display_name", "Ann you idiot"}});
  EXPECT_EQ(renamed.status, 400);
  EXPECT_NE(renamed.body.find("this name cannot be used: it breaks rule 2, personal attacks"), std::string::npos);
  EXPECT_EQ(app_->store().FindUser({.email = "ann@example.org"})->display_name, "Ann Reader");
  EXPECT_EQ(ann.Post("/account/name", {{"display_name", "Ann Scunthorpe"}}).status, 303);
}

TEST_F(DiscussionHttpTest, AHighScoringCommentIsShownBackOnceWithTheReasonAndTheClause) {
  StartApp([](Config& c) { c.discussion.posts_per_minute = 100; });  // a nudge counts as a post
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  // A suspect phrase (rule 1) that the classifier scores low: it would be held.
  const std::string threatish = "Your days are numbered as a paper if you keep this up.";
  auto nudged = Comment(ann, threatish);
  EXPECT_EQ(nudged.status, 200);
  EXPECT_NE(nudged.body.find("before you post: this may break rule 1, threats of violence"), std::string::npos);
  EXPECT_TRUE(FormKeeps(nudged, threatish));
  EXPECT_NE(nudged.body.find("name=\"rephrased\" value=\"1\""), std::string::npos);
  auto article = app_->articles().Published(kSlug);
  EXPECT_EQ(app_->store().FindDiscussion(article->id)->comment_count, 0);
  // Sent again unchanged (the form says it was seen): the normal decision, held.
  const std::vector<std::pair<std::string, std::string>> again = {
      {"body", threatish}, {"idempotency_key", ann.Field(nudged.body, "idempotency_key")},
      {"form_stamp", ann.Field(nudged.body, "form_stamp")}, {"rephrased", "1"}};
  auto held = ann.Post(std::string("/articles/") + kSlug + "/comments", again);
  ASSERT_EQ(held.status, 303) << held.body;
  EXPECT_EQ(app_->store().FindComment(CommentIdOf(held))->status, store::CommentStatus::kHeld);
  // The classifier's nudge band (score 0.68: above nudge, below hold), rephrased: published.
  auto harsh = Comment(ann, "Honestly this is a stupid policy and the minister knows it.");
  EXPECT_EQ(harsh.status, 200);
  EXPECT_NE(harsh.body.find("rule 2, personal attacks"), std::string::npos);
  auto rephrased = ann.Post(std::string("/articles/") + kSlug + "/comments",
                            {{"body", "Honestly this policy is a mistake and the minister knows it."},
                             {"idempotency_key", ann.Field(harsh.body, "idempotency_key")},
                             {"form_stamp", ann.Field(harsh.body, "form_stamp")}, {"rephrased", "1"}});
  ASSERT_EQ(rephrased.status, 303) << rephrased.body;
  EXPECT_EQ(app_->store().FindComment(CommentIdOf(rephrased))->status, store::CommentStatus::kPublished);
  // Rejected texts are not nudged: they are refused at once.
  EXPECT_EQ(Comment(ann, "You are an idiot and everyone hates you").status, 400);
  // Civil text is never nudged.
  EXPECT_EQ(Comment(ann, "The minister's statement leaves the key question open.").status, 303);

  // The JSON API: 409 with field "nudge", then "rephrased": true decides.
  const std::string csrf = nlohmann::json::parse(ann.Get("/api/v1/session").body)["csrf"];
  const std::string path = std::string("/api/v1/articles/") + kSlug + "/comments";
  auto api_nudge = ann.PostJson(path, R"({"body":"What a fucking mess this budget is."})", csrf);
  EXPECT_EQ(api_nudge.status, 409);
  const auto body = nlohmann::json::parse(api_nudge.body);
  EXPECT_EQ(body["field"], "nudge");
  EXPECT_NE(body["message"].get<std::string>().find("rule 4, obscene language"), std::string::npos);
  auto api_posted =
      ann.PostJson(path, R"({"body":"What a fucking mess this budget is.","rephrased":true})", csrf);
  ASSERT_EQ(api_posted.status, 201) << api_posted.body;
  EXPECT_EQ(nlohmann::json::parse(api_posted.body)["status"], "published");
}

TEST_F(DiscussionHttpTest, HostileTextGetsAClearAnswerInBoundedWork) {
  Browser ann(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann Reader");
  // Only zero-width and bidi controls, or accents on nothing: an invisible comment.
  const std::string invisible = "\xE2\x80\x8B\xE2\x80\x8B\xE2\x80\xAE\xE2\x81\xA6\xEF\xBB\xBF";
  std::string accents;
  while (accents.size() < 1900) accents += "\xCC\x81";
  for (const std::string& text : {invisible, accents}) {
    auto refused = Comment(ann, text);
    EXPECT_EQ(refused.status, 400);
    EXPECT_NE(refused.body.find("write something readable"), std::string::npos);
  }
  // A word drowned in combining marks and zero-width spaces is judged on the word.
  std::string zalgo = "Y";
  for (int i = 0; i < 300; ++i) zalgo += "\xCC\x81\xE2\x80\x8B";
  zalgo += "ou are an idiot and everyone hates you";
  EXPECT_EQ(Comment(ann, zalgo).status, 400);
  // A megabyte: refused by the server before the body is read, or by the length
  // rule with the text shown again; never stored.
  auto megabyte = Comment(ann, std::string(1 << 20, 'a'));
  EXPECT_EQ(megabyte.status, 413);
  auto big = Comment(ann, std::string(900 * 1024, 'b'));
  EXPECT_EQ(big.status, 400);
  EXPECT_NE(big.body.find("the text is longer than 2000 bytes"), std::string::npos);
  EXPECT_EQ(Comment(ann, "\xF0\x9F\x91\x8D").status, 303);  // a thumbs-up alone is readable
  auto article = app_->articles().Published(kSlug);
  EXPECT_EQ(app_->store().FindDiscussion(article->id)->comment_count, 1);
}

}  // namespace
}  // namespace masthead::app
