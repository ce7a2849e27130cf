// Fuzzes HTTP/1.1 request parsing as the server does it: the bytes go through
// Beast's request parser with the server's kind of limits (in chunks, as they
// arrive from a socket), then the target through SplitRequestTarget, the query
// and a form body through ParseForm and the Cookie header through ParseCookies.
// Checks what handlers rely on: a decoded path is valid UTF-8 without NUL and
// starts with '/', and nothing is read beyond the limits.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/utf8.h"
#include "http/cookies.h"
#include "http/request.h"

namespace {

namespace bhttp = boost::beast::http;

constexpr std::size_t kHeaderLimit = 4096;
constexpr std::size_t kBodyLimit = 8192;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first byte picks the chunk size, so partial reads are covered too.
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(kBodyLimit);
  parser.eager(true);
  std::string pending;
  boost::beast::error_code ec;
  while (!parser.is_done()) {
    const std::size_t take = std::min(chunk, input.size());
    pending.append(input.substr(0, take));
    input.remove_prefix(take);
    const std::size_t used = parser.put(boost::asio::buffer(pending), ec);
    pending.erase(0, used);
    if (ec == bhttp::error::need_more) {
      ec = {};
      if (take == 0) break;  // the client stopped sending
      continue;
    }
    if (ec) return 0;  // the server answers 400/413/431 and closes
    if (used == 0 && take == 0) break;
  }
  if (!parser.is_header_done()) return 0;

  const auto& message = parser.get();
  Check(message.body().size() <= kBodyLimit);
  masthead::http::Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = message.body();

  auto split = masthead::http::SplitRequestTarget(request.target);
  if (!split) return 0;
  request.path = split->first;
  request.query = split->second;
  Check(!request.path.empty() && request.path.front() == '/');
  Check(request.path.find('\0') == std::string::npos);
  Check(masthead::IsValidUtf8(request.path));

  (void)masthead::http::ParseForm(request.query);
  if (request.Header("content-type").starts_with("application/x-www-form-urlencoded")) {
    (void)masthead::http::ParseForm(request.body);
  }
  for (const auto& [name, value] : masthead::http::ParseCookies(request.Header("cookie"))) {
    Check(!name.empty());
  }
  return 0;
}
