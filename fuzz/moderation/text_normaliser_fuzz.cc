// Fuzzes the moderation text normaliser, and the word-rule matcher and
// classifier form on its output, with arbitrary bytes. Beyond "no crash, no
// sanitizer report" it checks the output contract of TextNormaliser::Normalise:
// valid UTF-8, single spaces, no leading or trailing space, bounded growth, and
// stability: normalising the output again keeps its sequence of letters (word
// breaks and run lengths may move: "i d o.g.." gives "i d o g", which joins to
// "idog" on a second pass, because dotted tokens group their single letters
// apart from their neighbours; joined letters can then form a longer run).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/utf8.h"
#include "moderation/text_normaliser.h"
#include "moderation/word_rules.h"

namespace {

using masthead::moderation::TextNormaliser;
using masthead::moderation::WordRules;

const TextNormaliser& Normaliser() {
  static const TextNormaliser normaliser = *TextNormaliser::Create();
  return normaliser;
}

const WordRules& Rules() {
  static const WordRules rules = *WordRules::Parse(
      "banned 3 slurword\nsuspect 2 you idiot\nsuspect 4 ass\nprofane 4 darn it\n"
      "banned 1 kill yourself\nsuspect 2 aaa bbb ccc\n",
      Normaliser());
  return rules;
}

// The bytes without spaces, each run of equal bytes cut to one.
std::string LetterSequence(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && (out.empty() || out.back() != c)) out.push_back(c);
  }
  return out;
}

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto normalised = Normaliser().Normalise(input);
  if (!normalised) {
    // Errors only for the documented reasons.
    Check(size > masthead::moderation::kMaxInputBytes || !masthead::IsValidUtf8(input));
    return 0;
  }
  const std::string& out = *normalised;
  Check(masthead::IsValidUtf8(out));
  Check(out.find("  ") == std::string::npos);
  Check(out.empty() || (out.front() != ' ' && out.back() != ' '));
  // ICU expansions are bounded (NFKC of one code point is at most 18 code points).
  Check(out.size() <= 54 * size + 1);
  auto again = Normaliser().Normalise(out);
  Check(again.has_value() || out.size() > masthead::moderation::kMaxInputBytes);
  if (again) Check(LetterSequence(*again) == LetterSequence(out));
  const auto matches = Rules().Match(out);
  Check(matches.size() <= Rules().terms().size());
  Check(masthead::moderation::ClassifierForm(out).size() <= out.size());
  return 0;
}
