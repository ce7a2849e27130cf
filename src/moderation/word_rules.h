// An editable list of banned (reject) and suspect (hold) terms, matched in one
// pass over normalised text (text_normaliser.h), never a per-term loop.
//
// Matching is word-bounded: a term matches whole words only, so "ass" is not
// found in "assessment" or "class". Because every term starts at a word start,
// the pass needs no Aho-Corasick failure links: from each word start it walks a
// compact trie of all terms (over run-collapsed symbols) until no term
// continues. Before walking, a word is hashed (run-collapsed) while the scan
// looks for its end, and a 32 KB bit set of the terms' first words says
// whether any term can start with it; almost no word of ordinary text can, so
// the cost is a shift and two adds per byte and one L1 load per word. A walk is at
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

#include <array>
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

  // A letter run of normalised text: the byte and 1, 2 or 3 ("many").
  struct Run {
    unsigned char byte;
    std::uint8_t count;
  };
  // Longest term in runs, with the space before it (terms are checked at load).
  static constexpr std::size_t kRuns = 61;

 private:
  struct Pattern {
    std::string bytes;               // run-collapsed, with a space at each end
    std::vector<std::uint8_t> runs;  // run length per byte of `bytes` (1..3)
  };
  static constexpr int kAlphabet = 28;

  Status Build();
  // Walks the trie from the word starting at `word`, adding verified matches.
  void WalkFrom(std::size_t word, std::string_view normalised, std::array<Run, kRuns>& runs,
                std::vector<RuleMatch>& matches) const;

  std::vector<Term> terms_;
  std::vector<std::string> normalised_terms_;
  std::vector<Pattern> patterns_;
  // The trie over run-collapsed symbols (see SymbolOf in the .cc), states
  // numbered breadth-first, so the children of a state have consecutive numbers
  // and the shallow, hot states share cache lines. A state is 8 bytes: the set
  // of symbols it has children for, a bit for "a term ends here", and its first
  // child's number; the child for a symbol is first + the number of smaller
  // symbols in the set. 5,000 terms take about 180 KB instead of a 2.4 MB
  // state x symbol table, so a walk rarely misses the cache.
  struct Node {
    std::uint32_t symbols = 0;  // bit s: a child for symbol s; bit 31: a term ends here
    std::int32_t first_child = 0;
  };
  static constexpr std::uint32_t kEndsHere = 1u << 31;
  std::vector<Node> nodes_;
  // Bit h of the hash of each term's first word (FirstWordHash in the .cc).
  static constexpr int kFirstWordBits = 18;
  std::vector<std::uint64_t> first_words_;
  std::int32_t word_start_ = -1;       // the state after the leading space, -1 if none
  std::vector<std::int32_t> output_;   // per state: first pattern ending here, or -1
  std::vector<std::int32_t> next_out_; // per pattern: next pattern ending at the same state
};

}  // namespace masthead::moderation
