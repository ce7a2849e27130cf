// Fuzzes Cookie header parsing: arbitrary bytes never crash the parser, every
// cookie has a name without '=' or ';', no value carries a ';', and a cookie
// written back as "name=value" parses to the same value (what the session and
// CSRF cookies rely on: a forged header cannot smuggle a second cookie).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/cookies.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto cookies = masthead::http::ParseCookies(input);
  for (const auto& [name, value] : cookies) {
    Check(!name.empty());
    Check(name.find('=') == std::string::npos && name.find(';') == std::string::npos);
    Check(value.find(';') == std::string::npos);
    if (name.front() == ' ' || value.empty() || value.front() == ' ' || value.back() == ' ' ||
        name.back() == ' ' || value.front() == '"') {
      continue;  // trimmed or unquoted on the way in: no exact round trip
    }
    const auto again = masthead::http::ParseCookies(name + "=" + value);
    Check(again.size() == 1 && again.begin()->second == value);
  }
  return 0;
}
