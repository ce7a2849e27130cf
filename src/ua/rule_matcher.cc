#include "ua/rule_matcher.h"

#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>

#include "ua/hs_database_cache.h"
#include "ua/hs_scratch.h"
#include "ua/prefilter_pattern.h"

namespace masthead::ua {
namespace {

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/,
            unsigned int /*flags*/, void* context) {
  static_cast<std::vector<std::size_t>*>(context)->push_back(id);
  return 0;  // keep scanning: a lower-numbered rule may still match further on
}

}  // namespace

struct RuleMatcher::Impl {
  std::vector<RuleRegex> rules;       // by rule index
  std::vector<int> groups_used;       // by rule index
  hs_database_t* database = nullptr;  // null when no rule is in it
  std::uint64_t serial = NextDatabaseSerial();
  std::vector<std::size_t> always;  // rules Hyperscan rejected outright
  std::size_t approximate = 0;

  ~Impl() {
    if (database != nullptr) hs_free_database(database);
  }

  // Rules that may match `text`, ascending; false if Hyperscan failed, in which
  // case the caller must treat every rule as a candidate.
  bool Candidates(std::string_view text, std::vector<std::size_t>* out) const {
    out->assign(always.begin(), always.end());
    if (database == nullptr) return true;
    thread_local ThreadScratch scratch;
    hs_scratch_t* s = scratch.For(database, serial);
    if (s == nullptr) return false;
    // Hyperscan takes an unsigned int length; callers cap inputs far below it.
    const auto length = static_cast<unsigned int>(std::min<std::size_t>(text.size(), 1u << 30));
    if (hs_scan(database, text.data(), length, 0, s, OnMatch, out) != HS_SUCCESS) return false;
    std::sort(out->begin(), out->end());
    return true;
  }
};

RuleMatcher::RuleMatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RuleMatcher::RuleMatcher(RuleMatcher&&) noexcept = default;
RuleMatcher& RuleMatcher::operator=(RuleMatcher&&) noexcept = default;
RuleMatcher::~RuleMatcher() = default;

std::size_t RuleMatcher::size() const { return impl_->rules.size(); }
std::size_t RuleMatcher::approximate_rules() const { return impl_->approximate; }

Result<RuleMatcher> RuleMatcher::Build(const std::vector<Rule>& rules,
                                       const std::vector<int>& groups_used,
                                       std::string_view list_name) {
  if (groups_used.size() != rules.size()) {
    return MakeError(ErrorCode::kInternal, std::string(list_name) + ": groups_used size mismatch");
  }
  auto impl = std::make_unique<Impl>();
  impl->groups_used = groups_used;
  impl->rules.reserve(rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    auto regex =
        RuleRegex::Compile(rules[i], std::string(list_name) + "[" + std::to_string(i) + "]");
    if (!regex) return tl::unexpected(regex.error());
    impl->rules.push_back(std::move(*regex));
  }

  // Compile all rules into one database. A rule Hyperscan cannot compile exactly
  // is retried in prefilter mode; one it cannot compile at all is left out and
  // always handed to RE2. Each failed attempt names the offending expression,
  // so this loop ends after at most two retries per rule.
  std::vector<std::string> relaxed;
  relaxed.reserve(rules.size());
  for (const Rule& rule : rules) relaxed.push_back(DropLeadingWildcard(RelaxForPrefilter(rule.regex)));
  std::vector<unsigned int> flags(rules.size());
  std::vector<bool> included(rules.size(), true);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    flags[i] = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY |
               (rules[i].case_insensitive ? HS_FLAG_CASELESS : 0u);
  }
  for (;;) {
    std::vector<const char*> expressions;
    std::vector<unsigned int> ids, expression_flags;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (!included[i]) continue;
      expressions.push_back(relaxed[i].c_str());
      ids.push_back(static_cast<unsigned int>(i));
      expression_flags.push_back(flags[i]);
    }
    if (expressions.empty()) break;
    HsCompileOutcome compiled = CompileHsDatabase(expressions, expression_flags, ids);
    impl->database = compiled.database;
    if (impl->database != nullptr) break;
    const int bad = compiled.failed_expression;
    const std::string& message = compiled.message;
    if (bad < 0) {
      return MakeError(ErrorCode::kInternal,
                       std::string(list_name) + ": Hyperscan failed: " + message);
    }
    const std::size_t rule = ids[static_cast<std::size_t>(bad)];
    if ((flags[rule] & HS_FLAG_PREFILTER) == 0) {
      flags[rule] |= HS_FLAG_PREFILTER;
    } else {
      included[rule] = false;
      impl->always.push_back(rule);
    }
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!included[i] || (flags[i] & HS_FLAG_PREFILTER) != 0) ++impl->approximate;
  }
  std::sort(impl->always.begin(), impl->always.end());
  return RuleMatcher(std::move(impl));
}

std::optional<std::size_t> RuleMatcher::FirstMatch(std::string_view text,
                                                   Captures* captures) const {
  thread_local std::vector<std::size_t> candidates;
  if (!impl_->Candidates(text, &candidates)) {
    candidates.resize(impl_->rules.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) candidates[i] = i;
  }
  for (const std::size_t index : candidates) {
    if (impl_->rules[index].Match(text, impl_->groups_used[index], captures)) return index;
  }
  return std::nullopt;
}

}  // namespace masthead::ua
