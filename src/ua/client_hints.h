// User-Agent Client Hints (https://wicg.github.io/ua-client-hints/): the
// Sec-CH-UA-* request headers, parsed from their Structured Field values
// (RFC 8941), and the Accept-CH value that asks browsers to send them.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace masthead::ua {

// The high-entropy hints Masthead asks for, in the Accept-CH response header.
// Sec-CH-UA, Sec-CH-UA-Mobile and Sec-CH-UA-Platform are sent by Chromium
// browsers without asking. Browsers only honour Accept-CH over HTTPS (or on
// localhost) and send the hints from the next request on.
inline constexpr std::array<std::string_view, 5> kAcceptChHints = {
    "Sec-CH-UA-Platform-Version", "Sec-CH-UA-Full-Version-List", "Sec-CH-UA-Model",
    "Sec-CH-UA-Arch", "Sec-CH-UA-Bitness"};
// The same joined, ready to send: `Accept-CH: <kAcceptChHeaderValue>`.
inline constexpr std::string_view kAcceptChHeaderValue =
    "Sec-CH-UA-Platform-Version, Sec-CH-UA-Full-Version-List, Sec-CH-UA-Model, "
    "Sec-CH-UA-Arch, Sec-CH-UA-Bitness";

// Request header names, lower-case as HTTP/2 and most servers normalise them.
inline constexpr std::string_view kHeaderUa = "sec-ch-ua";
inline constexpr std::string_view kHeaderFullVersionList = "sec-ch-ua-full-version-list";
inline constexpr std::string_view kHeaderPlatform = "sec-ch-ua-platform";
inline constexpr std::string_view kHeaderPlatformVersion = "sec-ch-ua-platform-version";
inline constexpr std::string_view kHeaderModel = "sec-ch-ua-model";
inline constexpr std::string_view kHeaderArch = "sec-ch-ua-arch";
inline constexpr std::string_view kHeaderBitness = "sec-ch-ua-bitness";
inline constexpr std::string_view kHeaderMobile = "sec-ch-ua-mobile";

// One member of Sec-CH-UA or Sec-CH-UA-Full-Version-List: `"Brand";v="1.2"`.
struct BrandVersion {
  std::string brand;
  std::string version;

  bool operator==(const BrandVersion&) const = default;
};

// The raw header values as received; nullopt when the header was absent.
struct ClientHintHeaders {
  std::optional<std::string> ua;                 // Sec-CH-UA
  std::optional<std::string> full_version_list;  // Sec-CH-UA-Full-Version-List
  std::optional<std::string> platform;           // Sec-CH-UA-Platform
  std::optional<std::string> platform_version;   // Sec-CH-UA-Platform-Version
  std::optional<std::string> model;              // Sec-CH-UA-Model
  std::optional<std::string> arch;               // Sec-CH-UA-Arch
  std::optional<std::string> bitness;            // Sec-CH-UA-Bitness
  std::optional<std::string> mobile;             // Sec-CH-UA-Mobile
};

// Parsed hints. A hint that was absent or malformed is empty / nullopt: hints
// are advisory, so a bad one is ignored rather than failing the request.
// Values are untrusted client input: escape them wherever they are shown.
struct ClientHints {
  std::vector<BrandVersion> brands;             // significant versions
  std::vector<BrandVersion> full_version_list;  // full versions
  std::optional<std::string> platform;          // "Windows", "macOS", "Android", ...
  std::optional<std::string> platform_version;  // "15.0.0"
  std::optional<std::string> model;             // "Pixel 7"; "" on desktops
  std::optional<std::string> arch;              // "x86", "arm"
  std::optional<std::string> bitness;           // "64"
  std::optional<bool> mobile;

  bool empty() const;
};

// Structured Field parsers for the shapes the hints use. Each fails with
// kInvalidArgument when `value` is not exactly one item of that shape (leading
// and trailing spaces allowed). Inputs longer than kMaxHintBytes are kTooLarge.
inline constexpr std::size_t kMaxHintBytes = 1024;
Result<std::string> ParseSfString(std::string_view value);  // "text"
Result<bool> ParseSfBoolean(std::string_view value);        // ?1 / ?0
// A list of strings, each with parameters; returns each string with its `v`
// parameter (empty when absent). Other parameters are skipped.
Result<std::vector<BrandVersion>> ParseBrandList(std::string_view value);

// Parses every header present; malformed ones are left unset (see ClientHints).
ClientHints ParseClientHints(const ClientHintHeaders& headers);

// True for the made-up brands browsers add so that servers do not depend on the
// list's order or content ("Not_A Brand", "Not/A)Brand", ...).
bool IsGreaseBrand(std::string_view brand);

}  // namespace masthead::ua
