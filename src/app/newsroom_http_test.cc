// The newsroom over real HTTP: the inbox with claims by two staff members,
// role checks, the dashboard, the users desk, a reader's data export with its
// rate limit, and account deletion with its grace period and anonymisation.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "app/site_http_test.h"

namespace masthead::app {
namespace {

class NewsroomHttpTest : public SiteHttpTest {
 protected:
  // A staff member (or reader) with an account made by an administrator,
  // logged in with their own browser.
  void LogIn(Browser& browser, const std::string& email, const std::string& name, accounts::Role role) {
    ASSERT_TRUE(app_->accounts().AddUser(email, name, role, "a long password"));
    LogInAgain(browser, email);
  }
  void LogInAgain(Browser& browser, const std::string& email, int expected = 303) {
    browser.Get("/login");
    auto response = browser.Post("/login", {{"email", email}, {"password", "a long password"}});
    ASSERT_EQ(response.status, expected) << response.body;
    browser.Get("/account");  // picks up the form token bound to the session
  }

  // A comment waiting for a moderator, as the pipeline leaves one.
  std::int64_t HeldComment(const std::string& text, UnixSeconds waiting_seconds = 0, std::int64_t article_id = 0) {
    auto author = app_->store().FindUser({.email = "author@example.org"});
    std::int64_t author_id = 0;
    if (author) {
      author_id = author->id;
    } else {
      author_id = app_->accounts().AddUser("author@example.org", "Ann Author", accounts::Role::kReader,
                                           "a long password").value().id;
    }
    const auto article = app_->articles().Latest(1).value().front();
    store::CreateCommentRequest request;
    request.article_id = article_id != 0 ? article_id : article.id;
    request.author_id = author_id;
    request.body_markdown = text;
    request.status = store::CommentStatus::kHeld;
    request.now = NowSeconds() - waiting_seconds;
    return app_->store().CreateComment(request).value().id;
  }

  http::testing::ClientResponse ClaimAction(Browser& browser, const std::string& queue, std::int64_t id,
                                            const std::string& action) {
    return browser.Post("/staff/inbox/claims",
                        {{"queue", queue}, {"item", std::to_string(id)}, {"action", action}, {"back", "?queue=" + queue}});
  }

  // The <li> of an inbox item, or empty.
  static std::string InboxItem(const std::string& page, const std::string& queue, std::int64_t id) {
    const std::string marker = "id=\"item-" + queue + "-" + std::to_string(id) + "\"";
    const auto start = page.find(marker);
    if (start == std::string::npos) return {};
    return page.substr(start, page.find("</li>", start) - start);
  }

  std::int64_t UserId(const std::string& email) { return app_->store().FindUser({.email = email}).value().id; }

  // A published article in a new section, for items outside the demo's sections.
  std::int64_t ArticleInNewSection(const std::string& section, int position) {
    EXPECT_TRUE(app_->store().PutSection({section, "The " + section + " section", position}));
    store::ArticleFields fields;
    fields.slug = section + "-story";
    fields.section_slug = section;
    fields.headline = "A " + section + " story";
    fields.credit = "Staff";
    fields.body_markdown = "What happened.";
    fields.published_at = NowSeconds() - 60;
    return app_->store().CreateArticle({.fields = fields, .revision_note = "", .now = NowSeconds()}).value().id;
  }

  // The "Waiting" cell of a queue's line in the inbox's summary table.
  static std::string WaitingCount(const std::string& page, const std::string& queue) {
    const auto line = page.find("id=\"summary-" + queue + "\"");
    if (line == std::string::npos) return {};
    const auto cell = page.find("class=\"waiting\">", line);
    if (cell == std::string::npos) return {};
    const auto start = cell + std::string("class=\"waiting\">").size();
    return page.substr(start, page.find('<', start) - start);
  }
};

TEST_F(NewsroomHttpTest, TwoModeratorsSeeEachOthersClaimsAndNeverWorkTheSameItem) {
  const std::int64_t held = HeldComment("A comment that waits for a moderator", 1800);
  Browser mo(app_->port()), max(app_->port());
  LogIn(mo, "mo@example.org", "Mo Derator", accounts::Role::kModerator);
  LogIn(max, "max@example.org", "Max Moderator", accounts::Role::kModerator);

  auto inbox = mo.Get("/staff/inbox");
  ASSERT_EQ(inbox.status, 200);
  std::string item = InboxItem(inbox.body, "held", held);
  ASSERT_FALSE(item.empty()) << inbox.body;
  EXPECT_NE(item.find("A comment that waits for a moderator"), std::string::npos);
  // Waiting half an hour, of the 4 hours configured for held comments.
  EXPECT_NE(item.find("Waiting 30 min"), std::string::npos) << item;
  EXPECT_NE(item.find("answer within 3 h"), std::string::npos) << item;
  EXPECT_NE(item.find(">Claim<"), std::string::npos);
  EXPECT_NE(inbox.body.find("id=\"summary-held\""), std::string::npos);

  auto claimed = ClaimAction(mo, "held", held, "claim");
  ASSERT_EQ(claimed.status, 303) << claimed.body;
  EXPECT_EQ(claimed.Header("location"), "/staff/inbox?queue=held&done=claimed#item-held-" + std::to_string(held));
  EXPECT_NE(InboxItem(mo.Get("/staff/inbox").body, "held", held).find("Claimed by you"), std::string::npos);

  // The other moderator sees who works on it, and cannot take it.
  item = InboxItem(max.Get("/staff/inbox").body, "held", held);
  EXPECT_NE(item.find("Claimed by Mo Derator until"), std::string::npos);
  EXPECT_EQ(item.find(">Claim<"), std::string::npos);
  auto refused = ClaimAction(max, "held", held, "claim");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("Mo Derator is working on this item already"), std::string::npos);
  EXPECT_EQ(ClaimAction(max, "held", held, "release").status, 404);  // not his to release
  auto claims = app_->store().ListInboxClaims(NowSeconds()).value();
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].user_name, "Mo Derator");

  // Released, the item is free for the other.
  ASSERT_EQ(ClaimAction(mo, "held", held, "release").status, 303);
  ASSERT_EQ(ClaimAction(max, "held", held, "claim").status, 303);
  EXPECT_NE(InboxItem(mo.Get("/staff/inbox").body, "held", held).find("Claimed by Max Moderator"), std::string::npos);
  // The filter "only unclaimed" hides it.
  EXPECT_TRUE(InboxItem(mo.Get("/staff/inbox?unclaimed=1").body, "held", held).empty());

  // A lapsed claim is anybody's.
  const std::int64_t other = HeldComment("Another one");
  ASSERT_TRUE(app_->store().ClaimInboxItem({"held", other, UserId("max@example.org"), NowSeconds() - 3600,
                                            NowSeconds() - 1}));
  EXPECT_EQ(ClaimAction(mo, "held", other, "claim").status, 303);

  // Only what waits can be claimed.
  EXPECT_EQ(ClaimAction(mo, "held", 999999, "claim").status, 404);
  EXPECT_EQ(ClaimAction(mo, "nonsense", held, "claim").status, 404);
  EXPECT_EQ(ClaimAction(mo, "held", held, "grab").status, 400);
}

TEST_F(NewsroomHttpTest, TheInboxCountsEveryQueueFiltersBySectionAndShowsOverdueItems) {
  const std::int64_t held = HeldComment("Waiting since long ago");
  Browser editor(app_->port());
  LogIn(editor, "ed@example.org", "Ed Itor", accounts::Role::kEditor);
  // A ticket, reported from an article, five days old: overdue (48 hours configured).
  store::CreateSupportTicketRequest ticket;
  ticket.article = kSlug;
  ticket.problem = "The video does not play <script>alert(1)</script>";
  ticket.now = NowSeconds() - 5 * 86400;
  const std::int64_t ticket_id = app_->store().CreateSupportTicket(ticket).value().id;

  auto inbox = editor.Get("/staff/inbox");
  ASSERT_EQ(inbox.status, 200);
  std::string item = InboxItem(inbox.body, "support", ticket_id);
  ASSERT_FALSE(item.empty());
  EXPECT_NE(item.find("overdue by 3 days"), std::string::npos) << item;
  EXPECT_NE(item.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(inbox.body.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(item.find("href=\"/staff/support/" + std::to_string(ticket_id) + "\""), std::string::npos);
  // Editors see the accuracy desk's queues, too.
  EXPECT_NE(inbox.body.find("id=\"summary-accuracy\""), std::string::npos);
  EXPECT_NE(inbox.body.find("id=\"summary-messages\""), std::string::npos);

  // Filters: one queue; a section the items are not in.
  auto only_support = editor.Get("/staff/inbox?queue=support");
  EXPECT_FALSE(InboxItem(only_support.body, "support", ticket_id).empty());
  EXPECT_TRUE(InboxItem(only_support.body, "held", held).empty());
  const std::string section = app_->articles().Latest(1).value().front().section_slug;
  EXPECT_FALSE(InboxItem(editor.Get("/staff/inbox?section=" + section).body, "held", held).empty());
  EXPECT_TRUE(InboxItem(editor.Get("/staff/inbox?section=no-such-section").body, "held", held).empty());
}

// Two desks: "foreign" owns the demo article's section and "culture", "sports"
// owns "sport". A desk shows the items of all its sections, counts only
// those, combines with the queue and unclaimed filters, and an unknown desk
// is refused rather than shown as an empty inbox.
TEST_F(NewsroomHttpTest, TheDeskFilterShowsTheItemsOfEverySectionTheDeskOwns) {
  const auto demo = app_->articles().Latest(1).value().front();
  const std::int64_t culture_article = ArticleInNewSection("culture", 20);
  const std::int64_t sport_article = ArticleInNewSection("sport", 21);
  ASSERT_TRUE(app_->articles().PutDesk({"foreign", "Foreign desk", "foreign@example.org"}));
  ASSERT_TRUE(app_->articles().PutDesk({"sports", "Sports desk", ""}));
  ASSERT_TRUE(app_->articles().SetSectionDesk(demo.section_slug, "foreign"));
  ASSERT_TRUE(app_->articles().SetSectionDesk("culture", "foreign"));
  ASSERT_TRUE(app_->articles().SetSectionDesk("sport", "sports"));
  const std::int64_t on_demo = HeldComment("About the demo story", 0, demo.id);
  const std::int64_t on_culture = HeldComment("About the culture story", 0, culture_article);
  const std::int64_t on_sport = HeldComment("About the sport story", 0, sport_article);
  store::CreateSupportTicketRequest ticket;  // tied to no article, so to no section
  ticket.problem = "The login page is slow";
  ticket.now = NowSeconds();
  const std::int64_t ticket_id = app_->store().CreateSupportTicket(ticket).value().id;

  Browser editor(app_->port());
  LogIn(editor, "ed@example.org", "Ed Itor", accounts::Role::kEditor);
  auto everything = editor.Get("/staff/inbox");
  ASSERT_EQ(everything.status, 200);
  EXPECT_EQ(WaitingCount(everything.body, "held"), "3");
  EXPECT_EQ(WaitingCount(everything.body, "support"), "1");
  EXPECT_NE(everything.body.find("<option value=\"foreign\">Foreign desk</option>"), std::string::npos);

  auto foreign = editor.Get("/staff/inbox?desk=foreign");
  ASSERT_EQ(foreign.status, 200);
  EXPECT_FALSE(InboxItem(foreign.body, "held", on_demo).empty());
  EXPECT_FALSE(InboxItem(foreign.body, "held", on_culture).empty());
  EXPECT_TRUE(InboxItem(foreign.body, "held", on_sport).empty());
  EXPECT_TRUE(InboxItem(foreign.body, "support", ticket_id).empty());
  EXPECT_EQ(WaitingCount(foreign.body, "held"), "2");
  EXPECT_EQ(WaitingCount(foreign.body, "support"), "0");
  EXPECT_NE(foreign.body.find("<option value=\"foreign\" selected>Foreign desk</option>"), std::string::npos);
  // The summary's link to one queue keeps the desk.
  EXPECT_NE(foreign.body.find("href=\"/staff/inbox?queue=held&amp;desk=foreign\""), std::string::npos);

  auto sports = editor.Get("/staff/inbox?desk=sports");
  EXPECT_FALSE(InboxItem(sports.body, "held", on_sport).empty());
  EXPECT_TRUE(InboxItem(sports.body, "held", on_demo).empty());
  EXPECT_TRUE(InboxItem(sports.body, "held", on_culture).empty());
  EXPECT_EQ(WaitingCount(sports.body, "held"), "1");
  // Desk and section together: only what both take.
  auto both = editor.Get("/staff/inbox?desk=sports&section=culture");
  EXPECT_TRUE(InboxItem(both.body, "held", on_culture).empty());
  EXPECT_EQ(WaitingCount(both.body, "held"), "0");

  // A claim comes back to the same desk; "only unclaimed" and one queue combine with it.
  auto claimed = editor.Post("/staff/inbox/claims", {{"queue", "held"},
                                                     {"item", std::to_string(on_demo)},
                                                     {"action", "claim"},
                                                     {"back", "?queue=held&desk=foreign"}});
  ASSERT_EQ(claimed.status, 303) << claimed.body;
  EXPECT_EQ(claimed.Header("location").rfind("/staff/inbox?queue=held&desk=foreign&done=claimed", 0), 0u)
      << claimed.Header("location");
  auto unclaimed = editor.Get("/staff/inbox?queue=held&desk=foreign&unclaimed=1");
  EXPECT_TRUE(InboxItem(unclaimed.body, "held", on_demo).empty());
  EXPECT_FALSE(InboxItem(unclaimed.body, "held", on_culture).empty());
  EXPECT_EQ(WaitingCount(unclaimed.body, "held"), "2");
  EXPECT_NE(unclaimed.body.find("id=\"inbox-unclaimed\" name=\"unclaimed\" value=\"1\" checked"),
            std::string::npos);

  auto unknown = editor.Get("/staff/inbox?desk=no-such-desk");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("No such desk"), std::string::npos);
  EXPECT_EQ(editor.Get("/staff/inbox?desk=%3Cb%3E").body.find("<b>"), std::string::npos);

  // The JSON API takes the same filter.
  auto api = editor.Get("/api/v1/staff/inbox?desk=foreign");
  ASSERT_EQ(api.status, 200) << api.body;
  const auto body = nlohmann::json::parse(api.body);
  std::map<std::string, nlohmann::json> queues;
  for (const auto& queue : body["queues"]) queues[queue["key"].get<std::string>()] = queue;
  ASSERT_TRUE(queues.contains("held") && queues.contains("support") && queues.contains("accuracy"));
  EXPECT_EQ(queues["held"]["waiting"], 2);
  EXPECT_EQ(queues["held"]["claimed"], 1);
  EXPECT_EQ(queues["support"]["waiting"], 0);
  EXPECT_TRUE(queues["support"]["items"].empty());
  std::set<std::int64_t> held_ids;
  for (const auto& item : queues["held"]["items"]) held_ids.insert(item["id"].get<std::int64_t>());
  EXPECT_EQ(held_ids, (std::set<std::int64_t>{on_demo, on_culture}));
  for (const auto& item : queues["held"]["items"]) {
    if (item["id"] == on_demo) {
      EXPECT_EQ(item["claim"]["user"]["name"], "Ed Itor");
    } else {
      EXPECT_TRUE(item["claim"].is_null());
    }
  }
  auto api_sports = nlohmann::json::parse(editor.Get("/api/v1/staff/inbox?desk=sports&queue=held").body);
  for (const auto& queue : api_sports["queues"]) {
    if (queue["key"] == "held") {
      ASSERT_EQ(queue["items"].size(), 1u);
      EXPECT_EQ(queue["items"][0]["id"], on_sport);
      EXPECT_EQ(queue["items"][0]["section"], "sport");
    } else {
      EXPECT_TRUE(queue["items"].empty()) << queue["key"];
    }
  }
  auto api_unknown = editor.Get("/api/v1/staff/inbox?desk=no-such-desk");
  EXPECT_EQ(api_unknown.status, 404);
  EXPECT_EQ(nlohmann::json::parse(api_unknown.body)["field"], "desk");

  Browser visitor(app_->port());
  EXPECT_EQ(visitor.Get("/api/v1/staff/inbox").status, 401);
  Browser reader(app_->port());
  LogIn(reader, "reader@example.org", "Rea Der", accounts::Role::kReader);
  auto refused = reader.Get("/api/v1/staff/inbox?desk=foreign");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body.find("About the"), std::string::npos);
}

TEST_F(NewsroomHttpTest, ReadersAndVisitorsAreKeptOutAndModeratorsOnlyRead) {
  Browser visitor(app_->port());
  for (const char* path : {"/staff", "/staff/inbox", "/staff/dashboard", "/staff/users"}) {
    auto response = visitor.Get(path);
    EXPECT_EQ(response.status, 303) << path;
    EXPECT_EQ(response.Header("location").rfind("/login", 0), 0u) << path;
  }
  Browser reader(app_->port());
  LogIn(reader, "reader@example.org", "Rea Der", accounts::Role::kReader);
  for (const char* path : {"/staff", "/staff/inbox", "/staff/dashboard", "/staff/users", "/staff/users/1"}) {
    EXPECT_EQ(reader.Get(path).status, 403) << path;
  }
  const std::int64_t held = HeldComment("Held");
  EXPECT_EQ(ClaimAction(reader, "held", held, "claim").status, 403);
  EXPECT_TRUE(app_->store().ListInboxClaims(NowSeconds())->empty());
  const std::int64_t reader_id = UserId("reader@example.org");
  EXPECT_EQ(reader.Post("/staff/users/" + std::to_string(reader_id) + "/role", {{"role", "admin"}}).status, 403);

  Browser mo(app_->port());
  LogIn(mo, "mo@example.org", "Mo Derator", accounts::Role::kModerator);
  // Moderators do not see the editors' queues.
  auto inbox = mo.Get("/staff/inbox");
  EXPECT_EQ(inbox.body.find("id=\"summary-accuracy\""), std::string::npos);
  EXPECT_EQ(ClaimAction(mo, "accuracy", 1, "claim").status, 404);
  // They find readers and read their history, but change nothing.
  auto found = mo.Get("/staff/users?q=REA");
  ASSERT_EQ(found.status, 200);
  EXPECT_NE(found.body.find("reader@example.org"), std::string::npos);
  auto page = mo.Get("/staff/users/" + std::to_string(reader_id));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("Change the role"), std::string::npos);
  for (const char* action : {"role", "export", "delete", "keep"}) {
    EXPECT_EQ(mo.Post("/staff/users/" + std::to_string(reader_id) + "/" + action, {{"role", "admin"}}).status, 403)
        << action;
  }
  EXPECT_EQ(app_->store().FindUser({.id = reader_id})->role, "reader");
  EXPECT_FALSE(app_->store().FindAccountDeletion(reader_id));
}

TEST_F(NewsroomHttpTest, AdminsChangeRolesButNotTheirOwnAdminRole) {
  Browser admin(app_->port());
  LogIn(admin, "admin@example.org", "Ad Min", accounts::Role::kAdmin);
  ASSERT_TRUE(app_->accounts().AddUser("reader@example.org", "Rea Der", accounts::Role::kReader, "a long password"));
  const std::int64_t reader_id = UserId("reader@example.org");
  const std::string page = "/staff/users/" + std::to_string(reader_id);
  auto shown = admin.Get(page);
  EXPECT_NE(shown.body.find("Change the role"), std::string::npos);
  auto changed = admin.Post(page + "/role", {{"role", "moderator"}});
  ASSERT_EQ(changed.status, 303) << changed.body;
  EXPECT_EQ(app_->store().FindUser({.id = reader_id})->role, "moderator");
  EXPECT_NE(admin.Get(page + "?done=role").body.find("The role was changed."), std::string::npos);
  // The change is in the audit log: who, whom, from what to what.
  auto log = admin.Get("/staff/moderation/log");
  ASSERT_EQ(log.status, 200);
  EXPECT_NE(log.body.find("role changed"), std::string::npos);
  EXPECT_NE(log.body.find("reader → moderator"), std::string::npos);
  EXPECT_EQ(admin.Post(page + "/role", {{"role", "emperor"}}).status, 400);
  const std::string own = "/staff/users/" + std::to_string(UserId("admin@example.org"));
  EXPECT_EQ(admin.Post(own + "/role", {{"role", "reader"}}).status, 400);
  EXPECT_EQ(app_->store().FindUser({.email = "admin@example.org"})->role, "admin");
  EXPECT_EQ(admin.Get("/staff/users/999999").status, 404);
}

TEST_F(NewsroomHttpTest, AReaderDownloadsTheirDataOnceADay) {
  Browser reader(app_->port());
  BecomeReader(reader, "rea@example.org", "Rea Der");
  ASSERT_EQ(Comment(reader, "My view on the matter, with \"quotes\" and ünïcödé.").status, 303);
  const std::int64_t held = HeldComment("Someone else's comment");
  ASSERT_TRUE(app_->store().ReportComment({held, UserId("rea@example.org"), "spam", "ads", NowSeconds()}));
  // What the reader's address sent the newsroom (typed in another case), and
  // what someone else sent, which must stay out of the archive.
  auto article = app_->store().FindArticle({.slug = kSlug, .include_unpublished = true});
  ASSERT_TRUE(article);
  for (const std::string email : {"Rea@Example.org", "someone@example.org"}) {
    store::CreateAccuracyCaseRequest accuracy;
    accuracy.fields.article_id = article->id;
    accuracy.fields.relation = "quoted";
    accuracy.fields.wrong_text = "The quote from " + email + " is wrong";
    accuracy.fields.right_text = "I said otherwise";
    accuracy.fields.requester_name = "Rea";
    accuracy.fields.requester_email = email;
    accuracy.now = NowSeconds();
    ASSERT_TRUE(app_->store().CreateAccuracyCase(accuracy));
    ASSERT_TRUE(app_->store().CreateEditorMessage(
        {article->id, "world", "Rea", email, std::nullopt, "A word to the editors from " + email, NowSeconds()}));
    store::CreateSupportTicketRequest ticket;
    ticket.problem = "The page jumps, says " + email;
    ticket.email = email;
    ticket.now = NowSeconds();
    ASSERT_TRUE(app_->store().CreateSupportTicket(ticket));
  }

  auto page = reader.Get("/account/data");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Download my data"), std::string::npos);
  auto export_response = reader.Post("/account/data/export", {});
  ASSERT_EQ(export_response.status, 200) << export_response.body;
  EXPECT_NE(export_response.Header("content-type").find("application/json"), std::string::npos);
  EXPECT_NE(export_response.Header("content-disposition").find("attachment; filename=\"masthead-data-"),
            std::string::npos);
  const auto archive = nlohmann::json::parse(export_response.body);
  EXPECT_EQ(archive["format"], "masthead-reader-data/1");
  EXPECT_EQ(archive["account"]["email"], "rea@example.org");
  EXPECT_EQ(archive["account"]["display_name"], "Rea Der");
  ASSERT_EQ(archive["comments"].size(), 1u);
  EXPECT_EQ(archive["comments"][0]["body_markdown"], "My view on the matter, with \"quotes\" and ünïcödé.");
  EXPECT_EQ(archive["comments"][0]["article"], kSlug);
  ASSERT_EQ(archive["reports_filed"].size(), 1u);
  EXPECT_EQ(archive["reports_filed"][0]["reason"], "spam");
  ASSERT_EQ(archive["accuracy_reports"].size(), 1u);
  EXPECT_EQ(archive["accuracy_reports"][0]["what_is_wrong"], "The quote from Rea@Example.org is wrong");
  ASSERT_EQ(archive["messages_to_the_editors"].size(), 1u);
  EXPECT_EQ(archive["messages_to_the_editors"][0]["body"], "A word to the editors from Rea@Example.org");
  ASSERT_EQ(archive["technical_problem_reports"].size(), 1u);
  EXPECT_EQ(archive["technical_problem_reports"][0]["problem"], "The page jumps, says Rea@Example.org");
  EXPECT_EQ(export_response.body.find("someone@example.org"), std::string::npos);
  EXPECT_EQ(export_response.body.find("password"), std::string::npos);
  EXPECT_EQ(export_response.body.find("$argon2"), std::string::npos);

  // Once a day: the second download is refused with the reason, on the page.
  auto again = reader.Post("/account/data/export", {});
  EXPECT_EQ(again.status, 429);
  EXPECT_NE(again.body.find("1 time(s) a day"), std::string::npos);
  EXPECT_NE(again.body.find("Your data"), std::string::npos);

  // An admin may export anyone's data at any time; the reader only their own.
  Browser admin(app_->port());
  LogIn(admin, "admin@example.org", "Ad Min", accounts::Role::kAdmin);
  const std::string staff_export = "/staff/users/" + std::to_string(UserId("rea@example.org")) + "/export";
  for (int i = 0; i < 2; ++i) {
    auto by_admin = admin.Post(staff_export, {});
    ASSERT_EQ(by_admin.status, 200);
    EXPECT_EQ(nlohmann::json::parse(by_admin.body)["account"]["email"], "rea@example.org");
  }
  EXPECT_EQ(reader.Post("/staff/users/" + std::to_string(UserId("admin@example.org")) + "/export", {}).status, 403);
}

TEST_F(NewsroomHttpTest, ADeletedAccountCanBeKeptByLoggingInWithinTheGracePeriod) {
  Browser reader(app_->port());
  LogIn(reader, "rea@example.org", "Rea Der", accounts::Role::kReader);
  const std::int64_t id = UserId("rea@example.org");

  auto wrong = reader.Post("/account/data/delete", {{"password", "not my password"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_NE(wrong.body.find("That is not your password"), std::string::npos);
  EXPECT_FALSE(app_->store().FindAccountDeletion(id));

  auto deleted = reader.Post("/account/data/delete", {{"password", "a long password"}});
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_NE(deleted.body.find("Your account will be deleted on"), std::string::npos);
  EXPECT_EQ(deleted.body.find("Rea Der"), std::string::npos);  // shown logged out
  auto deletion = app_->store().FindAccountDeletion(id);
  ASSERT_TRUE(deletion);
  EXPECT_EQ(deletion->final_at - deletion->requested_at, 14 * 86400);
  EXPECT_EQ(reader.Get("/account").status, 303);  // logged out everywhere
  // Told by mail, queued with the deletion, how to keep the account.
  int deletion_mails = 0;
  const auto outbox = app_->store().ListMail({"", 500}).value();
  for (const auto& message : outbox) {
    if (message.kind == "account_deletion" && message.recipient == "rea@example.org") ++deletion_mails;
  }
  EXPECT_EQ(deletion_mails, 1);

  // A purge before the end of the grace period changes nothing.
  EXPECT_EQ(app_->users_desk().PurgeDue().value(), 0);
  LogInAgain(reader, "rea@example.org");
  EXPECT_FALSE(app_->store().FindAccountDeletion(id));
  EXPECT_EQ(reader.Get("/account").status, 200);

  // An admin may ask for the deletion too, and withdraw it.
  Browser admin(app_->port());
  LogIn(admin, "admin@example.org", "Ad Min", accounts::Role::kAdmin);
  const std::string page = "/staff/users/" + std::to_string(id);
  ASSERT_EQ(admin.Post(page + "/delete", {}).status, 303);
  EXPECT_NE(admin.Get(page).body.find("unless the reader logs in before then"), std::string::npos);
  EXPECT_EQ(admin.Post(page + "/delete", {}).status, 409);
  ASSERT_EQ(admin.Post(page + "/keep", {}).status, 303);
  EXPECT_FALSE(app_->store().FindAccountDeletion(id));
  // Staff accounts are made readers first.
  EXPECT_EQ(admin.Post("/staff/users/" + std::to_string(UserId("admin@example.org")) + "/delete", {}).status, 400);
}

class NewsroomNoGraceTest : public NewsroomHttpTest {
 protected:
  void Configure(Config& config) override { config.newsroom.deletion_grace_days = 0; }
};

TEST_F(NewsroomNoGraceTest, AfterTheGracePeriodTheAccountIsAnonymisedAndTheCommentsStay) {
  Browser reader(app_->port());
  BecomeReader(reader, "rea@example.org", "Rea Der");
  auto posted = Comment(reader, "Words that stay after I leave.");
  ASSERT_EQ(posted.status, 303);
  const std::int64_t id = UserId("rea@example.org");
  ASSERT_EQ(reader.Post("/account/data/delete", {{"password", "a long password"}}).status, 200);

  // The grace period is over: logging in does not bring the account back.
  reader.Get("/login");
  auto login = reader.Post("/login", {{"email", "rea@example.org"}, {"password", "a long password"}});
  EXPECT_NE(login.status, 303);
  auto user = app_->store().FindUser({.id = id}).value();
  EXPECT_EQ(user.display_name, "Former reader");
  EXPECT_EQ(user.email, "deleted-" + std::to_string(id) + "@deleted.invalid");
  EXPECT_TRUE(user.password_hash.empty());
  EXPECT_TRUE(app_->store().FindAccountDeletion(id)->completed_at);

  // The comment stays, under the neutral name, on the article page.
  auto article = Browser(app_->port()).Get(std::string("/articles/") + kSlug);
  EXPECT_NE(article.body.find("Words that stay after I leave."), std::string::npos);
  EXPECT_NE(article.body.find("Former reader"), std::string::npos);
  EXPECT_EQ(article.body.find("Rea Der"), std::string::npos);
  EXPECT_EQ(app_->users_desk().PurgeDue().value(), 0);  // nothing left to do
}

TEST_F(NewsroomNoGraceTest, ThePurgeMakesDueDeletionsFinal) {
  ASSERT_TRUE(app_->accounts().AddUser("rea@example.org", "Rea Der", accounts::Role::kReader, "a long password"));
  const std::int64_t id = UserId("rea@example.org");
  ASSERT_TRUE(app_->store().ScheduleAccountDeletion({id, id, NowSeconds() - 10, NowSeconds() - 1}));
  EXPECT_EQ(app_->users_desk().PurgeDue().value(), 1);
  EXPECT_EQ(app_->store().FindUser({.id = id})->display_name, "Former reader");
}

TEST_F(NewsroomHttpTest, FormsWithoutTheTokenChangeNothing) {
  const std::int64_t held = HeldComment("Held");
  Browser admin(app_->port());
  LogIn(admin, "admin@example.org", "Ad Min", accounts::Role::kAdmin);
  ASSERT_TRUE(app_->accounts().AddUser("rea@example.org", "Rea Der", accounts::Role::kReader, "a long password"));
  const std::int64_t reader_id = UserId("rea@example.org");
  const std::string user_page = "/staff/users/" + std::to_string(reader_id);

  auto forged_claim = admin.Post("/staff/inbox/claims", {{"queue", "held"}, {"item", std::to_string(held)},
                                                         {"action", "claim"}, {"csrf", "forged"}}, false);
  EXPECT_EQ(forged_claim.status, 403);
  EXPECT_TRUE(app_->store().ListInboxClaims(NowSeconds())->empty());
  EXPECT_EQ(admin.Post(user_page + "/role", {{"role", "admin"}}, false).status, 403);
  EXPECT_EQ(app_->store().FindUser({.id = reader_id})->role, "reader");
  EXPECT_EQ(admin.Post(user_page + "/delete", {}, false).status, 403);
  EXPECT_FALSE(app_->store().FindAccountDeletion(reader_id));
  auto forged_export = admin.Post(user_page + "/export", {}, false);
  EXPECT_EQ(forged_export.status, 403);
  EXPECT_EQ(forged_export.body.find("rea@example.org"), std::string::npos);

  Browser reader(app_->port());
  LogInAgain(reader, "rea@example.org");
  EXPECT_EQ(reader.Post("/account/data/delete", {{"password", "a long password"}}, false).status, 403);
  EXPECT_FALSE(app_->store().FindAccountDeletion(reader_id));
  EXPECT_EQ(reader.Post("/account/data/export", {}, false).status, 403);
  // The refused export did not use up the day's download.
  EXPECT_EQ(reader.Post("/account/data/export", {}).status, 200);
}

TEST_F(NewsroomHttpTest, TheDashboardDrawsChartsThatFollowTheDecisions) {
  const std::int64_t held = HeldComment("Buy cheap watches");
  Browser mo(app_->port());
  LogIn(mo, "mo@example.org", "Mo Derator", accounts::Role::kModerator);
  auto before = mo.Get("/staff/dashboard");
  ASSERT_EQ(before.status, 200);
  for (const char* id : {"chart-comments-per-hour", "chart-held-rejected", "chart-rejection-reasons", "chart-reports",
                         "chart-first-decision", "chart-accuracy"}) {
    EXPECT_NE(before.body.find(std::string("<svg class=\"chart\" id=\"") + id + "\" role=\"img\""), std::string::npos)
        << id;
  }
  EXPECT_NE(before.body.find("data-label=\"Held (100%)\" data-value=\"1\""), std::string::npos);
  EXPECT_NE(before.body.find("data-label=\"Rejected (0%)\" data-value=\"0\""), std::string::npos);

  mo.Get("/staff/moderation");
  auto decided = mo.Post("/staff/moderation/comments/" + std::to_string(held),
                         {{"decision", "reject"}, {"clause", "spam"}, {"queue", "pending"}});
  ASSERT_EQ(decided.status, 303) << decided.body;
  auto after = mo.Get("/staff/dashboard?days=1");
  EXPECT_NE(after.body.find("data-label=\"Rejected (100%)\" data-value=\"1\""), std::string::npos);
  EXPECT_NE(after.body.find("data-label=\"under 15 min\" data-value=\"1\""), std::string::npos);
  EXPECT_NE(after.body.find("last day"), std::string::npos);
}

}  // namespace
}  // namespace masthead::app
