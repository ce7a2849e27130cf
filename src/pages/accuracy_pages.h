// Accuracy pages: the reader's accuracy form and message to the editors, the
// public history of an article with a word diff, the corrections list and its
// Atom feed, and the editors' pages for cases and messages.
#pragma once

#include <map>
#include <string>

#include "accuracy/accuracy_service.h"
#include "pages/site_pages.h"
#include "pages/web_session.h"

namespace masthead::pages {

class AccuracyPages {
 public:
  AccuracyPages(accuracy::AccuracyService& accuracy, articles::ArticleService& articles, const WebSession& web,
                SitePages& site)
      : accuracy_(accuracy), articles_(articles), web_(web), site_(site) {}

  // --- Readers ------------------------------------------------------------------
  http::Response Form(const http::Request& request, const std::string& slug);    // GET
  http::Response Submit(const http::Request& request, const std::string& slug);  // POST
  http::Response Contact(const http::Request& request, const std::string& slug); // GET and POST
  http::Response History(const http::Request& request, const std::string& slug);
  http::Response Corrections();
  http::Response CorrectionsFeed();

  // --- Editors (the app lets staff in; these check the editor role) ---------------
  http::Response Cases(const http::Request& request);
  http::Response Case(const http::Request& request, std::int64_t id);
  // action: "state", "correction" or "invite".
  http::Response CaseAction(const http::Request& request, std::int64_t id, const std::string& action);
  http::Response Messages(const http::Request& request);
  http::Response Message(const http::Request& request, std::int64_t id);
  // action: "reply" or "case".
  http::Response MessageAction(const http::Request& request, std::int64_t id, const std::string& action);

 private:
  using FormFields = std::map<std::string, std::string, std::less<>>;
  http::Response Page(WebContext& context, const std::string& name, Data& data, const std::string& title,
                      int status);
  http::Response RenderForm(WebContext& context, const std::string& slug, const FormFields& input, const Error* error,
                            const std::string& sent);
  http::Response RenderContact(WebContext& context, const std::string& slug, const FormFields& input,
                               const Error* error, bool sent);
  http::Response RenderCase(WebContext& context, std::int64_t id, const std::string& notice, const Error* error);
  http::Response RenderMessage(WebContext& context, std::int64_t id, const std::string& notice,
                               const Error* error, const std::string& draft);
  // The editor's context, or the answer to send instead.
  std::optional<http::Response> Editor(const http::Request& request, WebContext& context);

  accuracy::AccuracyService& accuracy_;
  articles::ArticleService& articles_;
  const WebSession& web_;
  SitePages& site_;
};

}  // namespace masthead::pages
