// A small blocking HTTP client for tests: talks to a real server over loopback.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace masthead::http::testing {

struct ClientResponse {
  int status = 0;  // 0: no response (connection closed or timed out)
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  std::string Header(const std::string& lower_name) const {
    auto found = headers.find(lower_name);
    return found == headers.end() ? std::string() : found->second;
  }
};

// Sends a request and reads one response (5 s timeout).
ClientResponse Request(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers = {},
                       const std::string& body = {});
inline ClientResponse Get(std::uint16_t port, const std::string& target) {
  return Request(port, "GET", target);
}

// Writes raw bytes and returns whatever comes back until the server closes or
// `timeout_ms` passes. For malformed-request tests.
std::string RawExchange(std::uint16_t port, const std::string& bytes, int timeout_ms = 5000);

// Parses the first response in raw bytes (status 0 when none).
ClientResponse ParseResponse(const std::string& raw);

}  // namespace masthead::http::testing
