#include "ua/backtracker.h"

#include <algorithm>

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

// A way still to try, or (slot >= 0) a capture slot to restore on the way back.
struct Job {
  std::uint32_t pc;
  std::int32_t slot;
  std::int32_t value;  // position for a way, old slot value for a restore
};

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
      default:
        reach(inst.out);
    }
  }
  memo_slot_.assign(size, -1);
  for (std::size_t i = 0; i < size; ++i) {
    if (indegree[i] > 1) memo_slot_[i] = memo_count_++;
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
      while (start < text.size() && !first_.bytes.Has(bytes[start])) ++start;
      if (start == text.size() || start > last_start) break;
    }
    for (int i = 0; i < nslots; ++i) slots[i] = -1;
    if (TryAt(text, start, nslots, slots, &visited)) return true;
  }
  return false;
}

bool Backtracker::TryAt(std::string_view text, std::size_t start, int nslots, int* slots,
                        std::vector<std::uint64_t>* visited) const {
  thread_local std::vector<Job> stack;
  stack.clear();
  stack.push_back({pattern_.start, -1, static_cast<std::int32_t>(start)});
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const std::uint32_t begin = pattern_.begin;
  std::uint64_t* seen = visited->data();
  while (!stack.empty()) {
    const Job job = stack.back();
    stack.pop_back();
    if (job.slot >= 0) {
      slots[job.slot] = job.value;
      continue;
    }
    std::uint32_t pc = job.pc;
    auto pos = static_cast<std::size_t>(job.value);
    for (;;) {
      if (const std::int32_t memo = memo_slot_[pc - begin]; memo >= 0) {
        const std::size_t bit = static_cast<std::size_t>(memo) * (n + 1) + pos;
        const std::uint64_t mask = std::uint64_t{1} << (bit & 63);
        if (seen[bit >> 6] & mask) break;
        seen[bit >> 6] |= mask;
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
        stack.push_back({inst.arg, -1, static_cast<std::int32_t>(pos)});
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
          stack.push_back({table.branches[viable[i]], -1, static_cast<std::int32_t>(pos)});
        }
        pc = table.branches[viable[from]];
        continue;
      }
      if (inst.op == Op::kSave) {
        const auto slot = static_cast<std::int32_t>(inst.arg);
        if (slot < nslots) {
          stack.push_back({0, slot, slots[slot]});
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
