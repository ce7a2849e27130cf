#include "moderation/guidelines.h"

#include <array>

namespace masthead::moderation {
namespace {

constexpr std::array<ClauseInfo, 8> kClauses = {{
    {Clause::kThreats, 1, "threats", "threats of violence"},
    {Clause::kPersonalAttacks, 2, "personal_attacks", "personal attacks"},
    {Clause::kIdentityHate, 3, "identity_hate", "hate against groups"},
    {Clause::kObsceneLanguage, 4, "obscene_language", "obscene language"},
    {Clause::kReadableText, 5, "readable_text", "readable text"},
    {Clause::kHarassment, 6, "harassment", "harassment"},
    {Clause::kOffTopic, 7, "off_topic", "off-topic comments"},
    {Clause::kSpam, 8, "spam", "spam"},
}};

}  // namespace

std::span<const ClauseInfo> AllClauses() { return kClauses; }

const ClauseInfo& InfoOf(Clause clause) { return kClauses[static_cast<int>(clause) - 1]; }

std::optional<Clause> ClauseFromNumber(int number) {
  if (number < 1 || number > static_cast<int>(kClauses.size())) return std::nullopt;
  return kClauses[number - 1].clause;
}

std::optional<Clause> ClauseFromSlug(std::string_view slug) {
  for (const auto& info : kClauses) {
    if (info.slug == slug) return info.clause;
  }
  return std::nullopt;
}

}  // namespace masthead::moderation
