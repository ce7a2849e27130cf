// Finds the first rule (in file order) whose regex matches a string, without
// trying the rules one by one, and returns that rule's capture groups.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ua/rule_regex.h"
#include "ua/rules.h"

namespace masthead::ua {

// Compiled form of one rule list. Matching is linear in the input length: no
// regex is run by a backtracking engine.
//
// How the first matching rule is found: all the rules, loosened so that they
// match a superset (RelaxForPrefilter: counted repetitions opened up;
// DropLeadingWildcard: no leading ^.{0,N}), are
// compiled into one Hyperscan database, which scans the string once and
// reports every rule that may match (a rule Hyperscan still cannot compile is
// retried in its prefilter mode, which also reports more, never fewer; one it
// rejects outright is always a candidate). The candidates are then confirmed
// in rule order by each rule's own RE2 (RuleRegex), which also extracts the
// capture groups; the first confirmed one wins. Usually the first candidate is
// confirmed, so one RE2 match runs per string. RE2 on the exact regex is the
// authority on what matches; both engines see the string as bytes (RE2 in
// Latin-1 mode), so invalid UTF-8 is just bytes.
//
// Why this prefilter and not a cheaper one (measured over test_ua.yaml, with
// uap-core 0.16; see the README's UA benchmark paragraph): the loosened regexes
// are exact in practice (almost no candidate fails RE2), which a literal
// prefilter is not. With re2::FilteredRE2's required atoms matched by one
// Hyperscan literal scan, the device list left 9-26 candidates per string
// (rules whose only literals are ";" or "LG"), each costing an RE2 pass,
// and the atom bookkeeping alone cost about as much as this scan. One database
// for all three lists scanned about 12% slower than three.
//
// Thread-safety: immutable after Build(); FirstMatch() may be called from any
// number of threads at once (each thread uses its own Hyperscan scratch).
class RuleMatcher {
 public:
  // Compiles every rule. `groups_used[i]` is the highest capture group (0..9)
  // the caller reads for rule i; 0 means it only asks whether the rule matches,
  // which RE2 answers without the slower submatch engines. Fails with
  // kInvalidArgument naming `list_name` and the index of a regex that RE2
  // rejects, kInternal if Hyperscan fails.
  static Result<RuleMatcher> Build(const std::vector<Rule>& rules,
                                   const std::vector<int>& groups_used, std::string_view list_name);

  RuleMatcher(RuleMatcher&&) noexcept;
  RuleMatcher& operator=(RuleMatcher&&) noexcept;
  ~RuleMatcher();

  // Index of the first rule matching anywhere in `text`, with its captures
  // (views into `text`); nullopt when no rule matches.
  std::optional<std::size_t> FirstMatch(std::string_view text, Captures* captures) const;

  std::size_t size() const;
  // Rules compiled in Hyperscan's prefilter mode or kept out of the database
  // (always confirmed by RE2): a measure of how exact the prefilter is.
  std::size_t approximate_rules() const;

 private:
  struct Impl;
  explicit RuleMatcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace masthead::ua
