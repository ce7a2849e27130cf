// Fuzzes the article importer's file parser (Markdown with front matter, and
// JSON): arbitrary bytes give articles or an error naming the file, never a
// crash, and every article has a headline and a slug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "articles/importer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the format the file name announces.
  const std::string_view name = data[0] % 2 == 0 ? "fuzz.md" : "fuzz.json";
  const std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parsed = masthead::articles::ParseArticleFile(name, content);
  if (!parsed) {
    if (parsed.error().message.find("fuzz.") == std::string::npos) std::abort();
    return 0;
  }
  for (const auto& article : *parsed) {
    if (article.origin.empty()) std::abort();
  }
  return 0;
}
