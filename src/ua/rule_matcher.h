// Finds the first rule (in file order) whose regex matches a string, without
// trying the rules one by one, and returns that rule's capture groups.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ua/rule_regex.h"
#include "ua/rules.h"

namespace masthead::ua {

class ListDfa;
struct Program;

// Compiled form of one rule list. Matching is linear in the input length: no
// regex is run by an engine that can backtrack without bound.
//
// How the first matching rule is found: all the rules, loosened so that they
// match a superset (RelaxForPrefilter: counted repetitions opened up;
// DropLeadingWildcard: no leading ^.{0,N}), are held by one lazily built DFA
// (ListDfa), which reads the string once and reports every rule that may
// match. The candidates are then confirmed in rule order against the exact
// rule by a memoised backtracker (Backtracker), which also extracts the groups;
// the first confirmed one wins. The loosened rules are exact in practice, so
// one confirmation usually runs per string. A rule whose matches may start at
// most bytes (uap-core's bot rules: a name may follow any word) would make
// the backtracker try nearly every start, so a DFA of the rule read backwards
// (its bounds opened) first finds where the leftmost match can start, in one
// pass, and the backtracker searches from there. A rule outside the dialect our
// engine implements (uap_regex.h) is confirmed by RE2 (RuleRegex) instead, and
// one the DFA cannot hold is always a candidate. Both engines see the string
// as bytes, with RE2's Latin-1 semantics, so invalid UTF-8 is just bytes.
//
// History (measured over test_ua.yaml, uap-core 0.16, this machine): a
// Hyperscan database of the loosened rules confirmed by RE2 parsed about
// 60,000 strings/s; the three Hyperscan scans alone took about 4 us per string
// and RE2's per-call setup (locks, allocation, BitState) most of the rest.
//
// Thread-safety: FirstMatch() may be called from any number of threads at once
// (the DFA builds rows under a lock; reads take none).
class RuleMatcher {
 public:
  // Compiles every rule. `groups_used[i]` is the highest capture group (0..9)
  // the caller reads for rule i; 0 means it only asks whether the rule matches,
  // which RE2 answers without the slower submatch engines. Fails with
  // kInvalidArgument naming `list_name` and the index of a regex that RE2
  // rejects.
  // `dfa_max_bytes` bounds the memory of the list's DFA.
  static Result<RuleMatcher> Build(const std::vector<Rule>& rules,
                                   const std::vector<int>& groups_used, std::string_view list_name,
                                   std::size_t dfa_max_bytes = kDefaultDfaMaxBytes);
  static constexpr std::size_t kDefaultDfaMaxBytes = std::size_t{64} << 20;

  RuleMatcher(RuleMatcher&&) noexcept;
  RuleMatcher& operator=(RuleMatcher&&) noexcept;
  ~RuleMatcher();

  // Index of the first rule matching anywhere in `text`, with its captures
  // (views into `text`); nullopt when no rule matches.
  std::optional<std::size_t> FirstMatch(std::string_view text, Captures* captures) const;

  std::size_t size() const;

 private:
  friend class JointMatcher;
  struct Impl;
  explicit RuleMatcher(std::unique_ptr<Impl> impl);
  // The first rule, of ids[i] - id_offset (ascending) and the rules the DFA
  // cannot hold, that matches `text`; `newline` is text.find('\n').
  std::optional<std::size_t> FirstOf(std::span<const std::uint32_t> ids, std::uint32_t id_offset,
                                     std::string_view text, std::size_t newline,
                                     Captures* captures) const;
  std::unique_ptr<Impl> impl_;
};

// Several lists matched over one text at once (uap-core's user agent, OS and
// device lists for one parse): one DFA over all their loosened rules reads the
// text once, then each list confirms its own candidates as FirstMatch() does.
// Measured over test_ua.yaml, the union needs about as many states as the
// lists apart (35,000 against 34,600) but a third of the steps, and finding the
// candidates took 1.4 us per string instead of 2.2 us for three walks side by
// side.
//
// Thread-safety: as RuleMatcher.
class JointMatcher {
 public:
  // `matchers` (a few) must outlive this and not move. `dfa_max_bytes` bounds
  // the joint DFA.
  JointMatcher(std::vector<const RuleMatcher*> matchers,
               std::size_t dfa_max_bytes = 2 * RuleMatcher::kDefaultDfaMaxBytes);
  JointMatcher(const JointMatcher&) = delete;
  JointMatcher& operator=(const JointMatcher&) = delete;
  ~JointMatcher();

  // results[k] and captures[k]: matchers[k]->FirstMatch(text, &captures[k]).
  void FirstMatchOfEach(std::string_view text, Captures* captures,
                        std::optional<std::size_t>* results) const;

 private:
  std::vector<const RuleMatcher*> matchers_;
  std::vector<std::uint32_t> first_id_;  // by matcher: its rule i is DFA pattern first_id_ + i
  std::unique_ptr<Program> program_;
  std::unique_ptr<ListDfa> dfa_;
};

}  // namespace masthead::ua
