// The HTTP request and response as handlers see them: plain values, no Beast
// types, so handlers and their tests need no server.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/sealed_body.h"

namespace masthead::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/search?q=x"
  std::string path;    // percent-decoded; the server guarantees valid UTF-8 without NUL
  std::string query;   // raw, after '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string remote_address;

  // First value of a header (name in lower case), empty when absent.
  std::string_view Header(std::string_view lower_name) const;
};

// Values captured by "{name}" segments of the matched route.
using RouteParams = std::map<std::string, std::string, std::less<>>;

// The body of a response that stays open, such as Server-Sent Events. The
// server polls it on the connection's own coroutine (never concurrently) about
// every 250 ms and sends what it returns.
class StreamSource {
 public:
  virtual ~StreamSource() = default;
  // Bytes to send now (may be empty); nullopt ends the stream.
  virtual std::optional<std::string> Poll() = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Used instead of `body` when set: cached pages and static files, shared by
  // every response that sends them and sent by the kernel without copying.
  std::shared_ptr<const SealedBody> shared_body;
  std::string etag;  // quoted strong validator; the server answers If-None-Match with 304
  // When set, `body` is sent first, then the stream until it ends or the client
  // goes; the connection closes afterwards.
  std::shared_ptr<StreamSource> stream;

  std::string_view Body() const { return shared_body ? shared_body->view() : std::string_view(body); }
  Response& SetHeader(std::string name, std::string value);

  static Response Html(int status, std::string body);
  static Response Text(int status, std::string body);
  static Response Json(int status, std::string body);
  static Response Redirect(int status, std::string location);
};

// Percent-decodes a URL component; '+' becomes a space when `plus_is_space`.
// Returns nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);
std::string PercentEncode(std::string_view text);

// Parses application/x-www-form-urlencoded text (also query strings). Malformed
// pairs are skipped; later duplicates do not replace the first value.
std::map<std::string, std::string, std::less<>> ParseForm(std::string_view text);

// Splits a request target ("/path?query") into the percent-decoded path and the
// raw query. nullopt (the server answers 400) unless the target starts with '/'
// and its path decodes to valid UTF-8 without NUL, so handlers never see those.
std::optional<std::pair<std::string, std::string>> SplitRequestTarget(std::string_view target);

// A strong ETag from the bytes of a body.
std::string EtagOf(std::string_view body);

}  // namespace masthead::http
