// What the HTTP-level tests of the site share: a browser that keeps cookies and
// reads form tokens, and a fixture that runs the whole app on a free port with
// the demo articles, registers readers and posts comments like a reader does.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"
#include "http/request.h"
#include "http/test_client.h"

namespace masthead::app {

inline constexpr char kSlug[] = "russia-wont-give-assad-safe-haven-foreign-minister-says";

// A reader's browser: keeps cookies, reads form tokens out of pages.
class Browser {
 public:
  explicit Browser(std::uint16_t port) : port_(port) {}

  http::testing::ClientResponse Get(const std::string& target) { return Send("GET", target, ""); }
  http::testing::ClientResponse Post(const std::string& target,
                                     std::vector<std::pair<std::string, std::string>> fields,
                                     bool with_csrf = true) {
    if (with_csrf) fields.emplace_back("csrf", csrf_);
    std::string body;
    for (const auto& [name, value] : fields) {
      body += (body.empty() ? "" : "&") + name + "=" + http::PercentEncode(value);
    }
    return Send("POST", target, body);
  }
  const std::string& csrf() const { return csrf_; }
  http::testing::ClientResponse PostJson(const std::string& target, const std::string& body,
                                         const std::string& csrf) {
    std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
    if (!csrf.empty()) headers.emplace_back("X-CSRF-Token", csrf);
    std::string cookie_header;
    for (const auto& [name, value] : cookies_) cookie_header += name + "=" + value + "; ";
    headers.emplace_back("Cookie", cookie_header);
    return http::testing::Request(port_, "POST", target, headers, body);
  }
  std::string Field(const std::string& page, const std::string& name) {
    std::smatch match;
    const std::regex pattern("name=\"" + name + "\" value=\"([^\"]*)\"");
    return std::regex_search(page, match, pattern) ? match[1].str() : std::string();
  }

 private:
  http::testing::ClientResponse Send(const std::string& method, const std::string& target,
                                     const std::string& body) {
    std::vector<std::pair<std::string, std::string>> headers;
    std::string cookie_header;
    for (const auto& [name, value] : cookies_) cookie_header += name + "=" + value + "; ";
    if (!cookie_header.empty()) headers.emplace_back("Cookie", cookie_header);
    if (method == "POST") headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    auto response = http::testing::Request(port_, method, target, headers, body);
    // The test client keeps one value per header name; Set-Cookie lines are
    // read from the raw head instead.
    for (const auto& line : set_cookie_lines(response)) {
      const auto eq = line.find('=');
      const auto semi = line.find(';');
      cookies_[line.substr(0, eq)] = line.substr(eq + 1, semi - eq - 1);
    }
    const std::string token = Field(response.body, "csrf");
    if (!token.empty()) csrf_ = token;
    return response;
  }
  static std::vector<std::string> set_cookie_lines(const http::testing::ClientResponse& response) {
    std::vector<std::string> lines;
    auto found = response.headers.find("set-cookie");
    if (found != response.headers.end()) {
      // Several Set-Cookie headers were joined by the client with "\n".
      std::size_t start = 0;
      const std::string& all = found->second;
      while (start <= all.size()) {
        const std::size_t end = all.find('\n', start);
        lines.push_back(all.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
    return lines;
  }

  std::uint16_t port_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

class SiteHttpTest : public testing::Test {
 protected:
  void SetUp() override { StartApp([](Config&) {}); }
  // A fresh site: the defaults below, the suite's Configure(), then `tweak`
  // (a test's own limits, such as the spam tests').
  void StartApp(const std::function<void(Config&)>& tweak) {
    app_.reset();
    dir_ = std::filesystem::temp_directory_path() /
           ("masthead-site-http-" + std::to_string(::getpid()) + "-" +
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
    // Tests post right after loading the page; the spam tests set their own.
    config.discussion.min_seconds_to_submit = 0;
    Configure(config);
    tweak(config);
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
  // For a suite's own settings, applied over the defaults above.
  virtual void Configure(Config&) {}

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

}  // namespace masthead::app
