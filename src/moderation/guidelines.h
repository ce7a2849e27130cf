// The Community Guidelines clauses that moderation decisions cite. This is the
// one place the clause list is defined: pages, mail and the transparency report
// show `number` and `name` from here, so a renumbering happens once.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace masthead::moderation {

enum class Clause {
  kThreats = 1,
  kPersonalAttacks = 2,
  kIdentityHate = 3,
  kObsceneLanguage = 4,
  kReadableText = 5,
  // Moderators' reasons that no automatic check decides.
  kHarassment = 6,
  kOffTopic = 7,
  kSpam = 8,
};

struct ClauseInfo {
  Clause clause;
  int number;             // shown as "rule N"
  std::string_view slug;  // stable machine name, e.g. "personal_attacks"
  std::string_view name;  // short human name, e.g. "personal attacks"
};

// All clauses in rule-number order.
std::span<const ClauseInfo> AllClauses();

const ClauseInfo& InfoOf(Clause clause);

// The clause with this rule number, or nullopt when there is none.
std::optional<Clause> ClauseFromNumber(int number);
// The clause with this slug ("personal_attacks"), or nullopt when there is none.
std::optional<Clause> ClauseFromSlug(std::string_view slug);

}  // namespace masthead::moderation
