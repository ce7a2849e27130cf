// The uap-core user-agent parser: user agent, OS and device of a User-Agent
// string, following https://github.com/ua-parser/uap-core's specification over
// the rules of a regexes.yaml.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ua/lru_cache.h"
#include "ua/parsed_ua.h"
#include "ua/rule_matcher.h"
#include "ua/rules.h"

namespace masthead::ua {

struct ParserOptions {
  // Entries in the result cache; 0 disables it (benchmarks, tests of the rules).
  std::size_t cache_capacity = 10000;
  // Longer strings are parsed but not cached, so the cache holds at most
  // cache_capacity * max_cached_bytes of keys however hostile the traffic.
  std::size_t max_cached_bytes = 1024;
  // Only this many leading bytes of a string are parsed. The longest string in
  // uap-core's test suites is under 500 bytes and real browsers send ~100-300;
  // the cap keeps the cost of hostile 100 KB headers at that of a 4 KB one.
  std::size_t max_input_bytes = 4096;
};

// Thread-safety: immutable after creation except for the internal cache, which
// is thread-safe; all Parse* methods may be called concurrently.
// Cost: linear in min(input length, max_input_bytes), whatever the bytes are.
class Parser {
 public:
  // Reads the rules at `regexes_path` (usually kDefaultRegexesPath) and compiles
  // them. kNotFound if the file cannot be read, kInvalidArgument if a rule is bad.
  static Result<std::unique_ptr<Parser>> Load(const std::string& regexes_path,
                                              const ParserOptions& options = {});
  // The same from the text of a regexes.yaml.
  static Result<std::unique_ptr<Parser>> FromYaml(std::string_view yaml_text,
                                                  const ParserOptions& options = {});
  static Result<std::unique_ptr<Parser>> FromRules(const RuleFile& rules,
                                                   const ParserOptions& options = {});

  // User agent, OS and device; served from the cache when the string was seen.
  ParsedUa Parse(std::string_view user_agent) const;

  // One part each, never cached.
  UserAgent ParseUserAgent(std::string_view user_agent) const;
  Os ParseOs(std::string_view user_agent) const;
  Device ParseDevice(std::string_view user_agent) const;

  const ParserOptions& options() const { return options_; }
  // Entries now in the result cache (for tests and metrics).
  std::size_t cached_entries() const { return cache_.size(); }

 private:
  UserAgent UserAgentFrom(std::optional<std::size_t> index, const Captures& captures) const;
  Os OsFrom(std::optional<std::size_t> index, const Captures& captures) const;
  Device DeviceFrom(std::optional<std::size_t> index, const Captures& captures) const;
  Parser(RuleFile rules, RuleMatcher ua, RuleMatcher os, RuleMatcher device,
         const ParserOptions& options);
  std::string_view Clip(std::string_view text) const;

  // How each field of a rule's result is made, worked out once at load: a
  // template without $N is trimmed then (most are plain names, such as the
  // "Spider" of every crawler's device), so a parse only copies it.
  struct FieldPlan {
    enum class Kind : std::uint8_t { kNull, kGroup, kPlain, kTemplate };
    Kind kind = Kind::kNull;
    int group = 0;     // kGroup
    std::string text;  // kPlain: the value, never empty; kTemplate: the template
  };
  using RulePlan = std::array<FieldPlan, 5>;
  static std::vector<RulePlan> PlanFields(const std::vector<Rule>& rules,
                                          const std::array<int, 5>& fallback);
  template <typename Store>
  static void FillField(const FieldPlan& plan, const Captures& captures, Store store);
  static void Field(const FieldPlan& plan, const Captures& captures,
                    std::optional<std::string>* field);
  static void Family(const FieldPlan& plan, const Captures& captures, std::string* family);

  RuleFile rules_;  // replacement templates, by the matchers' rule indices
  std::vector<RulePlan> ua_plans_, os_plans_, device_plans_;
  RuleMatcher ua_matcher_;
  RuleMatcher os_matcher_;
  RuleMatcher device_matcher_;
  JointMatcher all_matchers_;  // the three at once, for Parse()
  ParserOptions options_;
  mutable LruCache<ParsedUa> cache_;
};

}  // namespace masthead::ua
