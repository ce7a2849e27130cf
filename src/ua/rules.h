// The rule file of uap-core (regexes.yaml): three ordered lists of regexes with
// optional replacement templates. Loading only reads and validates the file;
// compiling the regexes is RuleMatcher's job.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace masthead::ua {

// Where Debian's `uap-core` package installs the rules.
inline constexpr std::string_view kDefaultRegexesPath = "/usr/share/uap-core/regexes.yaml";

// One `- regex: ...` item. `replacements` holds the item's replacement templates
// by slot, in the order the spec numbers them:
//   user_agent_parsers: family_replacement, v1_replacement, v2_replacement, v3_replacement
//   os_parsers:         os_replacement, os_v1_replacement .. os_v4_replacement
//   device_parsers:     device_replacement, brand_replacement, model_replacement
// A slot is nullopt when the file does not name it, which is not the same as an
// empty template (an empty template still overrides the capture group).
struct Rule {
  std::string regex;
  bool case_insensitive = false;  // regex_flag: 'i'
  std::array<std::optional<std::string>, 5> replacements;
};

struct RuleFile {
  std::vector<Rule> user_agent;
  std::vector<Rule> os;
  std::vector<Rule> device;
};

// Parses the text of a regexes.yaml. Fails with kInvalidArgument naming the
// list and item index when the YAML or an item is malformed (e.g. no `regex`).
Result<RuleFile> ParseRuleYaml(std::string_view yaml_text);

// Reads and parses the file at `path`; kNotFound when it cannot be read.
Result<RuleFile> LoadRuleFile(const std::string& path);

}  // namespace masthead::ua
