#include "ua/backtracker.h"

#include <algorithm>
#include <cstring>

namespace masthead::ua {
namespace {

bool Holds(Assertion assertion, std::string_view text, std::size_t pos) {
  switch (assertion) {
    case Assertion::kBeginText:
      return pos == 0;
    case Assertion::kEndText:
      return pos == text.size();
    case Assertion::kWordBoundary:
    case Assertion::kNotWordBoundary: {
      const bool before = pos > 0 && IsWordByte(static_cast<unsigned char>(text[pos - 1]));
      const bool after = pos < text.size() && IsWordByte(static_cast<unsigned char>(text[pos]));
      return (before != after) == (assertion == Assertion::kWordBoundary);
    }
  }
  return false;
}

// What is left to try, or to undo on the way back.
struct Job {
  std::uint32_t pc;
  // >= 0: restore this capture slot to `value`. kWay: go on at pc, `value`.
  // kGreedyRun: the run at pc goes on to its out at `value`, then at each
  // position down to `limit`. kLazyRun: the run at pc, which ended at
  // `value`, takes one more byte (ending at most at `limit`) and goes on.
  std::int32_t kind;
  std::int32_t value;
  std::int32_t limit;
};
constexpr std::int32_t kWay = -1, kGreedyRun = -2, kLazyRun = -3;

}  // namespace

Backtracker::Backtracker(const Program* program, const CompiledPattern& pattern)
    : program_(program), pattern_(pattern), first_(ComputeFirstSet(*program, pattern.start)) {
  const std::uint32_t begin = pattern.begin;
  const std::size_t size = pattern.start - begin + 1;
  std::vector<std::uint16_t> indegree(size, 0);
  auto reach = [&](std::uint32_t pc) {
    if (pc >= begin && pc - begin < size && indegree[pc - begin] < 2) ++indegree[pc - begin];
  };
  reach(pattern.start);
  for (std::uint32_t pc = begin; pc <= pattern.start; ++pc) {
    const Inst& inst = program->insts[pc];
    switch (inst.op) {
      case Op::kSplit:
        reach(inst.out);
        reach(inst.arg);
        break;
      case Op::kAlt:
        for (const std::uint32_t branch : program->alts[inst.arg].branches) reach(branch);
        break;
      case Op::kMatch:
        break;
      case Op::kRun:
      case Op::kLazyRun:
        // A run goes on to its out from many positions, and marks the
        // positions it has been at with its own bits (TryAt).
        indegree[pc - begin] = 2;
        reach(inst.out);
        reach(inst.out);
        break;
      default:
        reach(inst.out);
    }
  }
  memo_slot_.assign(size, -1);
  for (std::size_t i = 0; i < size; ++i) {
    if (indegree[i] > 1) memo_slot_[i] = memo_count_++;
  }
  int first_bytes = 0;
  for (unsigned c = 0; c < 256; ++c) {
    if (first_.bytes.Has(static_cast<unsigned char>(c))) {
      ++first_bytes;
      only_first_byte_ = static_cast<int>(c);
    }
  }
  if (first_bytes != 1) only_first_byte_ = -1;
  follows_.resize(static_cast<std::size_t>(memo_count_));
  for (std::uint32_t pc = begin; pc <= pattern.start; ++pc) {
    const Inst& inst = program->insts[pc];
    if (inst.op == Op::kRun || inst.op == Op::kLazyRun) {
      follows_[static_cast<std::size_t>(memo_slot_[pc - begin])] =
          ComputeFirstSet(*program, inst.out);
    }
  }
}

bool Backtracker::SearchFrom(std::string_view text, int nslots, int* slots, std::size_t first_start,
                             std::size_t last_start) const {
  thread_local std::vector<std::uint64_t> visited;
  const std::size_t bits = static_cast<std::size_t>(memo_count_) * (text.size() + 1);
  visited.assign((bits + 63) / 64, 0);
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  last_start = std::min(last_start, text.size());
  for (std::size_t start = first_start; start <= last_start; ++start) {
    if (pattern_.anchored && start > 0) break;
    if (!first_.can_match_empty) {
      if (only_first_byte_ >= 0) {
        const void* found = std::memchr(bytes + start, only_first_byte_, text.size() - start);
        start = found == nullptr
                    ? text.size()
                    : static_cast<std::size_t>(static_cast<const unsigned char*>(found) - bytes);
      } else {
        while (start < text.size() && !first_.bytes.Has(bytes[start])) ++start;
      }
      if (start == text.size() || start > last_start) break;
    }
    for (int i = 0; i < nslots; ++i) slots[i] = -1;
    if (TryAt(text, start, nslots, slots, &visited)) return true;
  }
  return false;
}

bool Backtracker::TryAt(std::string_view text, std::size_t start, int nslots, int* slots,
                        std::vector<std::uint64_t>* visited) const {
  // A plain array that doubles when full: push and pop are a store and a
  // decrement, where vector's push_back reloaded its bounds from thread-local
  // storage around every store of the loop.
  thread_local std::vector<Job> storage(64);
  Job* base = storage.data();
  Job* top = base;
  Job* end = base + storage.size();
  auto push = [&](const Job& job) {
    if (__builtin_expect(top == end, 0)) {
      const std::size_t used = storage.size();
      storage.resize(2 * used);
      base = storage.data();
      top = base + used;
      end = base + storage.size();
    }
    *top++ = job;
  };
  push({pattern_.start, kWay, static_cast<std::int32_t>(start), 0});
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const std::uint32_t begin = pattern_.begin;
  std::uint64_t* seen = visited->data();
  // Sets the memo bit of (pc, pos); false when it was set already.
  auto first_visit = [&](std::int32_t memo, std::size_t pos) {
    const std::size_t bit = static_cast<std::size_t>(memo) * (n + 1) + pos;
    const std::uint64_t mask = std::uint64_t{1} << (bit & 63);
    if (seen[bit >> 6] & mask) return false;
    seen[bit >> 6] |= mask;
    return true;
  };
  // Whether what follows the run at `pc` can start at `pos`: positions where
  // it cannot are skipped instead of tried (as `;` after .{0,300}).
  auto can_follow = [&](std::uint32_t pc, std::size_t pos) {
    const FirstSet& follow = follows_[static_cast<std::size_t>(memo_slot_[pc - begin])];
    return follow.can_match_empty || (pos < n && follow.bytes.Has(bytes[pos]));
  };
  // The greedy run at `pc` goes on at the highest of [low, high] its out can
  // start at, leaving the lower ones for later; false when there is none.
  auto greedy_next = [&](std::uint32_t pc, std::size_t low, std::size_t high, std::size_t* at) {
    std::size_t q = high + 1;
    do {
      if (q == low) return false;
      --q;
    } while (!can_follow(pc, q));
    if (q > low) {
      push({pc, kGreedyRun, static_cast<std::int32_t>(q - 1), static_cast<std::int32_t>(low)});
    }
    *at = q;
    return true;
  };
  while (top != base) {
    const Job job = *--top;
    std::uint32_t pc = job.pc;
    auto pos = static_cast<std::size_t>(job.value);
    if (job.kind >= 0) {
      slots[job.kind] = job.value;
      continue;
    }
    if (job.kind == kGreedyRun) {
      if (!greedy_next(pc, static_cast<std::size_t>(job.limit), pos, &pos)) continue;
      pc = program_->insts[pc].out;
    } else if (job.kind == kLazyRun) {
      const Inst& run = program_->insts[pc];
      if (pos >= static_cast<std::size_t>(job.limit) || !program_->sets[run.arg].Has(bytes[pos])) {
        continue;
      }
      ++pos;
      // An unbounded run that was at pos before has tried everything from there.
      if (run.run_max == kUnboundedRun && !first_visit(memo_slot_[pc - begin], pos)) continue;
      push({pc, kLazyRun, static_cast<std::int32_t>(pos), job.limit});
      if (!can_follow(pc, pos)) continue;
      pc = run.out;
    }
    for (;;) {
      if (const std::int32_t memo = memo_slot_[pc - begin]; memo >= 0 && !first_visit(memo, pos)) {
        break;
      }
      const Inst& inst = program_->insts[pc];
      if (inst.op == Op::kByte) {
        if (pos < n && program_->sets[inst.arg].Has(bytes[pos])) {
          pc = inst.out;
          ++pos;
          continue;
        }
        break;
      }
      if (inst.op == Op::kSplit) {
        push({inst.arg, kWay, static_cast<std::int32_t>(pos), 0});
        pc = inst.out;
        continue;
      }
      if (inst.op == Op::kRun) {
        const ByteSet& set = program_->sets[inst.arg];
        std::size_t end = pos;
        if (inst.run_max == kUnboundedRun) {
          // As the loop X* would: a position the run has been at was tried
          // from there on, so the run stops short of it.
          const std::int32_t memo = memo_slot_[pc - begin];
          while (end < n && set.Has(bytes[end]) && first_visit(memo, end + 1)) ++end;
        } else {
          const std::size_t last = std::min(n, pos + inst.run_max);
          while (end < last && set.Has(bytes[end])) ++end;
        }
        if (!greedy_next(pc, pos, end, &pos)) break;
        pc = inst.out;
        continue;
      }
      if (inst.op == Op::kLazyRun) {
        const std::size_t last =
            inst.run_max == kUnboundedRun ? n : std::min(n, pos + inst.run_max);
        if (pos < last) {
          push({pc, kLazyRun, static_cast<std::int32_t>(pos), static_cast<std::int32_t>(last)});
        }
        if (!can_follow(pc, pos)) break;
        pc = inst.out;
        continue;
      }
      if (inst.op == Op::kAlt) {
        const AltTable& table = program_->alts[inst.arg];
        const std::uint16_t* viable;
        std::uint32_t from, to;
        if (!table.pair_offsets.empty() && pos + 1 < n) {
          const std::size_t bucket = PairBucket(bytes[pos], bytes[pos + 1]);
          viable = table.pair_viable.data();
          from = table.pair_offsets[bucket];
          to = table.pair_offsets[bucket + 1];
        } else {
          const std::size_t next = pos < n ? bytes[pos] : 256;
          viable = table.viable.data();
          from = table.offsets[next];
          to = table.offsets[next + 1];
        }
        if (from == to) break;
        for (std::uint32_t i = to - 1; i > from; --i) {
          push({table.branches[viable[i]], kWay, static_cast<std::int32_t>(pos), 0});
        }
        pc = table.branches[viable[from]];
        continue;
      }
      if (inst.op == Op::kSave) {
        const auto slot = static_cast<std::int32_t>(inst.arg);
        if (slot < nslots) {
          push({0, slot, slots[slot], 0});
          slots[slot] = static_cast<std::int32_t>(pos);
        }
        pc = inst.out;
        continue;
      }
      if (inst.op == Op::kAssert) {
        if (!Holds(inst.assertion, text, pos)) break;
        pc = inst.out;
        continue;
      }
      if (inst.op == Op::kNop) {
        pc = inst.out;
        continue;
      }
      return true;  // kMatch
    }
  }
  return false;
}

}  // namespace masthead::ua
