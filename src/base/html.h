// Escaping for text placed into HTML and XML. Templates escape by default; these
// are for the few places that build markup in code (feeds, sitemap, JSON-LD).
#pragma once

#include <string>
#include <string_view>

namespace masthead {

// Escapes & < > " ' so the result is safe in element content and quoted attributes.
std::string EscapeHtml(std::string_view text);

// Appends EscapeHtml(text) to `out` without a temporary.
void AppendEscapedHtml(std::string& out, std::string_view text);

// Escapes a string for a JSON string literal that is embedded in a <script> block:
// besides JSON's rules, '<', '>' and '&' become \u escapes so "</script>" cannot end it.
std::string EscapeJsonForScript(std::string_view text);

}  // namespace masthead
