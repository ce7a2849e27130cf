// A reader's browser for HTTP-level tests: keeps cookies and reads the CSRF
// token out of every page, so tests submit forms as a person would.
#pragma once

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "http/request.h"
#include "http/test_client.h"

namespace masthead::app::testing_support {

// A reader's browser: keeps cookies, reads form tokens out of pages.
class Browser {
 public:
  explicit Browser(std::uint16_t port) : port_(port) {}

  http::testing::ClientResponse Get(const std::string& target) { return Send("GET", target, ""); }
  http::testing::ClientResponse Post(const std::string& target,
                                     std::vector<std::pair<std::string, std::string>> fields,
                                     bool with_csrf = true) {
    if (with_csrf) fields.emplace_back("csrf", csrf_);
    std::string body;
    for (const auto& [name, value] : fields) {
      body += (body.empty() ? "" : "&") + name + "=" + http::PercentEncode(value);
    }
    return Send("POST", target, body);
  }
  const std::string& csrf() const { return csrf_; }
  // A cookie as if another site or a script had planted it (session fixation tests).
  void SetCookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
  std::string Cookie(const std::string& name) const {
    auto found = cookies_.find(name);
    return found == cookies_.end() ? std::string() : found->second;
  }
  // Sent with every later request, e.g. a User-Agent or Client Hints.
  void AddHeader(const std::string& name, const std::string& value) { extra_headers_.emplace_back(name, value); }
  http::testing::ClientResponse PostJson(const std::string& target, const std::string& body,
                                         const std::string& csrf) {
    std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
    if (!csrf.empty()) headers.emplace_back("X-CSRF-Token", csrf);
    std::string cookie_header;
    for (const auto& [name, value] : cookies_) cookie_header += name + "=" + value + "; ";
    headers.emplace_back("Cookie", cookie_header);
    return http::testing::Request(port_, "POST", target, headers, body);
  }
  std::string Field(const std::string& page, const std::string& name) {
    std::smatch match;
    const std::regex pattern("name=\"" + name + "\" value=\"([^\"]*)\"");
    return std::regex_search(page, match, pattern) ? match[1].str() : std::string();
  }

 private:
  http::testing::ClientResponse Send(const std::string& method, const std::string& target,
                                     const std::string& body) {
    std::vector<std::pair<std::string, std::string>> headers = extra_headers_;
    std::string cookie_header;
    for (const auto& [name, value] : cookies_) cookie_header += name + "=" + value + "; ";
    if (!cookie_header.empty()) headers.emplace_back("Cookie", cookie_header);
    if (method == "POST") headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    auto response = http::testing::Request(port_, method, target, headers, body);
    // The test client keeps one value per header name; Set-Cookie lines are
    // read from the raw head instead.
    for (const auto& line : set_cookie_lines(response)) {
      const auto eq = line.find('=');
      const auto semi = line.find(';');
      cookies_[line.substr(0, eq)] = line.substr(eq + 1, semi - eq - 1);
    }
    const std::string token = Field(response.body, "csrf");
    if (!token.empty()) csrf_ = token;
    return response;
  }
  static std::vector<std::string> set_cookie_lines(const http::testing::ClientResponse& response) {
    std::vector<std::string> lines;
    auto found = response.headers.find("set-cookie");
    if (found != response.headers.end()) {
      // Several Set-Cookie headers were joined by the client with "\n".
      std::size_t start = 0;
      const std::string& all = found->second;
      while (start <= all.size()) {
        const std::size_t end = all.find('\n', start);
        lines.push_back(all.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
    return lines;
  }

  std::uint16_t port_;
  std::map<std::string, std::string> cookies_;
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  std::string csrf_;
};

}  // namespace masthead::app::testing_support
