// Moderation over real HTTP: readers report comments, moderators work the
// queues, sanctions escalate, appeals go to another moderator, and every
// decision reaches the author's mailbox through the outbox.
#include <gtest/gtest.h>

#include <regex>

#include "app/site_http_test.h"

namespace masthead::app {
namespace {

class ModerationHttpTest : public SiteHttpTest {
 protected:
  void Configure(Config& config) override {
    config.moderation.report_hold_threshold = 2;
    config.moderation.suspension_hours = {24};
  }

  // A staff member logged in with their own browser.
  void LogInStaff(Browser& browser, const std::string& email, const std::string& name) {
    ASSERT_TRUE(app_->accounts().AddUser(email, name, accounts::Role::kModerator, "moderator password"));
    browser.Get("/login");
    ASSERT_EQ(browser.Post("/login", {{"email", email}, {"password", "moderator password"}}).status, 303);
    ASSERT_EQ(browser.Get("/staff/moderation").status, 200);  // also picks up the form token
  }

  static std::int64_t IdOf(const http::testing::ClientResponse& posted) {
    const std::string location = posted.Header("location");
    const auto hash = location.find("#c");
    return hash == std::string::npos ? 0 : std::stoll(location.substr(hash + 2));
  }

  store::CommentStatus StatusOf(std::int64_t id) { return app_->store().FindComment(id).value().status; }

  http::testing::ClientResponse Decide(Browser& mod, std::int64_t id, const std::string& decision,
                                       const std::string& clause = "", bool sanction = false) {
    std::vector<std::pair<std::string, std::string>> fields = {{"decision", decision}, {"queue", "pending"}};
    if (!clause.empty()) fields.emplace_back("clause", clause);
    if (sanction) fields.emplace_back("sanction", "1");
    return mod.Post("/staff/moderation/comments/" + std::to_string(id), fields);
  }

  // The mails of `kind` ("decision", "reply") to `address` in the outbox (the
  // durable queue, whatever the worker did with them since).
  int MailsTo(const std::string& address, const std::string& kind) {
    int count = 0;
    const auto outbox = app_->store().ListMail({"", 500});
    if (!outbox) return -1;
    for (const auto& message : *outbox) {
      if (message.kind == kind && message.recipient == address) ++count;
    }
    return count;
  }
  int DecisionMailsTo(const std::string& address) { return MailsTo(address, "decision"); }
  int ReplyMailsTo(const std::string& address) { return MailsTo(address, "reply"); }

  // The newest delivered mail to `address` containing `needle`, soft line breaks
  // undone; empty when none arrives within a bounded wait.
  std::string DeliveredMail(const std::string& address, const std::string& needle) {
    for (int attempt = 0; attempt < 500; ++attempt) {
      if (std::filesystem::exists(dir_ / "maildir" / "new")) {
        for (const auto& entry : std::filesystem::directory_iterator(dir_ / "maildir" / "new")) {
          std::ifstream in(entry.path());
          std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
          text = std::regex_replace(text, std::regex("=\r?\n"), "");
          if (text.find(address) != std::string::npos && text.find(needle) != std::string::npos) return text;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return {};
  }
};

TEST_F(ModerationHttpTest, AReportCountsOncePerReaderAndEnoughReportsHoldTheComment) {
  Browser ann(app_->port()), bob(app_->port()), cid(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann");
  BecomeReader(bob, "bob@example.org", "Bob");
  BecomeReader(cid, "cid@example.org", "Cid");
  auto posted = Comment(ann, "The minister has a point about the sanctions.");
  const std::int64_t id = IdOf(posted);
  ASSERT_GT(id, 0) << posted.body;
  const std::string report = "/comments/" + std::to_string(id) + "/report";

  // Every published comment of someone else carries a Report link (no script needed).
  EXPECT_NE(bob.Get(std::string("/articles/") + kSlug).body.find("href=\"" + report + "\""), std::string::npos);
  auto form = bob.Get(report);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"harassment\""), std::string::npos);
  EXPECT_EQ(bob.Post(report, {{"reason", "other"}, {"detail", ""}}).status, 400);  // "other" needs words
  EXPECT_EQ(bob.Post(report, {{"reason", "sarcasm"}}).status, 400);
  EXPECT_EQ(bob.Post(report, {{"reason", "other"}, {"detail", std::string(5000, 'x')}}).status, 400);
  EXPECT_EQ(bob.Post(report, {{"reason", "other"}, {"detail", "broken \xff\xfe bytes"}}).status, 400);
  EXPECT_TRUE(app_->store().ListReportedComments(10)->empty());  // refused reports leave nothing
  EXPECT_EQ(bob.Post(report, {{"reason", "harassment"}}).status, 200);
  auto twice = bob.Post(report, {{"reason", "hate"}});
  EXPECT_EQ(twice.status, 409);
  EXPECT_NE(twice.body.find("already reported"), std::string::npos);
  EXPECT_EQ(StatusOf(id), store::CommentStatus::kPublished);  // one reader, one report
  EXPECT_EQ(ann.Post(report, {{"reason", "spam"}}).status, 400);  // not one's own

  EXPECT_EQ(cid.Post(report, {{"reason", "other"}, {"detail", "<b>mocks</b> another reader"}}).status, 200);
  EXPECT_EQ(StatusOf(id), store::CommentStatus::kHeld);
  EXPECT_EQ(http::testing::Get(app_->port(), std::string("/articles/") + kSlug)
                .body.find("The minister has a point"),
            std::string::npos);
  EXPECT_EQ(DecisionMailsTo("ann@example.org"), 1);

  Browser mod(app_->port());
  LogInStaff(mod, "mod@example.org", "Mo Derator");
  auto reported = mod.Get("/staff/moderation?queue=reported");
  EXPECT_NE(reported.body.find("The minister has a point"), std::string::npos);
  EXPECT_NE(reported.body.find("2 open report(s)"), std::string::npos);
  EXPECT_NE(reported.body.find("&lt;b&gt;mocks&lt;/b&gt; another reader"), std::string::npos);
  auto log = mod.Get("/staff/moderation/log");
  EXPECT_NE(log.body.find("held after readers"), std::string::npos) << log.body;
}

TEST_F(ModerationHttpTest, ModeratorsApproveAndRejectCitingTheRuleAndTheAuthorIsToldByMailAndOnThePage) {
  Browser ann(app_->port()), mod(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann");
  LogInStaff(mod, "mod@example.org", "Mo Derator");
  const std::int64_t first = IdOf(Comment(ann, "I disagree with the minister."));
  const std::int64_t reply = IdOf(Comment(ann, "Everyone who agrees is a clown.", std::to_string(first)));
  ASSERT_GT(reply, 0);
  // A moderator holds nothing here; put the reply in the queue as the pipeline would.
  ASSERT_TRUE(app_->store().UpdateComment({.id = reply, .status = store::CommentStatus::kHeld, .now = NowSeconds()}));

  auto queue = mod.Get("/staff/moderation");
  ASSERT_EQ(queue.status, 200);
  EXPECT_NE(queue.body.find("Everyone who agrees is a clown."), std::string::npos);
  EXPECT_NE(queue.body.find("Thread opened by Ann"), std::string::npos);  // shown in its thread
  EXPECT_NE(queue.body.find("/static/moderation.js"), std::string::npos);
  EXPECT_NE(queue.body.find("Rule 2: personal attacks"), std::string::npos);

  EXPECT_EQ(Decide(mod, reply, "reject").status, 400);  // a rejection cites a rule
  EXPECT_EQ(StatusOf(reply), store::CommentStatus::kHeld);
  auto rejected = Decide(mod, reply, "reject", "personal_attacks");
  ASSERT_EQ(rejected.status, 303) << rejected.body;
  EXPECT_EQ(StatusOf(reply), store::CommentStatus::kRejected);
  EXPECT_EQ(DecisionMailsTo("ann@example.org"), 1);
  const std::string mail = DeliveredMail("ann@example.org", "A moderation decision about your comment: rejected");
  ASSERT_FALSE(mail.empty());
  EXPECT_NE(mail.find("rule 2, personal attacks"), std::string::npos);
  EXPECT_NE(mail.find("/account/moderation"), std::string::npos);  // where to appeal

  EXPECT_NE(ann.Get("/account").body.find("href=\"/account/moderation\""), std::string::npos);
  auto record = ann.Get("/account/moderation");
  ASSERT_EQ(record.status, 200);
  EXPECT_NE(record.body.find("rule 2, personal attacks"), std::string::npos);
  EXPECT_NE(record.body.find("Appeal this decision"), std::string::npos);

  // Approving a held comment publishes it and tells the author.
  ASSERT_TRUE(app_->store().UpdateComment({.id = first, .status = store::CommentStatus::kHeld, .now = NowSeconds()}));
  ASSERT_EQ(Decide(mod, first, "approve").status, 303);
  EXPECT_EQ(StatusOf(first), store::CommentStatus::kPublished);
  EXPECT_EQ(DecisionMailsTo("ann@example.org"), 2);
  EXPECT_EQ(Decide(mod, reply, "approve").status, 409);  // already removed

  auto decided = mod.Get("/staff/moderation?queue=decided");
  EXPECT_NE(decided.body.find("rejected by Mo Derator"), std::string::npos);
  auto log = mod.Get("/staff/moderation/log");
  EXPECT_NE(log.body.find("approved"), std::string::npos);
  EXPECT_NE(log.body.find("rule 2, personal attacks"), std::string::npos);

  // Notes on a reader stay with staff.
  ASSERT_EQ(mod.Post("/staff/moderation/readers/" + std::to_string(app_->store().FindComment(first)->author_id) +
                         "/notes",
                     {{"body", "Usually civil; one bad day."}})
                .status,
            303);
  auto reader_page = mod.Get("/staff/moderation/readers/" + std::to_string(app_->store().FindComment(first)->author_id));
  EXPECT_NE(reader_page.body.find("Usually civil; one bad day."), std::string::npos);
  EXPECT_EQ(ann.Get("/account/moderation").body.find("Usually civil"), std::string::npos);

  // The public report counts the last twelve months' decisions by rule.
  ASSERT_TRUE(app_->store().RecordModerationAction({.action = "reject", .reason_code = "identity_hate",
                                                    .now = NowSeconds() - 400 * 86400}));
  auto transparency = http::testing::Get(app_->port(), "/transparency");
  ASSERT_EQ(transparency.status, 200);
  EXPECT_NE(transparency.body.find("rejected (rule 2, personal attacks)"), std::string::npos);
  EXPECT_NE(transparency.body.find("<svg"), std::string::npos);
  EXPECT_EQ(transparency.body.find("rule 3, hate against groups"), std::string::npos);  // too old
}

TEST_F(ModerationHttpTest, ReadersAndVisitorsCannotReachTheQueuesAndForgedFormsChangeNothing) {
  Browser ann(app_->port()), bob(app_->port()), mod(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann");
  BecomeReader(bob, "bob@example.org", "Bob");
  const std::int64_t id = IdOf(Comment(ann, "A comment to fight over."));
  EXPECT_EQ(http::testing::Get(app_->port(), "/staff/moderation").status, 303);
  EXPECT_EQ(bob.Get("/staff/moderation").status, 403);
  EXPECT_EQ(Decide(bob, id, "reject", "spam").status, 403);
  EXPECT_EQ(StatusOf(id), store::CommentStatus::kPublished);

  LogInStaff(mod, "mod@example.org", "Mo Derator");
  auto forged = mod.Post("/staff/moderation/comments/" + std::to_string(id),
                         {{"decision", "reject"}, {"clause", "spam"}, {"csrf", "forged"}}, false);
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(StatusOf(id), store::CommentStatus::kPublished);
  auto unsigned_report = bob.Post("/comments/" + std::to_string(id) + "/report", {{"reason", "spam"}}, false);
  EXPECT_EQ(unsigned_report.status, 403);
  EXPECT_TRUE(app_->store().ListReportedComments(10)->empty());
  EXPECT_TRUE(app_->store().ListModerationActions({})->empty());
}

TEST_F(ModerationHttpTest, SanctionsEscalateFromAWarningToASuspensionThatStopsPosting) {
  Browser ann(app_->port()), mod(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann");
  LogInStaff(mod, "mod@example.org", "Mo Derator");
  const std::int64_t first = IdOf(Comment(ann, "First rude comment."));
  ASSERT_EQ(Decide(mod, first, "reject", "personal_attacks", true).status, 303);
  EXPECT_EQ(app_->store().ListSanctions(app_->store().FindComment(first)->author_id)->front().kind, "warning");
  const std::int64_t second = IdOf(Comment(ann, "Second rude comment."));  // a warning does not stop posting
  ASSERT_GT(second, 0);
  const std::int64_t calm = IdOf(Comment(ann, "A calm comment."));
  ASSERT_EQ(StatusOf(calm), store::CommentStatus::kPublished);
  ASSERT_EQ(Decide(mod, second, "reject", "threats", true).status, 303);
  const std::string mail = DeliveredMail("ann@example.org", "suspended from posting until");
  ASSERT_FALSE(mail.empty());
  EXPECT_NE(mail.find("rule 1, threats of violence"), std::string::npos);

  auto article = app_->articles().Published(kSlug);
  const int before = app_->store().FindDiscussion(article->id)->comment_count;
  auto refused = Comment(ann, "Am I still allowed to write?");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("suspended from posting until"), std::string::npos);
  EXPECT_NE(refused.body.find("Am I still allowed to write?"), std::string::npos);  // the text is kept
  EXPECT_EQ(app_->store().FindDiscussion(article->id)->comment_count, before);
  auto edit = ann.Post("/comments/" + std::to_string(calm) + "/edit", {{"body", "Now something else."}});
  EXPECT_EQ(edit.status, 403);
  EXPECT_EQ(app_->store().FindComment(calm)->body_markdown, "A calm comment.");
  EXPECT_NE(ann.Get("/account/moderation").body.find("suspended from posting until"), std::string::npos);

  // Appealed and overturned by another moderator, the suspension ends at once.
  const auto sanctions = app_->store().ListSanctions(app_->store().FindComment(calm)->author_id).value();
  ASSERT_EQ(sanctions.front().kind, "suspension");
  ASSERT_EQ(ann.Post("/account/moderation/appeals", {{"action_id", std::to_string(sanctions.front().action_id)},
                                                    {"body", "I was quoting the article."}})
                .status,
            200);
  Browser other(app_->port());
  LogInStaff(other, "other@example.org", "Other Moderator");
  const std::string decide = "/staff/moderation/appeals/" + std::to_string(app_->store().ListOpenAppeals(1)->front().id);
  EXPECT_EQ(mod.Post(decide, {{"outcome", "overturn"}}).status, 403);
  ASSERT_EQ(other.Post(decide, {{"outcome", "overturn"}}).status, 303);
  EXPECT_TRUE(app_->store().ListSanctions(app_->store().FindComment(calm)->author_id)->front().lifted_at);
  EXPECT_EQ(Comment(ann, "Thank you for looking again.").status, 303);
  EXPECT_FALSE(DeliveredMail("ann@example.org", "reviewed again on appeal: your suspension was withdrawn").empty());
}

TEST_F(ModerationHttpTest, AnAppealIsMadeOnceAndDecidedByAnotherModerator) {
  Browser ann(app_->port()), mod(app_->port()), other(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann");
  LogInStaff(mod, "mod@example.org", "Mo Derator");
  LogInStaff(other, "other@example.org", "Other Moderator");
  const std::int64_t id = IdOf(Comment(ann, "A sharp but fair remark."));
  ASSERT_EQ(Decide(mod, id, "reject", "personal_attacks").status, 303);
  const auto actions = app_->store().ListModerationActions({.comment_id = id}).value();
  ASSERT_EQ(actions.size(), 1u);
  const std::string action_id = std::to_string(actions[0].id);

  ann.Get("/account/moderation");
  EXPECT_EQ(ann.Post("/account/moderation/appeals", {{"action_id", action_id}, {"body", ""}}).status, 400);
  auto appealed = ann.Post("/account/moderation/appeals", {{"action_id", action_id}, {"body", "It was fair criticism."}});
  ASSERT_EQ(appealed.status, 200) << appealed.body;
  auto again = ann.Post("/account/moderation/appeals", {{"action_id", action_id}, {"body", "Please look again."}});
  EXPECT_EQ(again.status, 409);
  Browser bob(app_->port());
  BecomeReader(bob, "bob@example.org", "Bob");
  bob.Get("/account/moderation");
  EXPECT_EQ(bob.Post("/account/moderation/appeals", {{"action_id", action_id}, {"body", "Me too"}}).status, 404);

  const auto appeals = app_->store().ListOpenAppeals(10).value();
  ASSERT_EQ(appeals.size(), 1u);
  const std::string decide = "/staff/moderation/appeals/" + std::to_string(appeals[0].id);
  auto own_queue = mod.Get("/staff/moderation?queue=appeals");
  EXPECT_NE(own_queue.body.find("another moderator must decide"), std::string::npos);
  auto own = mod.Post(decide, {{"outcome", "overturn"}});
  EXPECT_EQ(own.status, 403);
  EXPECT_EQ(StatusOf(id), store::CommentStatus::kRejected);

  other.Get("/staff/moderation?queue=appeals");
  ASSERT_EQ(other.Post(decide, {{"outcome", "overturn"}, {"note", "Criticism of an argument is allowed."}}).status, 303);
  EXPECT_EQ(StatusOf(id), store::CommentStatus::kPublished);
  EXPECT_EQ(other.Post(decide, {{"outcome", "uphold"}}).status, 409);
  EXPECT_FALSE(DeliveredMail("ann@example.org", "reviewed again on appeal: the rejection was withdrawn").empty());
  EXPECT_NE(ann.Get("/account/moderation").body.find("your appeal was accepted"), std::string::npos);
}

class PremoderationHttpTest : public ModerationHttpTest {
 protected:
  void Configure(Config& config) override {
    ModerationHttpTest::Configure(config);
    config.moderation.premoderate_first_comments = 2;
  }
};

TEST_F(PremoderationHttpTest, ANewReadersFirstCommentsWaitForAModerator) {
  Browser ann(app_->port()), mod(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann");
  const std::int64_t first = IdOf(Comment(ann, "My first comment here."));
  const std::int64_t second = IdOf(Comment(ann, "My second comment here."));
  const std::int64_t third = IdOf(Comment(ann, "My third comment here."));
  EXPECT_EQ(StatusOf(first), store::CommentStatus::kHeld);
  EXPECT_EQ(StatusOf(second), store::CommentStatus::kHeld);
  EXPECT_EQ(StatusOf(third), store::CommentStatus::kHeld);  // posting more does not end it
  auto own_view = ann.Get(std::string("/articles/") + kSlug);
  EXPECT_NE(own_view.body.find("Awaiting review"), std::string::npos);
  EXPECT_EQ(http::testing::Get(app_->port(), std::string("/articles/") + kSlug).body.find("My first comment here."),
            std::string::npos);
  LogInStaff(mod, "mod@example.org", "Mo Derator");
  EXPECT_NE(mod.Get("/staff/moderation").body.find("My first comment here."), std::string::npos);
  // Two approved comments end pre-moderation.
  ASSERT_EQ(Decide(mod, first, "approve").status, 303);
  ASSERT_EQ(Decide(mod, second, "approve").status, 303);
  EXPECT_EQ(StatusOf(IdOf(Comment(ann, "My fourth comment here."))), store::CommentStatus::kPublished);
}

TEST_F(PremoderationHttpTest, AHeldReplyApprovedLaterMailsTheParentsAuthorOnce) {
  Browser ann(app_->port()), bob(app_->port()), mod(app_->port());
  BecomeReader(ann, "ann@example.org", "Ann");
  LogInStaff(mod, "mod@example.org", "Mo Derator");
  const std::int64_t parent = IdOf(Comment(ann, "My first comment here."));
  ASSERT_EQ(Decide(mod, parent, "approve").status, 303);
  BecomeReader(bob, "bob@example.org", "Bob");
  const std::int64_t reply = IdOf(Comment(bob, "A reply that waits for a moderator.", std::to_string(parent)));
  ASSERT_EQ(StatusOf(reply), store::CommentStatus::kHeld);
  ASSERT_TRUE(app_->reply_mails().Drain());
  EXPECT_EQ(ReplyMailsTo("ann@example.org"), 0);  // nothing to tell while nobody can read it

  ASSERT_EQ(Decide(mod, reply, "approve").status, 303);
  EXPECT_EQ(ReplyMailsTo("ann@example.org"), 1);
  EXPECT_FALSE(DeliveredMail("ann@example.org", "A reply that waits for a moderator.").empty());
  // Reported, held and approved again, or drained again: still the one mail.
  ASSERT_TRUE(app_->store().UpdateComment({.id = reply, .status = store::CommentStatus::kHeld, .now = NowSeconds()}));
  ASSERT_EQ(Decide(mod, reply, "approve").status, 303);
  ASSERT_TRUE(app_->reply_mails().Drain());
  EXPECT_EQ(ReplyMailsTo("ann@example.org"), 1);
}

}  // namespace
}  // namespace masthead::app
