// HTTP/1.1 server on Boost.Beast and Asio with C++20 coroutines: keep-alive,
// read/write/idle timeouts, header and body limits (431/413, refused before the
// body is read), HEAD, ETag/304, security headers on every response, metrics,
// a JSON access log and graceful shutdown. It knows nothing of the domain: the
// app hands it one dispatch function.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "http/access_log.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/trusted_proxies.h"

namespace masthead::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (tests); port() tells which
  // Threads that read requests, serve pages and write answers, each with its
  // own event loop. 0: one per core.
  int threads = 0;
  // Threads that run the handlers of requests that change something (POST,
  // PUT, PATCH, DELETE): these wait for the database's commit, and while they
  // wait the event loops go on serving, and the more writers wait together
  // the more of them share one commit. 0: three per core.
  int write_threads = 0;
  std::chrono::seconds header_timeout{15};  // whole request head must arrive within this
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds idle_timeout{60};    // keep-alive connection without a request
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  // Open connections one client address may hold; more are answered 503 and
  // closed at once. 0: no limit (behind a reverse proxy every client shares its address).
  int max_connections_per_address = 256;
  // Connections from these addresses are a reverse proxy's: the client is who
  // its X-Forwarded-For names (Request::remote_address, the access log).
  TrustedProxies trusted_proxies;
  std::chrono::seconds shutdown_grace{10};
  // Sent with every response, e.g. Content-Security-Policy.
  std::vector<std::pair<std::string, std::string>> default_headers;
};

class Server {
 public:
  // Handles one request; sets `route_index` (for metrics) to the matched route.
  // Called concurrently from the server's threads; must not throw.
  using Dispatch = std::function<Response(const Request&, int& route_index)>;

  Server(ServerOptions options, Dispatch dispatch, Metrics* metrics, AccessLog* access_log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads. Fails with kUnavailable when the address is taken.
  Status Start();
  std::uint16_t port() const { return bound_port_; }
  // Stops accepting, lets requests in flight finish (up to shutdown_grace),
  // then stops the threads. Idempotent; blocks until done.
  void Shutdown();

  // Requests read but not yet answered.
  int in_flight() const { return in_flight_.load(); }

 private:
  struct Impl;
  ServerOptions options_;
  std::unique_ptr<Impl> impl_;
  std::uint16_t bound_port_ = 0;
  std::atomic<int> in_flight_{0};
};

// Writes the status line and headers of `response` for HTTP/1.1.
std::string SerializeHead(const Response& response, std::size_t content_length, bool keep_alive,
                          const std::vector<std::pair<std::string, std::string>>& default_headers);
std::string_view ReasonPhrase(int status);

}  // namespace masthead::http
