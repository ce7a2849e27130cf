#include "ua/rules.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace masthead::ua {
namespace {

// Replacement keys per list, in slot order (see Rule::replacements).
struct ListSpec {
  const char* name;
  std::array<const char*, 5> keys;
};
constexpr ListSpec kUserAgentSpec{
    "user_agent_parsers",
    {"family_replacement", "v1_replacement", "v2_replacement", "v3_replacement", nullptr}};
constexpr ListSpec kOsSpec{"os_parsers",
                           {"os_replacement", "os_v1_replacement", "os_v2_replacement",
                            "os_v3_replacement", "os_v4_replacement"}};
constexpr ListSpec kDeviceSpec{
    "device_parsers",
    {"device_replacement", "brand_replacement", "model_replacement", nullptr, nullptr}};

// yaml-cpp reports errors by throwing; this stays inside the module.
Result<std::vector<Rule>> ReadList(const YAML::Node& root, const ListSpec& spec) {
  const YAML::Node list = root[spec.name];
  if (!list || !list.IsSequence()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("regexes.yaml has no list '") + spec.name + "'", spec.name);
  }
  std::vector<Rule> rules;
  rules.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string where = std::string(spec.name) + "[" + std::to_string(i) + "]";
    if (!item.IsMap() || !item["regex"] || !item["regex"].IsScalar()) {
      return MakeError(ErrorCode::kInvalidArgument, where + " has no 'regex'", where);
    }
    Rule rule;
    rule.regex = item["regex"].as<std::string>();
    if (const YAML::Node flag = item["regex_flag"]; flag && flag.IsScalar()) {
      const std::string value = flag.as<std::string>();
      if (value != "i") {
        return MakeError(ErrorCode::kInvalidArgument,
                         where + " has unknown regex_flag '" + value + "'", where);
      }
      rule.case_insensitive = true;
    }
    for (std::size_t slot = 0; slot < spec.keys.size(); ++slot) {
      if (spec.keys[slot] == nullptr) continue;
      const YAML::Node value = item[spec.keys[slot]];
      // A key written with no value (`v1_replacement:`) is YAML null: treat as absent.
      if (value && value.IsScalar()) rule.replacements[slot] = value.as<std::string>();
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace

Result<RuleFile> ParseRuleYaml(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("regexes.yaml is not valid YAML: ") + e.what());
  }
  if (!root.IsMap()) {
    return MakeError(ErrorCode::kInvalidArgument, "regexes.yaml is not a mapping");
  }
  RuleFile file;
  try {
    auto ua = ReadList(root, kUserAgentSpec);
    if (!ua) return tl::unexpected(ua.error());
    auto os = ReadList(root, kOsSpec);
    if (!os) return tl::unexpected(os.error());
    auto device = ReadList(root, kDeviceSpec);
    if (!device) return tl::unexpected(device.error());
    file.user_agent = std::move(*ua);
    file.os = std::move(*os);
    file.device = std::move(*device);
  } catch (const YAML::Exception& e) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("regexes.yaml has a malformed item: ") + e.what());
  }
  return file;
}

Result<RuleFile> LoadRuleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "cannot read uap-core rules at " + path, "regexes_path");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseRuleYaml(text.str());
}

}  // namespace masthead::ua
