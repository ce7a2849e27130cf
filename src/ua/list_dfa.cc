#include "ua/list_dfa.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <new>

namespace masthead::ua {
namespace {

// Large DFAs ask for 2 MB pages: a walk hops between states far apart, and on
// a virtual machine every TLB miss is a two-level page walk.
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kHugePagesFrom = std::size_t{16} << 20;

}  // namespace

ListDfa::Region::Region(std::size_t bytes) {
  const bool huge = bytes >= kHugePagesFrom;
  length_ = huge ? bytes + kHugePage : bytes;
  base_ = mmap(nullptr, length_, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base_ == MAP_FAILED) throw std::bad_alloc();
  auto address = reinterpret_cast<std::uintptr_t>(base_);
  if (huge) {
    address = (address + kHugePage - 1) & ~(kHugePage - 1);
    madvise(reinterpret_cast<void*>(address), bytes, MADV_HUGEPAGE);  // a hint; fine if refused
  }
  start_ = reinterpret_cast<char*>(address);
}

ListDfa::Region::~Region() { munmap(base_, length_); }

namespace {

void SortUnique(std::vector<std::uint32_t>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

ListDfa::ListDfa(const Program* program, std::vector<std::uint32_t> starts, std::size_t max_bytes)
    : program_(program), starts_(std::move(starts)), max_bytes_(max_bytes) {
  // Byte classes: bytes no instruction tells apart (same membership in every
  // set, same word-ness for \b) share a column.
  std::array<std::uint32_t, 256> cls{};
  std::uint32_t count = 1;
  auto refine = [&](auto in_set) {
    std::map<std::pair<std::uint32_t, bool>, std::uint32_t> renumber;
    for (unsigned c = 0; c < 256; ++c) {
      const auto key = std::make_pair(cls[c], in_set(static_cast<unsigned char>(c)));
      cls[c] = renumber.try_emplace(key, static_cast<std::uint32_t>(renumber.size())).first->second;
    }
    count = static_cast<std::uint32_t>(renumber.size());
  };
  refine([](unsigned char c) { return IsWordByte(c); });
  for (const ByteSet& set : program_->sets) refine([&](unsigned char c) { return set.Has(c); });
  classes_ = count;
  columns_ = classes_ + 1;
  representative_.assign(classes_, 0);
  for (int c = 255; c >= 0; --c) {
    class_of_[static_cast<std::size_t>(c)] =
        static_cast<std::uint8_t>(cls[static_cast<std::size_t>(c)]);
    representative_[cls[static_cast<std::size_t>(c)]] = static_cast<unsigned char>(c);
  }

  // What restarting every pattern at a position contributes, per context.
  restarts_.resize(4 * columns_);
  for (int at_start = 0; at_start < 2; ++at_start) {
    for (int prev_word = 0; prev_word < 2; ++prev_word) {
      for (std::size_t column = 0; column < columns_; ++column) {
        Restart& r =
            restarts_[static_cast<std::size_t>(at_start * 2 + prev_word) * columns_ + column];
        Closure(starts_, at_start != 0, prev_word != 0, column, &build_scratch_, &r.next,
                &r.matches);
      }
    }
  }

  // A row entry keeps next + 1 below kInlineNextMask (Lookup); with at most
  // 257 columns, a flat row offset (next * columns_ + 1) then stays below
  // kFlatMatch too.
  max_records_ = std::clamp<std::size_t>(max_bytes_ / sizeof(Record), 1, kInlineNextMask - 1);
  record_region_ = std::make_unique<Region>(max_records_ * sizeof(Record));
  records_ = reinterpret_cast<Record*>(record_region_->start());
  row_pointer_region_ =
      std::make_unique<Region>(max_records_ * sizeof(std::atomic<std::atomic<std::uint32_t>*>));
  rows_ = reinterpret_cast<std::atomic<std::atomic<std::uint32_t>*>*>(row_pointer_region_->start());
  // Rows take at most the budget (bytes_used_ counts them), so the same size.
  row_region_ = std::make_unique<Region>(std::max<std::size_t>(max_bytes_, 4096));
  // Sets of rules matching at one position: a few per list in practice.
  max_match_sets_ = std::min<std::size_t>(std::size_t{1} << 16, 256 + 16 * starts_.size());
  match_sets_ = std::make_unique<std::atomic<std::uint64_t>[]>(max_match_sets_);
  std::uint32_t max_rule = 0;
  for (const Inst& inst : program_->insts) {
    if (inst.op == Op::kMatch) max_rule = std::max(max_rule, inst.arg);
  }
  rule_words_ = max_rule / 64 + 1;
  for (std::size_t i = 0; i < max_match_sets_; ++i) match_sets_[i].store(0);
  // Address space for every set at its largest; pages are committed as used.
  max_set_words_ = max_match_sets_ * rule_words_;
  rule_word_region_ = std::make_unique<Region>(max_set_words_ * sizeof(RuleWord));
  set_words_ = reinterpret_cast<RuleWord*>(rule_word_region_->start());
  std::lock_guard lock(mutex_);
  InternMatches({});  // id 0: nothing matched
  StateKey initial;
  initial.at_start = true;
  InternState(initial);  // id 0
}

ListDfa::~ListDfa() {
  const std::size_t states = state_keys_.size();
  for (std::size_t r = 0; r < states; ++r) records_[r].~Record();
  // The regions unmap themselves; rows live in row_region_.
}

std::size_t ListDfa::states() const { return state_count_.load(std::memory_order_relaxed); }

std::string ListDfa::Encode(const StateKey& key) {
  std::string out(1 + key.pcs.size() * sizeof(std::uint32_t), '\0');
  out[0] = static_cast<char>((key.at_start ? 1 : 0) | (key.prev_word ? 2 : 0));
  if (!key.pcs.empty())
    std::memcpy(out.data() + 1, key.pcs.data(), key.pcs.size() * sizeof(std::uint32_t));
  return out;
}

ListDfa::StateKey ListDfa::Decode(const std::string& encoded) {
  StateKey key;
  key.at_start = (encoded[0] & 1) != 0;
  key.prev_word = (encoded[0] & 2) != 0;
  key.pcs.resize((encoded.size() - 1) / sizeof(std::uint32_t));
  if (!key.pcs.empty())
    std::memcpy(key.pcs.data(), encoded.data() + 1, key.pcs.size() * sizeof(std::uint32_t));
  return key;
}

void ListDfa::Closure(const std::vector<std::uint32_t>& pcs, bool at_start, bool prev_word,
                      std::size_t column, Scratch* scratch, std::vector<std::uint32_t>* next,
                      std::vector<std::uint32_t>* matches) const {
  const Program& p = *program_;
  if (scratch->seen.size() < p.insts.size()) {
    scratch->seen.assign(p.insts.size(), 0);
    scratch->added.assign(p.insts.size(), 0);
    scratch->generation = 0;
  }
  const std::uint32_t gen = ++scratch->generation;
  const bool at_end = column == classes_;
  const unsigned char byte = at_end ? 0 : representative_[column];
  const bool next_word = !at_end && IsWordByte(byte);
  next->clear();
  matches->clear();
  auto& stack = scratch->stack;
  stack.assign(pcs.rbegin(), pcs.rend());
  while (!stack.empty()) {
    const std::uint32_t pc = stack.back();
    stack.pop_back();
    if (scratch->seen[pc] == gen) continue;
    scratch->seen[pc] = gen;
    const Inst& inst = p.insts[pc];
    switch (inst.op) {
      case Op::kByte:
        if (!at_end && p.sets[inst.arg].Has(byte) && scratch->added[inst.out] != gen) {
          scratch->added[inst.out] = gen;
          next->push_back(inst.out);
        }
        break;
      case Op::kSplit:
        stack.push_back(inst.arg);
        stack.push_back(inst.out);
        break;
      case Op::kAlt: {
        const AltTable& table = p.alts[inst.arg];
        const std::size_t index = at_end ? 256 : byte;
        for (std::uint32_t i = table.offsets[index]; i < table.offsets[index + 1]; ++i)
          stack.push_back(table.branches[table.viable[i]]);
        break;
      }
      case Op::kSave:
      case Op::kNop:
        stack.push_back(inst.out);
        break;
      case Op::kAssert: {
        bool holds = false;
        switch (inst.assertion) {
          case Assertion::kBeginText:
            holds = at_start;
            break;
          case Assertion::kEndText:
            holds = at_end;
            break;
          case Assertion::kWordBoundary:
            holds = prev_word != next_word;
            break;
          case Assertion::kNotWordBoundary:
            holds = prev_word == next_word;
            break;
        }
        if (holds) stack.push_back(inst.out);
        break;
      }
      case Op::kMatch:
        matches->push_back(inst.arg);
        break;
      case Op::kRun:
      case Op::kLazyRun:
        break;  // never in a DFA's program (PatternOptions::byte_runs)
    }
  }
}

void ListDfa::Step(const StateKey& from, std::size_t column, Scratch* scratch, StateKey* to,
                   std::vector<std::uint32_t>* matches) const {
  Closure(from.pcs, from.at_start, from.prev_word, column, scratch, &to->pcs, matches);
  const Restart& restart =
      restarts_[static_cast<std::size_t>((from.at_start ? 2 : 0) + (from.prev_word ? 1 : 0)) *
                    columns_ +
                column];
  to->pcs.insert(to->pcs.end(), restart.next.begin(), restart.next.end());
  matches->insert(matches->end(), restart.matches.begin(), restart.matches.end());
  SortUnique(&to->pcs);
  SortUnique(matches);
  to->at_start = false;
  to->prev_word = column < classes_ && IsWordByte(representative_[column]);
}

std::uint32_t ListDfa::InternMatches(const std::vector<std::uint32_t>& matches) const {
  const auto found = match_set_index_.find(matches);
  if (found != match_set_index_.end()) return found->second;
  if (match_set_count_ >= max_match_sets_) return ~std::uint32_t{0};
  const auto id = static_cast<std::uint32_t>(match_set_count_++);
  // `matches` is ascending, so each word's rules come together.
  const std::size_t first = set_words_used_;
  for (const std::uint32_t rule : matches) {
    const std::uint32_t word = rule / 64;
    if (set_words_used_ == first || set_words_[set_words_used_ - 1].index != word) {
      new (&set_words_[set_words_used_++]) RuleWord{word, 0};
    }
    set_words_[set_words_used_ - 1].bits |= std::uint64_t{1} << (rule % 64);
  }
  const std::size_t count = set_words_used_ - first;
  bytes_used_ += count * sizeof(RuleWord) + matches.size() * sizeof(std::uint32_t) + 64;
  match_sets_[id].store(std::uint64_t{first} << 16 | count, std::memory_order_release);
  match_set_index_.emplace(matches, id);
  return id;
}

std::int64_t ListDfa::InternState(const StateKey& key) const {
  std::string encoded = Encode(key);
  const auto found = state_index_.find(encoded);
  if (found != state_index_.end()) return found->second;
  const std::size_t id = state_keys_.size();
  const std::size_t cost = sizeof(Record) + sizeof(rows_[0]) + encoded.size() * 2 + 64;
  if (id > 0 && bytes_used_ + cost > max_bytes_) return -1;
  if (id >= max_records_) return -1;
  // Readers reach the record only through a transition published after this.
  new (&records_[id]) Record();
  bytes_used_ += cost;
  const auto inserted = state_index_.emplace(std::move(encoded), static_cast<std::uint32_t>(id));
  state_keys_.push_back(&inserted.first->first);
  state_count_.store(state_keys_.size(), std::memory_order_relaxed);
  return static_cast<std::int64_t>(id);
}

std::uint64_t ListDfa::Build(std::uint32_t state, std::size_t column) const {
  std::lock_guard lock(mutex_);
  Record& record = records_[state];
  if (const std::uint64_t known = Lookup(state, column); known != 0) return known;
  const StateKey from = Decode(*state_keys_[state]);
  StateKey to;
  std::vector<std::uint32_t> matches;
  Step(from, column, &build_scratch_, &to, &matches);
  const std::uint32_t match_id = InternMatches(matches);
  if (match_id == ~std::uint32_t{0}) return kOverflow;
  const std::int64_t next = InternState(to);
  if (next < 0) return kOverflow;
  const std::uint64_t value =
      (std::uint64_t{match_id} << 32) | static_cast<std::uint64_t>(next + 1);
  const std::uint32_t header = record.header.load(std::memory_order_relaxed);
  const std::size_t count = header & 0x7;
  std::atomic<std::uint32_t>* dense =
      (header & kHasRow) ? rows_[state].load(std::memory_order_relaxed) : nullptr;
  if (dense == nullptr && match_id < kInlineMatchLimit && count < kInline && column < kNoColumn) {
    record.next[count] = static_cast<std::uint32_t>(next) | match_id << kInlineMatchShift;
    const unsigned shift = 8 * static_cast<unsigned>(count + 1);
    const std::uint32_t columns = (header & ~std::uint32_t{0x7} & ~(std::uint32_t{0xFF} << shift)) |
                                  (static_cast<std::uint32_t>(column) << shift);
    record.header.store(columns | static_cast<std::uint32_t>(count + 1), std::memory_order_release);
    return value;
  }
  if (dense == nullptr) {
    const std::size_t row = 2 * columns_;
    const std::size_t row_bytes = (row * sizeof(std::uint32_t) + 63) & ~std::size_t{63};
    if (bytes_used_ + row_bytes > max_bytes_ || rows_used_ + row_bytes > row_region_->size()) {
      return kOverflow;
    }
    bytes_used_ += row_bytes;
    // Rows are never freed before the DFA: a bump in one region keeps them
    // together (and on its huge pages).
    dense = new (row_region_->start() + rows_used_) std::atomic<std::uint32_t>[row];
    rows_used_ += row_bytes;
    for (std::size_t c = 0; c < row; ++c) dense[c].store(0, std::memory_order_relaxed);
    for (std::size_t k = 0; k < count; ++k) {
      // Same layout as a row entry's, less one.
      dense[(header >> (8 * (k + 1))) & 0xFF].store(record.next[k] + 1, std::memory_order_relaxed);
    }
    rows_[state].store(dense, std::memory_order_release);
    record.header.store(header | kHasRow, std::memory_order_release);
  }
  // next + 1 < 2^31: InternState stops long before (max_bytes_ bounds the states).
  auto entry = static_cast<std::uint32_t>(next + 1);
  if (match_id < kInlineMatchLimit) {
    entry |= match_id << kInlineMatchShift;
  } else if (match_id != 0) {
    dense[columns_ + column].store(match_id, std::memory_order_relaxed);
    entry |= kRowMatches;  // published by the release store below
  }
  dense[column].store(entry, std::memory_order_release);
  return value;
}

void ListDfa::FinishUncached(const StateKey& from, std::string_view rest,
                             std::vector<std::uint32_t>* out) const {
  thread_local Scratch scratch;
  StateKey current = from, next;
  std::vector<std::uint32_t> matches;
  for (std::size_t i = 0; i <= rest.size(); ++i) {
    const std::size_t column =
        i < rest.size() ? class_of_[static_cast<unsigned char>(rest[i])] : classes_;
    Step(current, column, &scratch, &next, &matches);
    out->insert(out->end(), matches.begin(), matches.end());
    std::swap(current, next);
  }
}

void ListDfa::FinishUncachedFrom(std::uint32_t state, std::string_view rest,
                                 std::vector<std::uint32_t>* out) const {
  StateKey from;
  {
    std::lock_guard lock(mutex_);
    from = Decode(*state_keys_[state]);
  }
  FinishUncached(from, rest, out);
}

void ListDfa::Collect(const std::vector<std::uint32_t>& hits,
                      std::vector<std::uint32_t>* out) const {
  thread_local std::vector<std::uint64_t> bits;
  bits.assign(rule_words_, 0);
  for (const std::uint32_t rule : *out) bits[rule / 64] |= std::uint64_t{1} << (rule % 64);
  for (const std::uint32_t id : hits) {
    const std::uint64_t set = match_sets_[id].load(std::memory_order_acquire);
    const RuleWord* words = set_words_ + (set >> 16);
    for (std::size_t k = 0; k < (set & 0xFFFF); ++k) bits[words[k].index] |= words[k].bits;
  }
  out->clear();
  for (std::size_t word = 0; word < rule_words_; ++word) {
    for (std::uint64_t rest = bits[word]; rest != 0; rest &= rest - 1) {
      out->push_back(
          static_cast<std::uint32_t>(word * 64 + static_cast<std::size_t>(__builtin_ctzll(rest))));
    }
  }
}

bool ListDfa::LeftmostStart(std::string_view text, std::size_t* start) const {
  std::call_once(flat_once_, [&] {
    flat_region_ = std::make_unique<Region>(max_records_ * columns_ * sizeof(std::uint32_t));
    flat_ = reinterpret_cast<std::atomic<std::uint32_t>*>(flat_region_->start());
  });
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t row = 0;  // state * columns_
  *start = std::string_view::npos;
  // Step k reads text[n - 1 - k] (the end of the text at k == n); a match
  // reported there ends k bytes into the reversed text: it starts at n - k.
  for (std::size_t k = 0; k <= n; ++k) {
    const std::size_t column = k < n ? class_of_[bytes[n - 1 - k]] : classes_;
    std::uint32_t flat = flat_[row + column].load(std::memory_order_acquire);
    if (__builtin_expect(flat == 0, 0)) {
      const auto state = static_cast<std::uint32_t>(row / columns_);
      std::uint64_t entry = Lookup(state, column);
      if (entry == 0) entry = Build(state, column);
      if (entry == kOverflow) return false;
      const std::size_t next = static_cast<std::uint32_t>(entry) - 1;
      flat =
          static_cast<std::uint32_t>(next * columns_ + 1) | ((entry >> 32) != 0 ? kFlatMatch : 0);
      // Any thread writes the same value here: a race only repeats work.
      flat_[row + column].store(flat, std::memory_order_release);
    }
    if (flat & kFlatMatch) *start = n - k;
    row = (flat & ~kFlatMatch) - 1;
  }
  return true;
}

void ListDfa::Candidates(std::string_view text, std::vector<std::uint32_t>* out) const {
  thread_local std::vector<std::uint32_t> hits;  // match-set ids, as met
  out->clear();
  hits.clear();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const Record* const records = records_;
  const std::atomic<std::atomic<std::uint32_t>*>* const rows = rows_;
  std::uint32_t state = 0;
  for (std::size_t i = 0; i <= n; ++i) {
    const std::size_t column = i < n ? class_of_[bytes[i]] : classes_;
    const std::uint32_t entry = EntryIn(records, rows, state, column);
    std::uint32_t match_id;
    if (__builtin_expect(entry != 0 && (entry & kRowMatches) == 0, 1)) {
      match_id = entry >> kInlineMatchShift;
      state = (entry & kInlineNextMask) - 1;
    } else {
      std::uint64_t built = entry == 0 ? Build(state, column) : Lookup(state, column);
      if (built == kOverflow) {
        FinishUncachedFrom(state, text.substr(i), out);
        break;
      }
      match_id = static_cast<std::uint32_t>(built >> 32);
      state = static_cast<std::uint32_t>(built) - 1;
    }
    if (__builtin_expect(match_id != 0, 0)) hits.push_back(match_id);
  }
  Collect(hits, out);
}

}  // namespace masthead::ua
