#include "http/server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "http/test_client.h"

namespace masthead::http {
namespace {

using testing::Get;
using testing::RawExchange;

// A raw client connection, for clients that misbehave on purpose.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  bool Send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // Reads what is there within `wait_ms`; sets `closed` when the server hung up.
  std::string Read(int wait_ms, bool* closed) {
    std::string out;
    *closed = false;
    pollfd poll_fd{fd_, POLLIN, 0};
    while (::poll(&poll_fd, 1, wait_ms) > 0) {
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        *closed = true;
        break;
      }
      out.append(buffer, static_cast<std::size_t>(n));
      wait_ms = 50;
    }
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    options.port = 0;
    options.threads = 2;
    options.default_headers = {{"X-Content-Type-Options", "nosniff"}};
    metrics_ = std::make_unique<Metrics>(std::vector<std::string>{"echo"});
    server_ = std::make_unique<Server>(
        options,
        [this](const Request& request, int& route_index) {
          route_index = 0;
          if (request.path == "/slow") {
            std::unique_lock lock(mutex_);
            slow_started_ = true;
            started_.notify_all();
            release_.wait(lock, [this] { return released_; });
            return Response::Text(200, "slow done");
          }
          if (request.path == "/stream") {
            struct Counting : StreamSource {
              int polls = 0;
              std::optional<std::string> Poll() override {
                if (++polls > 3) return std::nullopt;
                return "data: " + std::to_string(polls) + "\n\n";
              }
            };
            Response response;
            response.content_type = "text/event-stream";
            response.body = "retry: 1000\n\n";
            response.stream = std::make_shared<Counting>();
            return response;
          }
          if (request.path == "/sealed") {
            Response response;
            response.content_type = "application/octet-stream";
            response.shared_body = BigSealedBody();
            response.etag = EtagOf(response.Body());
            return response;
          }
          if (request.path == "/whoami") return Response::Text(200, request.remote_address);
          if (request.path == "/cached") {
            Response response = Response::Html(200, "<p>cached</p>");
            response.etag = EtagOf(response.body);
            return response;
          }
          return Response::Text(200, request.method + " " + request.path + " q=" + request.query +
                                         " body=" + std::to_string(request.body.size()));
        },
        metrics_.get(), nullptr);
    ASSERT_TRUE(server_->Start());
    port_ = server_->port();
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  // 8 MB of a pattern that shows a byte out of place: more than the socket
  // buffers on both ends hold, so sending it must wait for the reader.
  static std::shared_ptr<const SealedBody> BigSealedBody() {
    static const auto body = [] {
      std::string bytes(8u << 20, '\0');
      for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
      return SealedBody::From(std::move(bytes));
    }();
    return body;
  }

  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::condition_variable started_, release_;
  bool slow_started_ = false, released_ = false;
};

TEST_F(ServerTest, AnswersWithDefaultHeadersAndDecodedPath) {
  StartServer();
  auto response = Get(port_, "/caf%C3%A9?x=1");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "GET /café q=x=1 body=0");
  EXPECT_EQ(response.Header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(response.Header("date").empty());
}

TEST_F(ServerTest, TakesTheClientAddressFromXForwardedForOnlyFromATrustedProxy) {
  ServerOptions options;
  options.trusted_proxies = TrustedProxies::Parse("127.0.0.0/8").value();
  StartServer(options);
  EXPECT_EQ(testing::Request(port_, "GET", "/whoami", {{"X-Forwarded-For", "203.0.113.7"}}).body, "203.0.113.7");
  // What the client put left of what the proxy added is not believed.
  EXPECT_EQ(testing::Request(port_, "GET", "/whoami", {{"X-Forwarded-For", "198.51.100.1, 203.0.113.7"}}).body,
            "203.0.113.7");
  EXPECT_EQ(testing::Request(port_, "GET", "/whoami", {{"X-Forwarded-For", "198.51.100.1"},
                                              {"X-Forwarded-For", "203.0.113.7, 127.0.0.5"}}).body,
            "203.0.113.7");
  EXPECT_EQ(testing::Request(port_, "GET", "/whoami", {{"X-Forwarded-For", "not an address"}}).body, "127.0.0.1");
  EXPECT_EQ(Get(port_, "/whoami").body, "127.0.0.1");
}

TEST_F(ServerTest, IgnoresXForwardedForFromAnyoneElse) {
  ServerOptions options;
  options.trusted_proxies = TrustedProxies::Parse("10.0.0.1").value();
  StartServer(options);
  EXPECT_EQ(testing::Request(port_, "GET", "/whoami", {{"X-Forwarded-For", "203.0.113.7"}}).body, "127.0.0.1");
}

TEST_F(ServerTest, KeepsConnectionsAliveForSeveralRequests) {
  StartServer();
  const std::string two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const std::string raw = RawExchange(port_, two);
  EXPECT_NE(raw.find("GET /a"), std::string::npos);
  EXPECT_NE(raw.find("GET /b"), std::string::npos);
}

TEST_F(ServerTest, HeadSendsHeadersWithoutBody) {
  StartServer();
  const std::string raw = RawExchange(port_, "HEAD /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto response = testing::ParseResponse(raw);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("content-length"), std::to_string(std::string("HEAD /x q= body=0").size()));
  EXPECT_TRUE(response.body.empty());
}

TEST_F(ServerTest, AnswersIfNoneMatchWith304) {
  StartServer();
  auto first = Get(port_, "/cached");
  ASSERT_FALSE(first.Header("etag").empty());
  auto second = testing::Request(port_, "GET", "/cached", {{"If-None-Match", first.Header("etag")}});
  EXPECT_EQ(second.status, 304);
  EXPECT_TRUE(second.body.empty());
}

TEST_F(ServerTest, RefusesOversizedBodiesBeforeReadingThem) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  StartServer(options);
  // Announces 10 MB but sends none of it: the answer must come from the header alone.
  const std::string raw = RawExchange(
      port_, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
  EXPECT_EQ(testing::ParseResponse(raw).status, 413);
  EXPECT_EQ(Get(port_, "/still-up").status, 200);
}

TEST_F(ServerTest, RefusesOversizedHeadersWith431) {
  ServerOptions options;
  options.max_header_bytes = 4096;
  StartServer(options);
  const std::string raw = RawExchange(
      port_, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n");
  EXPECT_EQ(testing::ParseResponse(raw).status, 431);
  EXPECT_EQ(Get(port_, "/still-up").status, 200);
}

TEST_F(ServerTest, RefusesMalformedRequestsWith400AndKeepsServing) {
  StartServer();
  for (const std::string bad : {"GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                                "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
                                "GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                                "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                                "GET /%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
                                "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n",
                                "GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    EXPECT_EQ(testing::ParseResponse(RawExchange(port_, bad)).status, 400) << bad;
  }
  EXPECT_EQ(Get(port_, "/still-up").status, 200);
}

TEST_F(ServerTest, ClosesSlowHeadersAfterTheTimeout) {
  ServerOptions options;
  options.header_timeout = std::chrono::seconds(1);
  options.idle_timeout = std::chrono::seconds(1);
  StartServer(options);
  // Never finishes its head: the server must hang up by itself (RawExchange
  // returns when the connection closes, well before its own 20 s limit).
  const auto started = std::chrono::steady_clock::now();
  RawExchange(port_, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", 20000);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15));
}

TEST_F(ServerTest, ShutdownLetsInFlightRequestsFinish) {
  StartServer();
  auto slow = std::async(std::launch::async, [this] { return Get(port_, "/slow"); });
  {
    std::unique_lock lock(mutex_);
    started_.wait(lock, [this] { return slow_started_; });
  }
  auto shutdown = std::async(std::launch::async, [this] { server_->Shutdown(); });
  {
    std::lock_guard lock(mutex_);
    released_ = true;
  }
  release_.notify_all();
  shutdown.get();
  auto response = slow.get();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "slow done");
  EXPECT_EQ(Get(port_, "/after").status, 0);  // no longer listening
}

TEST_F(ServerTest, StreamsUntilTheSourceEnds) {
  StartServer();
  const std::string raw = RawExchange(port_, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  auto response = testing::ParseResponse(raw);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("content-length"), "");
  EXPECT_EQ(response.Header("connection"), "close");
  EXPECT_EQ(response.body, "retry: 1000\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\n");
}

TEST_F(ServerTest, CountsRequestsInMetrics) {
  StartServer();
  Get(port_, "/a");
  Get(port_, "/b");
  // The server records after the last byte is written, so the client may see the
  // response first: wait for the count (bounded) rather than for a duration.
  const std::string want = "masthead_http_requests_total{route=\"echo\",status=\"2xx\"} 2";
  std::string text;
  for (int i = 0; i < 5000 && (text = metrics_->Render()).find(want) == std::string::npos; ++i) {
    std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_NE(text.find("masthead_http_requests_total{route=\"echo\",status=\"2xx\"} 2"), std::string::npos)
      << text;
  EXPECT_NE(text.find("masthead_http_request_duration_seconds_count{route=\"echo\"} 2"), std::string::npos);
}

TEST_F(ServerTest, AcceptsHeadsUpToMaxHeaderBytesAboveEightKilobytes) {
  // The read buffer once stopped at 8 KB whatever max_header_bytes said.
  ServerOptions options;
  options.max_header_bytes = 32 * 1024;
  StartServer(options);
  auto response = testing::Request(port_, "GET", "/big", {{"X-Big", std::string(20000, 'a')}});
  EXPECT_EQ(response.status, 200);
  auto too_big = testing::ParseResponse(RawExchange(
      port_, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40000, 'a') + "\r\n\r\n"));
  EXPECT_EQ(too_big.status, 431);
}

TEST_F(ServerTest, RefusesHeaderFloodsWith431AndClosesTheConnection) {
  StartServer();  // max_header_bytes 16 KB
  std::string flood = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 5000; ++i) flood += "X-" + std::to_string(i) + ": v\r\n";
  flood += "\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n";
  RawConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  connection.Send(flood);
  bool closed = false;
  const std::string raw = connection.Read(10000, &closed);
  EXPECT_EQ(testing::ParseResponse(raw).status, 431);
  EXPECT_TRUE(closed);
  EXPECT_EQ(raw.find("/second"), std::string::npos);  // nothing after the flood is served
  EXPECT_EQ(Get(port_, "/still-up").status, 200);
}

TEST_F(ServerTest, CutsOffAClientDribblingItsHeadByteByByte) {
  // Slowloris: each byte arrives well within any idle limit, but the whole head
  // must arrive within header_timeout of its first byte.
  ServerOptions options;
  options.header_timeout = std::chrono::seconds(1);
  options.idle_timeout = std::chrono::seconds(120);
  StartServer(options);
  RawConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  const std::string head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(1000, 'a');
  bool closed = false;
  std::size_t sent = 0;
  while (sent < head.size() && !closed) {
    if (!connection.Send(head.substr(sent, 1))) break;
    ++sent;
    connection.Read(100, &closed);
  }
  // 1,000 bytes at one per 100 ms would take 100 s; the server hangs up after about 10.
  EXPECT_LT(sent, head.size());
  // Still serving others. A loaded machine may answer the first try's connect
  // while the cut-off connection is being torn down: poll, bounded.
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    status = Get(port_, "/still-up").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200);
}

TEST_F(ServerTest, LimitsOpenConnectionsPerClientAddress) {
  ServerOptions options;
  options.max_connections_per_address = 3;
  StartServer(options);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawConnection>(port_));
    ASSERT_TRUE(held.back()->Send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n"));
    bool closed = false;
    EXPECT_EQ(testing::ParseResponse(held.back()->Read(5000, &closed)).status, 200);
    EXPECT_FALSE(closed);  // kept alive, still counted
  }
  auto refused = Get(port_, "/fourth");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.Header("retry-after"), "10");
  held.pop_back();
  // The server notices the close on its own schedule: poll, bounded.
  int status = 0;
  for (int i = 0; i < 200 && status != 200; ++i) {
    status = Get(port_, "/again").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(status, 200);
}

TEST_F(ServerTest, SendsASealedBodyWholeThenTheNextResponseOnTheSameConnection) {
  StartServer();
  ASSERT_GE(BigSealedBody()->fd(), 0);  // the memfd path, not the heap fallback
  const std::string raw = RawExchange(
      port_, "GET /sealed HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      30000);
  const std::string_view expected = BigSealedBody()->view();
  const auto first = testing::ParseResponse(raw);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.Header("content-length"), std::to_string(expected.size()));
  const std::size_t body_start = raw.find("\r\n\r\n") + 4;
  ASSERT_GE(raw.size(), body_start + expected.size());
  EXPECT_TRUE(std::string_view(raw).substr(body_start, expected.size()) == expected);
  EXPECT_NE(raw.find("GET /after", body_start + expected.size()), std::string::npos);
}

TEST_F(ServerTest, SealedBodiesAnswerHeadAndIfNoneMatchWithoutTheBody) {
  StartServer();
  const std::string head = RawExchange(port_, "HEAD /sealed HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto parsed = testing::ParseResponse(head);
  EXPECT_EQ(parsed.Header("content-length"), std::to_string(BigSealedBody()->view().size()));
  EXPECT_TRUE(parsed.body.empty());
  auto again = testing::Request(port_, "GET", "/sealed", {{"If-None-Match", parsed.Header("etag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(ServerTest, CutsOffAClientThatStopsReadingASealedBody) {
  ServerOptions options;
  options.write_timeout = std::chrono::seconds(1);
  StartServer(options);
  RawConnection reader(port_);
  ASSERT_TRUE(reader.Send("GET /sealed HTTP/1.1\r\nHost: x\r\n\r\n"));
  // Reads nothing: the server must give up on its own after the write timeout
  // (polled, generously bounded), not hold the connection for as long as the
  // client keeps it open.
  int in_flight = 1;
  for (int i = 0; i < 200 && in_flight != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    in_flight = server_->in_flight();
  }
  EXPECT_EQ(in_flight, 0);
  bool closed = false;
  std::string received;
  for (int i = 0; i < 100 && !closed; ++i) received += reader.Read(200, &closed);
  EXPECT_TRUE(closed);
  EXPECT_LT(received.size(), BigSealedBody()->view().size());
  EXPECT_EQ(Get(port_, "/still-up").status, 200);
}

}  // namespace
}  // namespace masthead::http
