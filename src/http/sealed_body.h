// A response body that many responses share, held where the kernel can send it
// without copying it through this process: a sealed in-memory file (memfd).
// The server hands such a body to the socket with sendfile(2), as nginx does
// for static files; copying a 57 KB page into the socket was the largest
// single cost of serving a cached article page.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace masthead::http {

class SealedBody {
 public:
  // The bytes in a sealed memfd, mapped read-only for view(). Small bodies, and
  // any where no memfd can be made (e.g. out of file descriptors), are kept on
  // the heap with fd() -1: the body is then written like any other. Never null.
  static std::shared_ptr<const SealedBody> From(std::string bytes);

  SealedBody(const SealedBody&) = delete;
  SealedBody& operator=(const SealedBody&) = delete;
  ~SealedBody();

  std::string_view view() const { return {data_, size_}; }
  // A descriptor sendfile(2) can read the whole body from at offset 0, or -1.
  int fd() const { return fd_; }

 private:
  SealedBody() = default;

  int fd_ = -1;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  void* mapping_ = nullptr;  // data_ when the body is in the memfd
  std::string heap_;         // the bytes when it is not
};

}  // namespace masthead::http
