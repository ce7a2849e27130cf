// Time in Masthead is UTC seconds since the epoch (int64) everywhere below the
// pages; formatting for people and feeds happens here only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace masthead {

using UnixSeconds = std::int64_t;

UnixSeconds NowSeconds();

// "2012-12-23T14:05:00Z"
std::string FormatRfc3339(UnixSeconds t);
// "Sun, 23 Dec 2012 14:05:00 GMT" (RSS 2.0, HTTP dates)
std::string FormatRfc1123(UnixSeconds t);
// "December 23, 2012" as the newspaper prints it.
std::string FormatLongDate(UnixSeconds t);
// "2012-12-23"
std::string FormatIsoDate(UnixSeconds t);

// Accepts "2012-12-23", "2012-12-23T14:05:00Z", "2012-12-23T14:05:00+01:00" and
// "2012-12-23 14:05". Returns nullopt for anything else, or an impossible date.
std::optional<UnixSeconds> ParseDateTime(std::string_view text);

}  // namespace masthead
