// UTF-8 validation for every byte string that enters from outside (paths,
// forms, imports). Rejecting early keeps invalid bytes out of the store and out
// of pages, where browsers would otherwise guess.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace masthead {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Offset of the first byte that breaks UTF-8, or npos when the text is valid.
std::size_t FindInvalidUtf8(std::string_view text);

// `text` with every byte that breaks UTF-8 replaced by U+FFFD: for text that
// must be kept although it was not valid (request headers such as User-Agent).
std::string ReplaceInvalidUtf8(std::string_view text);

}  // namespace masthead
