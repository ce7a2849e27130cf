// Fuzzes application/x-www-form-urlencoded and query decoding (ParseForm,
// PercentDecode) and checks them against the encoder: whatever a form decodes
// to, encoding it again and decoding gives the same fields, and percent-decoding
// inverts percent-encoding for any bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/request.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto form = masthead::http::ParseForm(input);
  std::string encoded;
  for (const auto& [name, value] : form) {
    if (!encoded.empty()) encoded += '&';
    encoded += masthead::http::PercentEncode(name) + "=" + masthead::http::PercentEncode(value);
  }
  const auto again = masthead::http::ParseForm(encoded);
  // An empty name encodes to "=value", which decodes to the same empty name.
  Check(again == form);

  const std::string escaped = masthead::http::PercentEncode(input);
  const auto decoded = masthead::http::PercentDecode(escaped, true);
  Check(decoded.has_value() && *decoded == input);
  if (auto plain = masthead::http::PercentDecode(input, false)) Check(plain->size() <= input.size());
  return 0;
}
