// Turns reader text into the canonical form that word rules and the classifier
// see, so that evasions fold onto the plain spelling:
//   "Ｙ０Ｕ  i.d.1.o.t", "уоu іdіоt" (Cyrillic), "you i d i o t", "you idiooooot"
//   all become "you idiot".
// Steps: per-code-point ICU folding (NFKC case folding, zero-width and bidi
// controls removed, combining marks removed, ASCII-looking confusables to ASCII;
// see code_point_folder.h), then on each whitespace-separated token: leetspeak
// folding (4->a 3->e 1/!->i 0->o $/5->s @->a 7->t 8->b), apostrophes dropped,
// other punctuation splits words, runs of 3+ single letters are joined
// ("i d i o t"), and runs of one letter are capped at 3 ("stuuuupid" ->
// "stuuupid"; word rules and the classifier treat a run of 3 as "many").
//
// The output is lower-case, words separated by single spaces, no leading or
// trailing space. Work is linear in the input and the input is capped, so
// megabyte texts and combining-mark floods cost bounded time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"
#include "moderation/code_point_folder.h"

namespace masthead::moderation {

// Longest text (in bytes) the normaliser accepts; longer input is kTooLarge.
// Generous for a comment (the forms cap comments well below this).
inline constexpr std::size_t kMaxInputBytes = 64 * 1024;

// A run of this many equal letters means "any number >= this" (exaggeration).
inline constexpr int kRepeatCap = 3;

class TextNormaliser {
 public:
  // Fails only when ICU's data cannot be loaded. Cheap after the first call in a
  // process (the ICU table is shared).
  static Result<TextNormaliser> Create();

  // kInvalidArgument for invalid UTF-8 (field "text"), kTooLarge past
  // kMaxInputBytes. Thread-safe.
  Result<std::string> Normalise(std::string_view text) const;

 private:
  explicit TextNormaliser(const CodePointFolder* folder) : folder_(folder) {}
  const CodePointFolder* folder_;  // process-lifetime singleton, not owned
};

// The form the classifier sees: normalised text with every run of kRepeatCap
// equal letters cut to one ("stuuupid" -> "stupid", "yooou" -> "you"), so an
// exaggerated word is the word the model learnt. The training tool uses the
// same function (moderation_tool normalise).
std::string ClassifierForm(std::string_view normalised);

}  // namespace masthead::moderation
