// Test support, never linked into masthead: runs tests/support/smtp_sink.py (a
// real aiosmtpd server) as a child process and reads what it received.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace masthead::mail::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct SmtpSinkOptions {
  int port = 0;               // 0: the sink picks a free port
  std::string temp_fail;      // regex: RCPT TO answered 451
  std::string perm_fail;      // regex: RCPT TO answered 550
  bool down = false;          // greet with 421 and hang up
  int drop_after_data = 0;    // store, then drop the connection before the 250
  std::string auth;           // "user:pass": require AUTH
  bool starttls = false;      // offer STARTTLS (self-signed cert, see tls_cert())
  bool implicit_tls = false;  // TLS from the first byte: url() is smtps://
  bool no_parse = false;      // skip Python's parse
  bool count_only = false;    // store nothing, count (benchmark); see ReceivedCount
};

struct ReceivedMail {
  std::string name;       // file stem, in arrival order
  std::string raw;        // bytes as received after DATA
  nlohmann::json info;    // mail_from, rcpt_tos, headers, subject, message_id,
                          // plain, html, content_type, defects (see smtp_sink.py)
};

class SmtpSink {
 public:
  // Starts the sink storing mail in `dir`/out and waits (on the port file, with
  // a 30 s guard against a hang) until it listens. kUnavailable if it exits first.
  static Result<std::unique_ptr<SmtpSink>> Start(const std::filesystem::path& dir,
                                                 SmtpSinkOptions options = {});
  ~SmtpSink();  // Stop()
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  // SIGTERM, then waits for the process to exit. Idempotent.
  void Stop();

  int port() const { return port_; }
  std::string url() const {
    return (implicit_tls_ ? "smtps://127.0.0.1:" : "smtp://127.0.0.1:") + std::to_string(port_);
  }
  // The sink's self-signed certificate (with starttls or implicit_tls): the CA
  // file a client must trust.
  std::filesystem::path tls_cert() const { return out_.parent_path() / "tls" / "cert.pem"; }

  // Every complete message in `dir`/out (also from earlier sinks on that dir).
  std::vector<ReceivedMail> Received() const;

  // Messages accepted: with count_only, known once Stop() returned; otherwise
  // Received().size().
  std::size_t ReceivedCount() const;

  // SMTP connections accepted by the current sink process (0 before the first).
  int Connections() const;

 private:
  SmtpSink(pid_t pid, int port, std::filesystem::path out) : pid_(pid), port_(port), out_(std::move(out)) {}

  pid_t pid_;
  int port_;
  bool implicit_tls_ = false;
  std::filesystem::path out_;
};

}  // namespace masthead::mail::testing
