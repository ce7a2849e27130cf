#include "http/access_log.h"

#include <chrono>
#include <cstdio>

#include "base/html.h"
#include "base/time.h"

namespace masthead::http {

void AccessLog::Write(const AccessRecord& record) {
  const auto now = std::chrono::system_clock::now();
  const long long now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::string line;
  line.reserve(256);
  // The timestamp changes once a second: format it once a second per thread.
  thread_local long long cached_second = -1;
  thread_local std::string cached_timestamp;
  if (now_ms / 1000 != cached_second) {
    cached_second = now_ms / 1000;
    cached_timestamp = FormatRfc3339(cached_second);
  }
  line += "{\"ts\":\"" + cached_timestamp + "\",\"remote\":";
  line += EscapeJsonForScript(record.remote);
  line += ",\"method\":" + EscapeJsonForScript(record.method);
  line += ",\"target\":" + EscapeJsonForScript(record.target.substr(0, 512));
  line += ",\"route\":" + EscapeJsonForScript(record.route);
  line += ",\"status\":" + std::to_string(record.status);
  line += ",\"bytes\":" + std::to_string(record.bytes);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", record.seconds * 1000);
  line += ",\"ms\":";
  line += ms;
  line += ",\"ua\":" + EscapeJsonForScript(record.user_agent.substr(0, 256)) + "}\n";
  std::lock_guard lock(mutex_);
  buffer_ += line;
  if (buffer_.size() > 64 * 1024 || now_ms / 1000 != last_flush_second_) {
    last_flush_second_ = now_ms / 1000;
    std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
    std::fflush(out_);
    buffer_.clear();
  }
}

void AccessLog::Flush() {
  std::lock_guard lock(mutex_);
  if (!buffer_.empty()) {
    std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
    buffer_.clear();
  }
  std::fflush(out_);
}

}  // namespace masthead::http
