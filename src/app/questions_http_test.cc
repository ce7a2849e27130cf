// Reader questions over real HTTP: readers ask and vote through the forms as a
// browser sends them, the newsroom answers and links follow-ups, and the mail
// lands in the real outbox of the SQLite file.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/site_http_test.h"

namespace masthead::app {
namespace {

class QuestionsHttpTest : public SiteHttpTest {
 protected:
  void Configure(Config& config) override { config.questions.followup_check_seconds = 1; }

  void LogIn(Browser& browser, const std::string& email, const std::string& password) {
    browser.Get("/login");
    ASSERT_EQ(browser.Post("/login", {{"email", email}, {"password", password}}).status, 303);
    browser.Get("/account");  // a page with the form token bound to the new session
  }
  // An editor with a session in `browser`.
  void BecomeEditor(Browser& browser) {
    ASSERT_TRUE(app_->accounts().AddUser("ed@example.org", "Ed Itor", accounts::Role::kEditor, "editor password"));
    LogIn(browser, "ed@example.org", "editor password");
  }

  static std::string QuestionsPath() { return std::string("/articles/") + kSlug + "/questions"; }

  // The ask form as a browser posts it: its hidden fields and an empty honeypot.
  http::testing::ClientResponse Ask(Browser& browser, const std::string& text) {
    auto page = browser.Get(QuestionsPath());
    return browser.Post(QuestionsPath(), {{"body", text},
                                          {"idempotency_key", browser.Field(page.body, "idempotency_key")},
                                          {"form_stamp", browser.Field(page.body, "form_stamp")},
                                          {"website", ""}});
  }

  std::vector<store::Question> Questions(store::QuestionTab tab = store::QuestionTab::kAll) {
    auto article = app_->articles().Published(kSlug);
    EXPECT_TRUE(article);
    auto listed = app_->store().ListQuestions({article->id, tab, store::QuestionOrder::kOldest, 0, 100});
    EXPECT_TRUE(listed);
    return listed ? *listed : std::vector<store::Question>{};
  }

  // Outbox messages of one kind, by recipient.
  std::multiset<std::string> MailOfKind(const std::string& kind) {
    std::multiset<std::string> recipients;
    auto mail = app_->store().ListMail({"", 1000});
    EXPECT_TRUE(mail);
    for (const auto& message : *mail) {
      if (message.kind == kind) recipients.insert(message.recipient);
    }
    return recipients;
  }

  // Three readers: Ann asks, Bob and Cat vote.
  void ThreeReaders() {
    BecomeReader(ann_, "ann@example.org", "Ann");
    BecomeReader(bob_, "bob@example.org", "Bob");
    BecomeReader(cat_, "cat@example.org", "Cat");
  }

  Browser ann_{0}, bob_{0}, cat_{0};
  void SetUp() override {
    SiteHttpTest::SetUp();
    if (HasFatalFailure()) return;
    ann_ = Browser(app_->port());
    bob_ = Browser(app_->port());
    cat_ = Browser(app_->port());
  }
};

TEST_F(QuestionsHttpTest, AQuestionIsAskedThroughTheFormAndListedApartFromComments) {
  ThreeReaders();
  auto asked = Ask(ann_, "How many <script>alert(1)</script> people were **evacuated**?");
  ASSERT_EQ(asked.status, 303) << asked.body;
  EXPECT_NE(asked.Header("location").find("/questions?tab=unanswered"), std::string::npos);
  const auto questions = Questions();
  ASSERT_EQ(questions.size(), 1u);
  EXPECT_EQ(questions[0].asker_name, "Ann");
  EXPECT_EQ(questions[0].state, "open");

  auto page = bob_.Get(QuestionsPath() + "?tab=unanswered");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<strong>evacuated</strong>"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.body.find("Vote for this question"), std::string::npos);
  // Not a comment: the Further Discussion and its count do not show it.
  auto article = bob_.Get(std::string("/articles/") + kSlug);
  EXPECT_EQ(article.body.find("evacuated"), std::string::npos);
  EXPECT_NE(article.body.find("1 unanswered, 0 answered"), std::string::npos);
  // A double-submitted form makes one question.
  auto form = ann_.Get(QuestionsPath());
  const std::string key = ann_.Field(form.body, "idempotency_key");
  const std::string stamp = ann_.Field(form.body, "form_stamp");
  for (int i = 0; i < 2; ++i) {
    auto posted = ann_.Post(QuestionsPath(), {{"body", "Which agency counted the evacuees?"},
                                              {"idempotency_key", key}, {"form_stamp", stamp}, {"website", ""}});
    EXPECT_EQ(posted.status, 303);
  }
  EXPECT_EQ(Questions().size(), 2u);
}

TEST_F(QuestionsHttpTest, VotingTwiceCountsOnce) {
  ThreeReaders();
  ASSERT_EQ(Ask(ann_, "Who ordered the evacuation?").status, 303);
  const std::int64_t id = Questions().at(0).id;
  const std::string vote = "/questions/" + std::to_string(id) + "/vote";
  bob_.Get(QuestionsPath());
  EXPECT_EQ(bob_.Post(vote, {{"add", "1"}}).status, 303);
  EXPECT_EQ(bob_.Post(vote, {{"add", "1"}}).status, 303);
  EXPECT_EQ(app_->store().FindQuestion(id)->vote_count, 1);
  // The JSON API counts the same vote once too.
  auto session = nlohmann::json::parse(bob_.Get("/api/v1/session").body);
  auto api = bob_.PostJson("/api/v1/questions/" + std::to_string(id) + "/vote", "", session["csrf"]);
  EXPECT_EQ(api.status, 200) << api.body;
  EXPECT_EQ(nlohmann::json::parse(api.body)["votes"], 1);
  // Another reader's vote counts; the asker's own does not.
  cat_.Get(QuestionsPath());
  EXPECT_EQ(cat_.Post(vote, {{"add", "1"}}).status, 303);
  ann_.Get(QuestionsPath());
  EXPECT_EQ(ann_.Post(vote, {{"add", "1"}}).status, 400);
  EXPECT_EQ(app_->store().FindQuestion(id)->vote_count, 2);
  auto page = bob_.Get(QuestionsPath());
  EXPECT_NE(page.body.find("<span class=\"vote-count\">2</span> votes"), std::string::npos);
  EXPECT_NE(page.body.find("aria-pressed=\"true\""), std::string::npos);
}

TEST_F(QuestionsHttpTest, AReaderCannotAnswerButAnAssignedExpertCanAndTheWatchersAreMailedOnce) {
  ThreeReaders();
  ASSERT_EQ(Ask(ann_, "Which roads are closed?").status, 303);
  const std::int64_t id = Questions().at(0).id;
  const std::string base = "/questions/" + std::to_string(id);
  cat_.Get(QuestionsPath());
  ASSERT_EQ(cat_.Post(base + "/vote", {{"add", "1"}}).status, 303);

  bob_.Get(QuestionsPath());
  EXPECT_EQ(bob_.Post(base + "/answer", {{"answer", "All of them."}}).status, 403);
  auto session = nlohmann::json::parse(bob_.Get("/api/v1/session").body);
  auto api = bob_.PostJson("/api/v1/questions/" + std::to_string(id) + "/answer",
                           R"({"answer":"All of them."})", session["csrf"]);
  EXPECT_EQ(api.status, 403);
  EXPECT_EQ(nlohmann::json::parse(api.body)["code"], "permission_denied");
  EXPECT_EQ(bob_.Post(base + "/merge", {{"into", "1"}}).status, 403);
  EXPECT_EQ(app_->store().FindQuestion(id)->state, "open");
  EXPECT_TRUE(MailOfKind("answer").empty());

  // An editor assigns Bob as the story's expert: now he may answer.
  Browser editor(app_->port());
  BecomeEditor(editor);
  editor.Get(QuestionsPath());
  ASSERT_EQ(editor.Post(std::string("/articles/") + kSlug + "/experts", {{"email", "BOB@example.org"}}).status, 303);
  bob_.Get(QuestionsPath());
  auto answered = bob_.Post(base + "/answer", {{"answer", "The A1 and the **B2**, until Monday."}});
  ASSERT_EQ(answered.status, 303) << answered.body;
  auto page = ann_.Get(QuestionsPath() + "?tab=answered");
  EXPECT_NE(page.body.find("newsroom-badge"), std::string::npos);
  EXPECT_NE(page.body.find("<strong>B2</strong>"), std::string::npos);
  EXPECT_EQ(MailOfKind("answer"), (std::multiset<std::string>{"ann@example.org", "cat@example.org"}));
  // A corrected answer does not mail again.
  bob_.Get(QuestionsPath());
  ASSERT_EQ(bob_.Post(base + "/answer", {{"answer", "The A1 and the B2, until Tuesday."}}).status, 303);
  EXPECT_EQ(MailOfKind("answer").size(), 2u);
  EXPECT_EQ(app_->store().FindQuestion(id)->answer_markdown, "The A1 and the B2, until Tuesday.");
}

TEST_F(QuestionsHttpTest, AFollowUpLinkedWhileUnpublishedIsMailedWhenItIsPublished) {
  ThreeReaders();
  ASSERT_EQ(Ask(ann_, "What happens to the refugees next?").status, 303);
  const std::int64_t id = Questions().at(0).id;
  cat_.Get(QuestionsPath());
  ASSERT_EQ(cat_.Post("/questions/" + std::to_string(id) + "/vote", {{"add", "1"}}).status, 303);

  store::ArticleFields draft;
  draft.slug = "refugees-what-next";
  draft.section_slug = app_->articles().Published(kSlug)->fields.section_slug;
  draft.headline = "Where the refugees go next";
  draft.credit = "The Associated Press";
  draft.body_markdown = "The follow-up.";
  auto followup = app_->articles().Create(draft, "draft");
  ASSERT_TRUE(followup) << followup.error().ToString();

  Browser editor(app_->port());
  BecomeEditor(editor);
  editor.Get(QuestionsPath());
  auto linked = editor.Post("/questions/" + std::to_string(id) + "/followup", {{"article", "refugees-what-next"}});
  ASSERT_EQ(linked.status, 303) << linked.body;
  EXPECT_EQ(app_->store().FindQuestion(id)->state, "followup");
  // Unpublished: nothing mailed, nothing linked on the pages, through a few checks.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_TRUE(MailOfKind("followup").empty());
  EXPECT_EQ(ann_.Get(std::string("/articles/") + kSlug).body.find("Follow-up:"), std::string::npos);
  EXPECT_EQ(ann_.Get(QuestionsPath() + "?tab=answered").body.find("refugees-what-next"), std::string::npos);

  // Published: the server's check mails the asker and the voter, once.
  draft.published_at = NowSeconds();
  ASSERT_TRUE(app_->articles().Update(followup->id, 0, draft, "publish"));
  for (int i = 0; i < 500 && MailOfKind("followup").size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(MailOfKind("followup"), (std::multiset<std::string>{"ann@example.org", "cat@example.org"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // more checks: no second mail
  EXPECT_EQ(MailOfKind("followup").size(), 2u);
  auto original = ann_.Get(std::string("/articles/") + kSlug);
  EXPECT_NE(original.body.find("Follow-up:</strong> <a href=\"/articles/refugees-what-next\">"), std::string::npos);
  auto next = ann_.Get("/articles/refugees-what-next");
  EXPECT_NE(next.body.find(std::string("This story follows up on: <a href=\"/articles/") + kSlug), std::string::npos);
}

TEST_F(QuestionsHttpTest, FormsWithoutTheCsrfTokenChangeNothing) {
  ThreeReaders();
  auto page = ann_.Get(QuestionsPath());
  auto forged = ann_.Post(QuestionsPath(),
                          {{"body", "A forged question?"}, {"idempotency_key", ann_.Field(page.body, "idempotency_key")},
                           {"form_stamp", ann_.Field(page.body, "form_stamp")}, {"website", ""}},
                          /*with_csrf=*/false);
  EXPECT_EQ(forged.status, 403);
  EXPECT_NE(forged.body.find("A forged question?"), std::string::npos);  // the text comes back
  EXPECT_TRUE(Questions().empty());

  ASSERT_EQ(Ask(ann_, "A real question?").status, 303);
  const std::int64_t id = Questions().at(0).id;
  bob_.Get(QuestionsPath());
  EXPECT_EQ(bob_.Post("/questions/" + std::to_string(id) + "/vote", {{"add", "1"}}, false).status, 403);
  auto api = bob_.PostJson("/api/v1/questions/" + std::to_string(id) + "/vote", "", "");
  EXPECT_EQ(api.status, 403);
  EXPECT_EQ(nlohmann::json::parse(api.body)["field"], "csrf");
  EXPECT_EQ(app_->store().FindQuestion(id)->vote_count, 0);

  Browser editor(app_->port());
  BecomeEditor(editor);
  editor.Get(QuestionsPath());
  EXPECT_EQ(editor.Post("/questions/" + std::to_string(id) + "/answer", {{"answer", "Yes."}}, false).status, 403);
  EXPECT_EQ(editor.Post("/questions/" + std::to_string(id) + "/decline", {{"reason", "No."}}, false).status, 403);
  EXPECT_EQ(editor.Post(std::string("/articles/") + kSlug + "/open-questions", {{"body", "Who?"}}, false).status, 403);
  EXPECT_EQ(app_->store().FindQuestion(id)->state, "open");
  EXPECT_TRUE(app_->store().ListOpenQuestions(app_->articles().Published(kSlug)->id)->empty());
}

TEST_F(QuestionsHttpTest, BadInputGetsAClearAnswerAndKeepsWhatWasStored) {
  ThreeReaders();
  auto empty = Ask(ann_, "   ");
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.body.find("write something"), std::string::npos);
  auto long_text = Ask(ann_, std::string(2500, 'a'));
  EXPECT_EQ(long_text.status, 400);
  EXPECT_NE(long_text.body.find("longer than 2000 bytes"), std::string::npos);
  auto broken = Ask(ann_, "Why \xC3\x28 this?");
  EXPECT_EQ(broken.status, 400);
  EXPECT_NE(broken.body.find("not valid UTF-8"), std::string::npos);
  auto spam = ann_.Post(QuestionsPath(), {{"body", "Buy now?"}, {"website", "http://spam.example"}});
  EXPECT_EQ(spam.status, 400);
  EXPECT_TRUE(Questions().empty());

  ASSERT_EQ(Ask(ann_, "Is the border open?").status, 303);
  const std::int64_t id = Questions().at(0).id;
  const std::string base = "/questions/" + std::to_string(id);
  Browser editor(app_->port());
  BecomeEditor(editor);
  editor.Get(QuestionsPath());
  EXPECT_EQ(editor.Post(base + "/answer", {{"answer", " \t "}}).status, 400);
  EXPECT_EQ(editor.Post(base + "/answer", {{"answer", "\xFF\xFE"}}).status, 400);
  EXPECT_EQ(editor.Post(base + "/decline", {{"reason", ""}}).status, 400);
  EXPECT_EQ(editor.Post(base + "/merge", {{"into", "not-a-number"}}).status, 400);
  EXPECT_EQ(editor.Post(base + "/merge", {{"into", std::to_string(id)}}).status, 400);
  EXPECT_EQ(editor.Post(base + "/followup", {{"article", "no-such-article"}}).status, 404);
  EXPECT_EQ(editor.Post(base + "/followup", {{"article", kSlug}}).status, 400);
  EXPECT_EQ(editor.Post("/questions/999999/answer", {{"answer", "Yes."}}).status, 404);
  EXPECT_EQ(editor.Post("/questions/abc/answer", {{"answer", "Yes."}}).status, 404);
  auto session = nlohmann::json::parse(editor.Get("/api/v1/session").body);
  auto not_json = editor.PostJson(base.substr(0, 0) + "/api/v1/questions/" + std::to_string(id) + "/answer",
                                  "{not json", session["csrf"]);
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(nlohmann::json::parse(not_json.body)["field"], "body");
  auto bad_merge = editor.PostJson("/api/v1/questions/" + std::to_string(id) + "/merge", R"({"into":"x"})",
                                   session["csrf"]);
  EXPECT_EQ(bad_merge.status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad_merge.body)["field"], "into");
  const store::Question unchanged = app_->store().FindQuestion(id).value();
  EXPECT_EQ(unchanged.state, "open");
  EXPECT_TRUE(unchanged.answer_markdown.empty());
}

TEST_F(QuestionsHttpTest, AnUnansweredQuestionWaitsInTheNewsroomInboxUntilAnswered) {
  ThreeReaders();
  ASSERT_EQ(Ask(ann_, "Which roads are closed tonight?").status, 303);
  const std::int64_t id = Questions()[0].id;
  Browser ed(app_->port());
  BecomeEditor(ed);
  const std::string marker = "id=\"item-questions-" + std::to_string(id) + "\"";
  auto inbox = ed.Get("/staff/inbox?queue=questions");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_NE(inbox.body.find(marker), std::string::npos) << inbox.body;
  EXPECT_NE(inbox.body.find("Which roads are closed tonight?"), std::string::npos);
  ed.Get(QuestionsPath());
  ASSERT_EQ(ed.Post("/questions/" + std::to_string(id) + "/answer", {{"answer", "The A1, until Monday."}}).status, 303);
  EXPECT_EQ(ed.Get("/staff/inbox?queue=questions").body.find(marker), std::string::npos);
}

TEST_F(QuestionsHttpTest, EditorsMergeDeclineCurateTheBoxAndStaffSeeTheQueue) {
  ThreeReaders();
  ASSERT_EQ(Ask(ann_, "How many people were evacuated?").status, 303);
  ASSERT_EQ(Ask(bob_, "How many were evacuated in total?").status, 303);
  ASSERT_EQ(Ask(cat_, "What is the editor's phone number?").status, 303);
  const auto asked = Questions();
  ASSERT_EQ(asked.size(), 3u);
  cat_.Get(QuestionsPath());
  ASSERT_EQ(cat_.Post("/questions/" + std::to_string(asked[1].id) + "/vote", {{"add", "1"}}).status, 303);

  Browser editor(app_->port());
  BecomeEditor(editor);
  editor.Get(QuestionsPath());
  ASSERT_EQ(editor.Post("/questions/" + std::to_string(asked[1].id) + "/merge",
                        {{"into", std::to_string(asked[0].id)}}).status, 303);
  const store::Question target = app_->store().FindQuestion(asked[0].id).value();
  EXPECT_EQ(target.vote_count, 2);  // Cat's vote and Bob's asking
  ASSERT_EQ(editor.Post("/questions/" + std::to_string(asked[2].id) + "/decline",
                        {{"reason", "We do not publish private numbers."}}).status, 303);
  ASSERT_EQ(editor.Post(std::string("/articles/") + kSlug + "/open-questions",
                        {{"body", "Who gave the order to <b>evacuate</b>?"}}).status, 303);

  auto all = ann_.Get(QuestionsPath() + "?tab=all");
  EXPECT_NE(all.body.find("Declined:</strong> We do not publish private numbers."), std::string::npos);
  EXPECT_EQ(all.body.find("evacuated in total"), std::string::npos);  // merged away
  auto article = ann_.Get(std::string("/articles/") + kSlug);
  EXPECT_NE(article.body.find("Open questions"), std::string::npos);
  EXPECT_NE(article.body.find("Who gave the order to &lt;b&gt;evacuate&lt;/b&gt;?"), std::string::npos);

  // The staff queue: the one unanswered question, across articles.
  auto queue = editor.Get("/staff/questions?order=votes");
  EXPECT_EQ(queue.status, 200);
  EXPECT_NE(queue.body.find("How many people were evacuated?"), std::string::npos);
  EXPECT_EQ(queue.body.find("phone number"), std::string::npos);
  EXPECT_EQ(ann_.Get("/staff/questions").status, 403);
  auto api_queue = editor.Get("/api/v1/staff/questions");
  EXPECT_EQ(nlohmann::json::parse(api_queue.body)["questions"].size(), 1u);
  auto listed = nlohmann::json::parse(ann_.Get(std::string("/api/v1/articles/") + kSlug + "/questions?tab=all").body);
  EXPECT_EQ(listed["questions"].size(), 2u);
  EXPECT_EQ(listed["open_questions"].size(), 1u);
}

TEST_F(QuestionsHttpTest, TheJsonApiCoversAskingVotingAnsweringAndAPublishedFollowUp) {
  ThreeReaders();
  const std::string list = std::string("/api/v1/articles/") + kSlug + "/questions";
  auto ann_session = nlohmann::json::parse(ann_.Get("/api/v1/session").body);
  auto asked = ann_.PostJson(list, R"({"body":"Which **hospitals** took the injured?","idempotency_key":"k1"})",
                             ann_session["csrf"]);
  ASSERT_EQ(asked.status, 201) << asked.body;
  const auto question = nlohmann::json::parse(asked.body);
  EXPECT_EQ(question["state"], "open");
  EXPECT_EQ(question["asker"]["name"], "Ann");
  const std::string id = std::to_string(question["id"].get<std::int64_t>());
  auto empty = ann_.PostJson(list, R"({"body":""})", ann_session["csrf"]);
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(nlohmann::json::parse(empty.body)["field"], "body");

  auto cat_session = nlohmann::json::parse(cat_.Get("/api/v1/session").body);
  EXPECT_EQ(cat_.PostJson("/api/v1/questions/" + id + "/vote", "", cat_session["csrf"]).status, 200);
  auto listed = nlohmann::json::parse(cat_.Get(list + "?tab=unanswered&order=votes").body);
  ASSERT_EQ(listed["questions"].size(), 1u);
  EXPECT_EQ(listed["questions"][0]["votes"], 1);
  EXPECT_EQ(listed["questions"][0]["voted"], true);
  EXPECT_EQ(listed["can_answer"], false);

  Browser editor(app_->port());
  BecomeEditor(editor);
  auto ed_session = nlohmann::json::parse(editor.Get("/api/v1/session").body);
  auto box = editor.PostJson(std::string("/api/v1/articles/") + kSlug + "/open-questions",
                             R"({"body":"How many hospitals are still open?"})", ed_session["csrf"]);
  EXPECT_EQ(box.status, 201) << box.body;
  // Linked to a published article: mailed at once, to the asker and the voter.
  auto linked = editor.PostJson("/api/v1/questions/" + id + "/followup",
                                R"({"article":"winter-storm-brings-snow-to-northeast"})", ed_session["csrf"]);
  ASSERT_EQ(linked.status, 200) << linked.body;
  const auto followup = nlohmann::json::parse(linked.body);
  EXPECT_EQ(followup["state"], "followup");
  EXPECT_FALSE(followup["followup"].is_null());
  EXPECT_EQ(MailOfKind("followup"), (std::multiset<std::string>{"ann@example.org", "cat@example.org"}));
  auto article = nlohmann::json::parse(ann_.Get(list).body);
  EXPECT_EQ(article["followups"].size(), 1u);
  EXPECT_EQ(article["open_questions"].size(), 1u);
  // Once linked, it takes no answer on the page.
  auto answer = editor.PostJson("/api/v1/questions/" + id + "/answer", R"({"answer":"Two."})", ed_session["csrf"]);
  EXPECT_EQ(answer.status, 409);
}

}  // namespace
}  // namespace masthead::app
