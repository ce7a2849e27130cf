// A word-level diff for the public history of an article: readers see which
// words an edit removed and which it added, in reading order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace masthead::accuracy {

struct DiffPiece {
  enum class Kind { kSame, kRemoved, kAdded };
  Kind kind = Kind::kSame;
  std::string text;  // words with the whitespace that followed them
};

// The pieces that turn `before` into `after`. Tokens are words with their
// trailing whitespace, so joining the kSame and kAdded pieces gives `after`
// exactly. Edits far longer than a correction (more than `max_cells` cells in
// the comparison table) are shown as one removal and one addition of the
// changed middle, which keeps the cost bounded for any input.
std::vector<DiffPiece> DiffWords(std::string_view before, std::string_view after,
                                 std::size_t max_cells = 4'000'000);

}  // namespace masthead::accuracy
