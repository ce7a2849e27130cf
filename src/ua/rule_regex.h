// One uap-core rule's regex as RE2 runs it: the exact regex, plus equivalent
// forms that RE2 runs much faster on the texts where they are provably equal.
#pragma once

#include <hs/hs.h>
#include <re2/re2.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ua/rules.h"

namespace masthead::ua {

// Capture groups of one match: groups[0] is the whole match, groups[1..9] the
// spec's $1..$9. A group that did not take part in the match is empty, as
// uap-core's reference implementation treats it ("undefined || ''").
// Only the groups the caller asks for are extracted.
struct Captures {
  std::array<std::string_view, 10> groups;
  int count = 0;  // groups[0..count) were extracted; the rest are empty
};

// Why the forms: uap-core bounds its repetitions (".{0,200}") for backtracking
// engines' sake, and those bounds make RE2's programs large, so its submatch
// engines (which must run to extract groups) are slow on them. Matching goes:
//   1. RE2's DFA alone finds whether and where the rule matches (the span);
//   2. only if groups are wanted, a form with every bound >= the span's length
//      opened up extracts them from exactly that span: within a span of n bytes
//      a one-byte atom cannot repeat more than n times, so that form has the
//      same parses in the same priority order (see RelaxForTextsUpTo);
//   3. a rule starting with ^.{0,N}? (lazy) is, on texts of at most N bytes
//      without '\n', the same as an unanchored search for the rest of it, which
//      lets step 1 find a short span instead of one from the string's start;
//   4. whether a rule starting with ^.{0,N} (greedy) matches is whether the
//      rest of it has a leftmost match starting within N bytes (and before the
//      first '\n'), which RE2 answers without the N-fold program.
//   5. a large rule of the form (A1|...|An)REST or \b(A1|...|An)REST
//      (uap-core's bot and browser lists), on printable ASCII, takes where its
//      match starts and which Ai matches there from one Hyperscan scan with
//      start-of-match reporting, and its groups from (Ai)REST anchored there;
//      otherwise it takes
//      its groups from (Ai)REST for the first alternative i that matches the
//      span anchored at its start; alternatives whose literal prefix is not
//      at the span's start are skipped with a byte comparison (see Split).
// Rules small enough for RE2's BitState engine skip step 1's separate pass.
// Thread-safety: immutable after Compile(); Match() is safe from many threads.
class RuleRegex {
 public:
  // kInvalidArgument (naming `where`) when RE2 rejects the regex.
  static Result<RuleRegex> Compile(const Rule& rule, std::string_view where);

  RuleRegex(RuleRegex&&) noexcept;
  RuleRegex& operator=(RuleRegex&&) noexcept;
  ~RuleRegex();

  // Whether the rule matches anywhere in `text`; if so, and groups_wanted > 0,
  // fills captures with groups 0..min(groups_wanted, groups in the rule).
  bool Match(std::string_view text, int groups_wanted, Captures* captures) const;

 private:
  // The exact regex and its relaxed forms: forms[j] equals it on texts of at
  // most bounds[j] bytes; forms.back() is the regex as written.
  struct Forms {
    std::vector<std::size_t> bounds;
    std::vector<std::unique_ptr<re2::RE2>> forms;
    // Whether forms[j] is small enough for RE2's BitState engine. Kept here
    // because RE2::ProgramSize() is an out-of-line call that showed up in
    // profiles of the per-string path.
    std::vector<bool> bit_state;
    std::size_t IndexFor(std::size_t text_size) const;
    const re2::RE2& For(std::size_t text_size) const { return *forms[IndexFor(text_size)]; }
  };
  static Result<Forms> CompileForms(const std::string& pattern, std::string_view where);

  // Step 5's parts: `parts[i]` the forms of (Ai)REST, which number their
  // groups as the rule does; `prefixes[i]` the literal bytes Ai starts with.
  struct Split {
    std::vector<Forms> parts;
    std::vector<std::string> prefixes;
    bool case_insensitive = false;
    // The parts in one Hyperscan database reporting leftmost starts (SOM), so
    // the rule's match start and alternative come from one scan instead of
    // RE2's DFA over the whole large program; `outside_som` lists the parts
    // Hyperscan could not compile that way (found by RE2). Null: not built.
    hs_database_t* som = nullptr;
    std::uint64_t som_serial = 0;
    std::vector<std::size_t> outside_som;
    ~Split();
  };
  static Result<std::unique_ptr<Split>> CompileSplit(const Rule& rule, std::string_view where);
  // The leftmost start of the rule's match in `text` and the alternative that
  // matches there, from the SOM database. Only for texts of printable ASCII,
  // where Hyperscan and RE2 agree exactly.
  // False when the scan could not run (the RE2 path then answers); else
  // `found` holds {start, alternative}, or nothing when the rule does not match.
  bool SomLeftmost(std::string_view text, std::optional<std::pair<std::size_t, std::size_t>>* found) const;
  // Groups of the rule's match, known to span exactly [start, end) of `text`.
  bool SplitGroups(std::string_view text, std::size_t start, std::size_t end, int count,
                   re2::StringPiece* pieces) const;

  RuleRegex() = default;

  Forms whole_;
  std::optional<std::size_t> prefix_bound_;  // N of a leading ^.{0,N} or ^.{0,N}?
  bool prefix_lazy_ = false;
  Forms rest_;                    // the regex after that prefix, when there is one
  std::unique_ptr<Split> split_;  // only for large (A1|...|An)REST rules
};

}  // namespace masthead::ua
