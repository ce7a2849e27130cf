#include "discussion/spam_guard.h"

#include <cctype>

#include "accounts/crypto.h"

namespace masthead::discussion {
namespace {

bool StartsWithNoCase(std::string_view text, std::size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != prefix[i]) return false;
  }
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

int CountLinks(std::string_view text) {
  int links = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (StartsWithNoCase(text, i, "http://") || StartsWithNoCase(text, i, "https://")) {
      ++links;
      i = text.find_first_of(" \t\r\n", i);  // one address, one link ("https://www." too)
      if (i == std::string_view::npos) break;
    } else if (StartsWithNoCase(text, i, "www.") &&
               (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      ++links;
      i += 3;
    }
  }
  return links;
}

std::string FoldForFingerprint(std::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (IsSpace(c)) {
      pending_space = !folded.empty();
      continue;
    }
    if (pending_space) folded.push_back(' ');
    pending_space = false;
    folded.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return folded;
}

std::string TextFingerprint(std::string_view canonical_text) {
  return accounts::HashToken(canonical_text);
}

std::string NetworkKey(std::string_view network) {
  return accounts::HashToken(std::string("network:") + std::string(network)).substr(0, 32);
}

std::string FormStamp::Issue(std::int64_t user_id, UnixSeconds now) const {
  const std::string shown = std::to_string(now);
  return shown + "." + accounts::Mac(key_, "comment-form:" + std::to_string(user_id) + ":" + shown);
}

Result<UnixSeconds> FormStamp::Verify(std::string_view stamp, std::int64_t user_id) const {
  const auto bad = [] {
    return MakeError(ErrorCode::kInvalidArgument,
                     "this form was not loaded from the article page; your text is below: please post it again",
                     "form_stamp");
  };
  const std::size_t dot = stamp.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 12) return bad();
  const std::string_view shown = stamp.substr(0, dot);
  for (char c : shown) {
    if (c < '0' || c > '9') return bad();
  }
  const std::string expected =
      accounts::Mac(key_, "comment-form:" + std::to_string(user_id) + ":" + std::string(shown));
  if (!accounts::ConstantTimeEquals(stamp.substr(dot + 1), expected)) return bad();
  return static_cast<UnixSeconds>(std::stoll(std::string(shown)));
}

}  // namespace masthead::discussion
