// The newsroom's pages: the inbox of every queue with claims, the dashboard
// of charts, the users desk, and a reader's own data page (download, delete).
// Staff routes are checked for the role by the app; the handlers check the
// finer rules (admins only for roles, exports and deletions of others).
#pragma once

#include <string>

#include "newsroom/inbox.h"
#include "newsroom/users_desk.h"
#include "pages/site_pages.h"
#include "pages/web_session.h"
#include "store/store.h"

namespace masthead::pages {

class NewsroomPages {
 public:
  NewsroomPages(newsroom::Inbox& inbox, newsroom::UsersDesk& users, store::Store& store, const WebSession& web,
                SitePages& site, int dashboard_days)
      : inbox_(inbox), users_(users), store_(store), web_(web), site_(site), dashboard_days_(dashboard_days) {}

  // GET /staff/inbox (and /staff): every queue, filtered by ?queue=, ?section=, ?unclaimed=1.
  http::Response Inbox(const http::Request& request);
  // POST /staff/inbox/claims: queue, item, action ("claim" or "release").
  http::Response Claim(const http::Request& request);
  // GET /staff/dashboard?days=N
  http::Response Dashboard(const http::Request& request);

  // GET /staff/users?q=&role=, GET /staff/users/{id}.
  http::Response Users(const http::Request& request);
  http::Response User(const http::Request& request, std::int64_t user_id);
  // POST /staff/users/{id}/{action}: "role", "export", "delete", "keep".
  http::Response UserAction(const http::Request& request, std::int64_t user_id, const std::string& action);

  // A reader's own: GET /account/data, POST /account/data/export, POST /account/data/delete.
  http::Response MyData(const http::Request& request);
  http::Response MyExport(const http::Request& request);
  http::Response MyDelete(const http::Request& request);

 private:
  using Form = std::map<std::string, std::string, std::less<>>;
  http::Response Page(int status, WebContext& context, const std::string& title, const std::string& name,
                      Data& data);
  http::Response RenderMyData(int status, WebContext& context, const std::string& error);
  http::Response Download(const std::string& json, std::int64_t user_id);

  newsroom::Inbox& inbox_;
  newsroom::UsersDesk& users_;
  store::Store& store_;
  const WebSession& web_;
  SitePages& site_;
  int dashboard_days_;
};

}  // namespace masthead::pages
