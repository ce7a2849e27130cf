// The spam and flood checks of comment posting that need no moderation model:
// links counted in a text, the fingerprint that recognises a text posted again,
// and the signed "form shown at" stamp behind the minimum time to submit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/time.h"

namespace masthead::discussion {

// Web addresses in a text: "http://", "https://" and bare "www." ones
// (case-insensitive), each counted once.
int CountLinks(std::string_view text);

// Hex hash of `canonical_text` (the moderation normaliser's output when there
// is one): equal texts, however spelt, share a fingerprint.
std::string TextFingerprint(std::string_view canonical_text);
// A canonical form without the normaliser: ASCII lower case, whitespace runs
// as one space, trimmed.
std::string FoldForFingerprint(std::string_view text);

// A network's key for rate limits: a hash, so the table never holds addresses.
std::string NetworkKey(std::string_view network);

// "when the form was shown" for one reader, signed with a server key, so a
// program cannot claim it loaded the form long ago.
class FormStamp {
 public:
  explicit FormStamp(std::string key) : key_(std::move(key)) {}

  std::string Issue(std::int64_t user_id, UnixSeconds now) const;
  // The time the stamp was issued; kInvalidArgument (field "form_stamp") when
  // it is malformed, forged or another reader's.
  Result<UnixSeconds> Verify(std::string_view stamp, std::int64_t user_id) const;

 private:
  std::string key_;
};

}  // namespace masthead::discussion
