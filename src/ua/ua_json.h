// uap-core's result shape as JSON:
//   {"user_agent":{"family","major","minor","patch"},
//    "os":{"family","major","minor","patch","patch_minor"},
//    "device":{"family","brand","model"}}
// with null where uap-core has null.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ua/parsed_ua.h"

namespace masthead::ua {

// Keys in the order above (ordered_json converts to nlohmann::json if needed).
nlohmann::ordered_json ToJson(const ParsedUa& parsed);

// One line of compact JSON. Strings from the UA are passed through byte for
// byte where valid UTF-8; invalid bytes become U+FFFD so the output is always
// valid JSON.
std::string ToJsonLine(const ParsedUa& parsed);

}  // namespace masthead::ua
