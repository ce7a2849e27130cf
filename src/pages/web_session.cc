#include "pages/web_session.h"

#include "accounts/crypto.h"
#include "http/cookies.h"

namespace masthead::pages {

std::string WebSession::Binding(const WebContext& context) const {
  return context.viewer ? context.viewer->session_token_hash : std::string("anonymous");
}

WebContext WebSession::Load(const http::Request& request) const {
  WebContext context;
  const auto cookies = http::ParseCookies(request.Header("cookie"));
  if (auto session = cookies.find(kSessionCookie); session != cookies.end()) {
    if (auto viewer = accounts_.Authenticate(session->second)) {
      context.viewer = std::move(*viewer);
      context.session_token = session->second;
    }
  }
  auto csrf = cookies.find(kCsrfCookie);
  if (csrf != cookies.end() && csrf_.IsValidFor(csrf->second, Binding(context))) {
    context.csrf = csrf->second;
  } else if (context.viewer) {
    EnsureCsrf(context);  // logged-in pages always carry forms (log out, at least)
  }
  return context;
}

void WebSession::EnsureCsrf(WebContext& context) const {
  if (!context.csrf.empty()) return;
  context.csrf = csrf_.Issue(Binding(context));
  context.new_csrf_cookie = true;
}

bool WebSession::IsGenuine(const http::Request& request, const WebContext& context,
                           const std::map<std::string, std::string, std::less<>>& form) const {
  const auto cookies = http::ParseCookies(request.Header("cookie"));
  auto cookie = cookies.find(kCsrfCookie);
  if (cookie == cookies.end()) return false;
  std::string submitted(request.Header("x-csrf-token"));
  if (auto field = form.find("csrf"); field != form.end()) submitted = field->second;
  return csrf_.Verify(submitted, cookie->second, Binding(context));
}

void WebSession::Finish(http::Response& response, const WebContext& context) const {
  if (!context.new_csrf_cookie) return;
  response.SetHeader("Set-Cookie",
                     http::SetCookieValue(kCsrfCookie, context.csrf,
                                          {.max_age_seconds = 7 * 86400, .secure = secure_}));
  // A page that carries a per-visitor token must not be shared by caches.
  response.SetHeader("Cache-Control", "private, no-store");
}

void WebSession::StartSession(http::Response& response, WebContext& context,
                              const accounts::LoginResult& login) const {
  response.SetHeader("Set-Cookie",
                     http::SetCookieValue(kSessionCookie, login.session_token,
                                          {.max_age_seconds = static_cast<long long>(session_days_) * 86400,
                                           .secure = secure_}));
  context.session_token = login.session_token;
  context.viewer = accounts::Viewer{login.user, accounts::RoleFromName(login.user.role).value_or(accounts::Role::kReader),
                                    accounts::HashToken(login.session_token)};
  context.csrf = csrf_.Issue(Binding(context));
  context.new_csrf_cookie = true;
}

void WebSession::EndSession(http::Response& response, WebContext& context) const {
  (void)accounts_.Logout(context.session_token);
  response.SetHeader("Set-Cookie", http::SetCookieValue(kSessionCookie, "", {.max_age_seconds = 0, .secure = secure_}));
  context.viewer.reset();
  context.session_token.clear();
  context.csrf = csrf_.Issue(Binding(context));
  context.new_csrf_cookie = true;
}

}  // namespace masthead::pages
