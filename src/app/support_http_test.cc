// Reporting a technical problem over real HTTP: the form as a reader's browser
// meets it, the ticket in the SQLite file, the mails in the Maildir, and the
// staff queue.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "app/site_http_test.h"
#include "mail/mime_parse.h"

namespace masthead::app {
namespace {

constexpr char kWindowsChrome[] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
constexpr int kReportsPerHour = 3;

struct ReceivedMail {
  mail::ParsedMessage message;
  std::string raw;
};

class SupportHttpTest : public SiteHttpTest {
 protected:
  void Configure(Config& config) override {
    config.mail.support_desk = "desk@support.example.org";
    config.support.reports_per_hour = kReportsPerHour;
  }
  void SetUp() override {
    SiteHttpTest::SetUp();
    if (HasFatalFailure()) return;
    // The rules compile in the background after start; the detection tests need them.
    for (int i = 0; i < 3000 && app_->UserAgents() == nullptr; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_NE(app_->UserAgents(), nullptr) << "the uap-core rules did not load";
  }

  // Every message the delivery worker wrote to the Maildir so far.
  std::vector<ReceivedMail> Mails() {
    std::vector<ReceivedMail> mails;
    const auto dir = dir_ / "maildir" / "new";
    if (!std::filesystem::exists(dir)) return mails;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto parsed = mail::ParseMessage(raw);
      if (parsed) mails.push_back({std::move(*parsed), std::move(raw)});
    }
    return mails;
  }
  // Waits (bounded: the worker polls every second) for a mail to `address`.
  ReceivedMail MailTo(const std::string& address) {
    for (int attempt = 0; attempt < 500; ++attempt) {
      for (auto& mail : Mails()) {
        if (mail.message.Get("To").value_or("").find(address) != std::string::npos) return mail;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "no mail to " << address;
    return {};
  }

  std::vector<store::SupportTicket> Tickets() {
    auto tickets = app_->store().ListSupportTickets({"", 100});
    EXPECT_TRUE(tickets);
    return tickets ? *tickets : std::vector<store::SupportTicket>{};
  }

  // A complete report from the form, with `changes` replacing fields.
  http::testing::ClientResponse SendReport(Browser& browser,
                                           std::vector<std::pair<std::string, std::string>> changes = {}) {
    std::map<std::string, std::string> fields = {
        {"article", kSlug}, {"problem", "The video does not play."}, {"steps", "Opened the article, pressed Play."},
        {"email", "reader@example.org"}, {"device", "desktop"}, {"os", "Windows 11"},
        {"browser", "Chrome 124.0.6367.91"}, {"screen", "1920 × 1080"}, {"window", "1280 × 720"},
        {"timezone", "Europe/Berlin"}, {"language", "de-DE"}};
    for (auto& [name, value] : changes) fields[name] = value;
    browser.Get(std::string("/support/report?article=") + kSlug);
    return browser.Post("/support/report", std::vector<std::pair<std::string, std::string>>(fields.begin(), fields.end()));
  }

  Browser LoggedIn(const std::string& email, accounts::Role role) {
    EXPECT_TRUE(app_->accounts().AddUser(email, "Staff Member", role, "a long password"));
    Browser browser(app_->port());
    browser.Get("/login");
    EXPECT_EQ(browser.Post("/login", {{"email", email}, {"password", "a long password"}}).status, 303);
    return browser;
  }

};

TEST_F(SupportHttpTest, TheArticleLinksToAFormPrefilledWithTheArticleAndTheDetectedEnvironment) {
  auto article = http::testing::Get(app_->port(), std::string("/articles/") + kSlug);
  EXPECT_NE(article.body.find(std::string("<a href=\"/support/report?article=") + kSlug + "\">report a technical problem</a>"),
            std::string::npos);
  Browser reader(app_->port());
  reader.AddHeader("User-Agent", kWindowsChrome);
  reader.AddHeader("Sec-CH-UA-Platform", "\"Windows\"");
  reader.AddHeader("Sec-CH-UA-Platform-Version", "\"15.0.0\"");
  reader.AddHeader("Sec-CH-UA-Full-Version-List", "\"Chromium\";v=\"124.0.6367.91\", \"Google Chrome\";v=\"124.0.6367.91\"");
  reader.AddHeader("Accept-Language", "de-DE,de;q=0.9");
  auto form = reader.Get(std::string("/support/report?article=") + kSlug);
  ASSERT_EQ(form.status, 200);
  const std::string& b = form.body;
  EXPECT_NE(b.find("About the article <a href=\"/articles/russia-wont-give-assad"), std::string::npos);
  EXPECT_EQ(reader.Field(b, "article"), kSlug);
  EXPECT_EQ(reader.Field(b, "os"), "Windows 11");
  EXPECT_EQ(reader.Field(b, "browser"), "Chrome 124.0.6367.91");
  EXPECT_EQ(reader.Field(b, "device"), "desktop");
  EXPECT_EQ(reader.Field(b, "language"), "de-DE,de;q=0.9");
  EXPECT_NE(b.find("data-fill=\"screen\""), std::string::npos);
  EXPECT_NE(b.find("We detected: <strong id=\"env-detected\">Chrome 124.0.6367.91 on Windows 11"), std::string::npos);
  EXPECT_FALSE(reader.csrf().empty());
  EXPECT_NE(form.Header("accept-ch").find("Sec-CH-UA-Platform-Version"), std::string::npos);
  // An unknown article is simply not pre-filled.
  EXPECT_EQ(reader.Field(reader.Get("/support/report?article=no-such-article").body, "article"), "");
}

TEST_F(SupportHttpTest, AReportBecomesATicketMailedToTheDeskWithAConfirmationToTheReader) {
  Browser reader(app_->port());
  reader.AddHeader("User-Agent", kWindowsChrome);
  reader.AddHeader("Sec-CH-UA-Platform", "\"Windows\"");
  reader.AddHeader("Sec-CH-UA-Platform-Version", "\"15.0.0\"");
  // The reader corrected the browser field.
  auto sent = SendReport(reader, {{"browser", "Chrome 124 (corrected)"}});
  ASSERT_EQ(sent.status, 303) << sent.body;
  std::smatch match;
  const std::string location = sent.Header("location");
  ASSERT_TRUE(std::regex_match(location, match, std::regex("/support/report/sent\\?ticket=(\\d+)"))) << location;
  const std::string number = match[1];
  auto confirmation = reader.Get(location);
  ASSERT_EQ(confirmation.status, 200);
  EXPECT_NE(confirmation.body.find("your report is ticket #" + number), std::string::npos);

  auto tickets = Tickets();
  ASSERT_EQ(tickets.size(), 1u);
  const store::SupportTicket& ticket = tickets[0];
  EXPECT_EQ(std::to_string(ticket.id), number);
  EXPECT_EQ(ticket.status, "open");
  EXPECT_EQ(ticket.article, kSlug);
  EXPECT_EQ(ticket.problem, "The video does not play.");
  EXPECT_EQ(ticket.email, "reader@example.org");
  EXPECT_EQ(ticket.environment.browser, "Chrome 124 (corrected)");
  EXPECT_EQ(ticket.environment.screen, "1920 × 1080");
  EXPECT_EQ(ticket.environment.user_agent, kWindowsChrome);
  EXPECT_NE(ticket.environment.detected.find("Windows 11"), std::string::npos);
  EXPECT_NE(ticket.environment.client_hints.find("sec-ch-ua-platform-version: \"15.0.0\""), std::string::npos);
  EXPECT_EQ(ticket.network, "127.0.0.0/24");

  ReceivedMail desk = MailTo("desk@support.example.org");
  EXPECT_EQ(desk.message.Get("Subject").value_or(""), "Technical problem #" + number + ": The video does not play.");
  EXPECT_NE(desk.message.Get("Reply-To").value_or("").find("reader@example.org"), std::string::npos);
  const std::string& text = desk.message.text_body;
  EXPECT_NE(text.find("What went wrong:\nThe video does not play."), std::string::npos) << text;
  EXPECT_NE(text.find("What the reader did:\nOpened the article, pressed Play."), std::string::npos);
  EXPECT_NE(text.find("Browser: Chrome 124 (corrected)"), std::string::npos);
  EXPECT_NE(text.find(std::string("User-Agent: ") + kWindowsChrome), std::string::npos);
  EXPECT_NE(text.find(std::string("/articles/") + kSlug), std::string::npos);
  EXPECT_NE(text.find("/staff/support/" + number), std::string::npos);

  ReceivedMail receipt = MailTo("reader@example.org");
  EXPECT_EQ(receipt.message.Get("Subject").value_or(""), "We received your report: ticket #" + number);
  // Anyone can type any address: the confirmation repeats none of the report.
  EXPECT_EQ(receipt.message.text_body.find("video"), std::string::npos);
}

TEST_F(SupportHttpTest, NoAddressMeansNoConfirmationMail) {
  Browser reader(app_->port());
  ASSERT_EQ(SendReport(reader, {{"email", ""}}).status, 303);
  MailTo("desk@support.example.org");
  for (const auto& mail : Mails()) EXPECT_EQ(mail.message.Get("To").value_or("").find("reader@"), std::string::npos);
  EXPECT_TRUE(Tickets()[0].email.empty());
}

TEST_F(SupportHttpTest, MissingOrBadFieldsReShowWhatWasTypedWithTheFieldNamed) {
  Browser reader(app_->port());
  auto missing = SendReport(reader, {{"problem", "   "}, {"steps", "I typed <this> & that"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("What went wrong is required"), std::string::npos);
  EXPECT_NE(missing.body.find("id=\"f-problem\" name=\"problem\" rows=\"6\" aria-describedby=\"h-problem form-error\" aria-invalid=\"true\""),
            std::string::npos) << missing.body;
  EXPECT_NE(missing.body.find("I typed &lt;this&gt; &amp; that</textarea>"), std::string::npos);
  EXPECT_EQ(reader.Field(missing.body, "email"), "reader@example.org");
  EXPECT_EQ(reader.Field(missing.body, "screen"), "1920 × 1080");

  auto no_steps = SendReport(reader, {{"steps", ""}});
  EXPECT_EQ(no_steps.status, 400);
  EXPECT_NE(no_steps.body.find("What you did is required"), std::string::npos);

  auto bad_email = SendReport(reader, {{"email", "not an address"}});
  EXPECT_EQ(bad_email.status, 400);
  EXPECT_NE(bad_email.body.find("id=\"f-email\" name=\"email\" value=\"not an address\" type=\"email\""), std::string::npos);

  auto too_long = SendReport(reader, {{"problem", std::string(6000, 'x')}});
  EXPECT_EQ(too_long.status, 400);
  EXPECT_NE(too_long.body.find("What went wrong is too long: at most 5000 bytes, this has 6000"), std::string::npos);
  EXPECT_NE(too_long.body.find(std::string(6000, 'x') + "</textarea>"), std::string::npos);  // nothing typed is lost

  auto long_field = SendReport(reader, {{"os", std::string(300, 'o')}});
  EXPECT_EQ(long_field.status, 400);
  EXPECT_NE(long_field.body.find("id=\"f-os\" name=\"os\" value=\"" + std::string(300, 'o') + "\" type=\"text\" aria-invalid=\"true\""),
            std::string::npos);

  auto broken = SendReport(reader, {{"steps", "clicked \xff\xfe here"}});
  EXPECT_EQ(broken.status, 400);
  EXPECT_NE(broken.body.find("What you did contains bytes that are not text"), std::string::npos);
  EXPECT_NE(broken.body.find("clicked \xEF\xBF\xBD\xEF\xBF\xBD here</textarea>"), std::string::npos);

  auto bad_article = SendReport(reader, {{"article", "../../etc/passwd"}});
  EXPECT_EQ(bad_article.status, 400);
  EXPECT_TRUE(Tickets().empty());
  EXPECT_TRUE(app_->store().ListMail({"", 10})->empty());
}

TEST_F(SupportHttpTest, AForgedOrMissingCsrfTokenIsRefusedAndTheTextKept) {
  Browser reader(app_->port());
  reader.Get("/support/report");
  auto missing = reader.Post("/support/report", {{"problem", "Blank page"}, {"steps", "Opened it"}}, false);
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(missing.body.find("Blank page</textarea>"), std::string::npos);
  auto forged = reader.Post("/support/report", {{"problem", "Blank page"}, {"steps", "Opened it"}, {"csrf", "forged"}}, false);
  EXPECT_EQ(forged.status, 403);
  // Another browser's token does not fit this browser's cookie.
  Browser other(app_->port());
  other.Get("/support/report");
  auto foreign = reader.Post("/support/report", {{"problem", "Blank page"}, {"steps", "Opened it"}, {"csrf", other.csrf()}}, false);
  EXPECT_EQ(foreign.status, 403);
  EXPECT_TRUE(Tickets().empty());
  EXPECT_TRUE(app_->store().ListMail({"", 10})->empty());
  // The re-shown form carries a working token.
  EXPECT_EQ(reader.Post("/support/report", {{"problem", "Blank page"}, {"steps", "Opened it"}}).status, 303);
}

TEST_F(SupportHttpTest, HostileTextAndUserAgentsAreShownAsTextInPagesAndMail) {
  Browser reader(app_->port());
  const std::string hostile_ua = "Mozilla/5.0 <script>alert('ua')</script> \xff\xfe (X11; Linux x86_64)";
  reader.AddHeader("User-Agent", hostile_ua);
  auto form = reader.Get("/support/report");
  ASSERT_EQ(form.status, 200);
  EXPECT_EQ(form.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(form.body.find("&lt;script&gt;alert(&apos;ua&apos;)&lt;/script&gt; \xEF\xBF\xBD\xEF\xBF\xBD"), std::string::npos);
  auto sent = SendReport(reader, {{"problem", "<script>alert('p')</script><img src=x onerror=alert(1)>"},
                                  {"browser", "\"><b>bold</b>"}});
  ASSERT_EQ(sent.status, 303) << sent.body;
  const store::SupportTicket ticket = Tickets().at(0);
  EXPECT_EQ(ticket.environment.user_agent,
            "Mozilla/5.0 <script>alert('ua')</script> \xEF\xBF\xBD\xEF\xBF\xBD (X11; Linux x86_64)");

  Browser staff = LoggedIn("mod@example.org", accounts::Role::kModerator);
  auto page = staff.Get("/staff/support/" + std::to_string(ticket.id));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(page.body.find("<img src=x"), std::string::npos);
  EXPECT_EQ(page.body.find("<b>bold"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(&apos;p&apos;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(&apos;ua&apos;)&lt;/script&gt; \xEF\xBF\xBD"), std::string::npos);
  auto queue = staff.Get("/staff/support");
  EXPECT_EQ(queue.body.find("<script>alert"), std::string::npos);

  // The desk's mail is plain text only, with the words as typed.
  ReceivedMail desk = MailTo("desk@support.example.org");
  EXPECT_EQ(desk.raw.find("text/html"), std::string::npos);
  EXPECT_NE(desk.message.text_body.find("<script>alert('p')</script>"), std::string::npos);
  EXPECT_NE(desk.message.text_body.find("User-Agent: Mozilla/5.0 <script>alert('ua')</script> \xEF\xBF\xBD"), std::string::npos);
  const std::string subject = desk.message.Get("Subject").value_or("");
  EXPECT_EQ(subject.find('\n'), std::string::npos);
  EXPECT_EQ(subject.find("<script>"), std::string::npos);  // sanitised for the header
}

// (Heads over the server's limit get 431 before any handler runs; see app_http_test.)
TEST_F(SupportHttpTest, ALongUserAgentIsKeptClippedAndValid) {
  Browser reader(app_->port());
  reader.AddHeader("User-Agent", "Mozilla/5.0 " + std::string(7000, '('));  // within the server's 8 KB head
  auto sent = SendReport(reader);
  ASSERT_EQ(sent.status, 303) << sent.status;
  const std::string kept = Tickets().at(0).environment.user_agent;
  EXPECT_EQ(kept.size(), support::kMaxHeaderTextBytes);
  EXPECT_EQ(kept.rfind("Mozilla/5.0 ((((", 0), 0u);
}

TEST_F(SupportHttpTest, AFloodFromOneNetworkIsRateLimitedAndTheTextKept) {
  Browser reader(app_->port());
  for (int i = 0; i < kReportsPerHour; ++i) {
    ASSERT_EQ(SendReport(reader, {{"problem", "report " + std::to_string(i)}}).status, 303);
  }
  auto refused = SendReport(reader, {{"problem", "one too many"}});
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("Many reports came from your network"), std::string::npos);
  EXPECT_NE(refused.body.find("one too many</textarea>"), std::string::npos);
  EXPECT_EQ(Tickets().size(), static_cast<std::size_t>(kReportsPerHour));
}

TEST_F(SupportHttpTest, TheQueueIsForStaffWhoCloseAndReopenTickets) {
  Browser reader(app_->port());
  ASSERT_EQ(SendReport(reader, {{"problem", "first problem"}}).status, 303);
  ASSERT_EQ(SendReport(reader, {{"problem", "second problem"}}).status, 303);
  const auto tickets = Tickets();
  const std::string newest = std::to_string(tickets[0].id);
  const std::string oldest = std::to_string(tickets[1].id);

  EXPECT_EQ(http::testing::Get(app_->port(), "/staff/support").status, 303);  // to the log-in page
  EXPECT_EQ(reader.Get("/staff/support/" + newest).status, 303);
  Browser member = LoggedIn("reader@example.org", accounts::Role::kReader);
  EXPECT_EQ(member.Get("/staff/support").status, 403);
  EXPECT_EQ(member.Get("/staff/support/" + newest).status, 403);
  EXPECT_EQ(member.Post("/staff/support/" + newest + "/close", {}).status, 403);

  Browser staff = LoggedIn("mod@example.org", accounts::Role::kModerator);
  auto queue = staff.Get("/staff/support");
  ASSERT_EQ(queue.status, 200);
  const auto second = queue.body.find("second problem");
  const auto first = queue.body.find("first problem");
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(first, std::string::npos);
  EXPECT_LT(second, first);  // newest first
  EXPECT_NE(queue.body.find("href=\"/staff/support/" + newest + "\">#" + newest), std::string::npos);

  auto ticket = staff.Get("/staff/support/" + oldest);
  ASSERT_EQ(ticket.status, 200);
  EXPECT_NE(ticket.body.find("Ticket #" + oldest + " (open)"), std::string::npos);
  EXPECT_NE(ticket.body.find("first problem"), std::string::npos);
  EXPECT_EQ(staff.Post("/staff/support/" + oldest + "/close", {{"csrf", "forged"}}, false).status, 403);
  auto closed = staff.Post("/staff/support/" + oldest + "/close", {});
  ASSERT_EQ(closed.status, 303);
  EXPECT_NE(staff.Get(closed.Header("location")).body.find("Ticket #" + oldest + " (closed)"), std::string::npos);
  EXPECT_EQ(staff.Get("/staff/support?status=open").body.find("first problem"), std::string::npos);
  EXPECT_NE(staff.Get("/staff/support?status=closed").body.find("first problem"), std::string::npos);
  auto all = staff.Get("/staff/support?status=all").body;
  EXPECT_NE(all.find("first problem"), std::string::npos);
  EXPECT_NE(all.find("second problem"), std::string::npos);
  ASSERT_EQ(staff.Post("/staff/support/" + oldest + "/reopen", {}).status, 303);
  EXPECT_NE(staff.Get("/staff/support").body.find("first problem"), std::string::npos);
  EXPECT_EQ(staff.Get("/staff/support/999999").status, 404);
  EXPECT_EQ(staff.Get("/staff/support/abc").status, 404);
}

}  // namespace
}  // namespace masthead::app
