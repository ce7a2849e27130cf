// Leftmost-first matching of one compiled uap-core pattern, with its capture
// groups: a backtracker that remembers every (instruction, position) it has
// already tried at the instructions more than one path reaches, so its work is
// bounded by instructions x text length (as RE2's BitState engine; a bounded
// byte run, kRun, counts as its bound in instructions, an unbounded one marks
// the positions it has been at as a loop would), and that skips start
// positions, alternation branches and run lengths after which what follows
// cannot start. It allocates nothing per call once a thread has matched a
// text as long before.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ua/uap_regex.h"

namespace masthead::ua {

class Backtracker {
 public:
  // `program` must outlive this and be finished (FinishProgram).
  Backtracker(const Program* program, const CompiledPattern& pattern);

  // Whether the pattern matches in `text` starting at or before `last_start`;
  // the leftmost such match wins. If it does, slots[0..nslots) hold the
  // match's capture positions (slot 2g, 2g+1: group g's start and end; -1
  // where the group did not take part).
  bool Search(std::string_view text, int nslots, int* slots,
              std::size_t last_start = SIZE_MAX) const {
    return SearchFrom(text, nslots, slots, 0, last_start);
  }
  // The same over starts [first_start, last_start].
  bool SearchFrom(std::string_view text, int nslots, int* slots, std::size_t first_start,
                  std::size_t last_start) const;

  int groups() const { return pattern_.groups; }

 private:
  bool TryAt(std::string_view text, std::size_t start, int nslots, int* slots,
             std::vector<std::uint64_t>* visited) const;

  const Program* program_;
  CompiledPattern pattern_;
  FirstSet first_;
  int only_first_byte_ = -1;             // the one byte a match can start with, if so (memchr)
  std::vector<std::int32_t> memo_slot_;  // by pc - begin; -1: reached by one path only
  std::int32_t memo_count_ = 0;
  // By memo slot, for runs (kRun, kLazyRun): what can start their out.
  std::vector<FirstSet> follows_;
};

}  // namespace masthead::ua
