// Technical support for readers: the "What is my browser?" page (the seed's
// "TIP: You can easily determine your operating system here"), the form to
// report a technical problem with the detected environment filled in, and the
// staff's queue of the tickets these reports become.
#pragma once

#include <functional>

#include "articles/article_service.h"
#include "pages/site_pages.h"
#include "pages/web_session.h"
#include "support/support_service.h"
#include "ua/parser.h"

namespace masthead::pages {

class SupportPages {
 public:
  // `parser` may return null while the rules are still compiling (start-up) or
  // when they failed to load; the pages then say so instead of guessing.
  SupportPages(SitePages& site, const WebSession& web, support::SupportService& tickets,
               articles::ArticleService& articles, std::function<const ua::Parser*()> parser)
      : site_(site), web_(web), tickets_(tickets), articles_(articles), parser_(std::move(parser)) {}

  http::Response MyBrowser(const http::Request& request);

  // GET and POST /support/report; GET /support/report/sent.
  http::Response ReportForm(const http::Request& request);
  http::Response Report(const http::Request& request);
  http::Response ReportSent(const http::Request& request);

  // Staff (the route checks the role): the queue, one ticket, close and reopen.
  http::Response Queue(const http::Request& request);
  http::Response Ticket(const http::Request& request, std::int64_t id);
  http::Response SetOpen(const http::Request& request, std::int64_t id, bool open);

 private:
  // The environment the request describes; empty device/os/browser when the
  // rules are not loaded yet.
  store::SupportEnvironment Detect(const http::Request& request) const;
  http::Response Page(int status, WebContext& context, const std::string& title, const std::string& name,
                      Data& data);

  SitePages& site_;
  const WebSession& web_;
  support::SupportService& tickets_;
  articles::ArticleService& articles_;
  std::function<const ua::Parser*()> parser_;
};

// The Accept-CH value pages send so that browsers add the high-entropy hints.
std::string_view AcceptClientHints();

}  // namespace masthead::pages
