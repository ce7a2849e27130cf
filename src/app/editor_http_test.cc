// The article editor over HTTP: who may use it, forged forms, every field kept,
// preview without saving, publishing, scheduling picked up by the running
// server (the "article published" event), unpublishing with a note at the
// article's address, sections and desks.
#include <algorithm>
#include <mutex>

#include <nlohmann/json.hpp>

#include "app/site_http_test.h"

namespace masthead::app {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

class EditorHttpTest : public SiteHttpTest {
 protected:
  void Configure(Config& config) override { config.editorial.publish_check_seconds = 1; }

  // Counts "article published" events. Members, not test locals: the server's
  // periodic check may call the subscriber until TearDown stops the app.
  void Subscribe() {
    app_->articles().OnPublished([this](store::Store&, const store::Article& article) -> Status {
      std::lock_guard lock(events_mutex_);
      ++events_;
      announced_slug_ = article.fields.slug;
      return Ok();
    });
  }
  int Events() {
    std::lock_guard lock(events_mutex_);
    return events_;
  }

  std::mutex events_mutex_;
  int events_ = 0;
  std::string announced_slug_;

  void LogIn(Browser& browser, const std::string& email, const std::string& password) {
    browser.Get("/login");
    ASSERT_EQ(browser.Post("/login", {{"email", email}, {"password", password}}).status, 303);
    browser.Get("/account");
  }

  void BecomeEditor(Browser& browser) {
    ASSERT_TRUE(app_->accounts().AddUser("ed@example.org", "Ed Itor", accounts::Role::kEditor, "editor password"));
    LogIn(browser, "ed@example.org", "editor password");
  }

  static Fields Article(const std::string& headline, const std::string& status, const std::string& publish_at = "") {
    return {{"headline", headline},
            {"deck", "A deck & its <details>"},
            {"credit", ""},
            {"byline", "Jane Reporter"},
            {"dateline", "LISBON"},
            {"section", "world"},
            {"slug", ""},
            {"body", "First paragraph with *emphasis*.\n\n<script>alert(1)</script>[x](javascript:alert(1))"},
            {"status", status},
            {"publish_at", publish_at},
            {"action", "save"}};
  }

  // The id in a "/staff/articles/ID?saved=..." redirect.
  static std::int64_t IdOf(const http::testing::ClientResponse& response) {
    const std::string location = response.headers.count("location") ? response.headers.at("location") : "";
    std::smatch match;
    if (!std::regex_search(location, match, std::regex("/staff/articles/([0-9]+)"))) return 0;
    return std::stoll(match[1]);
  }
};

TEST_F(EditorHttpTest, OnlyEditorsAndAdminsMayUseTheEditor) {
  Browser anonymous(app_->port());
  auto redirected = anonymous.Get("/staff/articles");
  EXPECT_EQ(redirected.status, 303);
  EXPECT_EQ(anonymous.Post("/staff/articles", Article("Sneaky", "publish")).status, 303);

  Browser reader(app_->port());
  BecomeReader(reader, "reader@example.org", "Reader");
  EXPECT_EQ(reader.Get("/staff/articles").status, 403);
  EXPECT_EQ(reader.Post("/staff/articles", Article("Sneaky", "publish")).status, 403);

  ASSERT_TRUE(app_->accounts().AddUser("mod@example.org", "Mo", accounts::Role::kModerator, "moderator password"));
  Browser moderator(app_->port());
  LogIn(moderator, "mod@example.org", "moderator password");
  EXPECT_EQ(moderator.Get("/staff/articles").status, 403);
  EXPECT_EQ(moderator.Post("/staff/articles", Article("Sneaky", "publish")).status, 403);
  EXPECT_EQ(moderator.Post("/staff/sections", {{"name", "Sneaky"}, {"position", "9"}, {"desk", ""}}).status, 403);
  EXPECT_FALSE(app_->articles().Published("sneaky"));

  ASSERT_TRUE(app_->accounts().AddUser("admin@example.org", "Ad", accounts::Role::kAdmin, "admin password"));
  Browser admin(app_->port());
  LogIn(admin, "admin@example.org", "admin password");
  EXPECT_EQ(admin.Get("/staff/articles").status, 200);
}

TEST_F(EditorHttpTest, AForgedFormSavesNothing) {
  Browser editor(app_->port());
  BecomeEditor(editor);
  auto forged = editor.Post("/staff/articles", Article("Forged", "publish"), /*with_csrf=*/false);
  EXPECT_EQ(forged.status, 403);
  Fields wrong = Article("Forged", "publish");
  wrong.emplace_back("csrf", "not-the-token");
  EXPECT_EQ(editor.Post("/staff/articles", wrong, false).status, 403);
  const auto rows = app_->articles().EditorList("", "");
  ASSERT_TRUE(rows);
  EXPECT_FALSE(rows->empty());
  for (const auto& row : *rows) EXPECT_NE(row.article.headline, "Forged");
}

TEST_F(EditorHttpTest, PreviewRendersSafelyAndSavesNothing) {
  Browser editor(app_->port());
  BecomeEditor(editor);
  editor.Get("/staff/articles/new");
  Fields fields = Article("Previewed only", "publish");
  fields.back() = {"action", "preview"};
  auto preview = editor.Post("/staff/articles", fields);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_NE(preview.body.find("<em>emphasis</em>"), std::string::npos);
  EXPECT_NE(preview.body.find("<span class=\"dateline\">LISBON"), std::string::npos);
  EXPECT_EQ(preview.body.find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(preview.body.find("href=\"javascript:"), std::string::npos);
  EXPECT_NE(preview.body.find("A deck &amp; its &lt;details&gt;"), std::string::npos);
  // The text is still in the form.
  EXPECT_NE(preview.body.find("value=\"Previewed only\""), std::string::npos);
  EXPECT_FALSE(app_->articles().ForEditor(0));
  const auto rows = app_->articles().EditorList("", "");
  ASSERT_TRUE(rows);
  for (const auto& row : *rows) EXPECT_NE(row.article.headline, "Previewed only");
}

TEST_F(EditorHttpTest, PublishKeepsEveryFieldAndFiresTheEventOnce) {
  Subscribe();
  Browser editor(app_->port());
  BecomeEditor(editor);
  editor.Get("/staff/articles/new");
  auto saved = editor.Post("/staff/articles", Article("Harbour reopens after storm", "publish", "2026-01-02T09:30"));
  ASSERT_EQ(saved.status, 303) << saved.body;
  const std::int64_t id = IdOf(saved);
  ASSERT_GT(id, 0);
  EXPECT_EQ(Events(), 1);
  EXPECT_EQ(announced_slug_, "harbour-reopens-after-storm");

  auto article = app_->articles().Published("harbour-reopens-after-storm");
  ASSERT_TRUE(article) << article.error().ToString();
  EXPECT_EQ(article->fields.deck, "A deck & its <details>");
  EXPECT_EQ(article->fields.byline, "Jane Reporter");
  EXPECT_EQ(article->fields.dateline, "LISBON");
  EXPECT_EQ(article->fields.section_slug, "world");
  EXPECT_EQ(FormatRfc3339(*article->fields.published_at), "2026-01-02T09:30:00Z");

  auto page = Browser(app_->port()).Get("/articles/harbour-reopens-after-storm");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Harbour reopens after storm"), std::string::npos);
  EXPECT_NE(Browser(app_->port()).Get("/").body.find("Harbour reopens after storm"), std::string::npos);

  // An edit is a new revision and no second event.
  auto form = editor.Get("/staff/articles/" + std::to_string(id));
  ASSERT_EQ(form.status, 200);
  Fields edit = Article("Harbour reopens after the storm", "publish", editor.Field(form.body, "publish_at"));
  edit.emplace_back("revision", editor.Field(form.body, "revision"));
  edit[6] = {"slug", "harbour-reopens-after-storm"};
  ASSERT_EQ(editor.Post("/staff/articles/" + std::to_string(id), edit).status, 303);
  EXPECT_EQ(Events(), 1);
  // The same stale revision again is a conflict, and the text comes back.
  auto stale = editor.Post("/staff/articles/" + std::to_string(id), edit);
  EXPECT_EQ(stale.status, 409);
  EXPECT_NE(stale.body.find("someone else changed this article"), std::string::npos);
}

TEST_F(EditorHttpTest, BadFieldsAreNamedAndTheTextKept) {
  Browser editor(app_->port());
  BecomeEditor(editor);
  editor.Get("/staff/articles/new");
  Fields no_author = Article("No author", "publish");
  no_author[3] = {"byline", ""};
  auto refused = editor.Post("/staff/articles", no_author);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("credit (wire service) or a staff byline"), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"No author\""), std::string::npos);
  Fields bad_date = Article("Bad date", "publish", "tomorrow-ish");
  EXPECT_EQ(editor.Post("/staff/articles", bad_date).status, 400);
  Fields broken = Article(std::string("Broken \xff UTF-8"), "publish");
  auto broken_reply = editor.Post("/staff/articles", broken);
  EXPECT_EQ(broken_reply.status, 400);
  EXPECT_NE(broken_reply.body.find("not valid UTF-8"), std::string::npos);
  Fields unknown_section = Article("Nowhere", "publish");
  unknown_section[5] = {"section", "atlantis"};
  EXPECT_EQ(editor.Post("/staff/articles", unknown_section).status, 400);
}

TEST_F(EditorHttpTest, ScheduledArticleAppearsOnTheRunningServerWithTheEvent) {
  Subscribe();
  Browser editor(app_->port());
  BecomeEditor(editor);
  editor.Get("/staff/articles/new");
  const std::string soon = FormatRfc3339(NowSeconds() + 5).substr(0, 19);
  auto saved = editor.Post("/staff/articles", Article("Scheduled story", "publish", soon));
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_NE(saved.headers.at("location").find("saved=scheduled"), std::string::npos);
  EXPECT_EQ(Browser(app_->port()).Get("/articles/scheduled-story").status, 404);
  EXPECT_EQ(Events(), 0);
  // The server's periodic check (every second here) publishes it; wait, bounded.
  for (int i = 0; i < 600 && Events() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(Events(), 1);
  EXPECT_EQ(Browser(app_->port()).Get("/articles/scheduled-story").status, 200);
  EXPECT_NE(Browser(app_->port()).Get("/").body.find("Scheduled story"), std::string::npos);
}

TEST_F(EditorHttpTest, UnpublishLeavesTheNoteAtTheAddress) {
  Browser editor(app_->port());
  BecomeEditor(editor);
  Browser reader(app_->port());
  ASSERT_EQ(reader.Get(std::string("/articles/") + kSlug).status, 200);  // cached for anonymous readers
  auto article = app_->articles().Published(kSlug);
  ASSERT_TRUE(article);
  const std::string page = "/staff/articles/" + std::to_string(article->id);
  auto form = editor.Get(page);
  ASSERT_EQ(form.status, 200);
  const std::string revision = editor.Field(form.body, "revision");
  // Silently turning a public article into a draft is refused.
  Fields to_draft = Article(article->fields.headline, "draft");
  to_draft[6] = {"slug", kSlug};
  to_draft.emplace_back("revision", revision);
  EXPECT_EQ(editor.Post(page, to_draft).status, 409);
  EXPECT_EQ(editor.Post(page + "/unpublish", {{"revision", revision}, {"note", ""}}).status, 400);
  EXPECT_EQ(editor.Post(page + "/unpublish", {{"revision", revision}, {"note", "x"}}, false).status, 403);
  auto done = editor.Post(page + "/unpublish",
                          {{"revision", revision}, {"note", "This story was removed: a source <b>withdrew</b>."}});
  ASSERT_EQ(done.status, 303) << done.body;
  auto gone = reader.Get(std::string("/articles/") + kSlug);
  EXPECT_EQ(gone.status, 410);
  EXPECT_NE(gone.body.find("This story was removed: a source &lt;b&gt;withdrew&lt;/b&gt;."), std::string::npos);
  EXPECT_EQ(gone.body.find("id=\"discussion\""), std::string::npos);
  EXPECT_EQ(Browser(app_->port()).Get("/articles/no-such-story").status, 404);
  EXPECT_EQ(reader.Get("/").body.find(article->fields.headline), std::string::npos);
}

TEST_F(EditorHttpTest, SectionsAndDesksAreManaged) {
  Browser editor(app_->port());
  BecomeEditor(editor);
  editor.Get("/staff/sections");
  ASSERT_EQ(editor.Post("/staff/desks", {{"name", "Metro desk"}, {"email", "metro@example.org"}}).status, 303);
  EXPECT_EQ(editor.Post("/staff/desks", {{"name", "Bad"}, {"email", "nope"}}).status, 400);
  ASSERT_EQ(editor.Post("/staff/sections", {{"name", "City"}, {"slug", ""}, {"position", "7"}, {"desk", "metro-desk"}})
                .status,
            303);
  EXPECT_EQ(editor.Post("/staff/sections", {{"name", "x"}, {"slug", "Bad Slug"}, {"position", "1"}, {"desk", ""}}).status,
            400);
  auto page = editor.Get("/staff/sections");
  EXPECT_NE(page.body.find("Sections: city"), std::string::npos);
  EXPECT_NE(Browser(app_->port()).Get("/").body.find("/sections/city"), std::string::npos);
}

TEST_F(EditorHttpTest, TheOpenApiDocumentNamesEveryApiRoute) {
  auto served = Browser(app_->port()).Get("/api/openapi.json");
  ASSERT_EQ(served.status, 200);
  const auto document = nlohmann::json::parse(served.body);
  EXPECT_EQ(document["openapi"], "3.0.3");
  int api_routes = 0;
  for (const auto& route : app_->router().routes()) {
    if (route.pattern.rfind("/api/", 0) != 0) continue;
    ++api_routes;
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
    ASSERT_TRUE(document["paths"].contains(route.pattern)) << route.pattern << " is not in openapi.json";
    EXPECT_TRUE(document["paths"][route.pattern].contains(method)) << route.method << " " << route.pattern;
  }
  EXPECT_GE(api_routes, 15);
}

}  // namespace
}  // namespace masthead::app
