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
#include "app/test_browser.h"
#include "app/test_database.h"
#include "http/request.h"
#include "http/test_client.h"

namespace masthead::app {

inline constexpr char kSlug[] = "russia-wont-give-assad-safe-haven-foreign-minister-says";

using testing_support::Browser;

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
    config.database_path = TestDatabaseLocation(dir_);
    config.ua_cache_dir = TestUaCacheDir();
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
    // What a browser sends: the hidden fields of the form, the honeypot empty.
    std::vector<std::pair<std::string, std::string>> fields = {
        {"body", body}, {"idempotency_key", key},
        {"form_stamp", browser.Field(page.body, "form_stamp")}, {"website", ""}};
    if (!parent.empty()) fields.emplace_back("parent_id", parent);
    return browser.Post(std::string("/articles/") + kSlug + "/comments", fields);
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
};

}  // namespace masthead::app
