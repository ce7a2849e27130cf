// Cookie header parsing and Set-Cookie building (RFC 6265).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace masthead::http {

// Parses "a=1; b=2". Later duplicates do not replace the first.
std::map<std::string, std::string, std::less<>> ParseCookies(std::string_view header);

struct CookieOptions {
  long long max_age_seconds = -1;  // -1: a session cookie; 0: delete now
  bool http_only = true;
  bool secure = false;             // set when the site is served over https
  std::string same_site = "Lax";
  std::string path = "/";
};

// Values must be cookie-octets (the callers use base64url tokens).
std::string SetCookieValue(std::string_view name, std::string_view value, const CookieOptions& options);

}  // namespace masthead::http
