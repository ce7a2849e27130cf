// The accuracy workflow over real HTTP, with mail read back from the Maildir the
// delivery worker writes: reports become cases, every state change is mailed,
// corrections appear on the article, in /corrections, its feed and the history;
// invitations, messages to the editors, and every kind of bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "accounts/crypto.h"
#include "app/app.h"
#include "app/test_browser.h"
#include "app/test_database.h"
#include "http/test_client.h"

namespace masthead::app {
namespace {

using testing_support::Browser;

constexpr char kSlug[] = "russia-wont-give-assad-safe-haven-foreign-minister-says";
const std::string kForm = std::string("/articles/") + kSlug + "/accuracy";
constexpr char kLavrovSentence[] = "Foreign Minister Sergei Lavrov told reporters late Friday";

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields Report(const std::string& wrong = "He spoke on Saturday, not late Friday.") {
  return {{"relation", "quoted"},     {"passage", "p3"},
          {"quote", "late Friday"},   {"wrong", wrong},
          {"right", "Lavrov spoke to reporters on Saturday."},
          {"evidence_url", "https://example.org/transcript"},
          {"name", "Maria Zakharova"}, {"email", "maria@example.org"},
          {"may_contact", "yes"}};
}

Fields With(Fields fields, const std::string& name, const std::string& value) {
  for (auto& [key, old] : fields) {
    if (key == name) old = value;
  }
  return fields;
}

// Undoes quoted-printable soft breaks and =XX escapes, so tests read mail as text.
std::string DecodeQuotedPrintable(const std::string& raw) {
  std::string text = std::regex_replace(raw, std::regex("=\r?\n"), "");
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

class AccuracyHttpTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("masthead-accuracy-http-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    database_ = TestDatabaseLocation(dir_);
    Open(BaseConfig());
  }

  Config BaseConfig() const {
    Config config;
    config.database_path = database_;
    config.ua_cache_dir = TestUaCacheDir();
    config.server.port = 0;
    config.server.threads = 2;
    config.access_log = false;
    config.accounts.password_hash_cost = "minimum";
    config.mail.maildir = (dir_ / "maildir").string();
    config.mail.section_desks = "world=world-desk@example.org";
    config.accuracy.reports_per_hour = 4;
    return config;
  }

  // Starts (or restarts, on the same database) the app with `config`.
  void Open(const Config& config) {
    app_.reset();
    auto app = App::Open(config);
    ASSERT_TRUE(app) << app.error().ToString();
    app_ = std::move(*app);
    ASSERT_TRUE(app_->articles().LoadDemoContentIfEmpty());
    ASSERT_TRUE(app_->Start());
    if (!app_->store().FindUser({.email = "ed@example.org"})) {
      ASSERT_TRUE(app_->accounts().AddUser("ed@example.org", "Ed Itor", accounts::Role::kEditor, "editor password"));
    }
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  void LogIn(Browser& browser, const std::string& email, const std::string& password) {
    browser.Get("/login");
    ASSERT_EQ(browser.Post("/login", {{"email", email}, {"password", password}}).status, 303);
    browser.Get("/account");  // a page with the form token bound to the new session
  }

  // Files a report as an anonymous reader; returns the case number (0 on failure).
  std::int64_t File(Browser& reader, const Fields& fields = Report()) {
    reader.Get(kForm);
    auto filed = reader.Post(kForm, fields);
    const std::string location = filed.Header("location");
    const auto at = location.find("sent=");
    if (filed.status != 303 || at == std::string::npos) {
      ADD_FAILURE() << filed.status << " " << filed.body;
      return 0;
    }
    return std::stoll(location.substr(at + 5));
  }

  // Every delivered mail to `address` whose text contains `needle`, decoded;
  // waits (bounded) for the worker to deliver at least `count`.
  std::vector<std::string> Mails(const std::string& address, const std::string& needle, std::size_t count = 1) {
    std::vector<std::string> found;
    for (int attempt = 0; attempt < 500; ++attempt) {
      found.clear();
      if (std::filesystem::exists(dir_ / "maildir" / "new")) {
        for (const auto& entry : std::filesystem::directory_iterator(dir_ / "maildir" / "new")) {
          std::ifstream in(entry.path());
          const std::string text = DecodeQuotedPrintable(
              std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
          if (text.find("To: ") != std::string::npos && text.find(address) != std::string::npos &&
              text.find(needle) != std::string::npos) {
            found.push_back(text);
          }
        }
      }
      if (found.size() >= count) return found;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return found;
  }

  std::size_t CaseCount() { return app_->store().ListAccuracyCases({"", 1000})->size(); }

  std::filesystem::path dir_;
  std::string database_;
  std::unique_ptr<App> app_;
};

TEST_F(AccuracyHttpTest, AReportBecomesACaseAndEveryStateChangeIsMailed) {
  Browser reader(app_->port());
  auto form = reader.Get(kForm);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"p3\""), std::string::npos);  // the paragraphs, without JavaScript
  EXPECT_NE(form.body.find(kLavrovSentence), std::string::npos);
  const std::int64_t id = File(reader);
  ASSERT_GT(id, 0);
  auto thanks = reader.Get(kForm + "?sent=" + std::to_string(id));
  EXPECT_NE(thanks.body.find("case #" + std::to_string(id)), std::string::npos);
  auto received = Mails("maria@example.org", "was received");
  ASSERT_EQ(received.size(), 1u);
  EXPECT_NE(received[0].find("case #" + std::to_string(id)), std::string::npos);
  EXPECT_EQ(Mails("corrections@masthead.invalid", "New accuracy case #" + std::to_string(id)).size(), 1u);

  // Only editors see cases.
  EXPECT_EQ(http::testing::Get(app_->port(), "/staff/accuracy").status, 303);
  ASSERT_TRUE(app_->accounts().AddUser("mod@example.org", "Mo", accounts::Role::kModerator, "moderator password"));
  Browser moderator(app_->port());
  LogIn(moderator, "mod@example.org", "moderator password");
  EXPECT_EQ(moderator.Get("/staff/accuracy").status, 403);

  Browser editor(app_->port());
  LogIn(editor, "ed@example.org", "editor password");
  auto list = editor.Get("/staff/accuracy");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("/staff/accuracy/" + std::to_string(id)), std::string::npos);
  const std::string page = "/staff/accuracy/" + std::to_string(id);
  auto shown = editor.Get(page);
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("He spoke on Saturday"), std::string::npos);
  EXPECT_NE(shown.body.find(kLavrovSentence), std::string::npos);  // the paragraph the reader picked

  // The moderator's forged attempt changes nothing.
  EXPECT_EQ(moderator.Post(page + "/state", {{"expected_state", "new"}, {"state", "triaged"}}).status, 403);

  auto triaged = editor.Post(page + "/state", {{"expected_state", "new"}, {"state", "triaged"}, {"take", "yes"},
                                               {"note", "Checking the recording."}});
  ASSERT_EQ(triaged.status, 303) << triaged.body;
  EXPECT_EQ(app_->accuracy().Case(id)->owner_name, "Ed Itor");
  auto triaged_mail = Mails("maria@example.org", "is now triaged");
  ASSERT_EQ(triaged_mail.size(), 1u);
  EXPECT_NE(triaged_mail[0].find("Checking the recording."), std::string::npos);
  // Acting on a stale page, or moving backwards, is refused and changes nothing.
  EXPECT_EQ(editor.Post(page + "/state", {{"expected_state", "new"}, {"state", "investigating"}}).status, 409);
  EXPECT_EQ(editor.Post(page + "/state", {{"expected_state", "triaged"}, {"state", "new"}}).status, 409);
  EXPECT_EQ(app_->accuracy().Case(id)->state, "triaged");
  ASSERT_EQ(editor.Post(page + "/state", {{"expected_state", "triaged"}, {"state", "investigating"}}).status, 303);
  EXPECT_EQ(Mails("maria@example.org", "is now investigating").size(), 1u);

  // Publishing a bottom correction that changes the sentence resolves the case.
  auto article = app_->articles().Published(kSlug);
  std::string body = article->fields.body_markdown;
  body.replace(body.find("late Friday"), 11, "on Saturday");
  auto corrected = editor.Post(page + "/correction",
                               {{"kind", "correction"}, {"placement", "bottom"},
                                {"notice", "An earlier version of this story misstated when Lavrov spoke."},
                                {"body", body}, {"expected_revision", std::to_string(article->revision)}});
  ASSERT_EQ(corrected.status, 303) << corrected.body;
  EXPECT_EQ(app_->accuracy().Case(id)->state, "resolved");
  EXPECT_EQ(app_->accuracy().Case(id)->outcome, "correction");
  auto resolved_mail = Mails("maria@example.org", "is resolved");
  ASSERT_EQ(resolved_mail.size(), 1u);
  EXPECT_NE(resolved_mail[0].find("misstated when Lavrov spoke"), std::string::npos);

  auto story = http::testing::Get(app_->port(), std::string("/articles/") + kSlug);
  ASSERT_EQ(story.status, 200);
  EXPECT_NE(story.body.find("Foreign Minister Sergei Lavrov told reporters on Saturday"), std::string::npos);
  EXPECT_EQ(story.body.find(kLavrovSentence), std::string::npos);
  const auto notice = story.body.find("<strong>Correction:</strong> An earlier version of this story misstated");
  ASSERT_NE(notice, std::string::npos);
  EXPECT_GT(notice, story.body.find("id=\"p10\""));  // at the bottom
  EXPECT_NE(story.body.find("\"correction\":[{\"@type\":\"CorrectionComment\""), std::string::npos);

  auto corrections = http::testing::Get(app_->port(), "/corrections");
  EXPECT_NE(corrections.body.find("misstated when Lavrov spoke"), std::string::npos);
  auto feed = http::testing::Get(app_->port(), "/corrections/feed.atom");
  EXPECT_EQ(feed.Header("content-type"), "application/atom+xml; charset=utf-8");
  EXPECT_NE(feed.body.find("<content type=\"text\">Correction: An earlier version"), std::string::npos);
  auto history = http::testing::Get(app_->port(), std::string("/articles/") + kSlug + "/history");
  ASSERT_EQ(history.status, 200);
  EXPECT_NE(history.body.find("<del>late Friday </del><ins>on Saturday </ins>"), std::string::npos);
  EXPECT_NE(history.body.find("Correction (case #" + std::to_string(id) + ")"), std::string::npos);
  EXPECT_EQ(http::testing::Get(app_->port(), std::string("/articles/") + kSlug + "/history?from=1&to=9").status, 400);

  // A resolved case takes no more changes.
  EXPECT_EQ(editor.Post(page + "/state", {{"expected_state", "resolved"}, {"state", "resolved"}}).status, 409);
}

TEST_F(AccuracyHttpTest, ACaseResolvedWithoutChangeTellsTheRequester) {
  Browser reader(app_->port());
  const std::int64_t id = File(reader);
  Browser editor(app_->port());
  LogIn(editor, "ed@example.org", "editor password");
  const std::string page = "/staff/accuracy/" + std::to_string(id);
  ASSERT_EQ(editor.Post(page + "/state", {{"expected_state", "new"}, {"state", "resolved"},
                                          {"note", "The recording confirms Friday."}}).status, 303);
  EXPECT_EQ(app_->accuracy().Case(id)->outcome, "no_change");
  auto mail = Mails("maria@example.org", "is now resolved");
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("we are not changing the story"), std::string::npos);
  EXPECT_EQ(app_->accuracy().CorrectionsOf(app_->articles().Published(kSlug)->id)->size(), 0u);
}

TEST_F(AccuracyHttpTest, ASeriousErrorGetsATopNoticeAndAStaleEditLosesNothing) {
  Browser reader(app_->port());
  const std::int64_t id = File(reader);
  Browser editor(app_->port());
  LogIn(editor, "ed@example.org", "editor password");
  const std::string page = "/staff/accuracy/" + std::to_string(id);
  auto article = app_->articles().Published(kSlug);
  // The editor's text was based on revision 1, but the article changed meanwhile.
  store::ArticleFields changed = article->fields;
  changed.deck += " (updated)";
  ASSERT_TRUE(app_->articles().Update(article->id, article->revision, changed, "desk edit"));
  auto stale = editor.Post(page + "/correction",
                           {{"kind", "correction"}, {"placement", "top"}, {"notice", "Misstated the day."},
                            {"body", article->fields.body_markdown + "\n\nAdded."},
                            {"expected_revision", std::to_string(article->revision)}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_NE(stale.body.find("edited meanwhile"), std::string::npos);
  EXPECT_EQ(app_->accuracy().Case(id)->state, "new");
  EXPECT_TRUE(app_->accuracy().LatestCorrections(10)->empty());
  EXPECT_EQ(app_->articles().Revisions(kSlug)->size(), 2u);
  EXPECT_EQ(editor.Post(page + "/correction", {{"kind", "erratum"}, {"placement", "top"}, {"notice", "x"}}).status, 400);
  EXPECT_EQ(editor.Post(page + "/correction", {{"kind", "correction"}, {"placement", "middle"}, {"notice", "x"}}).status, 400);
  EXPECT_EQ(editor.Post(page + "/correction", {{"kind", "correction"}, {"placement", "top"}, {"notice", " "}}).status, 400);

  // An editor's note at the top, without touching the text: no new revision.
  auto noted = editor.Post(page + "/correction", {{"kind", "editors_note"}, {"placement", "top"},
                                                  {"notice", "This story relied on one <em>source</em>."}});
  ASSERT_EQ(noted.status, 303) << noted.body;
  EXPECT_EQ(app_->articles().Revisions(kSlug)->size(), 2u);
  EXPECT_EQ(app_->accuracy().Case(id)->outcome, "editors_note");
  auto story = http::testing::Get(app_->port(), std::string("/articles/") + kSlug);
  const auto notice = story.body.find("<strong>Editor&apos;s Note:</strong> This story relied on one &lt;em&gt;source&lt;/em&gt;.");
  ASSERT_NE(notice, std::string::npos);
  EXPECT_LT(notice, story.body.find("id=\"p1\""));  // at the top
  EXPECT_NE(Mails("maria@example.org", "is resolved: editor's note").size(), 0u);
}

TEST_F(AccuracyHttpTest, MissingFieldsReShowTheFormWithWhatWasTypedAndTheFieldNamed) {
  Browser reader(app_->port());
  reader.Get(kForm);
  auto missing = reader.Post(kForm, With(Report(), "wrong", ""));
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("What is wrong: please fill this in"), std::string::npos);
  EXPECT_NE(missing.body.find("id=\"f-wrong\" name=\"wrong\" rows=\"5\" aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(missing.body.find("Lavrov spoke to reporters on Saturday."), std::string::npos);  // kept
  EXPECT_NE(missing.body.find("value=\"maria@example.org\""), std::string::npos);
  EXPECT_NE(missing.body.find("id=\"passage-p3\" name=\"passage\" value=\"p3\" checked"), std::string::npos);
  auto no_passage = reader.Post(kForm, With(Report(), "passage", "p99"));
  EXPECT_EQ(no_passage.status, 400);
  EXPECT_NE(no_passage.body.find("The passage"), std::string::npos);
  auto bad_email = reader.Post(kForm, With(Report(), "email", "not an address"));
  EXPECT_EQ(bad_email.status, 400);
  EXPECT_NE(bad_email.body.find("does not look like an e-mail address"), std::string::npos);
  auto bad_link = reader.Post(kForm, With(Report(), "evidence_url", "javascript:alert(1)"));
  EXPECT_EQ(bad_link.status, 400);
  auto oversized = reader.Post(kForm, With(Report(), "right", std::string(6000, 'x')));
  EXPECT_EQ(oversized.status, 413);
  EXPECT_NE(oversized.body.find("What is right: at most 5000 bytes"), std::string::npos);
  EXPECT_NE(oversized.body.find(std::string(6000, 'x')), std::string::npos);  // nothing lost
  auto broken = reader.Post(kForm, With(Report(), "wrong", "caf\xC3 \xFF"));
  EXPECT_EQ(broken.status, 400);
  EXPECT_NE(broken.body.find("What is wrong: the text contains bytes that are not UTF-8"), std::string::npos);
  EXPECT_EQ(broken.body.find("\xFF"), std::string::npos);  // shown as U+FFFD, never raw
  EXPECT_EQ(CaseCount(), 0u);
}

TEST_F(AccuracyHttpTest, ScriptIsShownAsTextInPagesAndMail) {
  Browser reader(app_->port());
  const std::int64_t id = File(reader, With(With(Report(), "wrong", "<script>alert('x')</script> is wrong"), "name",
                                            "Maria <b>Z</b>"));
  ASSERT_GT(id, 0);
  Browser editor(app_->port());
  LogIn(editor, "ed@example.org", "editor password");
  auto page = editor.Get("/staff/accuracy/" + std::to_string(id));
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; is wrong"), std::string::npos);
  EXPECT_EQ(page.body.find("<b>Z</b>"), std::string::npos);
  auto mail = Mails("maria@example.org", "was received");
  ASSERT_EQ(mail.size(), 1u);
  // Plain text only: the words arrive as the reader typed them and cannot run.
  EXPECT_NE(mail[0].find("Content-Type: text/plain; charset=utf-8"), std::string::npos);
  EXPECT_EQ(mail[0].find("text/html"), std::string::npos);
  EXPECT_NE(mail[0].find("> <script>alert('x')</script> is wrong"), std::string::npos);
}

TEST_F(AccuracyHttpTest, AForgedFormIsRefusedAndTheTextKept) {
  Browser reader(app_->port());
  reader.Get(kForm);
  auto forged = reader.Post(kForm, With(Report(), "wrong", "typed with care"), false);
  EXPECT_EQ(forged.status, 403);
  EXPECT_NE(forged.body.find("Nothing was sent"), std::string::npos);
  EXPECT_NE(forged.body.find("typed with care"), std::string::npos);
  EXPECT_EQ(CaseCount(), 0u);
  // The re-shown form carries a fresh token, so sending again works.
  EXPECT_EQ(reader.Post(kForm, Report()).status, 303);
}

TEST_F(AccuracyHttpTest, AFloodFromOneNetworkIsRateLimitedWithTheTextKept) {
  Browser reader(app_->port());
  for (int i = 0; i < 4; ++i) ASSERT_GT(File(reader), 0);
  auto refused = reader.Post(kForm, With(Report(), "wrong", "the fifth report"));
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("many reports came from your network"), std::string::npos);
  EXPECT_NE(refused.body.find("the fifth report"), std::string::npos);
  EXPECT_EQ(CaseCount(), 4u);
}

TEST_F(AccuracyHttpTest, AnInvitationOpensTheBoundFormOnceAndForgedOrExpiredLinksAreRefused) {
  auto link = app_->accuracy().Invite(kSlug, "lavrov@example.org", "Sergei Lavrov", std::nullopt);
  ASSERT_TRUE(link) << link.error().ToString();
  auto invite_mail = Mails("lavrov@example.org", "personal link");
  ASSERT_EQ(invite_mail.size(), 1u);
  EXPECT_NE(invite_mail[0].find(*link), std::string::npos);
  const std::string target = link->substr(link->find("/articles/"));
  const std::string token = target.substr(target.find("invite=") + 7);

  Browser reader(app_->port());
  auto opened = reader.Get(target);
  ASSERT_EQ(opened.status, 200);
  EXPECT_NE(opened.body.find("sent to you personally, Sergei Lavrov (lavrov@example.org)"), std::string::npos);
  EXPECT_NE(opened.body.find("value=\"quoted\" checked"), std::string::npos);

  // Forged: another signature, another invitation number, another expiry.
  std::string other_mac = token;
  other_mac.back() = other_mac.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(reader.Get(kForm + "?invite=" + other_mac).status, 403);
  std::string other_id = token;
  other_id[0] = other_id[0] == '9' ? '8' : static_cast<char>(other_id[0] + 1);
  EXPECT_EQ(reader.Get(kForm + "?invite=" + other_id).status, 403);
  EXPECT_EQ(reader.Get(kForm + "?invite=garbage").status, 403);
  EXPECT_EQ(reader.Get("/articles/un-petit-article/accuracy?invite=" + token).status, 404);

  // The person cannot change who they are; the report is bound to them.
  auto filed = reader.Post(kForm, {{"invite", token}, {"relation", "quoted"}, {"passage", "p3"},
                                   {"wrong", "Friday"}, {"right", "Saturday"},
                                   {"name", "Someone Else"}, {"email", "else@example.org"}});
  ASSERT_EQ(filed.status, 303) << filed.body;
  auto cases = app_->store().ListAccuracyCases({"", 10});
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].requester_email, "lavrov@example.org");
  EXPECT_TRUE((*cases)[0].invite_id.has_value());

  // Replayed: the link files one report.
  auto replayed = reader.Get(target);
  EXPECT_EQ(replayed.status, 409);
  EXPECT_NE(replayed.body.find("used already"), std::string::npos);
  auto reposted = reader.Post(kForm, {{"invite", token}, {"relation", "quoted"}, {"passage", "p3"},
                                      {"wrong", "again"}, {"right", "again"}});
  EXPECT_EQ(reposted.status, 409);
  EXPECT_EQ(CaseCount(), 1u);

  // Expired: an invitation whose time ran out, signed with the site's own key.
  auto article = app_->articles().Published(kSlug);
  auto old = app_->store().CreateAccuracyInvite(
      {article->id, std::nullopt, "old@example.org", "Old", NowSeconds() - 100, NowSeconds() - 10});
  ASSERT_TRUE(old);
  const std::string key = app_->store().GetOrCreateSetting("accuracy_invite_key", "").value();
  const std::string payload = std::to_string(old->id) + "." + std::to_string(old->expires_at);
  auto expired = reader.Get(kForm + "?invite=" + payload + "." + accounts::Mac(key, "accuracy-invite:" + payload));
  EXPECT_EQ(expired.status, 409);
  EXPECT_NE(expired.body.find("expired"), std::string::npos);
}

TEST_F(AccuracyHttpTest, AnInvitationFromACaseIsRefusedOnceTheCaseIsClosed) {
  Browser reader(app_->port());
  const std::int64_t id = File(reader);
  Browser editor(app_->port());
  LogIn(editor, "ed@example.org", "editor password");
  const std::string page = "/staff/accuracy/" + std::to_string(id);
  ASSERT_EQ(editor.Post(page + "/invite", {{"name", "Sergei Lavrov"}, {"email", "lavrov@example.org"}}).status, 303);
  auto mail = Mails("lavrov@example.org", "personal link");
  ASSERT_EQ(mail.size(), 1u);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(mail[0], match, std::regex("(/articles/[a-z-]+/accuracy\\?invite=[A-Za-z0-9._-]+)")));
  const std::string target = match[1];
  EXPECT_EQ(reader.Get(target).status, 200);
  // A second person answers theirs; the case they were invited to records it.
  ASSERT_EQ(editor.Post(page + "/invite", {{"name", "Aide"}, {"email", "aide@example.org"}}).status, 303);
  auto aide_mail = Mails("aide@example.org", "personal link");
  ASSERT_EQ(aide_mail.size(), 1u);
  ASSERT_TRUE(std::regex_search(aide_mail[0], match, std::regex("accuracy\\?invite=([A-Za-z0-9._-]+)")));
  Browser aide(app_->port());
  aide.Get(kForm + "?invite=" + match[1].str());
  auto answered = aide.Post(kForm, {{"invite", match[1].str()}, {"relation", "mentioned"}, {"passage", "p3"},
                                    {"wrong", "The day."}, {"right", "Saturday."}});
  ASSERT_EQ(answered.status, 303) << answered.body;
  const std::string answer_case = answered.Header("location").substr(answered.Header("location").find("sent=") + 5);
  EXPECT_NE(editor.Get(page).body.find("Aide answered an invitation from this case: case #" + answer_case),
            std::string::npos);
  EXPECT_EQ(app_->accuracy().Case(id)->state, "new");
  ASSERT_EQ(editor.Post(page + "/state", {{"expected_state", "new"}, {"state", "resolved"}}).status, 303);
  auto closed = reader.Get(target);
  EXPECT_EQ(closed.status, 409);
  EXPECT_NE(closed.body.find("is closed"), std::string::npos);
  EXPECT_EQ(editor.Post(page + "/invite", {{"name", "X"}, {"email", "x@example.org"}}).status, 409);
}

TEST_F(AccuracyHttpTest, AMessageGoesToTheSectionDeskAndTheAnswerIsMailedAndKept) {
  const std::string contact = std::string("/articles/") + kSlug + "/contact-editors";
  Browser reader(app_->port());
  reader.Get(contact);
  auto missing = reader.Post(contact, {{"name", "Ann"}, {"email", "ann@example.org"}, {"body", ""}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("Your message: please fill this in"), std::string::npos);
  auto sent = reader.Post(contact, {{"name", "Ann"}, {"email", "ann@example.org"},
                                    {"body", "Why <i>Friday</i>? I heard Saturday."}});
  ASSERT_EQ(sent.status, 303) << sent.body;
  auto desk = Mails("world-desk@example.org", "A reader wrote to the editors");
  ASSERT_EQ(desk.size(), 1u);
  EXPECT_EQ(desk[0].find("ann@example.org"), std::string::npos);  // the address stays in the staff pages

  Browser editor(app_->port());
  LogIn(editor, "ed@example.org", "editor password");
  // Logged in, the form comes filled in.
  auto prefilled = editor.Get(contact);
  EXPECT_NE(prefilled.body.find("value=\"Ed Itor\""), std::string::npos);
  EXPECT_NE(prefilled.body.find("value=\"ed@example.org\""), std::string::npos);

  auto messages = editor.Get("/staff/messages");
  ASSERT_EQ(messages.status, 200);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(messages.body, match, std::regex("href=\"/staff/messages/([0-9]+)\"")));
  const std::string page = "/staff/messages/" + match[1].str();
  auto shown = editor.Get(page);
  EXPECT_NE(shown.body.find("Why &lt;i&gt;Friday&lt;/i&gt;?"), std::string::npos);
  auto empty = editor.Post(page + "/reply", {{"body", " "}});
  EXPECT_EQ(empty.status, 400);
  ASSERT_EQ(editor.Post(page + "/reply", {{"body", "Our reporter was on the plane on Friday."}}).status, 303);
  auto answer = Mails("ann@example.org", "Our reporter was on the plane on Friday.");
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_NE(answer[0].find("> Why <i>Friday</i>? I heard Saturday."), std::string::npos);
  auto conversation = editor.Get(page);
  EXPECT_NE(conversation.body.find("Our reporter was on the plane on Friday."), std::string::npos);
  EXPECT_NE(conversation.body.find("answered"), std::string::npos);

  // One action turns the message into an accuracy case.
  auto opened = editor.Post(page + "/case", {});
  ASSERT_EQ(opened.status, 303);
  ASSERT_EQ(CaseCount(), 1u);
  auto c = app_->store().ListAccuracyCases({"", 1})->front();
  EXPECT_EQ(c.requester_email, "ann@example.org");
  EXPECT_NE(opened.Header("location").find("/staff/accuracy/" + std::to_string(c.id)), std::string::npos);
  EXPECT_EQ(Mails("ann@example.org", "became accuracy case #" + std::to_string(c.id)).size(), 1u);
  EXPECT_EQ(editor.Post(page + "/case", {}).status, 409);  // once
}

TEST_F(AccuracyHttpTest, ACaseThatWaitedTooLongRemindsTheDeskOnce) {
  Browser reader(app_->port());
  const std::int64_t id = File(reader);
  EXPECT_EQ(app_->accuracy().RemindWaiting(NowSeconds() + 86400).value(), 0);  // within 3 days
  EXPECT_EQ(app_->accuracy().RemindWaiting(NowSeconds() + 4 * 86400).value(), 1);
  EXPECT_EQ(app_->accuracy().RemindWaiting(NowSeconds() + 5 * 86400).value(), 0);  // once per state
  auto reminder = Mails("corrections@masthead.invalid", "Reminder: accuracy case #" + std::to_string(id));
  ASSERT_EQ(reminder.size(), 1u);
  EXPECT_NE(reminder[0].find("has been new since"), std::string::npos);
}

}  // namespace
}  // namespace masthead::app

namespace masthead::app {
namespace {

TEST_F(AccuracyHttpTest, TheServerRemindsTheDeskByItself) {
  Browser reader(app_->port());
  const std::int64_t id = File(reader);
  // With no days of grace and a check every second, the running server's own job
  // sends the reminder: nothing in the test calls it.
  Config config = BaseConfig();
  config.accuracy.reminder_days = 0;
  config.accuracy.reminder_check_seconds = 1;
  Open(config);
  EXPECT_EQ(Mails("corrections@masthead.invalid", "Reminder: accuracy case #" + std::to_string(id)).size(), 1u);
}

}  // namespace
}  // namespace masthead::app
