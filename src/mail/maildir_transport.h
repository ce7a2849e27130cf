// Delivery into a local Maildir (the demo, when no SMTP server is configured),
// and reading it back for the staff page /staff/mail.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "mail/transport.h"

namespace masthead::mail {

class MaildirTransport final : public Transport {
 public:
  // Creates root/{tmp,new,cur} when missing. kUnavailable if it cannot.
  static Result<std::unique_ptr<MaildirTransport>> Create(std::filesystem::path root);

  // Writes the message to tmp/, fsyncs it, renames it into new/ and fsyncs the
  // directory: a reader never sees half a message and a crash never loses an
  // accepted one. File content uses LF line endings, as Maildir readers expect.
  // A disk error is a temporary failure; an invalid message a permanent one.
  // Thread-safe.
  DeliveryResult Send(const Message& message) override;

  const std::filesystem::path& root() const { return root_; }

 private:
  explicit MaildirTransport(std::filesystem::path root) : root_(std::move(root)) {}

  std::filesystem::path root_;
  std::mutex mutex_;        // guards counter_
  std::uint64_t counter_ = 0;
};

struct MaildirEntry {
  std::string id;          // file name in new/ or cur/; the key for ReadMaildirMessage
  std::int64_t received;   // file modification time, seconds since the epoch
  std::uintmax_t size;     // bytes
  // Decoded header values, for listing. Untrusted text: escape when showing.
  std::string from;
  std::string to;
  std::string subject;
  std::string date;
  std::string message_id;
};

// Messages in new/ and cur/, newest first, at most `limit`. kNotFound if `root`
// is not a Maildir.
Result<std::vector<MaildirEntry>> ListMaildir(const std::filesystem::path& root,
                                              std::size_t limit = 200);

// The raw message named `id` (as listed). kInvalidArgument for an id that is not a
// plain file name (no '/', no ".."), kNotFound when absent.
Result<std::string> ReadMaildirMessage(const std::filesystem::path& root, std::string_view id);

}  // namespace masthead::mail
