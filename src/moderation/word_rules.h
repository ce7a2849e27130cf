// An editable list of banned (reject) and suspect (hold) terms, matched in one
// Aho-Corasick pass over normalised text (text_normaliser.h).
//
// Matching is word-bounded: a term matches whole words only, so "ass" is not
// found in "assessment" or "class". Letter runs are compared as 1, 2 or "many"
// (3+, the normaliser's cap): the automaton runs over run-collapsed text and
// each candidate is verified against the run lengths, so "stuuuupid" matches
// "stupid" and "asss" matches "ass" while "as" does not match "ass" and "good"
// does not match "god".
//
// List format (UTF-8 text, one term per line):
//   # comment
//   banned  3  some slur
//   suspect 2  you idiot
//   profane 4  fuck
// kind is "banned", "suspect" or "profane", then the Community Guidelines rule number, then
// the term (one or more words); "#" starts a comment anywhere. Terms are normalised with the same
// normaliser as the text, so they are written plainly; leet and homoglyph spellings need no entries
// of their own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "moderation/guidelines.h"
#include "moderation/text_normaliser.h"

namespace masthead::moderation {

// banned: reject; suspect: hold for a moderator; profane: publish, but nudge the
// writer (the policy allows swearing at nobody; the writer may still rephrase).
enum class TermKind { kBanned, kSuspect, kProfane };

struct Term {
  TermKind kind = TermKind::kSuspect;
  Clause clause = Clause::kPersonalAttacks;
  std::string text;  // as written in the list
};

struct RuleMatch {
  std::size_t term_index;  // into WordRules::terms()
  TermKind kind;
  Clause clause;
};

class WordRules {
 public:
  // Parses the list format above. Errors name the line ("line 12: ...").
  static Result<WordRules> Parse(std::string_view list, const TextNormaliser& normaliser);
  static Result<WordRules> LoadFile(const std::string& path, const TextNormaliser& normaliser);
  // Builds from terms directly (each normalised with `normaliser`).
  static Result<WordRules> FromTerms(std::vector<Term> terms, const TextNormaliser& normaliser);

  // Every distinct term found in `normalised` (TextNormaliser output), in
  // order of first appearance. One pass; no allocation when nothing matches.
  // Thread-safe (const).
  std::vector<RuleMatch> Match(std::string_view normalised) const;

  const std::vector<Term>& terms() const { return terms_; }
  std::size_t state_count() const { return fail_.size(); }

 private:
  struct Pattern {
    std::string bytes;               // run-collapsed, with a space at each end
    std::vector<std::uint8_t> runs;  // run length per byte of `bytes` (1..3)
  };
  static constexpr int kAlphabet = 28;

  Status Build();
  void Renumber(const std::vector<std::int32_t>& order);
  // Verifies the patterns ending at `state` against the recent runs.
  template <typename Entry>
  std::vector<RuleMatch> MatchWith(const std::vector<Entry>& delta,
                                   std::string_view normalised) const;
  template <typename Ring>
  void Report(int state, std::size_t position, const Ring& ring,
              std::vector<RuleMatch>& matches) const;

  std::vector<Term> terms_;
  std::vector<std::string> normalised_terms_;
  std::vector<Pattern> patterns_;
  // Automaton over run-collapsed symbols (see SymbolOf in the .cc).
  // state * kAlphabet + symbol -> (next state * kAlphabet << 1) | (next state
  // reports): the row offset is stored pre-multiplied so that the per-byte
  // dependency chain is one shift, one add and one load. States are numbered
  // breadth-first so the shallow, hot ones share cache.
  // The same table in 16 bits when it fits (up to 1,170 states): half the
  // cache footprint. Exactly one of delta_ and delta16_ is filled.
  std::vector<std::int32_t> delta_;
  std::vector<std::uint16_t> delta16_;
  std::vector<std::int32_t> fail_;       // failure link per state
  std::vector<std::int32_t> output_;     // first pattern ending here, or -1
  std::vector<std::int32_t> next_out_;   // per pattern: next pattern in the chain
  std::vector<std::int32_t> dict_link_;  // per state: nearest suffix state with output
  std::vector<std::int32_t> report_;     // per state: first state to report, 0 if none
  std::vector<std::int32_t> depth_;      // symbols from the root
};

}  // namespace masthead::moderation
