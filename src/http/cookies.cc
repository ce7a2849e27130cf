#include "http/cookies.h"

namespace masthead::http {

std::map<std::string, std::string, std::less<>> ParseCookies(std::string_view header) {
  std::map<std::string, std::string, std::less<>> cookies;
  while (!header.empty()) {
    const std::size_t semicolon = header.find(';');
    std::string_view pair = header.substr(0, semicolon);
    header = semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view value = pair.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    cookies.emplace(std::string(pair.substr(0, eq)), std::string(value));
  }
  return cookies;
}

std::string SetCookieValue(std::string_view name, std::string_view value, const CookieOptions& options) {
  std::string out = std::string(name) + "=" + std::string(value) + "; Path=" + options.path;
  if (options.max_age_seconds >= 0) out += "; Max-Age=" + std::to_string(options.max_age_seconds);
  if (options.http_only) out += "; HttpOnly";
  if (options.secure) out += "; Secure";
  if (!options.same_site.empty()) out += "; SameSite=" + options.same_site;
  return out;
}

}  // namespace masthead::http
