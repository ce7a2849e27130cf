// Pages for the newsroom's staff. Access (moderator and up) is checked by the
// app before these run.
#pragma once

#include <filesystem>
#include <string>

#include "pages/site_pages.h"
#include "pages/web_session.h"
#include "store/store.h"

namespace masthead::pages {

class StaffPages {
 public:
  // `maildir`: where mail goes when no SMTP server is configured; empty when one is.
  StaffPages(store::Store& store, const WebSession& web, SitePages& site, std::filesystem::path maildir)
      : store_(store), web_(web), site_(site), maildir_(std::move(maildir)) {}

  http::Response Mail(const http::Request& request);
  http::Response MailMessage(const http::Request& request, const std::string& id);

 private:
  http::Response Page(const http::Request& request, Data& data, const std::string& title);

  store::Store& store_;
  const WebSession& web_;
  SitePages& site_;
  std::filesystem::path maildir_;
};

}  // namespace masthead::pages
