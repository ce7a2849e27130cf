// The strict sanitiser for user text that goes into mail. Mail is read in clients
// we do not control, often with remote content on, so user text is reduced to
// plain text: no markup, no images, no remote content, and every link written out
// as "label (URL)" so the reader sees where it goes before deciding to visit it.
// Pages may allow more; mail never does.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace masthead::mail {

// Reduces user text (plain text, Markdown or HTML, as readers type it) to plain
// UTF-8 text:
//  - HTML tags are removed; <script>, <style>, <head>, <template>, <iframe>,
//    <object> and comments are removed with their content;
//  - <a href="U">L</a> and Markdown [L](U) become "L (U)" when U is http(s) or
//    mailto, just "L" otherwise (javascript:, data:, relative URLs are dropped);
//  - <img> and Markdown ![alt](U) become "[image: alt]" (or nothing without alt):
//    the URL is never kept, so no remote content can be fetched;
//  - character references are decoded; control characters except LF and TAB are
//    removed; invalid UTF-8 bytes become U+FFFD; runs of blank lines collapse;
//  - the result is cut at `max_bytes` on a character boundary, marked with "…".
// The result is still untrusted text: escape it for HTML (templates do) and never
// put it in a header without ValidateMessage.
std::string SanitizeForMail(std::string_view input, std::size_t max_bytes = 4000);

// SanitizeForMail for text that lands in a header such as a Subject: one line,
// whitespace runs (including line breaks) become one space, at most `max_bytes`.
std::string SanitizeForMailHeader(std::string_view input, std::size_t max_bytes = 200);

// True for an absolute http(s) URL without whitespace, control characters, quotes
// or angle brackets: safe in an href and in List-Unsubscribe once escaped.
bool IsSafeWebUrl(std::string_view url);

}  // namespace masthead::mail
