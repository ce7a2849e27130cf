// One JSON line per request, for log shippers. Writes are buffered and flushed
// at least once a second or when the buffer is large, so logging costs little on
// the request path.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace masthead::http {

struct AccessRecord {
  std::string_view remote;
  std::string_view method;
  std::string_view target;
  std::string_view route;
  std::string_view user_agent;
  int status = 0;
  std::size_t bytes = 0;
  double seconds = 0;
};

class AccessLog {
 public:
  // `out` is borrowed and must outlive the log (stdout in production).
  explicit AccessLog(std::FILE* out) : out_(out) {}
  ~AccessLog() { Flush(); }
  void Write(const AccessRecord& record);
  void Flush();

 private:
  std::FILE* out_;
  std::mutex mutex_;
  std::string buffer_;
  long long last_flush_second_ = 0;
};

}  // namespace masthead::http
