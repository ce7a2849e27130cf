// The pages of moderation: a reader's report form, the staff queues (pending,
// reported, recently decided, appeals) with decisions, a reader's record for
// staff with notes, the audit log, a reader's own record with appeals, and the
// public transparency report.
#pragma once

#include <string>

#include "discussion/comment_service.h"
#include "moderation/moderation_desk.h"
#include "pages/site_pages.h"
#include "pages/web_session.h"
#include "store/store.h"

namespace masthead::pages {

class ModerationPages {
 public:
  ModerationPages(moderation::ModerationDesk& desk, store::Store& store, const WebSession& web, SitePages& site)
      : desk_(desk), store_(store), web_(web), site_(site) {}

  // Readers.
  http::Response ReportForm(const http::Request& request, std::int64_t comment_id);
  http::Response Report(const http::Request& request, std::int64_t comment_id);
  http::Response MyRecord(const http::Request& request);
  http::Response Appeal(const http::Request& request);

  // Staff (the app checks the role before these run; the desk checks it again).
  http::Response Queue(const http::Request& request);
  http::Response Decide(const http::Request& request, std::int64_t comment_id);
  http::Response DecideAppeal(const http::Request& request, std::int64_t appeal_id);
  http::Response Reader(const http::Request& request, std::int64_t user_id);
  http::Response AddNote(const http::Request& request, std::int64_t user_id);
  http::Response Log(const http::Request& request);

  // Everyone.
  http::Response Transparency(const http::Request& request);

 private:
  using Form = std::map<std::string, std::string, std::less<>>;
  // A logged-in viewer's genuine POST, or the answer to send instead.
  std::optional<http::Response> GenuineForm(const http::Request& request, WebContext& context, Form& input);
  http::Response Page(WebContext& context, const std::string& template_name, Data& data,
                      const std::string& title, int status = 200, bool keyboard = false);
  http::Response RenderReport(WebContext& context, std::int64_t comment_id, const std::string& error,
                              const std::string& notice, const Form& input, int status);
  http::Response RenderMyRecord(WebContext& context, const std::string& error, const std::string& notice,
                                int status);
  Data CommentItem(const store::Comment& comment);

  moderation::ModerationDesk& desk_;
  store::Store& store_;
  const WebSession& web_;
  SitePages& site_;
};

}  // namespace masthead::pages
