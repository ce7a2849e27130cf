#include "accuracy/word_diff.h"

#include <gtest/gtest.h>

namespace masthead::accuracy {
namespace {

using Kind = DiffPiece::Kind;

std::string Show(const std::vector<DiffPiece>& pieces) {
  std::string out;
  for (const auto& piece : pieces) {
    if (piece.kind == Kind::kRemoved) out += "[-" + piece.text + "-]";
    if (piece.kind == Kind::kAdded) out += "{+" + piece.text + "+}";
    if (piece.kind == Kind::kSame) out += piece.text;
  }
  return out;
}

std::string After(const std::vector<DiffPiece>& pieces) {
  std::string out;
  for (const auto& piece : pieces) {
    if (piece.kind != Kind::kRemoved) out += piece.text;
  }
  return out;
}

TEST(WordDiff, MarksTheChangedWordsOnly) {
  const auto pieces = DiffWords("Lavrov told reporters late Friday that", "Lavrov told reporters on Saturday that");
  EXPECT_EQ(Show(pieces), "Lavrov told reporters [-late Friday -]{+on Saturday +}that");
}

TEST(WordDiff, JoiningTheKeptAndAddedPiecesGivesTheNewText) {
  const std::string before = "  One two three.\n\nFour five six.";
  const std::string after = "  One three.\n\nFour five six seven.\n";
  EXPECT_EQ(After(DiffWords(before, after)), after);
}

TEST(WordDiff, IdenticalTextsHaveNoChangesAndEmptyOnesNoPieces) {
  const auto pieces = DiffWords("same words here", "same words here");
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].kind, Kind::kSame);
  EXPECT_TRUE(DiffWords("", "").empty());
  EXPECT_EQ(Show(DiffWords("", "new")), "{+new+}");
  EXPECT_EQ(Show(DiffWords("old", "")), "[-old-]");
}

TEST(WordDiff, BeyondTheTableLimitTheMiddleIsReplacedWhole) {
  const auto pieces = DiffWords("a b c d e", "a x c y e", 4);
  EXPECT_EQ(Show(pieces), "a [-b c d -]{+x c y +}e");
  EXPECT_EQ(After(pieces), "a x c y e");
}

}  // namespace
}  // namespace masthead::accuracy
