#include "ua/parser.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace masthead::ua {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// In place, so a filled template is not copied a second time (one allocation
// per field at most; this runs for every field of every parse).
void Trim(std::string* s) {
  std::size_t end = s->size();
  while (end > 0 && IsSpace((*s)[end - 1])) --end;
  s->resize(end);
  std::size_t start = 0;
  while (start < s->size() && IsSpace((*s)[start])) ++start;
  s->erase(0, start);
}

// Fills a replacement template: $1..$9 become the capture groups (empty when the
// group did not match or does not exist), then surrounding whitespace is trimmed.
std::string Substitute(std::string_view templ, const Captures& captures) {
  std::string out;
  // Copied a run at a time: most templates are plain names ("Spider") or
  // hold one $N, and this runs for every field of every parse.
  std::size_t copied = 0;
  for (std::size_t i = templ.find('$'); i != std::string_view::npos; i = templ.find('$', i + 1)) {
    if (i + 1 >= templ.size() || templ[i + 1] < '1' || templ[i + 1] > '9') continue;
    out.append(templ.substr(copied, i - copied));
    const int group = templ[i + 1] - '0';
    if (group < captures.count) out.append(captures.groups[static_cast<std::size_t>(group)]);
    copied = i + 2;
    ++i;
  }
  out.append(templ.substr(copied));
  Trim(&out);
  return out;
}

// Capture group each slot falls back to when it has no template (0: none).
constexpr std::array<int, 5> kUserAgentFallback = {1, 2, 3, 4, 0};
constexpr std::array<int, 5> kOsFallback = {1, 2, 3, 4, 5};
constexpr std::array<int, 5> kDeviceFallback = {1, 0, 1, 0, 0};

bool HasGroupReference(std::string_view templ) {
  for (std::size_t i = templ.find('$'); i != std::string_view::npos; i = templ.find('$', i + 1)) {
    if (i + 1 < templ.size() && templ[i + 1] >= '1' && templ[i + 1] <= '9') return true;
  }
  return false;
}

// The highest capture group the fields of `rule` read: `fallback[slot]` when
// the slot has no template, else the highest $N in the template.
std::vector<int> GroupsUsed(const std::vector<Rule>& rules, const std::array<int, 5>& fallback) {
  std::vector<int> used;
  used.reserve(rules.size());
  for (const Rule& rule : rules) {
    int highest = 0;
    for (std::size_t slot = 0; slot < fallback.size(); ++slot) {
      const auto& templ = rule.replacements[slot];
      if (!templ) {
        highest = std::max(highest, fallback[slot]);
        continue;
      }
      for (std::size_t i = 0; i + 1 < templ->size(); ++i) {
        const char next = (*templ)[i + 1];
        if ((*templ)[i] == '$' && next >= '1' && next <= '9')
          highest = std::max(highest, next - '0');
      }
    }
    used.push_back(highest);
  }
  return used;
}

}  // namespace

// A field of the result: the rule's template for the slot if it has one, else
// the capture group the slot falls back to (none: null). Empty becomes null,
// as in uap-core.
std::vector<Parser::RulePlan> Parser::PlanFields(const std::vector<Rule>& rules,
                                                 const std::array<int, 5>& fallback) {
  std::vector<RulePlan> plans(rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    for (std::size_t slot = 0; slot < fallback.size(); ++slot) {
      FieldPlan& plan = plans[i][slot];
      const auto& templ = rules[i].replacements[slot];
      if (!templ.has_value()) {
        if (fallback[slot] > 0) plan = {FieldPlan::Kind::kGroup, fallback[slot], {}};
      } else if (HasGroupReference(*templ)) {
        plan = {FieldPlan::Kind::kTemplate, 0, *templ};
      } else if (std::string value = Substitute(*templ, Captures{}); !value.empty()) {
        plan = {FieldPlan::Kind::kPlain, 0, std::move(value)};
      }
    }
  }
  return plans;
}

// Hands `store` the value of a field, if it has one: the caller writes it in
// place, so a field is made once, not made, moved and destroyed.
template <typename Store>
void Parser::FillField(const FieldPlan& plan, const Captures& captures, Store store) {
  switch (plan.kind) {
    case FieldPlan::Kind::kNull:
      return;
    case FieldPlan::Kind::kPlain:
      store(plan.text);
      return;
    case FieldPlan::Kind::kGroup:
      if (plan.group < captures.count) {
        const std::string_view group = captures.groups[static_cast<std::size_t>(plan.group)];
        if (!group.empty()) store(group);
      }
      return;
    case FieldPlan::Kind::kTemplate: {
      std::string value = Substitute(plan.text, captures);
      if (!value.empty()) store(std::move(value));
      return;
    }
  }
}

void Parser::Field(const FieldPlan& plan, const Captures& captures,
                   std::optional<std::string>* field) {
  FillField(plan, captures,
            [&](auto&& value) { field->emplace(std::forward<decltype(value)>(value)); });
}

// A family stays "Other" where the field would be null.
void Parser::Family(const FieldPlan& plan, const Captures& captures, std::string* family) {
  FillField(plan, captures, [&](auto&& value) { *family = std::forward<decltype(value)>(value); });
}

Parser::Parser(RuleFile rules, RuleMatcher ua, RuleMatcher os, RuleMatcher device,
               const ParserOptions& options)
    : rules_(std::move(rules)),
      ua_plans_(PlanFields(rules_.user_agent, kUserAgentFallback)),
      os_plans_(PlanFields(rules_.os, kOsFallback)),
      device_plans_(PlanFields(rules_.device, kDeviceFallback)),
      ua_matcher_(std::move(ua)),
      os_matcher_(std::move(os)),
      device_matcher_(std::move(device)),
      all_matchers_({&ua_matcher_, &os_matcher_, &device_matcher_}),
      options_(options),
      cache_(options.cache_capacity) {}

Result<std::unique_ptr<Parser>> Parser::Load(const std::string& regexes_path,
                                             const ParserOptions& options) {
  auto rules = LoadRuleFile(regexes_path);
  if (!rules) return tl::unexpected(rules.error());
  return FromRules(*rules, options);
}

Result<std::unique_ptr<Parser>> Parser::FromYaml(std::string_view yaml_text,
                                                 const ParserOptions& options) {
  auto rules = ParseRuleYaml(yaml_text);
  if (!rules) return tl::unexpected(rules.error());
  return FromRules(*rules, options);
}

Result<std::unique_ptr<Parser>> Parser::FromRules(const RuleFile& rules,
                                                  const ParserOptions& options) {
  auto ua = RuleMatcher::Build(rules.user_agent, GroupsUsed(rules.user_agent, kUserAgentFallback),
                               "user_agent_parsers");
  if (!ua) return tl::unexpected(ua.error());
  auto os = RuleMatcher::Build(rules.os, GroupsUsed(rules.os, kOsFallback), "os_parsers");
  if (!os) return tl::unexpected(os.error());
  auto device =
      RuleMatcher::Build(rules.device, GroupsUsed(rules.device, kDeviceFallback), "device_parsers");
  if (!device) return tl::unexpected(device.error());
  return std::unique_ptr<Parser>(
      new Parser(rules, std::move(*ua), std::move(*os), std::move(*device), options));
}

std::string_view Parser::Clip(std::string_view text) const {
  return text.substr(0, options_.max_input_bytes);
}

UserAgent Parser::UserAgentFrom(std::optional<std::size_t> index, const Captures& captures) const {
  UserAgent result;
  if (!index) return result;
  const RulePlan& plan = ua_plans_[*index];
  Family(plan[0], captures, &result.family);
  Field(plan[1], captures, &result.major);
  Field(plan[2], captures, &result.minor);
  Field(plan[3], captures, &result.patch);
  return result;
}

Os Parser::OsFrom(std::optional<std::size_t> index, const Captures& captures) const {
  Os result;
  if (!index) return result;
  const RulePlan& plan = os_plans_[*index];
  Family(plan[0], captures, &result.family);
  Field(plan[1], captures, &result.major);
  Field(plan[2], captures, &result.minor);
  Field(plan[3], captures, &result.patch);
  Field(plan[4], captures, &result.patch_minor);
  return result;
}

Device Parser::DeviceFrom(std::optional<std::size_t> index, const Captures& captures) const {
  Device result;
  if (!index) return result;
  const RulePlan& plan = device_plans_[*index];
  Family(plan[0], captures, &result.family);
  Field(plan[1], captures, &result.brand);
  Field(plan[2], captures, &result.model);
  return result;
}

UserAgent Parser::ParseUserAgent(std::string_view user_agent) const {
  Captures captures;
  return UserAgentFrom(ua_matcher_.FirstMatch(Clip(user_agent), &captures), captures);
}

Os Parser::ParseOs(std::string_view user_agent) const {
  Captures captures;
  return OsFrom(os_matcher_.FirstMatch(Clip(user_agent), &captures), captures);
}

Device Parser::ParseDevice(std::string_view user_agent) const {
  Captures captures;
  return DeviceFrom(device_matcher_.FirstMatch(Clip(user_agent), &captures), captures);
}

ParsedUa Parser::Parse(std::string_view user_agent) const {
  const std::string_view key = Clip(user_agent);
  const bool cacheable = options_.cache_capacity > 0 && key.size() <= options_.max_cached_bytes;
  if (cacheable) {
    if (auto hit = cache_.Get(key)) return std::move(*hit);
  }
  std::array<Captures, 3> captures;
  std::array<std::optional<std::size_t>, 3> found;
  all_matchers_.FirstMatchOfEach(key, captures.data(), found.data());
  ParsedUa result{UserAgentFrom(found[0], captures[0]), OsFrom(found[1], captures[1]),
                  DeviceFrom(found[2], captures[2])};
  if (cacheable) cache_.Put(key, result);
  return result;
}

}  // namespace masthead::ua
