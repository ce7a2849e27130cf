// One-click unsubscribe links (RFC 8058): a mail client POSTs to the link with
// no cookie and no form token, so the link itself must prove which reader and
// which kind of mail it stops: an HMAC over both under a server key.
#pragma once

#include <cstdint>
#include <string>

namespace masthead::accounts {

// The kinds of notification a reader chooses a mode for, and the modes: each mail
// on its own, collected into an hourly or daily digest, or none.
inline constexpr const char* kNotificationKinds[] = {"replies", "answers", "decisions"};
inline constexpr const char* kNotificationModes[] = {"immediately", "hourly", "daily", "off"};
// What a digest's unsubscribe link names: every kind collected into digests.
inline constexpr char kDigestsKind[] = "digests";
bool IsNotificationKind(const std::string& kind);
bool IsNotificationMode(const std::string& mode);
// True for "hourly" and "daily".
bool IsDigestMode(const std::string& mode);

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
