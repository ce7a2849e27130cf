// The article editor (/staff/articles) for editors and admins: the list of every
// article by state, the form to write, preview, schedule, publish and unpublish
// one (every structured field), and sections with the desks that own them.
#pragma once

#include "articles/article_service.h"
#include "pages/site_pages.h"
#include "pages/web_session.h"

namespace masthead::pages {

class EditorPages {
 public:
  EditorPages(articles::ArticleService& articles, const WebSession& web, SitePages& site)
      : articles_(articles), web_(web), site_(site) {}

  http::Response List(const http::Request& request);
  // GET /staff/articles/new and /staff/articles/{id}: the form.
  http::Response Form(const http::Request& request, std::int64_t id);
  // POST /staff/articles (id 0) and /staff/articles/{id}: preview or save.
  http::Response Save(const http::Request& request, std::int64_t id);
  http::Response Unpublish(const http::Request& request, std::int64_t id);
  // GET /staff/sections; POST /staff/sections and /staff/desks.
  http::Response Sections(const http::Request& request);
  http::Response PutSection(const http::Request& request);
  http::Response PutDesk(const http::Request& request);

 private:
  // A response to send instead (log in, not an editor, a forged form), or nothing.
  std::optional<http::Response> Editor(const http::Request& request, WebContext& context);
  http::Response Page(int status, WebContext& context, const std::string& title, const std::string& name,
                      Data& data);
  http::Response SectionsPage(int status, WebContext& context, const Error* error);

  articles::ArticleService& articles_;
  const WebSession& web_;
  SitePages& site_;
};

}  // namespace masthead::pages
