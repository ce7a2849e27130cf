#include "http/access_log.h"

#include <chrono>
#include <cstdio>

#include "base/html.h"
#include "base/time.h"

namespace masthead::http {

namespace {

// A JSON string of `text`, escaped as EscapeJsonForScript does; most fields
// (addresses, methods, routes, plain paths) need no escaping and are appended
// as they are, without the temporary string.
void AppendJsonString(std::string& line, std::string_view text) {
  for (const unsigned char c : text) {
    if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
      line += EscapeJsonForScript(text);
      return;
    }
  }
  line += '"';
  line += text;
  line += '"';
}

}  // namespace

void AccessLog::Write(const AccessRecord& record) {
  const auto now = std::chrono::system_clock::now();
  const long long now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  // Reused by each thread's requests: no allocation once it has grown.
  thread_local std::string line;
  line.clear();
  // The timestamp changes once a second: format it once a second per thread.
  thread_local long long cached_second = -1;
  thread_local std::string cached_timestamp;
  if (now_ms / 1000 != cached_second) {
    cached_second = now_ms / 1000;
    cached_timestamp = FormatRfc3339(cached_second);
  }
  line += "{\"ts\":\"";
  line += cached_timestamp;
  line += "\",\"remote\":";
  AppendJsonString(line, record.remote);
  line += ",\"method\":";
  AppendJsonString(line, record.method);
  line += ",\"target\":";
  AppendJsonString(line, record.target.substr(0, 512));
  line += ",\"route\":";
  AppendJsonString(line, record.route);
  line += ",\"status\":";
  line += std::to_string(record.status);
  line += ",\"bytes\":";
  line += std::to_string(record.bytes);
  // Milliseconds with three decimals, from whole microseconds (no printf).
  const auto micros = static_cast<long long>(record.seconds * 1e6 + 0.5);
  const auto fraction = std::to_string(1000 + micros % 1000);  // "1ddd": keeps the zeros
  line += ",\"ms\":";
  line += std::to_string(micros / 1000);
  line += '.';
  line.append(fraction, 1, 3);
  line += ",\"ua\":";
  AppendJsonString(line, record.user_agent.substr(0, 256));
  line += "}\n";
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
