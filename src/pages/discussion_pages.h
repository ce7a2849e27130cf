// The article page with its Further Discussion, and every action on comments:
// post, reply, edit, delete, Respect, ignore, permalinks, live updates (SSE),
// and opening or closing a discussion.
#pragma once

#include <string>

#include "discussion/comment_service.h"
#include "pages/account_pages.h"
#include "pages/site_pages.h"
#include "pages/web_session.h"

namespace masthead::pages {

class DiscussionPages {
 public:
  DiscussionPages(discussion::CommentService& comments, discussion::PolicyService& policies,
                  articles::ArticleService& articles, const WebSession& web, SitePages& site,
                  AccountPages& account_pages)
      : comments_(comments), policies_(policies), articles_(articles), web_(web), site_(site),
        account_pages_(account_pages) {}

  http::Response Article(const http::Request& request, const std::string& slug);
  http::Response Post(const http::Request& request, const std::string& slug);
  http::Response EditForm(const http::Request& request, std::int64_t comment_id);
  http::Response Edit(const http::Request& request, std::int64_t comment_id);
  http::Response Delete(const http::Request& request, std::int64_t comment_id);
  http::Response Respect(const http::Request& request, std::int64_t comment_id);
  // /account/ignored: the readers one ignores, each with a way back.
  http::Response IgnoredReaders(const http::Request& request);
  // Staff choose featured comments (the service checks the role).
  http::Response Feature(const http::Request& request, std::int64_t comment_id);
  http::Response Ignore(const http::Request& request, std::int64_t author_id);
  http::Response Permalink(const http::Request& request, std::int64_t comment_id);
  http::Response Live(const http::Request& request, const std::string& slug);
  http::Response SetClosed(const http::Request& request, const std::string& slug, bool closed);

  // One comment as HTML, for live updates.
  std::string CommentHtml(const store::Comment& comment, const std::string& slug);

 private:
  struct Draft {
    std::string body;
    std::string error;
    std::string notice;
    std::string parent_id;
    std::string key;
    std::string stamp;       // the form's "shown at" stamp, kept when still genuine
    std::string nudge;       // why the writer is asked to reconsider; the next post decides
  };
  // For a logged-in reader's POST: loads the context and form, or returns the
  // answer to send instead (log in first; expired or forged form).
  std::optional<http::Response> ReaderForm(const http::Request& request, WebContext& context,
                                           std::map<std::string, std::string, std::less<>>& input);
  http::Response RenderArticle(const http::Request& request, WebContext& context,
                               const std::string& slug, const Draft* draft, int status);

  discussion::CommentService& comments_;
  discussion::PolicyService& policies_;
  articles::ArticleService& articles_;
  const WebSession& web_;
  SitePages& site_;
  AccountPages& account_pages_;
};

}  // namespace masthead::pages
