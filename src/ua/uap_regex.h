// uap-core's regex dialect compiled to a small instruction program that
// Masthead runs itself: by a lazy DFA over a whole rule list (ListDfa, which
// rule matches) and by a memoised backtracker over one rule (its groups).
//
// Why our own engine: RE2 and Hyperscan answer these questions exactly but
// spend most of a parse in per-call setup, locks, allocation and, for
// Hyperscan, engines sized for thousands of patterns at once; uap-core's
// dialect is small (literals, classes, groups, alternation, greedy and lazy
// repetition, ^ $ \b), so a program built for it answers both questions in a
// fraction of the time. Semantics are RE2's in Latin-1 mode (bytes, leftmost-
// first, '.' excludes '\n', negated classes include it, \b \w \d \s ASCII),
// which is what RuleRegex runs; a differential test holds the two together.
// A regex outside the dialect is refused, and the caller then uses RE2 for
// that rule.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace masthead::ua {

// \w and \b's notion of a word byte (ASCII only, as RE2's).
inline bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

struct ByteSet {
  std::array<std::uint64_t, 4> bits{};
  bool Has(unsigned char c) const { return (bits[c >> 6] >> (c & 63)) & 1; }
  void Add(unsigned char c) { bits[c >> 6] |= std::uint64_t{1} << (c & 63); }
  void AddRange(unsigned lo, unsigned hi) {
    for (unsigned c = lo; c <= hi; ++c) Add(static_cast<unsigned char>(c));
  }
  void AddAll(const ByteSet& other) {
    for (std::size_t i = 0; i < bits.size(); ++i) bits[i] |= other.bits[i];
  }
  void Negate() {
    for (auto& word : bits) word = ~word;
  }
  bool operator==(const ByteSet&) const = default;
};

enum class Op : std::uint8_t {
  kByte,    // consume one byte in sets[arg], go to out
  kSplit,   // try out, then arg
  kAlt,     // try the branches of alts[arg] in order (n-way alternation)
  kSave,    // record the position in capture slot arg, go to out
  kAssert,  // zero-width test `assertion`, go to out
  kNop,     // go to out
  kMatch,   // the pattern `arg` matched
  // Backtracker programs only (PatternOptions::byte_runs): up to run_max
  // bytes of sets[arg] (kUnboundedRun: any number), then out; kRun tries the
  // longest run first, kLazyRun the shortest.
  kRun,
  kLazyRun,
};

inline constexpr std::uint16_t kUnboundedRun = 0xFFFF;

enum class Assertion : std::uint8_t { kBeginText, kEndText, kWordBoundary, kNotWordBoundary };

struct Inst {
  Op op = Op::kNop;
  Assertion assertion = Assertion::kBeginText;
  std::uint16_t run_max = 0;  // kRun, kLazyRun
  std::uint32_t out = 0;
  std::uint32_t arg = 0;
};

// An n-way alternation with, for each next byte, the branches that can start
// with it (a branch that can reach a match without consuming is in every list),
// so a 300-name bot alternation costs one lookup instead of 300 tries.
struct AltTable {
  std::vector<std::uint32_t> branches;       // entry pcs, in priority order
  std::array<std::uint32_t, 258> offsets{};  // by next byte; 256: at end of text
  std::vector<std::uint16_t> viable;         // branch indices, per offsets
  // For wide alternations (uap-core's lists of hundreds of bot names, where
  // one byte still leaves dozens of branches): the branches that can start
  // with the next two bytes, by PairBucket; empty when not built. A bucket may
  // hold a branch for another pair that hashes alike (a superset, still tried).
  std::vector<std::uint32_t> pair_offsets;  // kPairBuckets + 1
  std::vector<std::uint16_t> pair_viable;
};

inline constexpr std::size_t kPairBuckets = 4096;
inline std::size_t PairBucket(unsigned char first, unsigned char second) {
  return ((std::uint32_t{first} << 8 | second) * 0x9E3779B1u) >> 20;
}

// One or more compiled patterns sharing an instruction array.
struct Program {
  std::vector<Inst> insts;
  std::vector<ByteSet> sets;
  std::vector<AltTable> alts;
};

// What starts a match at `pc`: bytes that can be consumed first, and whether a
// match can be reached without consuming (assertions count as passable).
struct FirstSet {
  ByteSet bytes;
  bool can_match_empty = false;
};
FirstSet ComputeFirstSet(const Program& program, std::uint32_t pc);

struct CompiledPattern {
  std::uint32_t begin = 0;  // the pattern's instructions are [begin, start]
  std::uint32_t start = 0;
  int groups = 0;         // capturing groups; slots 0..2*groups+1 are written
  bool anchored = false;  // every match starts at text position 0
};

// Appends `pattern` to `program`, ending in kMatch with arg `pattern_id`.
// kInvalidArgument for a malformed regex or syntax outside the dialect (the
// message says what), kTooLarge when counted repetitions would expand past
// options.max_insts instructions in all.
struct PatternOptions {
  std::size_t max_insts = 200000;
  // Read X{m,n} of a single-byte atom X (n >= 3) as X{m,}: it matches
  // wherever the pattern does, with far fewer DFA states than counting.
  bool open_bounded_runs = false;
  // Compile the pattern read backwards (concatenations reversed, ^ and $
  // swapped): run over a text's bytes from last to first, it matches where
  // the pattern's matches start. Only for the DFA; captures are meaningless.
  bool reversed = false;
  // Compile repetitions of a single-byte atom (X*, X+, X{m,n} with n > m + 1)
  // as m copies of X and one kRun, which the backtracker steps through in a
  // tight loop where the expansion took two instructions and a memo bit per
  // byte. Only for the backtracker: a DFA cannot count.
  bool byte_runs = false;
};

Result<CompiledPattern> AppendPattern(Program* program, std::string_view pattern,
                                      bool case_insensitive, std::uint32_t pattern_id,
                                      const PatternOptions& options = {});

// After all patterns are appended: fills every AltTable's per-byte lists.
void FinishProgram(Program* program);

}  // namespace masthead::ua
