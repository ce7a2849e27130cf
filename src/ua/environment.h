// The reader-facing description of a browser environment, from the parsed
// User-Agent string and the User-Agent Client Hints: what the "what is my
// browser?" page shows and what a technical-problem report carries.
#pragma once

#include <string>
#include <string_view>

#include "ua/client_hints.h"
#include "ua/parsed_ua.h"

namespace masthead::ua {

enum class DeviceType { kDesktop, kMobile, kTablet, kBot };

// "desktop", "mobile", "tablet", "bot".
std::string_view DeviceTypeName(DeviceType type);

// Every string is untrusted (it comes from request headers): escape it where
// it is shown. Empty means unknown.
struct Environment {
  DeviceType device_type = DeviceType::kDesktop;
  std::string os_name;          // "Windows", "macOS", "Android", "iOS", "Linux", ...
  std::string os_version;       // "11", "14.4.1", "14"
  std::string browser_name;     // "Chrome", "Firefox", "Safari", "Edge", ...
  std::string browser_version;  // "124.0.6367.91"
  std::string device_brand;     // "Samsung", "Apple"
  std::string device_model;     // "SM-S911B", "iPhone"

  bool operator==(const Environment&) const = default;

  // One line for a report, e.g. "Chrome 124.0.6367.91 on Windows 11 (desktop)".
  std::string Summary() const;
};

// Combines what uap-core's rules found in the User-Agent string with the
// Client Hints, which win where they are more precise:
//   - Windows: Sec-CH-UA-Platform-Version >= 13 is Windows 11, 1..12 is
//     Windows 10 (the UA string says "Windows NT 10.0" for both);
//   - macOS: the version comes from the hints (the UA string is frozen at
//     10.15.7);
//   - Android: reduced UA strings ("Android 10; K") carry neither the real
//     version nor the model; both come from the hints;
//   - the browser version comes from Sec-CH-UA-Full-Version-List (reduced UA
//     strings say "Chrome/124.0.0.0").
// `user_agent` is the raw header (used for tablet detection); `parsed` its
// parse. Pure function: safe to call from any thread.
Environment DescribeEnvironment(std::string_view user_agent, const ParsedUa& parsed,
                                const ClientHints& hints);

}  // namespace masthead::ua
