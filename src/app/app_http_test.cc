// The site as a reader's browser meets it: a real server on a free port over a
// real SQLite file with the demo content.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "app/app.h"
#include "app/test_database.h"
#include "http/test_client.h"

namespace masthead::app {
namespace {

using http::testing::Get;
using http::testing::ParseResponse;
using http::testing::RawExchange;

constexpr char kSeedSlug[] = "russia-wont-give-assad-safe-haven-foreign-minister-says";

class AppHttpTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("masthead-app-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    Config config;
    config.database_path = TestDatabaseLocation(dir);
    config.ua_cache_dir = TestUaCacheDir();
    config.server.port = 0;
    config.server.threads = 2;
    config.server.max_body_bytes = 64 * 1024;
    config.access_log = false;
    config.site.title = "Test Herald";
    auto app = App::Open(config);
    ASSERT_TRUE(app) << app.error().ToString();
    app_ = std::move(*app).release();
    ASSERT_TRUE(app_->articles().LoadDemoContentIfEmpty());
    ASSERT_TRUE(app_->Start());
  }
  static void TearDownTestSuite() {
    delete app_;
    app_ = nullptr;
  }
  // A failed suite set-up must fail every test, not skip them quietly.
  void SetUp() override { ASSERT_NE(app_, nullptr) << "the test server did not start"; }
  static std::uint16_t port() { return app_->port(); }
  static App* app_;
};
App* AppHttpTest::app_ = nullptr;

std::size_t Find(const std::string& body, const std::string& needle) {
  const std::size_t at = body.find(needle);
  EXPECT_NE(at, std::string::npos) << "missing: " << needle;
  return at;
}

TEST_F(AppHttpTest, ArticlePageShowsTheFieldsInNewspaperOrder) {
  auto page = Get(port(), std::string("/articles/") + kSeedSlug);
  ASSERT_EQ(page.status, 200);
  const std::string& b = page.body;
  const auto date = Find(b, "<time datetime=\"2012-12-23T09:30:00Z\">December 23, 2012</time>");
  const auto headline = Find(b, "<h1 id=\"headline\" class=\"headline\">Russia won&apos;t give Assad safe haven, foreign minister says</h1>");
  const auto deck = Find(b, "<p class=\"deck\">He also says Syria has consolidated");
  const auto credit = Find(b, "<p class=\"credit\">The Associated Press</p>");
  const auto body = Find(b, "<p id=\"p1\"><span class=\"dateline\">MOSCOW -</span> Russia's foreign minister says");
  EXPECT_LT(date, headline);
  EXPECT_LT(headline, deck);
  EXPECT_LT(deck, credit);
  EXPECT_LT(credit, body);
  Find(b, "<p id=\"p10\">He added that U.N. peace envoy");
  Find(b, "accuracy form");
  Find(b, "Send question/comment to the editors");
  Find(b, "Further Discussion");
  Find(b, "strict <a href=\"/guidelines\">no-bullying policy</a>");
  Find(b, "<a href=\"/support/my-browser\">here</a>");
}

TEST_F(AppHttpTest, ArticlePageCarriesOpenGraphJsonLdAndSecurityHeaders) {
  auto page = Get(port(), std::string("/articles/") + kSeedSlug);
  ASSERT_EQ(page.status, 200);
  Find(page.body, "<meta property=\"og:type\" content=\"article\">");
  Find(page.body, "<meta property=\"og:title\" content=\"Russia won&apos;t give Assad");
  Find(page.body, "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\"");
  Find(page.body, "\"author\":{\"@type\":\"Organization\",\"name\":\"The Associated Press\"}");
  Find(page.body, "\"dateline\":\"MOSCOW\"");
  EXPECT_NE(page.Header("content-security-policy").find("script-src 'self'"), std::string::npos);
  EXPECT_NE(page.Header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(page.Header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(page.Header("referrer-policy").empty());
  EXPECT_FALSE(page.Header("etag").empty());
  EXPECT_EQ(page.Header("cache-control"), "public, max-age=60");
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);  // no inline script
}

TEST_F(AppHttpTest, RepeatedRequestsRevalidateWithEtag) {
  const std::string path = std::string("/articles/") + kSeedSlug;
  auto first = Get(port(), path);
  auto again = http::testing::Request(port(), "GET", path, {{"If-None-Match", first.Header("etag")}});
  EXPECT_EQ(again.status, 304);
}

TEST_F(AppHttpTest, EditsShowUpAtOnceDespiteTheCache) {
  auto before = Get(port(), "/articles/lighthouse-restoration-finished");
  ASSERT_EQ(before.status, 200);
  auto article = app_->articles().Published("lighthouse-restoration-finished");
  ASSERT_TRUE(article);
  auto fields = article->fields;
  fields.deck = "The light shines again on New Year's Eve.";
  ASSERT_TRUE(app_->articles().Update(article->id, article->revision, fields, "edit"));
  auto after = Get(port(), "/articles/lighthouse-restoration-finished");
  Find(after.body, "The light shines again on New Year&apos;s Eve.");
  EXPECT_NE(before.Header("etag"), after.Header("etag"));
}

TEST_F(AppHttpTest, FrontPageListsLatestArticlesPerSection) {
  auto front = Get(port(), "/");
  ASSERT_EQ(front.status, 200);
  Find(front.body, "<h2 id=\"front-world\"><a href=\"/sections/world\">World</a></h2>");
  Find(front.body, "<h2 id=\"front-local\">");
  Find(front.body, "<h2 id=\"front-nation\">");
  Find(front.body, std::string("href=\"/articles/") + kSeedSlug + "\"");
  // Newest first inside a section.
  EXPECT_LT(Find(front.body, "russia-wont-give-assad"), Find(front.body, "eu-leaders-agree"));
}

TEST_F(AppHttpTest, SectionPagesAndUnknownSections) {
  auto world = Get(port(), "/sections/world");
  ASSERT_EQ(world.status, 200);
  Find(world.body, "<h1>World</h1>");
  EXPECT_EQ(world.body.find("island-ferry"), std::string::npos);  // a Local story
  EXPECT_EQ(Get(port(), "/sections/nowhere").status, 404);
  EXPECT_EQ(Get(port(), "/sections/world?before=garbage").status, 400);
}

TEST_F(AppHttpTest, FeedsSitemapAndRobots) {
  auto atom = Get(port(), "/feed.atom");
  ASSERT_EQ(atom.status, 200);
  EXPECT_EQ(atom.Header("content-type"), "application/atom+xml; charset=utf-8");
  Find(atom.body, "<feed xmlns=\"http://www.w3.org/2005/Atom\">");
  Find(atom.body, "<title>Russia won&#39;t give Assad safe haven, foreign minister says</title>");
  auto rss = Get(port(), "/sections/local/feed.rss");
  ASSERT_EQ(rss.status, 200);
  Find(rss.body, "<rss version=\"2.0\"");
  Find(rss.body, "island-ferry-moves-to-winter-schedule");
  EXPECT_EQ(rss.body.find(kSeedSlug), std::string::npos);
  EXPECT_EQ(Get(port(), "/sections/nowhere/feed.atom").status, 404);
  auto sitemap = Get(port(), "/sitemap.xml");
  ASSERT_EQ(sitemap.status, 200);
  Find(sitemap.body, std::string("/articles/") + kSeedSlug + "</loc><lastmod>");
  auto robots = Get(port(), "/robots.txt");
  Find(robots.body, "Sitemap: http://127.0.0.1:8080/sitemap.xml");
}

TEST_F(AppHttpTest, SearchFindsTheSeedAndShowsQueriesAsText) {
  auto hits = Get(port(), "/search?q=chemical+weapons");
  ASSERT_EQ(hits.status, 200);
  Find(hits.body, std::string("href=\"/articles/") + kSeedSlug + "\"");
  Find(hits.body, "<mark>");
  auto hostile = Get(port(), "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22");
  ASSERT_EQ(hostile.status, 200);
  EXPECT_EQ(hostile.body.find("<script>alert"), std::string::npos);
  Find(hostile.body, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
  EXPECT_EQ(Get(port(), "/search?q=%FF%FE").status, 400);
  EXPECT_EQ(Get(port(), "/search").status, 200);
}

TEST_F(AppHttpTest, UnknownRoutesAndMethodsGetClearPages) {
  auto missing = Get(port(), "/no/such/page");
  EXPECT_EQ(missing.status, 404);
  Find(missing.body, "Page not found");
  EXPECT_EQ(Get(port(), "/articles/no-such-article").status, 404);
  EXPECT_EQ(Get(port(), "/articles/NOT..a..slug").status, 404);
  auto wrong = http::testing::Request(port(), "DELETE", "/");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Header("allow"), "GET, HEAD");
  auto post = http::testing::Request(port(), "POST", "/search", {}, "q=x");
  EXPECT_EQ(post.status, 405);
}

TEST_F(AppHttpTest, HeadHealthMetricsAndStatic) {
  auto head = http::testing::Request(port(), "HEAD", "/");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_NE(head.Header("content-length"), "0");
  auto health = Get(port(), "/healthz");
  EXPECT_EQ(health.status, 200);
  Find(health.body, "\"status\":\"ok\"");
  Get(port(), "/");
  auto metrics = Get(port(), "/metrics");
  Find(metrics.body, "masthead_http_requests_total{route=\"front\",status=\"2xx\"}");
  Find(metrics.body, "masthead_http_request_duration_seconds_bucket{route=\"front\",le=\"0.001\"}");
  auto css = Get(port(), "/static/site.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("content-type"), "text/css; charset=utf-8");
  EXPECT_NE(css.Header("cache-control").find("immutable"), std::string::npos);
  EXPECT_EQ(Get(port(), "/static/nothing.js").status, 404);
  EXPECT_EQ(Get(port(), "/terms").status, 200);
  Find(Get(port(), "/guidelines").body, "No personal attacks");
}

TEST_F(AppHttpTest, MyBrowserTellsWindows11FromWindows10ByClientHints) {
  for (int i = 0; i < 3000 && app_->UserAgents() == nullptr; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // rules compile after start (bounded)
  }
  ASSERT_NE(app_->UserAgents(), nullptr);
  const std::string chrome =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/124.0.0.0 Safari/537.36";
  auto ask = [&](const std::string& platform_version) {
    return http::testing::Request(port(), "GET", "/support/my-browser",
                                  {{"User-Agent", chrome},
                                   {"Sec-CH-UA-Platform", "\"Windows\""},
                                   {"Sec-CH-UA-Platform-Version", "\"" + platform_version + "\""},
                                   {"Sec-CH-UA-Full-Version-List",
                                    "\"Chromium\";v=\"124.0.6367.91\", \"Google Chrome\";v=\"124.0.6367.91\""}});
  };
  auto eleven = ask("15.0.0");
  ASSERT_EQ(eleven.status, 200);
  Find(eleven.body, "<dd id=\"env-os\">Windows 11</dd>");
  Find(eleven.body, "124.0.6367.91");
  EXPECT_NE(eleven.Header("accept-ch").find("Sec-CH-UA-Platform-Version"), std::string::npos);
  Find(ask("10.0.0").body, "<dd id=\"env-os\">Windows 10</dd>");
  // Without hints the reduced string says "Windows NT 10.0": Windows 10 at best.
  auto plain = http::testing::Request(port(), "GET", "/support/my-browser", {{"User-Agent", chrome}});
  Find(plain.body, "<dd id=\"env-os\">Windows");
  // A reduced Android string gets its real version and model from the hints.
  auto android = http::testing::Request(
      port(), "GET", "/support/my-browser",
      {{"User-Agent", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                      "Chrome/124.0.0.0 Mobile Safari/537.36"},
       {"Sec-CH-UA-Platform", "\"Android\""}, {"Sec-CH-UA-Platform-Version", "\"14.0.0\""},
       {"Sec-CH-UA-Model", "\"Pixel 8\""}, {"Sec-CH-UA-Mobile", "?1"}});
  Find(android.body, "<dd id=\"env-os\">Android 14");
  Find(android.body, "Pixel 8");
  // A shared summary travels in the URL and is shown as text.
  auto shared = Get(port(), "/support/my-browser?summary=%3Cscript%3Ex%3C%2Fscript%3E+Chrome");
  Find(shared.body, "&lt;script&gt;x&lt;/script&gt; Chrome");
  EXPECT_EQ(shared.body.find("<script>x"), std::string::npos);
  // Hostile user agents: bounded work, a page all the same.
  auto hostile = http::testing::Request(port(), "GET", "/support/my-browser",
                                        {{"User-Agent", std::string(4000, '(')}});
  EXPECT_EQ(hostile.status, 200);
}

TEST_F(AppHttpTest, BadInputGetsA4xxAndTheServerKeepsServing) {
  EXPECT_EQ(ParseResponse(RawExchange(port(), "NONSENSE\r\n\r\n")).status, 400);
  EXPECT_EQ(ParseResponse(RawExchange(port(), "GET /articles/%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n")).status, 400);
  EXPECT_EQ(ParseResponse(RawExchange(port(), "GET / HTTP/1.1\r\nHost: x\r\nX: " +
                                                  std::string(20000, 'x') + "\r\n\r\n")).status, 431);
  EXPECT_EQ(ParseResponse(RawExchange(port(), "POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n")).status, 413);
  EXPECT_EQ(Get(port(), std::string("/articles/") + kSeedSlug).status, 200);
}

}  // namespace
}  // namespace masthead::app
