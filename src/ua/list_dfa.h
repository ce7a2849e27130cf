// Which rules may match a string, in one pass over it: a lazily built DFA
// over many (loosened) patterns at once, those of one rule list or of all
// three (JointMatcher).
//
// A state is the set of pattern instructions alive after some input; for each
// byte class seen after it, it records the next state and the rules that
// matched just before that byte. Transitions are built the first time a string
// needs them and kept, so a parse costs one lookup per byte once the traffic's
// shapes have been seen (uap-core's test_ua.yaml needs about 17,000 states for
// the user-agent list, 11,000 for devices, 2,000 for OS).
//
// Why one 16-byte record per state with up to three transitions inline, and
// a full row only for states that branch more: a user agent walks through
// states most other strings never visit, so the walk is bound by memory
// latency, not by work. Full rows (84 classes x 8 bytes) made the user-agent
// table 11 MB and cost ~40 ns per byte in cache misses (flat 4-byte rows for
// every state, tried again later: 40% slower); records put a state's
// transitions in a quarter of a cache line, and states built along one string
// lie next to each other. For the same reason the records are one array (a
// state is an index, with no table to look up on the way) and a row keeps
// 4-byte entries.
//
// The memory is bounded: past `max_bytes` nothing is added and a string that
// needs a new transition finishes on the uncached path (the same subset step,
// recomputed per byte), still linear in its length.
//
// Thread-safety: Candidates() may run on any number of threads at once. Reads
// of built rows take no lock (each entry is one atomic word, written once);
// building a row takes a mutex.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ua/uap_regex.h"

namespace masthead::ua {

class ListDfa {
 public:
  // `program` (finished) holds the patterns; `starts` their start pcs; each
  // pattern's kMatch carries the rule index reported for it.
  ListDfa(const Program* program, std::vector<std::uint32_t> starts, std::size_t max_bytes);
  ~ListDfa();
  ListDfa(const ListDfa&) = delete;
  ListDfa& operator=(const ListDfa&) = delete;

  // Rules whose pattern matches somewhere in `text`, ascending, into `out`.
  void Candidates(std::string_view text, std::vector<std::uint32_t>* out) const;

  // For a DFA over patterns compiled `reversed` (PatternOptions): reads
  // `text` from its last byte to its first and sets *start to the smallest
  // position where a match of a forward pattern starts (npos: none), which is
  // where a leftmost-first search finds its match. False when the memory
  // budget ran out on the way (then the caller must search otherwise).
  bool LeftmostStart(std::string_view text, std::size_t* start) const;

  std::size_t states() const;

 private:
  struct StateKey {  // decoded form of a state
    std::vector<std::uint32_t> pcs;
    bool at_start = false;
    bool prev_word = false;
  };
  struct Scratch {
    std::vector<std::uint32_t> seen, added;
    std::uint32_t generation = 0;
    std::vector<std::uint32_t> stack;
  };
  struct Restart {
    std::vector<std::uint32_t> next;
    std::vector<std::uint32_t> matches;
  };

  static constexpr std::uint64_t kOverflow = ~std::uint64_t{0};
  static constexpr std::size_t kInline = 3;

  // Transitions: next state and match-set id (0: none), packed as
  // match << 32 | (next + 1); 0 is "not built". Up to kInline transitions
  // sit in the record, each as next | match << kInlineMatchShift (when the
  // match-set id is small, as nearly all are); the rest in a full row.
  struct alignas(16) Record {
    // Byte 0: inline transitions published (bits 0..2), kHasRow; bytes 1..3:
    // their columns (kNoColumn where none is yet). One word, so a lookup
    // reads the columns in one atomic load and finds its own with a few
    // arithmetic operations instead of a loop.
    std::atomic<std::uint32_t> header{kEmptyHeader};
    std::array<std::uint32_t, kInline> next{};
  };
  // Sixteen bytes: half of a string's walk goes through states with one
  // transition, made one after another along it, so four of them share a
  // cache line (and the records of 35,000 states fit in about L2).
  static_assert(sizeof(Record) == 16);
  static constexpr std::uint32_t kHasRow = 0x80;  // in the header; the row is rows_[state]
  static constexpr std::uint32_t kRowMatches = 0x80000000u;
  static constexpr std::size_t kNoColumn = 0xFF;  // inline columns are below it
  static constexpr std::uint32_t kEmptyHeader = 0xFFFFFF00u;
  // A row entry without kRowMatches holds next + 1 in its low bits and the
  // match-set id above them, when both fit (the sets met first, which are the
  // common ones, have small ids): a matching step then reads no second line.
  static constexpr unsigned kInlineMatchShift = 22;
  static constexpr std::uint32_t kInlineNextMask = (1u << kInlineMatchShift) - 1;
  static constexpr std::uint32_t kInlineMatchLimit = 1u << (31 - kInlineMatchShift);

  void Step(const StateKey& from, std::size_t column, Scratch* scratch, StateKey* to,
            std::vector<std::uint32_t>* matches) const;
  void Closure(const std::vector<std::uint32_t>& pcs, bool at_start, bool prev_word,
               std::size_t column, Scratch* scratch, std::vector<std::uint32_t>* next,
               std::vector<std::uint32_t>* matches) const;
  // Builds (under the mutex) the entry of `state` for `column`; kOverflow when
  // the memory budget is spent.
  std::uint64_t Build(std::uint32_t state, std::size_t column) const;
  std::uint32_t InternMatches(const std::vector<std::uint32_t>& matches) const;  // mutex held
  std::int64_t InternState(const StateKey& key) const;  // mutex held; -1 when full
  // The transition of `state` on `column` as a row entry: next + 1 and the
  // match-set id inline, or kRowMatches set with the id in the row's cold
  // half (Lookup reads it); 0 when not built.
  std::uint32_t Entry(std::uint32_t state, std::size_t column) const {
    return EntryIn(records_, rows_, state, column);
  }
  // The same with the arrays passed in: a walk keeps them in registers, where
  // the members would be read again after every acquiring load.
  static std::uint32_t EntryIn(const Record* records,
                               const std::atomic<std::atomic<std::uint32_t>*>* rows,
                               std::uint32_t state, std::size_t column) {
    const Record& record = records[state];
    const std::uint32_t header = record.header.load(std::memory_order_acquire);
    // A state with a row keeps every transition there (its inline ones were
    // copied when the row was made): one load, no search. About 30% of steps
    // are in such states, the branchy ones most strings pass through.
    if (header & kHasRow) {
      return rows[state].load(std::memory_order_acquire)[column].load(std::memory_order_acquire);
    }
    // The lowest zero byte among bytes 1..3 of columns ^ column, if any, is
    // the slot (bytes above a zero byte may read as zero too, the lowest one
    // never wrongly; an empty slot holds kNoColumn, which no column equals).
    constexpr std::uint32_t kOnes = 0x01010100u, kHighs = 0x80808000u;
    const std::uint32_t diff = header ^ (kOnes * static_cast<std::uint32_t>(column & 0xFF));
    const std::uint32_t zero = (diff - kOnes) & ~diff & kHighs;
    if (zero == 0) return 0;
    return record.next[static_cast<std::size_t>(__builtin_ctz(zero) >> 3) - 1] + 1;
  }
  static std::uint64_t Unpack(std::uint32_t entry) {
    return std::uint64_t{entry >> kInlineMatchShift} << 32 | (entry & kInlineNextMask);
  }
  std::uint64_t Lookup(std::uint32_t state, std::size_t column) const {
    const std::uint32_t entry = Entry(state, column);
    if ((entry & kRowMatches) == 0) return entry == 0 ? 0 : Unpack(entry);
    const std::atomic<std::uint32_t>* dense = rows_[state].load(std::memory_order_acquire);
    return std::uint64_t{dense[columns_ + column].load(std::memory_order_relaxed)} << 32 |
           (entry & ~kRowMatches);
  }
  static std::string Encode(const StateKey& key);
  static StateKey Decode(const std::string& encoded);
  void FinishUncached(const StateKey& from, std::string_view rest,
                      std::vector<std::uint32_t>* out) const;
  void FinishUncachedFrom(std::uint32_t state, std::string_view rest,
                          std::vector<std::uint32_t>* out) const;
  void Collect(const std::vector<std::uint32_t>& hits, std::vector<std::uint32_t>* out) const;

  const Program* program_;
  std::vector<std::uint32_t> starts_;
  std::size_t max_bytes_;
  std::array<std::uint8_t, 256> class_of_{};
  std::vector<unsigned char> representative_;  // a byte of each class
  std::size_t classes_ = 0;
  std::size_t columns_ = 0;        // classes + end of text
  std::vector<Restart> restarts_;  // [(at_start * 2 + prev_word) * columns + column]

  // One reservation for every record the budget allows (address space only:
  // pages are committed as states are added), so a state's record is one
  // add away, with no block table on the walk's critical path.
  std::size_t max_records_ = 0;
  Record* records_ = nullptr;
  // Anonymous memory reserved up front and committed as it is touched.
  class Region {
   public:
    explicit Region(std::size_t bytes);
    ~Region();
    Region(const Region&) = delete;
    Region& operator=(const Region&) = delete;
    char* start() const { return start_; }
    std::size_t size() const {
      return length_ - static_cast<std::size_t>(start_ - static_cast<char*>(base_));
    }

   private:
    void* base_ = nullptr;
    std::size_t length_ = 0;
    char* start_ = nullptr;
  };
  std::unique_ptr<Region> record_region_, row_region_, row_pointer_region_;
  // By state: its row (by column: next + 1, 0 for not built, and its
  // match-set id inline or, with kRowMatches set, at [columns_ + column]),
  // set before kHasRow is published. Four bytes per column keep the row's hot
  // half small (a walk touches one column of many rows, so rows cost cache
  // lines, not bytes).
  std::atomic<std::atomic<std::uint32_t>*>* rows_ = nullptr;
  // For LeftmostStart: every state's transitions as one flat row, entry
  // (next * columns_ + 1) | kFlatMatch (0: not known yet), filled from the
  // records as the walk meets them. A per-rule reversed DFA is read once per
  // confirmation, always cold: one load per byte instead of a record and a
  // row. Made on the first LeftmostStart (forward DFAs never pay for it);
  // pages are committed as rows are touched (states x columns x 4 bytes).
  static constexpr std::uint32_t kFlatMatch = 0x80000000u;
  mutable std::once_flag flat_once_;
  mutable std::unique_ptr<Region> flat_region_;
  mutable std::atomic<std::uint32_t>* flat_ = nullptr;
  // A set of rules matching at one position, kept as the words it sets in a
  // bitmap of all rules: a walk ORs those in, and reads its candidates back
  // ascending and without duplicates, where sorting the concatenated sets
  // cost more than the rest of collecting. The words of all sets lie in one
  // region, each set's together, and a set is found from its id with one
  // load (first word << 16 | count), not through a pointer to a vector.
  struct RuleWord {
    std::uint32_t index;
    std::uint64_t bits;
  };
  std::size_t rule_words_ = 0;  // 64-bit words in a bitmap of every rule id
  std::unique_ptr<Region> rule_word_region_;
  RuleWord* set_words_ = nullptr;
  std::size_t max_set_words_ = 0;
  std::unique_ptr<std::atomic<std::uint64_t>[]> match_sets_;
  std::size_t max_match_sets_ = 0;

  mutable std::mutex mutex_;  // guards everything below, and building rows
  mutable std::unordered_map<std::string, std::uint32_t> state_index_;
  mutable std::vector<const std::string*> state_keys_;
  mutable std::map<std::vector<std::uint32_t>, std::uint32_t> match_set_index_;
  mutable std::size_t match_set_count_ = 0;
  mutable std::size_t set_words_used_ = 0;
  mutable std::size_t bytes_used_ = 0;
  mutable std::size_t rows_used_ = 0;  // bytes of row_region_ handed out
  mutable Scratch build_scratch_;
  mutable std::atomic<std::size_t> state_count_{0};
};

}  // namespace masthead::ua
