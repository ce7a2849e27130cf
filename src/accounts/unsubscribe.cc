#include "accounts/unsubscribe.h"

#include "accounts/crypto.h"

namespace masthead::accounts {

bool IsNotificationKind(const std::string& kind) {
  for (const char* known : kNotificationKinds) {
    if (kind == known) return true;
  }
  return false;
}

bool IsNotificationMode(const std::string& mode) {
  for (const char* known : kNotificationModes) {
    if (mode == known) return true;
  }
  return false;
}

bool IsDigestMode(const std::string& mode) { return mode == "hourly" || mode == "daily"; }

std::string UnsubscribeSigner::Query(std::int64_t user_id, const std::string& kind) const {
  return "u=" + std::to_string(user_id) + "&k=" + kind + "&t=" +
         Mac(key_, "unsubscribe|" + std::to_string(user_id) + "|" + kind);
}

bool UnsubscribeSigner::Verify(std::int64_t user_id, const std::string& kind, const std::string& token) const {
  return (IsNotificationKind(kind) || kind == kDigestsKind) &&
         ConstantTimeEquals(token, Mac(key_, "unsubscribe|" + std::to_string(user_id) + "|" + kind));
}

}  // namespace masthead::accounts
