// Rewrites of uap-core regexes that open up counted repetitions ("X{0,200}").
// uap-core bounds its repetitions to keep backtracking engines safe; to an
// automaton each bound costs that many states, which makes matching slow.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace masthead::ua {

// A regex matching every string `pattern` matches, and maybe more, for the
// multi-pattern prefilter: X{0,n} -> X*, X{1,n} -> X+, X{m,n} -> X{m,}, and
// X{m} -> X{m,} for m > 8, whatever X is. Anchors stay, inner ones too: the
// DFA tells where the text starts, and with them a rule such as uap-core's
// device spider list (^.{0,100}(bot|...|^NING|...)) keeps its loosened form
// equal to the rule on short texts, so it needs no confirmation (ExactUpTo).
// Candidates it lets through are confirmed by the exact regex, so only speed
// depends on it.
std::string RelaxForPrefilter(std::string_view pattern);

// `relaxed` (a RelaxForPrefilter result) without a leading "^.*", "^.*?",
// "^(.*)" or "^(.*?)": whether a string contains a match does not depend on
// them but for '\n', so the result still matches a superset. uap-core starts
// many rules with ^.{0,200}?, and without it the prefilter finds them from
// their literals instead of running a wildcard automaton over every byte
// (about 40% of the scan time).
std::string DropLeadingWildcard(std::string_view relaxed);

// Upper bounds n of the counted repetitions {m,n} of single-byte atoms
// (a literal, '.', \d-style class, or [...]), distinct and ascending.
std::vector<std::size_t> SingleByteRepetitionBounds(std::string_view pattern);

// `pattern` with each counted repetition {m,n} of a single-byte atom whose
// n >= min_bound opened up to {m,}. On any text of at most min_bound bytes it
// is the same regex: a single-byte atom cannot repeat more times than the text
// has bytes, so the bound never takes effect, and the order in which a greedy
// or lazy repetition tries counts is unchanged. Matches and capture groups are
// therefore identical there, while RE2 can use its faster engines on the
// smaller program. Callers must only use it on texts that short.
std::string RelaxForTextsUpTo(std::string_view pattern, std::size_t min_bound);

// A regex that starts with ^.{0,N} (greedy) or ^.{0,N}? (lazy), split there.
struct LeadingAny {
  std::size_t bound = 0;  // N
  bool lazy = false;
  std::string rest;  // the regex after the prefix
};
// nullopt when `regex` does not start so, or when the rest has a top-level '|'
// (then the prefix belongs to one alternative only).
std::optional<LeadingAny> SplitLeadingAny(const std::string& regex);

}  // namespace masthead::ua
