#include "moderation/text_normaliser.h"

#include <array>
#include <cstdint>

namespace masthead::moderation {
namespace {

// ASCII folding: upper to lower case, control characters to spaces.
constexpr std::array<char, 128> kAsciiFold = [] {
  std::array<char, 128> table{};
  for (int c = 0; c < 128; ++c) {
    table[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : (c < ' ' ? ' ' : c));
  }
  return table;
}();

bool IsAsciiLetter(unsigned char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
// Non-ASCII bytes belong to letters of other scripts or symbols (emoji); they
// stay part of words.
bool IsWordByte(unsigned char c) { return IsAsciiLetter(c) || IsDigit(c) || c >= 0x80; }

char LeetDigit(unsigned char c) {
  switch (c) {
    case '0':
      return 'o';
    case '1':
      return 'i';
    case '3':
      return 'e';
    case '4':
      return 'a';
    case '5':
      return 's';
    case '7':
      return 't';
    case '8':
      return 'b';
    default:
      return 0;
  }
}

// "4th", "1990s", "2nd": numbers with a suffix are numbers, not leetspeak.
bool IsNumberWithSuffix(std::string_view token) {
  std::size_t i = 0;
  while (i < token.size() && IsDigit(token[i])) ++i;
  if (i == 0) return false;
  const std::string_view rest = token.substr(i);
  return rest.empty() || rest == "s" || rest == "st" || rest == "nd" || rest == "rd" ||
         rest == "th" || rest == "k" || rest == "m" || rest == "bn" || rest == "am" || rest == "pm";
}

// Rewrites leetspeak in one whitespace-free token. Only tokens with at least one
// letter are touched, so "2024" and "$5" stay as they are.
void FoldLeet(char* data, std::size_t size) {
  const std::string_view token(data, size);
  bool has_letter = false;
  for (unsigned char c : token) has_letter |= IsAsciiLetter(c);
  if (!has_letter) return;
  std::string_view core = token;  // without surrounding punctuation
  while (!core.empty() && !IsWordByte(static_cast<unsigned char>(core.front()))) {
    core.remove_prefix(1);
  }
  while (!core.empty() && !IsWordByte(static_cast<unsigned char>(core.back()))) {
    core.remove_suffix(1);
  }
  if (IsNumberWithSuffix(core)) return;
  for (std::size_t i = 0; i < size; ++i) {
    if (char letter = LeetDigit(static_cast<unsigned char>(data[i]))) data[i] = letter;
  }
  // Symbols fold only next to letters: "$hit", "a$$", "b!tch", "h@te"; a
  // leading '@' is a mention and a trailing '!' is punctuation.
  for (std::size_t i = 0; i < size; ++i) {
    const char c = data[i];
    const bool letter_before = i > 0 && IsAsciiLetter(data[i - 1]);
    const bool letter_after = i + 1 < size && IsAsciiLetter(data[i + 1]);
    switch (c) {
      case '$':
        if (letter_before || letter_after) data[i] = 's';
        break;
      case '@':
        if (letter_before) data[i] = 'a';
        break;
      case '!':
      case '|':
        if (letter_after) data[i] = 'i';
        break;
      default:
        break;
    }
  }
}

// Collects words from tokens and joins runs of single letters ("i d i o t").
class WordSink {
 public:
  explicit WordSink(std::string& out) : out_(out) {}

  void Word(std::string_view word) {
    if (word.size() == 1 && IsAsciiLetter(word[0])) {
      singles_.push_back(word[0]);
      return;
    }
    FlushSingles();
    Emit(word);
  }

  void Finish() { FlushSingles(); }

  // Ends a run of single letters: "U.S.A." and "e.g." join on their own, not
  // with each other.
  void FlushSingles() {
    if (singles_.size() >= 3) {
      Emit(singles_);
    } else {
      for (char c : singles_) Emit(std::string_view(&c, 1));
    }
    singles_.clear();
  }

  // Appends a word, capping runs of an equal letter at kRepeatCap.
  void Emit(std::string_view word) {
    if (!out_.empty()) out_.push_back(' ');
    bool long_run = false;
    for (std::size_t i = kRepeatCap; i < word.size() && !long_run; ++i) {
      long_run = word[i] == word[i - 1] && word[i] == word[i - 2] && word[i] == word[i - 3];
    }
    if (!long_run) {
      out_.append(word);
      return;
    }
    char previous = 0;
    int run = 0;
    for (char c : word) {
      run = (c == previous) ? run + 1 : 1;
      previous = c;
      if (run > kRepeatCap && IsAsciiLetter(static_cast<unsigned char>(c))) continue;
      out_.push_back(c);
    }
  }

  std::string& out_;
  std::string singles_;
};

// Decodes one UTF-8 scalar at `i`; returns its length or 0 when invalid.
std::size_t DecodeUtf8(std::string_view text, std::size_t i, char32_t& cp) {
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char lead = b[i];
  std::size_t length;
  char32_t min;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((b[i + k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b[i + k] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

namespace {

// The ASCII-level folding, in place on `folded` (which it clobbers): most
// tokens are plain lower-case words and take the first branch.
void FoldTokensInPlace(std::string& folded, std::string& out) {
  out.reserve(out.size() + folded.size());
  WordSink sink(out);
  char* const data = folded.data();
  const std::size_t size = folded.size();
  std::size_t i = 0;
  while (i < size) {
    while (i < size && static_cast<unsigned char>(data[i]) <= ' ') ++i;
    const std::size_t start = i;
    bool plain = true;
    while (i<size&& static_cast<unsigned char>(data[i])> ' ') {
      plain &= IsAsciiLetter(static_cast<unsigned char>(data[i]));
      ++i;
    }
    if (start == i) break;
    if (plain) {
      sink.Word(std::string_view(data + start, i - start));
      continue;
    }
    char* token = data + start;
    std::size_t length = i - start;
    FoldLeet(token, length);
    // Apostrophes join ("don't" -> "dont"): squeeze them out in place.
    std::size_t kept = 0;
    for (std::size_t k = 0; k < length; ++k) {
      if (token[k] != '\'') token[kept++] = token[k];
    }
    length = kept;
    // Other punctuation splits words. A token split into several words
    // ("i.d.i.o.t") groups its single letters alone; single-letter tokens
    // ("i d i o t") group with their neighbours.
    std::size_t words = 0;
    bool in_word = false;
    for (std::size_t k = 0; k < length; ++k) {
      const bool word_byte = IsWordByte(static_cast<unsigned char>(token[k]));
      words += word_byte && !in_word;
      in_word = word_byte;
    }
    if (words > 1) sink.FlushSingles();
    for (std::size_t k = 0; k < length;) {
      while (k < length && !IsWordByte(static_cast<unsigned char>(token[k]))) ++k;
      const std::size_t word_start = k;
      while (k < length && IsWordByte(static_cast<unsigned char>(token[k]))) ++k;
      if (k > word_start) sink.Word(std::string_view(token + word_start, k - word_start));
    }
    if (words > 1) sink.FlushSingles();
  }
  sink.Finish();
}

}  // namespace

std::string ClassifierForm(std::string_view normalised) {
  std::string out;
  out.reserve(normalised.size());
  for (std::size_t i = 0; i < normalised.size();) {
    const char c = normalised[i];
    std::size_t j = i + 1;
    while (j < normalised.size() && normalised[j] == c) ++j;
    const bool cut = IsAsciiLetter(static_cast<unsigned char>(c)) &&
                     j - i >= static_cast<std::size_t>(kRepeatCap);
    out.append(cut ? 1 : j - i, c);
    i = j;
  }
  return out;
}

Result<TextNormaliser> TextNormaliser::Create() {
  auto folder = CodePointFolder::Get();
  if (!folder) return tl::unexpected(folder.error());
  return TextNormaliser(*folder);
}

Result<std::string> TextNormaliser::Normalise(std::string_view text) const {
  if (text.size() > kMaxInputBytes) {
    return MakeError(ErrorCode::kTooLarge,
                     "text is longer than " + std::to_string(kMaxInputBytes) + " bytes", "text");
  }
  // ASCII maps one byte to one byte, so the buffer is sized for it up front and
  // written through a pointer; a non-ASCII code point appends its folding and
  // re-sizes for the rest.
  std::string folded(text.size(), '\0');
  char* write = folded.data();
  std::size_t written = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      write[written++] = kAsciiFold[c];
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t length = DecodeUtf8(text, i, cp);
    if (length == 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "text is not valid UTF-8 at byte " + std::to_string(i), "text");
    }
    folded.resize(written);
    folder_->Append(cp, folded);
    i += length;
    written = folded.size();
    folded.resize(written + (text.size() - i));
    write = folded.data();
  }
  folded.resize(written);
  std::string out;
  FoldTokensInPlace(folded, out);
  return out;
}

}  // namespace masthead::moderation
