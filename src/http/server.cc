#include "http/server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "base/time.h"

namespace masthead::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// "Date" changes once a second; each thread formats it once per second.
const std::string& CurrentHttpDate() {
  thread_local UnixSeconds cached_second = -1;
  thread_local std::string cached;
  const UnixSeconds now = NowSeconds();
  if (now != cached_second) {
    cached_second = now;
    cached = FormatRfc1123(now);
  }
  return cached;
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Response PlainError(int status, std::string message) {
  Response response = Response::Text(status, std::move(message) + "\n");
  return response;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  if (etag.empty() || if_none_match.empty()) return false;
  if (if_none_match == "*") return true;
  // A list of validators; weak ones compare by their opaque part.
  std::size_t position = 0;
  while (position < if_none_match.size()) {
    std::size_t comma = if_none_match.find(',', position);
    if (comma == std::string_view::npos) comma = if_none_match.size();
    std::string_view candidate = if_none_match.substr(position, comma - position);
    while (!candidate.empty() && candidate.front() == ' ') candidate.remove_prefix(1);
    while (!candidate.empty() && candidate.back() == ' ') candidate.remove_suffix(1);
    if (candidate.substr(0, 2) == "W/") candidate.remove_prefix(2);
    if (candidate == etag) return true;
    position = comma + 1;
  }
  return false;
}

}  // namespace

namespace {

int Cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

bool ChangesSomething(bhttp::verb method) {
  return method == bhttp::verb::post || method == bhttp::verb::put || method == bhttp::verb::patch ||
         method == bhttp::verb::delete_;
}

}  // namespace

std::string_view ReasonPhrase(int status) {
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  return std::string_view(reason.data(), reason.size());
}

std::string SerializeHead(const Response& response, std::size_t content_length, bool keep_alive,
                          const std::vector<std::pair<std::string, std::string>>& default_headers) {
  const bool streaming = response.stream != nullptr;
  std::string head;
  head.reserve(512);
  head += "HTTP/1.1 ";
  head += std::to_string(response.status);
  head += ' ';
  head += ReasonPhrase(response.status);
  head += "\r\nDate: ";
  head += CurrentHttpDate();
  if (!streaming) {
    head += "\r\nContent-Length: ";
    head += std::to_string(content_length);
  }
  if (!response.content_type.empty() && response.status != 304) {
    head += "\r\nContent-Type: ";
    head += response.content_type;
  }
  if (!response.etag.empty()) {
    head += "\r\nETag: ";
    head += response.etag;
  }
  if (!keep_alive || streaming) head += "\r\nConnection: close";
  for (const auto& [name, value] : default_headers) {
    head += "\r\n" + name + ": " + value;
  }
  for (const auto& [name, value] : response.headers) {
    head += "\r\n" + name + ": " + value;
  }
  head += "\r\n\r\n";
  return head;
}

struct Server::Impl {
  Impl(Server& server, Dispatch dispatch, Metrics* metrics, AccessLog* access_log)
      : server(server),
        dispatch(std::move(dispatch)),
        metrics(metrics),
        access_log(access_log),
        write_pool(server.options_.write_threads > 0 ? server.options_.write_threads : 3 * Cores()),
        acceptor(io) {}

  asio::awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      asio::io_context& context = NextContext();
      tcp::socket socket =
          co_await acceptor.async_accept(context, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping.load()) co_return;
        continue;  // e.g. EMFILE: keep serving those already connected
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(context, Session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> FlushAccessLog() {
    asio::steady_timer timer(io);
    while (!stopping.load()) {
      timer.expires_after(std::chrono::seconds(1));
      boost::system::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (access_log) access_log->Flush();
    }
  }

  asio::awaitable<void> Session(tcp::socket socket) {
    const ServerOptions& options = server.options_;
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    const std::string remote = ec ? std::string() : endpoint.address().to_string();
    beast::tcp_stream stream(std::move(socket));
    AddressSlot slot(*this, remote);
    if (!slot.admitted()) {
      // One address holding every connection would starve everyone else.
      Response refusal = PlainError(503, "Too many connections from your address");
      refusal.SetHeader("Retry-After", "10");
      co_await Write(stream, refusal, false, false, remote, "", "", "", std::chrono::steady_clock::now(), -1);
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      co_return;
    }
    // The buffer's own limit must sit above the parser's header limit plus one
    // read, or heads between 8 KB and max_header_bytes would overflow it.
    beast::flat_buffer buffer(options.max_header_bytes + kReadChunk);
    if (metrics) metrics->ConnectionOpened();
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_body_bytes);
      if (buffer.size() == 0) {
        // A kept-alive connection may wait idle_timeout for its next request...
        stream.expires_after(options.idle_timeout);
        const std::size_t read = co_await stream.async_read_some(
            buffer.prepare(kReadChunk), asio::redirect_error(asio::use_awaitable, ec));
        buffer.commit(read);
        if (ec) break;
      }
      // ...but then the whole head must arrive within header_timeout of its first
      // byte, which a slow client cannot stretch by dribbling bytes (slowloris).
      stream.expires_after(options.header_timeout);
      co_await bhttp::async_read_header(stream, buffer, parser,
                                        asio::redirect_error(asio::use_awaitable, ec));
      if (!ec && !parser.is_done()) {
        stream.expires_after(options.body_timeout);
        co_await bhttp::async_read(stream, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
      }
      const auto started = std::chrono::steady_clock::now();
      if (ec) {
        std::optional<Response> refusal;
        if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
          refusal = PlainError(431, "Request header fields too large");
        } else if (ec == bhttp::error::body_limit) {
          refusal = PlainError(413, "Request body larger than " +
                                        std::to_string(options.max_body_bytes) + " bytes");
        } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                   ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
          refusal = PlainError(400, "Malformed HTTP request");
        }
        if (refusal) {
          co_await Write(stream, *refusal, false, false, remote, "", "", "", started, -1);
        }
        break;
      }
      auto& message = parser.get();
      Request request;
      request.method = std::string(message.method_string().data(), message.method_string().size());
      request.target = std::string(message.target().data(), message.target().size());
      request.remote_address = remote;
      request.headers.reserve(16);
      for (const auto& field : message) {
        const auto name = field.name_string();
        const auto value = field.value();
        request.headers.emplace_back(ToLower(std::string_view(name.data(), name.size())),
                                     std::string(value.data(), value.size()));
      }
      request.body = std::move(message.body());
      if (!options.trusted_proxies.empty()) {
        std::string forwarded_for;  // every X-Forwarded-For line, in order, as one list
        for (const auto& [name, value] : request.headers) {
          if (name != "x-forwarded-for") continue;
          if (!forwarded_for.empty()) forwarded_for += ',';
          forwarded_for += value;
        }
        request.remote_address = options.trusted_proxies.ClientAddress(remote, forwarded_for);
      }
      bool keep_alive = message.keep_alive() && !stopping.load();
      const bool head = message.method() == bhttp::verb::head;

      server.in_flight_.fetch_add(1);
      Response response;
      int route_index = -1;
      if (auto split = SplitRequestTarget(request.target)) {
        request.path = std::move(split->first);
        request.query = std::move(split->second);
        if (ChangesSomething(message.method())) {
          // On the write pool, so this event loop's other connections are not
          // held up while the handler waits for its commit; resumed here after.
          response = co_await asio::co_spawn(
              write_pool.get_executor(),
              [&]() -> asio::awaitable<Response> { co_return dispatch(request, route_index); },
              asio::use_awaitable);
        } else {
          response = dispatch(request, route_index);
        }
      } else {
        response = PlainError(400, "Malformed request target (bad escape, NUL or invalid UTF-8)");
        keep_alive = false;  // like every other malformed request: answered, then closed
      }
      if (response.status == 200 && EtagMatches(request.Header("if-none-match"), response.etag)) {
        response.status = 304;
        response.body.clear();
        response.shared_body.reset();
      }
      const bool written = co_await Write(stream, response, keep_alive, head, request.remote_address, request.method,
                                          request.target, request.Header("user-agent"), started,
                                          route_index);
      server.in_flight_.fetch_sub(1);
      NotifyIfIdle();
      if (written && response.stream && !head) {
        // A stream is not "in flight": shutdown ends it rather than waiting for it.
        co_await Stream(stream, *response.stream);
        break;
      }
      if (!written || !keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (metrics) metrics->ConnectionClosed();
  }

  asio::awaitable<bool> Write(beast::tcp_stream& stream, const Response& response, bool keep_alive,
                              bool head_only, std::string_view remote, std::string_view method,
                              std::string_view target, std::string_view user_agent,
                              std::chrono::steady_clock::time_point started, int route_index) {
    const std::string_view body = response.Body();
    const std::string head =
        SerializeHead(response, body.size(), keep_alive, server.options_.default_headers);
    const bool send_body = !head_only && response.status != 304;
    boost::system::error_code ec;
    if (send_body && response.shared_body && response.shared_body->fd() >= 0) {
      ec = co_await SendSealed(stream.socket(), head, *response.shared_body);
    } else {
      std::array<asio::const_buffer, 2> buffers = {
          asio::buffer(head), send_body ? asio::buffer(body.data(), body.size()) : asio::const_buffer()};
      stream.expires_after(server.options_.write_timeout);
      co_await asio::async_write(stream, buffers, asio::redirect_error(asio::use_awaitable, ec));
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (metrics) metrics->Record(route_index, response.status, seconds);
    if (access_log) {
      access_log->Write({remote, method, target, route_name(route_index), user_agent,
                         response.status, body.size(), seconds});
    }
    co_return !ec;
  }

  // The head, then the sealed body straight from its memfd by sendfile(2), so
  // the body's bytes are never copied through this process. The socket is
  // non-blocking: when its send buffer is full the coroutine waits until it is
  // writable again, and a client that stops reading meets the write timeout.
  asio::awaitable<boost::system::error_code> SendSealed(tcp::socket& socket, std::string_view head,
                                                        const SealedBody& body) {
    boost::system::error_code ec;
    socket.native_non_blocking(true, ec);
    if (ec) co_return ec;
    asio::steady_timer deadline(socket.get_executor());
    deadline.expires_after(server.options_.write_timeout);
    bool timed_out = false;
    // Runs after this coroutine is gone only with operation_aborted (the timer's
    // destructor cancels it), and then touches nothing.
    deadline.async_wait([&socket, &timed_out](const boost::system::error_code& waited) {
      if (waited) return;
      timed_out = true;
      boost::system::error_code ignored;
      socket.cancel(ignored);
    });
    const int fd = socket.native_handle();
    std::size_t head_sent = 0;
    off_t offset = 0;
    const auto size = static_cast<off_t>(body.view().size());
    while (head_sent < head.size() || offset < size) {
      ssize_t sent;
      if (head_sent < head.size()) {
        // MSG_MORE: the head leaves in one segment with the body's first bytes.
        sent = ::send(fd, head.data() + head_sent, head.size() - head_sent, MSG_MORE | MSG_NOSIGNAL);
        if (sent > 0) head_sent += static_cast<std::size_t>(sent);
      } else {
        sent = ::sendfile(fd, body.fd(), &offset, static_cast<std::size_t>(size - offset));
        // A sealed file cannot shrink, but nothing sent before its end would
        // otherwise loop here for ever.
        if (sent == 0) co_return asio::error::eof;
      }
      if (sent >= 0) continue;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        co_return boost::system::error_code(errno, boost::system::system_category());
      }
      co_await socket.async_wait(tcp::socket::wait_write, asio::redirect_error(asio::use_awaitable, ec));
      if (timed_out) co_return asio::error::timed_out;
      if (ec) co_return ec;
    }
    co_return ec;
  }

  asio::awaitable<void> Stream(beast::tcp_stream& stream, StreamSource& source) {
    asio::steady_timer timer(stream.get_executor());
    auto last_sent = std::chrono::steady_clock::now();
    const auto deadline = last_sent + std::chrono::minutes(30);  // clients reconnect
    boost::system::error_code ec;
    while (!stopping.load() && std::chrono::steady_clock::now() < deadline) {
      std::optional<std::string> chunk = source.Poll();
      if (!chunk) break;
      const auto now = std::chrono::steady_clock::now();
      // A comment line now and then keeps proxies from closing an idle stream.
      if (chunk->empty() && now - last_sent > std::chrono::seconds(15)) *chunk = ":\n\n";
      if (!chunk->empty()) {
        stream.expires_after(server.options_.write_timeout);
        co_await asio::async_write(stream, asio::buffer(*chunk),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        last_sent = now;
      }
      timer.expires_after(std::chrono::milliseconds(250));
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  asio::io_context& NextContext() {
    const std::size_t i = next_context++ % (more_io.size() + 1);
    return i == 0 ? io : *more_io[i - 1];
  }

  std::string_view route_name(int index) const {
    return metrics ? std::string_view(metrics->RouteName(index)) : std::string_view("-");
  }

  void NotifyIfIdle() {
    if (stopping.load() && server.in_flight_.load() == 0) {
      std::lock_guard lock(idle_mutex);
      idle.notify_all();
    }
  }

  // Counts a connection against its client address for as long as it lives.
  class AddressSlot {
   public:
    AddressSlot(Impl& impl, const std::string& address) : impl_(impl), address_(address) {
      const int limit = impl_.server.options_.max_connections_per_address;
      std::lock_guard lock(impl_.connections_mutex);
      int& count = impl_.connections_by_address[address_];
      admitted_ = limit <= 0 || count < limit;
      if (admitted_) ++count;
    }
    ~AddressSlot() {
      std::lock_guard lock(impl_.connections_mutex);
      auto found = impl_.connections_by_address.find(address_);
      if (admitted_) --found->second;
      if (found->second == 0) impl_.connections_by_address.erase(found);
    }
    AddressSlot(const AddressSlot&) = delete;
    AddressSlot& operator=(const AddressSlot&) = delete;
    bool admitted() const { return admitted_; }

   private:
    Impl& impl_;
    std::string address_;
    bool admitted_ = false;
  };

  static constexpr std::size_t kReadChunk = 4096;

  Server& server;
  Dispatch dispatch;
  Metrics* metrics;
  AccessLog* access_log;
  // Before `io`: destroying io destroys the sessions still suspended in it,
  // whose AddressSlots then give their counts back here.
  std::mutex connections_mutex;
  std::unordered_map<std::string, int> connections_by_address;
  // One context per thread, connections dealt out in turn: the threads share
  // no scheduler lock, which under load cost more than the work it shared.
  // `io` has the acceptor and the first thread. `more_io` is declared first so
  // it is destroyed last: destroying `io` destroys its pending accept, whose
  // socket belongs to one of `more_io` (AddressSanitizer caught the reverse).
  std::vector<std::unique_ptr<asio::io_context>> more_io;
  asio::io_context io;
  asio::thread_pool write_pool;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::size_t next_context = 0;  // only Accept, on io, deals
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<bool> stopped{false};
  std::mutex idle_mutex;
  std::condition_variable idle;
};

Server::Server(ServerOptions options, Dispatch dispatch, Metrics* metrics, AccessLog* access_log)
    : options_(std::move(options)),
      impl_(std::make_unique<Impl>(*this, std::move(dispatch), metrics, access_log)) {}

Server::~Server() { Shutdown(); }

Status Server::Start() {
  // A client gone mid-sendfile(2) would otherwise end the process with SIGPIPE
  // (sendfile has no MSG_NOSIGNAL); the write's EPIPE is all the server needs.
  ::signal(SIGPIPE, SIG_IGN);
  // Cached pages hold a descriptor each (SealedBody) besides the connections':
  // take the whole allowance the system grants, as nginx's worker_rlimit_nofile.
  if (rlimit files{}; ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options_.host, ec);
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument, "'" + options_.host + "' is not an IP address",
                     "server.listen");
  }
  const tcp::endpoint endpoint(address, options_.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(ErrorCode::kUnavailable,
                     "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                         ": " + ec.message(),
                     "server.listen");
  }
  bound_port_ = acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->Accept(), asio::detached);
  asio::co_spawn(impl_->io, impl_->FlushAccessLog(), asio::detached);
  // One event loop per core: pages are served from memory and never wait, so
  // more loops than cores would only take turns on them. Handlers that wait for
  // a commit run on the write pool instead (Impl::write_pool).
  const int threads = options_.threads > 0 ? options_.threads : Cores();
  for (int i = 1; i < threads; ++i) {
    impl_->more_io.push_back(std::make_unique<asio::io_context>(1));
    impl_->keep_running.push_back(asio::make_work_guard(*impl_->more_io.back()));
  }
  impl_->threads.emplace_back([this] { impl_->io.run(); });
  for (auto& context : impl_->more_io) {
    impl_->threads.emplace_back([&context] { context->run(); });
  }
  return Ok();
}

void Server::Shutdown() {
  if (impl_->stopped.exchange(true)) return;
  impl_->stopping.store(true);
  asio::post(impl_->io, [this] {
    boost::system::error_code ec;
    impl_->acceptor.close(ec);
  });
  {
    std::unique_lock lock(impl_->idle_mutex);
    impl_->idle.wait_for(lock, options_.shutdown_grace, [this] { return in_flight_.load() == 0; });
  }
  // Handlers still on the write pool (past the grace) finish first; their
  // sessions then resume on loops that are stopping.
  impl_->write_pool.join();
  impl_->io.stop();
  for (auto& context : impl_->more_io) context->stop();
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
  if (impl_->access_log) impl_->access_log->Flush();
}

}  // namespace masthead::http
