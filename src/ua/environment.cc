#include "ua/environment.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

namespace masthead::ua {
namespace {

// Joins the version parts that are present: "10", "10.15", "10.15.7".
std::string JoinVersion(std::initializer_list<const std::optional<std::string>*> parts) {
  std::string out;
  for (const auto* part : parts) {
    if (!part->has_value()) break;
    if (!out.empty()) out.push_back('.');
    out += **part;
  }
  return out;
}

std::optional<int> LeadingInt(std::string_view s) {
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end == s.data()) return std::nullopt;
  return value;
}

bool ContainsInsensitive(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) ==
                              std::tolower(static_cast<unsigned char>(b));
                     }) != haystack.end();
}

// uap-core OS family -> the name readers know.
std::string ReaderOsName(const std::string& family) {
  if (family == "Mac OS X") return "macOS";
  if (family == "Other") return "";
  return family;
}

// uap-core browser family -> the brand Chromium reports in Sec-CH-UA.
std::string_view BrandOfFamily(std::string_view family) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kBrands = {{
      {"Chrome", "Google Chrome"},
      {"Chrome Mobile", "Google Chrome"},
      {"Chrome Mobile WebView", "Android WebView"},
      {"Edge", "Microsoft Edge"},
      {"Edge Mobile", "Microsoft Edge"},
      {"Opera", "Opera"},
      {"Chromium", "Chromium"},
      {"Samsung Internet", "Samsung Internet"},
  }};
  for (const auto& [uap, brand] : kBrands) {
    if (uap == family) return brand;
  }
  return family;
}

// The hint's browser: the brand matching the UA's family, else the first that
// is neither GREASE nor the generic "Chromium".
const BrandVersion* PickBrand(const std::vector<BrandVersion>& list, std::string_view family) {
  const std::string_view wanted = BrandOfFamily(family);
  for (const BrandVersion& b : list) {
    if (b.brand == wanted) return &b;
  }
  const BrandVersion* chromium = nullptr;
  for (const BrandVersion& b : list) {
    if (IsGreaseBrand(b.brand)) continue;
    if (b.brand == "Chromium") {
      chromium = &b;
      continue;
    }
    return &b;
  }
  return chromium;
}

DeviceType DetectDeviceType(std::string_view user_agent, const ParsedUa& parsed,
                            const ClientHints& hints) {
  if (parsed.device.family == "Spider") return DeviceType::kBot;
  const std::string& os = parsed.os.family;
  const std::string& model = parsed.device.model.value_or("");
  if (ContainsInsensitive(parsed.device.family, "ipad") || ContainsInsensitive(model, "tablet") ||
      ContainsInsensitive(parsed.device.family, "kindle") ||
      ContainsInsensitive(user_agent, "tablet")) {
    return DeviceType::kTablet;
  }
  // Android tablets' browsers leave "Mobile" out of the UA string.
  if (os == "Android" && hints.mobile != true &&
      user_agent.find("Mobile") == std::string_view::npos) {
    return DeviceType::kTablet;
  }
  if (hints.mobile == true) return DeviceType::kMobile;
  static constexpr std::array<std::string_view, 9> kMobileOs = {
      "Android",    "iOS",        "Windows Phone", "BlackBerry OS", "KaiOS",
      "Symbian OS", "Firefox OS", "Tizen",         "Sailfish"};
  if (std::find(kMobileOs.begin(), kMobileOs.end(), os) != kMobileOs.end()) {
    return DeviceType::kMobile;
  }
  if (user_agent.find("Mobi") != std::string_view::npos) return DeviceType::kMobile;
  return DeviceType::kDesktop;
}

}  // namespace

std::string_view DeviceTypeName(DeviceType type) {
  switch (type) {
    case DeviceType::kDesktop:
      return "desktop";
    case DeviceType::kMobile:
      return "mobile";
    case DeviceType::kTablet:
      return "tablet";
    case DeviceType::kBot:
      return "bot";
  }
  return "desktop";
}

std::string Environment::Summary() const {
  std::string out = browser_name.empty() ? "Unknown browser" : browser_name;
  if (!browser_version.empty()) out += " " + browser_version;
  out += " on ";
  out += os_name.empty() ? "unknown OS" : os_name;
  if (!os_version.empty()) out += " " + os_version;
  if (!device_brand.empty() || !device_model.empty()) {
    out += ", ";
    out += device_brand;
    if (!device_brand.empty() && !device_model.empty()) out += " ";
    out += device_model;
  }
  out += " (" + std::string(DeviceTypeName(device_type)) + ")";
  return out;
}

Environment DescribeEnvironment(std::string_view user_agent, const ParsedUa& parsed,
                                const ClientHints& hints) {
  Environment env;
  env.device_type = DetectDeviceType(user_agent, parsed, hints);

  env.os_name = ReaderOsName(parsed.os.family);
  env.os_version =
      JoinVersion({&parsed.os.major, &parsed.os.minor, &parsed.os.patch, &parsed.os.patch_minor});
  const std::string platform = hints.platform.value_or("");
  const std::string platform_version = hints.platform_version.value_or("");
  if (platform == "Windows") {
    env.os_name = "Windows";
    // Platform version 0.x is Windows 7/8/8.1; the UA string tells those apart.
    if (const auto major = LeadingInt(platform_version); major && *major >= 1) {
      env.os_version = *major >= 13 ? "11" : "10";
    }
  } else if (platform == "macOS") {
    env.os_name = "macOS";
    if (!platform_version.empty()) env.os_version = platform_version;
  } else if (platform == "Android") {
    env.os_name = "Android";
    if (!platform_version.empty()) env.os_version = platform_version;
  } else if (!platform.empty() && platform != "Unknown" && !platform_version.empty() &&
             (env.os_name.empty() || ContainsInsensitive(platform, env.os_name) ||
              ContainsInsensitive(env.os_name, platform))) {
    env.os_name = platform;  // "Chrome OS", "Linux", "iOS"
    env.os_version = platform_version;
  }

  env.browser_name = parsed.user_agent.family == "Other" ? "" : parsed.user_agent.family;
  env.browser_version =
      JoinVersion({&parsed.user_agent.major, &parsed.user_agent.minor, &parsed.user_agent.patch});
  const auto& list = hints.full_version_list.empty() ? hints.brands : hints.full_version_list;
  if (const BrandVersion* brand = PickBrand(list, parsed.user_agent.family)) {
    if (env.browser_name.empty()) env.browser_name = brand->brand;
    // A full version from the hints beats the reduced "124.0.0.0" of the UA.
    if (!hints.full_version_list.empty() && !brand->version.empty()) {
      env.browser_version = brand->version;
    }
  }

  if (parsed.device.family != "Other" && parsed.device.family != "Spider") {
    env.device_brand = parsed.device.brand.value_or("");
    env.device_model = parsed.device.model.value_or("");
  }
  // Reduced Android UA strings say "K" for every model.
  if (hints.model && !hints.model->empty() &&
      (env.device_model.empty() || env.device_model == "K" || platform == "Android")) {
    env.device_model = *hints.model;
    if (env.device_brand == "Generic_Android") env.device_brand.clear();
  }
  if (env.device_brand == "Generic_Android" || env.device_brand == "Generic") {
    env.device_brand.clear();
  }
  return env;
}

}  // namespace masthead::ua
