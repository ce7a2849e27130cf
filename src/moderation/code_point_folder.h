// Per-code-point folding derived from ICU: NFKC case folding (which also drops
// default-ignorable characters such as zero-width and bidi controls), removal of
// combining marks, and confusable skeletons for letters that look like ASCII
// (Cyrillic 'а' -> 'a'). Built once per process from ICU and then read-only.
//
// Why per code point rather than ICU on the whole string: every step above is a
// per-code-point mapping once combining marks are dropped (NFKC only composes
// base+mark pairs, which we remove anyway), so a table gives ICU's answer at
// the cost of one lookup, and the hot path never allocates inside ICU.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"

namespace masthead::moderation {

class CodePointFolder {
 public:
  // The process-wide instance; the first call builds the table (~0.1 s).
  // Thread-safe. Fails only if ICU's data cannot be opened.
  static Result<const CodePointFolder*> Get();

  // Appends the folded form of `cp` (a valid scalar value >= 0x80) to `out`:
  // lower-case ASCII where ICU says the character is or looks like ASCII, the
  // NFKC-casefolded UTF-8 otherwise, " " for spaces and controls, nothing for
  // marks and ignorables. Thread-safe (read-only).
  void Append(char32_t cp, std::string& out) const;

  // The same mapping computed with ICU calls directly, without the table; used
  // to build the table and by tests as the reference.
  static Result<std::string> FoldWithIcu(char32_t cp);

 private:
  CodePointFolder() = default;
  Status Build();

  // BMP: offsets_[cp]..offsets_[cp+1] in pool_. Other planes: sparse map of the
  // code points whose folding differs from their own UTF-8.
  std::vector<std::uint32_t> offsets_;
  std::string pool_;
  std::unordered_map<char32_t, std::string> astral_;
};

// Appends `cp` as UTF-8.
void AppendUtf8(char32_t cp, std::string& out);

}  // namespace masthead::moderation
