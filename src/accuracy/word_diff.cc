#include "accuracy/word_diff.h"

#include <algorithm>
#include <cstdint>

namespace masthead::accuracy {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

std::vector<std::string_view> Tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  // Leading whitespace is a token of its own so that nothing is lost.
  while (i < text.size() && IsSpace(text[i])) ++i;
  if (i > 0) tokens.push_back(text.substr(0, i));
  while (i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    while (i < text.size() && IsSpace(text[i])) ++i;
    tokens.push_back(text.substr(start, i - start));
  }
  return tokens;
}

// Words compare without their trailing whitespace: re-wrapping a line is no edit.
std::string_view Word(std::string_view token) {
  std::size_t end = token.size();
  while (end > 0 && IsSpace(token[end - 1])) --end;
  return end == 0 ? token : token.substr(0, end);
}

void Append(std::vector<DiffPiece>& pieces, DiffPiece::Kind kind, std::string_view text) {
  if (text.empty()) return;
  if (!pieces.empty() && pieces.back().kind == kind) {
    pieces.back().text.append(text);
  } else {
    pieces.push_back({kind, std::string(text)});
  }
}

}  // namespace

std::vector<DiffPiece> DiffWords(std::string_view before, std::string_view after, std::size_t max_cells) {
  const auto a = Tokens(before);
  const auto b = Tokens(after);
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && Word(a[prefix]) == Word(b[prefix])) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         Word(a[a.size() - 1 - suffix]) == Word(b[b.size() - 1 - suffix])) {
    ++suffix;
  }
  std::vector<DiffPiece> pieces;
  for (std::size_t i = 0; i < prefix; ++i) Append(pieces, DiffPiece::Kind::kSame, b[i]);
  const std::size_t n = a.size() - prefix - suffix;
  const std::size_t m = b.size() - prefix - suffix;
  if (n > 0 && m > 0 && (n + 1) * (m + 1) <= max_cells) {
    // Longest common subsequence over the changed middle; lcs[i][j] is the
    // length for a[i..] and b[j..].
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = Word(a[prefix + i]) == Word(b[prefix + j]) ? at(i + 1, j + 1) + 1
                                                              : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && Word(a[prefix + i]) == Word(b[prefix + j])) {
        Append(pieces, DiffPiece::Kind::kSame, b[prefix + j]);
        ++i;
        ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        Append(pieces, DiffPiece::Kind::kRemoved, a[prefix + i++]);  // removals read first
      } else {
        Append(pieces, DiffPiece::Kind::kAdded, b[prefix + j++]);
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) Append(pieces, DiffPiece::Kind::kRemoved, a[prefix + i]);
    for (std::size_t j = 0; j < m; ++j) Append(pieces, DiffPiece::Kind::kAdded, b[prefix + j]);
  }
  for (std::size_t k = b.size() - suffix; k < b.size(); ++k) Append(pieces, DiffPiece::Kind::kSame, b[k]);
  return pieces;
}

}  // namespace masthead::accuracy
