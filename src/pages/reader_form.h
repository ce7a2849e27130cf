// The first step of every form a logged-in reader or staff member posts: load
// the session, send visitors to the log-in page, refuse a forged or expired form;
// then read its fields. (What was typed is shown again through
// ReplaceInvalidUtf8, base/utf8.h: a page never carries bytes that are not UTF-8.)
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pages/site_pages.h"
#include "pages/web_session.h"

namespace masthead::pages {

// A response to send instead (log in first, or the form expired), or nothing
// when `input` holds a genuine form of `context.viewer`.
std::optional<http::Response> OpenReaderForm(const WebSession& web, SitePages& site, const http::Request& request,
                                             WebContext& context,
                                             std::map<std::string, std::string, std::less<>>& input);

// A submitted field, or empty when the form has none of that name.
std::string FormValue(const std::map<std::string, std::string, std::less<>>& form, std::string_view key);

}  // namespace masthead::pages
