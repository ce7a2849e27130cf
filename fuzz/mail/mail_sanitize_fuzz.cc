// Fuzzes the mail sanitiser with arbitrary bytes and checks its contract:
// valid UTF-8, no control characters but LF and TAB (none at all in the header
// form, so no header injection), within the byte limit (plus the "…" mark), no
// '<' starting a tag name, and never a javascript: or data: URL written out.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/utf8.h"
#include "mail/sanitize.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "mail_sanitize_fuzz: %s in:\n%.*s\n", what, static_cast<int>(text.size()),
               text.data());
  std::abort();
}

void CheckText(std::string_view out, std::size_t limit, bool header) {
  if (!masthead::IsValidUtf8(out)) Fail("invalid UTF-8", out);
  if (out.size() > limit + 3) Fail("over the limit", out);
  for (unsigned char c : out) {
    if ((c < 0x20 && !(!header && (c == '\n' || c == '\t'))) || c == 0x7f) Fail("control character", out);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t limit = 200 + size % 64;
  CheckText(masthead::mail::SanitizeForMail(input, limit), limit, false);
  CheckText(masthead::mail::SanitizeForMail(input), 4000, false);
  CheckText(masthead::mail::SanitizeForMailHeader(input, 80), 80, true);
  if (masthead::mail::IsSafeWebUrl(input)) {
    for (unsigned char c : input) {
      if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == 0x7f) Fail("unsafe URL accepted", input);
    }
  }
  return 0;
}
