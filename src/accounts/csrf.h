// Cross-site request forgery protection with signed double-submit tokens. The
// browser keeps the token in a cookie and every form carries it in a hidden
// field; a POST is accepted only when the two are equal and the token's MAC
// binds it to the current session (or to "anonymous"). Another site can make a
// browser send the cookie, but cannot read it to put it into the form.
#pragma once

#include <string>
#include <string_view>

namespace masthead::accounts {

class CsrfGuard {
 public:
  // `key`: a server secret (kept in the settings table, shared by all nodes).
  explicit CsrfGuard(std::string key) : key_(std::move(key)) {}

  // A fresh token for `binding` (the session token hash, or "anonymous").
  std::string Issue(std::string_view binding) const;
  // True when `token` was issued by this server for `binding`.
  bool IsValidFor(std::string_view token, std::string_view binding) const;
  // The full check of a submitted form.
  bool Verify(std::string_view form_token, std::string_view cookie_token,
              std::string_view binding) const;

 private:
  std::string key_;
};

}  // namespace masthead::accounts
