#include "moderation/code_point_folder.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <memory>

namespace masthead::moderation {
namespace {

constexpr char32_t kBmpEnd = 0x10000;

struct SpoofCloser {
  void operator()(USpoofChecker* checker) const { uspoof_close(checker); }
};

struct IcuParts {
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  std::unique_ptr<USpoofChecker, SpoofCloser> spoof;
};

// ICU's Normalizer2 instances are immutable singletons; the spoof checker is
// only used through const skeleton calls, which ICU documents as thread-safe.
Result<const IcuParts*> GetIcu() {
  static const Result<IcuParts*> parts = []() -> Result<IcuParts*> {
    auto* p = new IcuParts();
    UErrorCode status = U_ZERO_ERROR;
    p->nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    p->nfd = icu::Normalizer2::getNFDInstance(status);
    p->spoof.reset(uspoof_open(&status));
    if (U_FAILURE(status)) {
      delete p;
      return MakeError(ErrorCode::kInternal,
                       std::string("ICU initialisation failed: ") + u_errorName(status));
    }
    return p;
  }();
  if (!parts) return tl::unexpected(parts.error());
  return *parts;
}

bool IsMark(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK;
}

bool IsPrintableAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return !s.empty();
}

void AppendLowerAscii(const std::string& s, std::string& out) {
  for (char c : s) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
}

}  // namespace

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

Result<std::string> CodePointFolder::FoldWithIcu(char32_t cp) {
  auto icu_parts = GetIcu();
  if (!icu_parts) return tl::unexpected(icu_parts.error());
  const IcuParts& icu = **icu_parts;
  const UChar32 c = static_cast<UChar32>(cp);
  const int8_t type = u_charType(c);
  // Spaces, line breaks and controls all separate words.
  if (type == U_SPACE_SEPARATOR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR ||
      type == U_CONTROL_CHAR) {
    return std::string(" ");
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString folded = icu.nfkc_cf->normalize(icu::UnicodeString(c), status);
  icu::UnicodeString decomposed = icu.nfd->normalize(folded, status);
  if (U_FAILURE(status)) {
    return MakeError(ErrorCode::kInternal, std::string("ICU normalise: ") + u_errorName(status));
  }
  std::string out;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 ch = decomposed.char32At(i);
    i += U16_LENGTH(ch);
    if (IsMark(ch) || u_hasBinaryProperty(ch, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) continue;
    if (ch < 0x80) {
      out.push_back(static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch));
      continue;
    }
    const int8_t ch_type = u_charType(ch);
    if (ch_type == U_SPACE_SEPARATOR || ch_type == U_CONTROL_CHAR) {
      out.push_back(' ');
      continue;
    }
    // A confusable skeleton is only taken when it is plain ASCII: that is the
    // homoglyph case ("раураl" in Cyrillic), and it keeps other scripts intact.
    icu::UnicodeString skeleton;
    uspoof_getSkeletonUnicodeString(icu.spoof.get(), 0, icu::UnicodeString(ch), skeleton, &status);
    std::string skeleton_utf8;
    if (U_SUCCESS(status)) skeleton.toUTF8String(skeleton_utf8);
    status = U_ZERO_ERROR;
    if (IsPrintableAscii(skeleton_utf8)) {
      AppendLowerAscii(skeleton_utf8, out);
    } else {
      AppendUtf8(static_cast<char32_t>(ch), out);
    }
  }
  return out;
}

Status CodePointFolder::Build() {
  offsets_.reserve(kBmpEnd + 1);
  pool_.reserve(kBmpEnd * 2);
  for (char32_t cp = 0; cp < kBmpEnd; ++cp) {
    offsets_.push_back(static_cast<std::uint32_t>(pool_.size()));
    if (cp < 0x80) {
      pool_.push_back(static_cast<char>(cp));
      continue;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;  // surrogates never reach us
    auto folded = FoldWithIcu(cp);
    if (!folded) return tl::unexpected(folded.error());
    pool_ += *folded;
  }
  offsets_.push_back(static_cast<std::uint32_t>(pool_.size()));
  // Astral planes: only assigned characters that fold to something else
  // (mathematical alphanumerics, enclosed letters, tag characters, ...).
  for (char32_t cp = kBmpEnd; cp <= 0x10FFFF; ++cp) {
    if (cp == 0x30000) cp = 0xE0000;  // planes 3..13 hold nothing we fold
    if (u_charType(static_cast<UChar32>(cp)) == U_UNASSIGNED) continue;
    auto folded = FoldWithIcu(cp);
    if (!folded) return tl::unexpected(folded.error());
    std::string own;
    AppendUtf8(cp, own);
    if (*folded != own) astral_.emplace(cp, std::move(*folded));
  }
  return Ok();
}

Result<const CodePointFolder*> CodePointFolder::Get() {
  static const Result<CodePointFolder*> instance = []() -> Result<CodePointFolder*> {
    auto* folder = new CodePointFolder();
    if (auto built = folder->Build(); !built) {
      delete folder;
      return tl::unexpected(built.error());
    }
    return folder;
  }();
  if (!instance) return tl::unexpected(instance.error());
  return *instance;
}

void CodePointFolder::Append(char32_t cp, std::string& out) const {
  if (cp < kBmpEnd) {
    out.append(pool_, offsets_[cp], offsets_[cp + 1] - offsets_[cp]);
    return;
  }
  if (auto it = astral_.find(cp); it != astral_.end()) {
    out += it->second;
  } else {
    AppendUtf8(cp, out);
  }
}

}  // namespace masthead::moderation
