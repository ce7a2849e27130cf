#include "mail/smtp_transport.h"

#include <cstring>
#include <ctime>

#include <curl/curl.h>

#include "base/text.h"
#include "base/time.h"
#include "mail/mime.h"

namespace masthead::mail {
namespace {

std::once_flag curl_init_once;

// Host part of "scheme://[user@]host[:port][/path]", lower-cased; empty if none.
std::string UrlHost(std::string_view url) {
  std::size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  std::string_view rest = url.substr(start + 3);
  rest = rest.substr(0, rest.find('/'));
  if (std::size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    std::size_t close = rest.find(']');
    return close == std::string_view::npos ? std::string() : ToLowerAscii(rest.substr(1, close - 1));
  }
  return ToLowerAscii(rest.substr(0, rest.find(':')));
}

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || StartsWith(host, "127.");
}

bool IsTransportLevelFailure(CURLcode rc) {
  switch (rc) {
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
      return true;
    default:
      return false;
  }
}

// 530 authentication required, 534 mechanism too weak, 535 credentials invalid,
// 538 encryption required: the server refuses us, not the message. Failing the
// message for good would lose mail over a configuration mistake.
bool IsAuthenticationReply(long code) {
  return code == 530 || code == 534 || code == 535 || code == 538;
}

}  // namespace

Status ValidateSmtpConfig(const SmtpConfig& config) {
  std::string lower = ToLowerAscii(config.url);
  if (!StartsWith(lower, "smtp://") && !StartsWith(lower, "smtps://")) {
    return MakeError(ErrorCode::kInvalidArgument, "url must start with smtp:// or smtps://", "url");
  }
  for (unsigned char c : config.url) {
    if (c <= 0x20 || c >= 0x7f) {
      return MakeError(ErrorCode::kInvalidArgument, "url contains a space or control character",
                       "url");
    }
  }
  std::string host = UrlHost(config.url);
  if (host.empty()) return MakeError(ErrorCode::kInvalidArgument, "url has no host", "url");
  if (!config.envelope_from.empty()) {
    MASTHEAD_RETURN_IF_ERROR(ValidateAddress(Address{"", config.envelope_from}, "envelope_from"));
  }
  if (config.connect_timeout.count() <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "connect_timeout must be positive",
                     "connect_timeout");
  }
  if (config.timeout.count() <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "timeout must be positive", "timeout");
  }
  if (config.username.empty() != config.password.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "username and password go together",
                     config.username.empty() ? "username" : "password");
  }
  if (ContainsControlCharacter(config.username) || ContainsControlCharacter(config.password)) {
    return MakeError(ErrorCode::kInvalidArgument, "credentials contain a control character",
                     "username");
  }
  // STARTTLS "when offered" can be stripped by anyone on the path; a password must
  // not depend on it except on the loopback interface.
  if (!config.username.empty() && StartsWith(lower, "smtp://") && !config.require_tls &&
      !IsLoopbackHost(host)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "credentials over smtp:// need require_tls (or use smtps://)", "require_tls");
  }
  return Ok();
}

struct SmtpTransport::Impl {
  SmtpConfig config;
  CURL* curl = nullptr;
  char error[CURL_ERROR_SIZE] = {};

  // State of the send in progress.
  std::string payload;
  std::size_t offset = 0;
  std::string pending;        // received bytes not yet ending in a newline
  std::string reply_so_far;   // lines of a multi-line reply ("250-...")
  std::string last_reply;     // the last complete reply
  std::string error_reply;    // the last complete 4xx/5xx reply: after a failure
                              // curl may still say QUIT and get "221 Bye"

  ~Impl() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }

  static std::size_t Read(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    std::size_t n = std::min(size * count, self->payload.size() - self->offset);
    std::memcpy(buffer, self->payload.data() + self->offset, n);
    self->offset += n;
    return n;
  }

  // libcurl hands server replies to the debug callback as CURLINFO_HEADER_IN;
  // it is the only way to keep the reply text, which the operator needs.
  static int Debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
    if (type != CURLINFO_HEADER_IN) return 0;
    auto* self = static_cast<Impl*>(user);
    self->pending.append(data, size);
    std::size_t newline;
    while ((newline = self->pending.find('\n')) != std::string::npos) {
      std::string line = self->pending.substr(0, newline);
      self->pending.erase(0, newline + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!self->reply_so_far.empty()) self->reply_so_far += '\n';
      self->reply_so_far += line;
      // "250-..." continues a reply; "250 ..." (or a bare code) ends it.
      if (line.size() < 4 || line[3] != '-') {
        self->last_reply = std::move(self->reply_so_far);
        self->reply_so_far.clear();
        if (line[0] == '4' || line[0] == '5') self->error_reply = self->last_reply;
      }
    }
    return 0;
  }
};

SmtpTransport::SmtpTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SmtpTransport::~SmtpTransport() = default;

Result<std::unique_ptr<SmtpTransport>> SmtpTransport::Create(SmtpConfig config) {
  MASTHEAD_RETURN_IF_ERROR(ValidateSmtpConfig(config));
  std::call_once(curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return MakeError(ErrorCode::kInternal, "curl_easy_init failed");
  impl->curl = curl;
  const SmtpConfig& c = impl->config;
  curl_easy_setopt(curl, CURLOPT_URL, c.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Impl::Read);
  curl_easy_setopt(curl, CURLOPT_READDATA, impl.get());
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, &Impl::Debug);
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, impl.get());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, impl->error);
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   c.require_tls ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, c.verify_peer ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, c.verify_peer ? 2L : 0L);
  if (!c.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, c.ca_file.c_str());
  if (!c.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, c.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, c.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(c.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(c.timeout.count()));
  return std::unique_ptr<SmtpTransport>(new SmtpTransport(std::move(impl)));
}

DeliveryResult SmtpTransport::Send(const Message& message) {
  auto mime = BuildMime(message, NowSeconds());
  if (!mime) {
    return {DeliveryStatus::kPermanentFailure, 0, "refused before sending: " + mime.error().ToString()};
  }
  std::lock_guard<std::mutex> lock(mutex_);
  Impl& impl = *impl_;
  impl.payload = std::move(*mime);
  impl.offset = 0;
  impl.pending.clear();
  impl.reply_so_far.clear();
  impl.last_reply.clear();
  impl.error_reply.clear();
  impl.error[0] = '\0';

  const std::string& sender =
      impl.config.envelope_from.empty() ? message.from.address : impl.config.envelope_from;
  std::string mail_from = "<" + sender + ">";
  std::string rcpt = "<" + message.to.address + ">";
  curl_slist* recipients = curl_slist_append(nullptr, rcpt.c_str());
  curl_easy_setopt(impl.curl, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(impl.curl, CURLOPT_MAIL_RCPT, recipients);
  CURLcode rc = curl_easy_perform(impl.curl);
  curl_easy_setopt(impl.curl, CURLOPT_MAIL_RCPT, nullptr);
  curl_slist_free_all(recipients);

  long code = 0;
  curl_easy_getinfo(impl.curl, CURLINFO_RESPONSE_CODE, &code);
  DeliveryResult result;
  result.code = static_cast<int>(code);
  result.reply = impl.last_reply;
  if (rc == CURLE_OK) {
    result.status = DeliveryStatus::kDelivered;
    return result;
  }
  std::string curl_error = impl.error[0] != '\0' ? impl.error : curl_easy_strerror(rc);
  if (!impl.error_reply.empty()) {
    result.reply = impl.error_reply;
  } else if (result.reply.empty()) {
    result.reply = curl_error;
  } else {
    // The last reply was not an error; the failure is local (TLS, timeout...).
    result.reply += "\n" + curl_error;
  }
  bool permanent = !IsTransportLevelFailure(rc) && !IsAuthenticationReply(code) &&
                   code >= 500 && code < 600;
  result.status = permanent ? DeliveryStatus::kPermanentFailure : DeliveryStatus::kTemporaryFailure;
  return result;
}

}  // namespace masthead::mail
