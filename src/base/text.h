// Small string helpers shared by every module.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace masthead {

std::string_view TrimWhitespace(std::string_view text);
std::vector<std::string_view> SplitLines(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);
std::string ToLowerAscii(std::string_view text);

// A URL-safe slug: lowercase ASCII letters, digits and single hyphens, at most
// `max_length` bytes. Letters outside ASCII are dropped. Never empty: falls back to "item".
std::string Slugify(std::string_view text, std::size_t max_length = 80);

// True when `slug` is what Slugify would keep: [a-z0-9]+(-[a-z0-9]+)*, 1..200 bytes.
bool IsValidSlug(std::string_view slug);

// Removes ASCII control characters except tab and newline (and turns CRLF into LF).
std::string StripControlCharacters(std::string_view text);

}  // namespace masthead
