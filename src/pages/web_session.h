// Per-request web state: who is logged in (session cookie) and the CSRF token
// for forms (signed double-submit cookie). Handlers Load() it first and Finish()
// their response with it.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "accounts/account_service.h"
#include "accounts/csrf.h"
#include "http/request.h"

namespace masthead::pages {

inline constexpr char kSessionCookie[] = "masthead_session";
inline constexpr char kCsrfCookie[] = "masthead_csrf";

struct WebContext {
  std::optional<accounts::Viewer> viewer;
  std::string session_token;  // the cookie value, when it names a live session
  std::string csrf;           // the token forms in this response carry (see EnsureCsrf)
  bool new_csrf_cookie = false;
};

class WebSession {
 public:
  WebSession(accounts::AccountService& accounts, const accounts::CsrfGuard& csrf, bool secure_cookies,
             int session_days)
      : accounts_(accounts), csrf_(csrf), secure_(secure_cookies), session_days_(session_days) {}

  // Reads the session and a valid CSRF cookie. A new CSRF token is issued here
  // only for logged-in readers; anonymous pages call EnsureCsrf when they show a
  // form, so the shared (cached) pages set no cookie and cost no token.
  WebContext Load(const http::Request& request) const;
  void EnsureCsrf(WebContext& context) const;
  // True when the form's "csrf" field (or the X-CSRF-Token header, for the JSON
  // API) matches the cookie and was issued for this session.
  bool IsGenuine(const http::Request& request, const WebContext& context,
                 const std::map<std::string, std::string, std::less<>>& form) const;
  // Sets the CSRF cookie when a new token was issued.
  void Finish(http::Response& response, const WebContext& context) const;
  // A new session after log-in: a fresh session cookie and a CSRF token bound to it.
  void StartSession(http::Response& response, WebContext& context,
                    const accounts::LoginResult& login) const;
  void EndSession(http::Response& response, WebContext& context) const;

 private:
  std::string Binding(const WebContext& context) const;

  accounts::AccountService& accounts_;
  const accounts::CsrfGuard& csrf_;
  bool secure_;
  int session_days_;
};

}  // namespace masthead::pages
