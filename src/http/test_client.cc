#include "http/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace masthead::http::testing {
namespace {

int Connect(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string ToLower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Length of a complete first response in `raw`, or 0 when more bytes are needed.
std::size_t CompleteLength(const std::string& raw, bool head_request) {
  const std::size_t end_of_head = raw.find("\r\n\r\n");
  if (end_of_head == std::string::npos) return 0;
  const ClientResponse parsed = ParseResponse(raw.substr(0, end_of_head + 4));
  std::size_t length = 0;
  const std::string content_length = parsed.Header("content-length");
  if (!content_length.empty() && !head_request && parsed.status != 304) {
    length = std::stoul(content_length);
  }
  return raw.size() >= end_of_head + 4 + length ? end_of_head + 4 + length : 0;
}

std::string Exchange(std::uint16_t port, const std::string& bytes, int timeout_ms,
                     bool stop_after_response, bool head_request) {
  const int fd = Connect(port);
  if (fd < 0) return {};
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) break;
    pollfd poll_fd{fd, POLLIN, 0};
    if (::poll(&poll_fd, 1, static_cast<int>(left)) <= 0) break;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
    if (stop_after_response && CompleteLength(received, head_request) > 0) break;
  }
  ::close(fd);
  return received;
}

}  // namespace

ClientResponse ParseResponse(const std::string& raw) {
  ClientResponse response;
  const std::size_t end_of_head = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || end_of_head == std::string::npos) return response;
  response.status = std::atoi(raw.c_str() + 9);
  std::size_t line_start = raw.find("\r\n") + 2;
  while (line_start < end_of_head) {
    const std::size_t line_end = raw.find("\r\n", line_start);
    const std::string line = raw.substr(line_start, line_end - line_start);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      // Repeated headers (Set-Cookie) are kept, joined by "\n".
      auto& slot = response.headers[ToLower(line.substr(0, colon))];
      slot = slot.empty() ? value : slot + "\n" + value;
    }
    line_start = line_end + 2;
  }
  response.body = raw.substr(end_of_head + 4);
  const std::string content_length = response.Header("content-length");
  if (!content_length.empty() && response.body.size() > std::stoul(content_length)) {
    response.body.resize(std::stoul(content_length));
  }
  return response;
}

ClientResponse Request(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       const std::string& body) {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) raw += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST") raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  raw += "\r\n" + body;
  return ParseResponse(Exchange(port, raw, 5000, true, method == "HEAD"));
}

std::string RawExchange(std::uint16_t port, const std::string& bytes, int timeout_ms) {
  return Exchange(port, bytes, timeout_ms, false, false);
}

}  // namespace masthead::http::testing
