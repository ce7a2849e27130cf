// The JSON API (/api/v1/...): everything the discussion pages do, for scripts
// and apps. Same services, same rules; errors are {code, message, field} with
// the status from http::StatusOfError. State-changing calls need the session
// cookie and the CSRF token in an X-CSRF-Token header (GET /api/v1/session
// hands one out).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "accounts/account_service.h"
#include "articles/article_service.h"
#include "discussion/comment_service.h"
#include "discussion/policy_service.h"
#include "pages/web_session.h"

namespace masthead::api {

class Api {
 public:
  Api(accounts::AccountService& accounts, discussion::PolicyService& policies,
      discussion::CommentService& comments, articles::ArticleService& articles,
      const pages::WebSession& web)
      : accounts_(accounts), policies_(policies), comments_(comments), articles_(articles), web_(web) {}

  http::Response Session(const http::Request& request);        // GET: viewer and CSRF token
  http::Response Login(const http::Request& request);          // POST {email, password}
  http::Response Logout(const http::Request& request);         // DELETE
  http::Response Register(const http::Request& request);       // POST {email, display_name, password}
  http::Response Terms(const http::Request& request);          // GET current versions
  http::Response AcceptTerms(const http::Request& request);    // POST {terms_version, guidelines_version}
  http::Response Articles(const http::Request& request);       // GET ?section=
  http::Response Article(const http::Request& request, const std::string& slug);
  http::Response Comments(const http::Request& request, const std::string& slug);  // GET ?order=&after=
  http::Response PostComment(const http::Request& request, const std::string& slug);
  http::Response EditComment(const http::Request& request, std::int64_t id);      // PATCH {body}
  http::Response DeleteComment(const http::Request& request, std::int64_t id);
  http::Response Respect(const http::Request& request, std::int64_t id, bool add);
  http::Response Comment(const http::Request& request, std::int64_t id);

 private:
  // Loads the session and, for state changes, checks the CSRF header.
  std::optional<http::Response> Guard(const http::Request& request, pages::WebContext& context,
                                      bool needs_viewer);

  accounts::AccountService& accounts_;
  discussion::PolicyService& policies_;
  discussion::CommentService& comments_;
  articles::ArticleService& articles_;
  const pages::WebSession& web_;
};

// {"code": "...", "message": "...", "field": "..."} with the matching status.
http::Response ErrorResponse(const Error& error);

// Shared by the API's classes.
// Loads the session; refuses a missing viewer (when needed) and, for state
// changes, a missing or stale X-CSRF-Token header.
std::optional<http::Response> GuardRequest(const pages::WebSession& web, const http::Request& request,
                                           pages::WebContext& context, bool needs_viewer);
// A JSON body, not cached.
http::Response JsonResponse(int status, const nlohmann::json& body);
// The request body as a JSON object (empty body: {}); kInvalidArgument otherwise.
Result<nlohmann::json> ParseBody(const http::Request& request);
// A string member, or empty when absent or not a string.
std::string Text(const nlohmann::json& body, const char* key);

}  // namespace masthead::api
