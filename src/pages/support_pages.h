// Technical support for readers: the "What is my browser?" page (the seed's
// "TIP: You can easily determine your operating system here").
#pragma once

#include <functional>

#include "pages/site_pages.h"
#include "ua/parser.h"

namespace masthead::pages {

class SupportPages {
 public:
  // `parser` may return null while the rules are still compiling (start-up) or
  // when they failed to load; the page then says so instead of guessing.
  SupportPages(SitePages& site, std::function<const ua::Parser*()> parser)
      : site_(site), parser_(std::move(parser)) {}

  http::Response MyBrowser(const http::Request& request);

 private:
  SitePages& site_;
  std::function<const ua::Parser*()> parser_;
};

// The Accept-CH value pages send so that browsers add the high-entropy hints.
std::string_view AcceptClientHints();

}  // namespace masthead::pages
