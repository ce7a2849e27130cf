#include "http/sealed_body.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

namespace masthead::http {
namespace {

// Whole-buffer write to a fresh memfd (short writes only on signals or ENOSPC).
bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::shared_ptr<const SealedBody> SealedBody::From(std::string bytes) {
  std::shared_ptr<SealedBody> body(new SealedBody());
  // Below this size the copy costs less than the file's descriptor is worth
  // (the page cache can hold thousands of pages, each file one descriptor).
  constexpr std::size_t kMinSealedBytes = 16 * 1024;
  if (bytes.size() >= kMinSealedBytes) {
    const int fd = ::memfd_create("masthead-body", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd >= 0) {
      // Sealed so the bytes a response promised (its Content-Length and ETag)
      // cannot change under a sendfile in progress.
      void* mapping = MAP_FAILED;
      if (WriteAll(fd, bytes) &&
          ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0) {
        mapping = ::mmap(nullptr, bytes.size(), PROT_READ, MAP_SHARED, fd, 0);
      }
      if (mapping != MAP_FAILED) {
        body->fd_ = fd;
        body->mapping_ = mapping;
        body->data_ = static_cast<const char*>(mapping);
        body->size_ = bytes.size();
        return body;
      }
      ::close(fd);
    }
  }
  body->heap_ = std::move(bytes);
  body->data_ = body->heap_.data();
  body->size_ = body->heap_.size();
  return body;
}

SealedBody::~SealedBody() {
  if (mapping_ != nullptr) ::munmap(mapping_, size_);
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace masthead::http
