#include "mail/maildir_transport.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>

#include "base/time.h"
#include "mail/mime.h"
#include "mail/mime_parse.h"

namespace masthead::mail {
namespace {

namespace fs = std::filesystem;

std::string Errno(std::string_view what) {
  return std::string(what) + ": " + std::strerror(errno);
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::string HostName() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "localhost";
  std::string host(buffer);
  // '/' and ':' have meaning in Maildir file names; RFC-compatible escapes.
  std::string out;
  for (char c : host) {
    if (c == '/') out += "\\057";
    else if (c == ':') out += "\\072";
    else out += c;
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<MaildirTransport>> MaildirTransport::Create(fs::path root) {
  std::error_code ec;
  for (const char* sub : {"tmp", "new", "cur"}) {
    fs::create_directories(root / sub, ec);
    if (ec) {
      return MakeError(ErrorCode::kUnavailable,
                       "cannot create maildir " + (root / sub).string() + ": " + ec.message(),
                       "maildir");
    }
  }
  return std::unique_ptr<MaildirTransport>(new MaildirTransport(std::move(root)));
}

DeliveryResult MaildirTransport::Send(const Message& message) {
  auto mime = BuildMime(message, NowSeconds());
  if (!mime) {
    return {DeliveryStatus::kPermanentFailure, 0,
            "refused before writing: " + mime.error().ToString()};
  }
  std::string content;
  content.reserve(mime->size());
  for (std::size_t i = 0; i < mime->size(); ++i) {
    if ((*mime)[i] == '\r' && i + 1 < mime->size() && (*mime)[i + 1] == '\n') continue;
    content += (*mime)[i];
  }

  std::uint64_t sequence;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    sequence = ++counter_;
  }
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now).count();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count() % 1'000'000;
  std::string name = std::to_string(seconds) + ".M" + std::to_string(micros) + "P" +
                     std::to_string(::getpid()) + "Q" + std::to_string(sequence) + "." + HostName();
  fs::path tmp = root_ / "tmp" / name;
  fs::path final_path = root_ / "new" / name;

  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return {DeliveryStatus::kTemporaryFailure, 0, Errno("open " + tmp.string())};
  bool ok = WriteAll(fd, content) && ::fsync(fd) == 0;
  std::string error = ok ? "" : Errno("write " + tmp.string());
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = Errno("close " + tmp.string());
  }
  if (ok && ::rename(tmp.c_str(), final_path.c_str()) != 0) {
    ok = false;
    error = Errno("rename into new/");
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return {DeliveryStatus::kTemporaryFailure, 0, error};
  }
  if (!SyncDirectory(root_ / "new")) {
    return {DeliveryStatus::kTemporaryFailure, 0, Errno("fsync new/")};
  }
  return {DeliveryStatus::kDelivered, 0, "stored as " + name};
}

Result<std::vector<MaildirEntry>> ListMaildir(const fs::path& root, std::size_t limit) {
  std::error_code ec;
  if (!fs::is_directory(root / "new", ec) || !fs::is_directory(root / "cur", ec)) {
    return MakeError(ErrorCode::kNotFound, "not a maildir: " + root.string(), "maildir");
  }
  std::vector<MaildirEntry> entries;
  for (const char* sub : {"new", "cur"}) {
    for (const auto& file : fs::directory_iterator(root / sub, ec)) {
      if (!file.is_regular_file(ec)) continue;
      MaildirEntry entry;
      entry.id = file.path().filename().string();
      entry.size = file.file_size(ec);
      struct stat st {};
      entry.received = ::stat(file.path().c_str(), &st) == 0 ? st.st_mtime : 0;
      entries.push_back(std::move(entry));
    }
  }
  // Newest first; names start with the delivery time, a stable tie-break.
  std::sort(entries.begin(), entries.end(), [](const MaildirEntry& a, const MaildirEntry& b) {
    return a.received != b.received ? a.received > b.received : a.id > b.id;
  });
  if (entries.size() > limit) entries.resize(limit);
  for (MaildirEntry& entry : entries) {
    auto raw = ReadMaildirMessage(root, entry.id);
    if (!raw) continue;
    // Only the header block is needed for the listing.
    std::size_t end = raw->find("\n\n");
    auto parsed = ParseMessage(std::string_view(*raw).substr(0, end == std::string::npos ? raw->size() : end + 2));
    if (!parsed) continue;
    entry.from = parsed->Get("From").value_or("");
    entry.to = parsed->Get("To").value_or("");
    entry.subject = parsed->Get("Subject").value_or("");
    entry.date = parsed->Get("Date").value_or("");
    entry.message_id = parsed->Get("Message-ID").value_or("");
  }
  return entries;
}

Result<std::string> ReadMaildirMessage(const fs::path& root, std::string_view id) {
  if (id.empty() || id == "." || id == ".." || id.find('/') != std::string_view::npos ||
      id.find('\0') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "not a maildir message id", "id");
  }
  for (const char* sub : {"new", "cur"}) {
    std::ifstream in(root / sub / std::string(id), std::ios::binary);
    if (!in) continue;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return MakeError(ErrorCode::kNotFound, "no such message", "id");
}

}  // namespace masthead::mail
