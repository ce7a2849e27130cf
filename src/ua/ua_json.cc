#include "ua/ua_json.h"

#include <optional>

namespace masthead::ua {
namespace {

nlohmann::ordered_json OrNull(const std::optional<std::string>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace

nlohmann::ordered_json ToJson(const ParsedUa& parsed) {
  nlohmann::ordered_json out;
  auto& ua = out["user_agent"];
  ua["family"] = parsed.user_agent.family;
  ua["major"] = OrNull(parsed.user_agent.major);
  ua["minor"] = OrNull(parsed.user_agent.minor);
  ua["patch"] = OrNull(parsed.user_agent.patch);
  auto& os = out["os"];
  os["family"] = parsed.os.family;
  os["major"] = OrNull(parsed.os.major);
  os["minor"] = OrNull(parsed.os.minor);
  os["patch"] = OrNull(parsed.os.patch);
  os["patch_minor"] = OrNull(parsed.os.patch_minor);
  auto& device = out["device"];
  device["family"] = parsed.device.family;
  device["brand"] = OrNull(parsed.device.brand);
  device["model"] = OrNull(parsed.device.model);
  return out;
}

std::string ToJsonLine(const ParsedUa& parsed) {
  // replace: invalid UTF-8 (hostile User-Agent bytes) becomes U+FFFD instead
  // of an exception.
  return ToJson(parsed).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace masthead::ua
