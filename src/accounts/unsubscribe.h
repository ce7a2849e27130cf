// One-click unsubscribe links (RFC 8058): a mail client POSTs to the link with
// no cookie and no form token, so the link itself must prove which reader and
// which kind of mail it stops: an HMAC over both under a server key.
#pragma once

#include <cstdint>
#include <string>

namespace masthead::accounts {

// The kinds of notification a reader can turn off, and the modes.
inline constexpr const char* kNotificationKinds[] = {"replies", "answers", "decisions"};
bool IsNotificationKind(const std::string& kind);
bool IsNotificationMode(const std::string& mode);  // "immediately" or "off"

class UnsubscribeSigner {
 public:
  explicit UnsubscribeSigner(std::string key) : key_(std::move(key)) {}
  // "u=12&k=replies&t=..." for /mail/unsubscribe?...
  std::string Query(std::int64_t user_id, const std::string& kind) const;
  bool Verify(std::int64_t user_id, const std::string& kind, const std::string& token) const;

 private:
  std::string key_;
};

}  // namespace masthead::accounts
