// An editable list of banned (reject) and suspect (hold) terms, matched in one
// pass over normalised text (text_normaliser.h), never a per-term loop.
//
// Matching is word-bounded: a term matches whole words only, so "ass" is not
// found in "assessment" or "class". Because every term starts at a word start,
// the pass needs no Aho-Corasick failure links: from each word start it walks a
// trie of all terms (over run-collapsed symbols) until no term continues, then
// jumps to the next word with memchr. Most words leave the trie after a symbol
// or two, so the cost is about one table load per word plus a byte scan, and
// the hot top of the trie stays in L1 even with thousands of terms. A walk is at
// most one term long (kMaxTermRuns runs), so the work is linear in the text.
// Letter runs are compared as 1, 2 or "many" (3+, the normaliser's cap): the
// trie is over run-collapsed text and each candidate is verified against the
// run lengths, so "stuuuupid" matches "stupid" and "asss" matches "ass" while
// "as" does not match "ass" and "good" does not match "god".
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
  std::size_t state_count() const { return output_.size(); }

 private:
  struct Pattern {
    std::string bytes;               // run-collapsed, with a space at each end
    std::vector<std::uint8_t> runs;  // run length per byte of `bytes` (1..3)
  };
  static constexpr int kAlphabet = 28;

  Status Build();

  std::vector<Term> terms_;
  std::vector<std::string> normalised_terms_;
  std::vector<Pattern> patterns_;
  // The trie over run-collapsed symbols (see SymbolOf in the .cc), states
  // numbered breadth-first so the shallow, hot ones share cache lines.
  // state * kAlphabet + symbol -> -1 when no term continues, else
  // (child * kAlphabet) << 1 | (a term ends at the child): the row offset is
  // stored pre-multiplied so a step is one shift, one add and one load.
  std::vector<std::int32_t> trie_;
  std::int32_t word_start_ = -1;       // the row after the leading space, -1 if none
  std::vector<std::int32_t> output_;   // per state: first pattern ending here, or -1
  std::vector<std::int32_t> next_out_; // per pattern: next pattern ending at the same state
};

}  // namespace masthead::moderation
