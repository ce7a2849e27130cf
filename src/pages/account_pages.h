// Registration, log-in and out, e-mail confirmation, password reset and change,
// display name, and acceptance of the Terms of Use. Every form re-shows what the
// person typed (never the password) with the faulty field named.
#pragma once

#include <string>

#include "accounts/account_service.h"
#include "discussion/policy_service.h"
#include "pages/site_pages.h"
#include "pages/web_session.h"

namespace masthead::pages {

class AccountPages {
 public:
  AccountPages(accounts::AccountService& accounts, discussion::PolicyService& policies,
               const WebSession& web, SitePages& site)
      : accounts_(accounts), policies_(policies), web_(web), site_(site) {}

  http::Response RegisterForm(const http::Request& request);
  http::Response Register(const http::Request& request);
  http::Response LoginForm(const http::Request& request);
  http::Response Login(const http::Request& request);
  http::Response Logout(const http::Request& request);
  http::Response ConfirmForm(const http::Request& request);
  http::Response Confirm(const http::Request& request);
  http::Response ResendConfirmation(const http::Request& request);
  http::Response ForgotForm(const http::Request& request);
  http::Response Forgot(const http::Request& request);
  http::Response ResetForm(const http::Request& request);
  http::Response Reset(const http::Request& request);
  http::Response Settings(const http::Request& request);
  http::Response ChangeName(const http::Request& request);
  http::Response ChangePassword(const http::Request& request);
  http::Response TermsForm(const http::Request& request);
  http::Response AcceptTerms(const http::Request& request);

  // The terms page for a reader whose post needs acceptance first; the post's
  // fields ride along in hidden inputs so nothing typed is lost.
  http::Response TermsBeforePosting(WebContext& context, const std::string& next,
                                    const std::map<std::string, std::string, std::less<>>& carried);

 private:
  http::Response Page(int status, WebContext& context, const std::string& title, Data& form);
  http::Response Forged(WebContext& context);

  accounts::AccountService& accounts_;
  discussion::PolicyService& policies_;
  const WebSession& web_;
  SitePages& site_;
};

// A local path to go back to after a form ("/articles/x#discussion"); anything
// else (other hosts, "//evil", schemes) becomes "/".
std::string SafeNext(const std::string& next);

}  // namespace masthead::pages
