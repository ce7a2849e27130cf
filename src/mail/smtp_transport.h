// Delivery over SMTP with libcurl: smtp:// (STARTTLS when the server offers it,
// or required) and smtps:// (implicit TLS), optional AUTH, timeouts. One curl
// handle is kept between sends so consecutive messages reuse the connection.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "mail/transport.h"

namespace masthead::mail {

struct SmtpConfig {
  // "smtp://host[:port]" or "smtps://host[:port]". An optional path names the
  // EHLO domain ("smtp://mail.example.org/news.example.org").
  std::string url;
  std::string username;  // empty: no AUTH
  std::string password;
  // Envelope sender (MAIL FROM). Empty: the message's From address. Bounces go here.
  std::string envelope_from;
  // With smtp://: false upgrades with STARTTLS when offered and otherwise sends in
  // clear (CURLUSESSL_TRY); true refuses to send without TLS (CURLUSESSL_ALL).
  bool require_tls = false;
  bool verify_peer = true;  // certificate and host name checks for TLS
  std::string ca_file;      // empty: the system store
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{60'000};  // a whole transaction
};

// Checks url scheme and host, timeouts, and that credentials are not sent over
// plain smtp:// without require_tls unless the host is loopback. Errors name the
// config field ("url", "username", "connect_timeout", ...).
Status ValidateSmtpConfig(const SmtpConfig& config);

class SmtpTransport final : public Transport {
 public:
  static Result<std::unique_ptr<SmtpTransport>> Create(SmtpConfig config);
  ~SmtpTransport() override;
  SmtpTransport(const SmtpTransport&) = delete;
  SmtpTransport& operator=(const SmtpTransport&) = delete;

  // Sends one message to message.to. 2xx: delivered; a 5xx reply (to MAIL, RCPT
  // or DATA): permanent; a 4xx reply, no connection, a timeout, a TLS or login
  // failure: temporary (the message is not at fault, so it must not be dropped).
  // `reply` keeps the server's last reply line(s). Thread-safe: calls are
  // serialised on one connection; use one transport per worker thread for
  // parallel delivery.
  DeliveryResult Send(const Message& message) override;

 private:
  struct Impl;
  explicit SmtpTransport(std::unique_ptr<Impl> impl);

  std::mutex mutex_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace masthead::mail
