// Reader questions on the site: the questions view under every article
// (/articles/SLUG/questions: tabs Unanswered, Answered and All, sorted by votes
// or age), asking, voting, the newsroom's answer pinned under a question, the
// editors' merge, decline, follow-up link, "Open questions" box and experts,
// and the staff's queue of unanswered questions across articles.
#pragma once

#include <map>
#include <string>

#include "discussion/comment_service.h"
#include "pages/account_pages.h"
#include "pages/site_pages.h"
#include "pages/web_session.h"
#include "questions/question_service.h"

namespace masthead::pages {

class QuestionPages {
 public:
  QuestionPages(questions::QuestionService& questions, discussion::CommentService& comments,
                const WebSession& web, SitePages& site, AccountPages& account_pages)
      : questions_(questions), comments_(comments), web_(web), site_(site), account_pages_(account_pages) {}

  http::Response View(const http::Request& request, const std::string& slug);
  http::Response Ask(const http::Request& request, const std::string& slug);
  http::Response Vote(const http::Request& request, std::int64_t id);
  // action: "answer", "decline", "merge", "followup".
  http::Response Act(const http::Request& request, std::int64_t id, const std::string& action);
  http::Response AddOpenQuestion(const http::Request& request, const std::string& slug);
  http::Response RemoveOpenQuestion(const http::Request& request, const std::string& slug, std::int64_t id);
  http::Response SetExpert(const http::Request& request, const std::string& slug);
  // /staff/questions: unanswered questions on every article.
  http::Response Queue(const http::Request& request);

 private:
  struct Draft {
    std::string body;
    std::string error;
    std::string key;
    std::string stamp;
    std::string nudge;
    std::string notice;
  };
  http::Response Render(const http::Request& request, WebContext& context, const std::string& slug,
                        const Draft* draft, int status);
  // Back to the question on its article's page, after an action.
  http::Response BackTo(const WebContext& context, std::int64_t question_id, const std::string& tab);
  http::Response Refused(const Error& error, const std::string& heading);

  questions::QuestionService& questions_;
  discussion::CommentService& comments_;
  const WebSession& web_;
  SitePages& site_;
  AccountPages& account_pages_;
};

}  // namespace masthead::pages
