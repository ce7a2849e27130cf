#include "ua/rule_matcher.h"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>

#include "ua/backtracker.h"
#include "ua/list_dfa.h"
#include "ua/prefilter_pattern.h"
#include "ua/uap_regex.h"

namespace masthead::ua {
namespace {

// The longest text (without '\n') on which `relaxed` matches exactly when
// `regex` does: on texts of at most n bytes, opening {m,n} of a single-byte
// atom changes nothing (RelaxForTextsUpTo), and without '\n' a dropped leading
// ^.* changes nothing either. If the loosening did anything else (a counted
// repetition of a longer atom, an inner '^'), 0.
std::size_t ExactUpTo(const std::string& regex, const std::string& relaxed) {
  const std::vector<std::size_t> bounds = SingleByteRepetitionBounds(regex);
  const std::size_t limit = bounds.empty() ? std::size_t{1} << 30 : bounds.front();
  const std::string same_on_short_texts = DropLeadingWildcard(RelaxForTextsUpTo(regex, limit));
  return same_on_short_texts == relaxed ? limit : 0;
}

// One pattern searched by the backtracker, its single-byte repetitions
// compiled as runs (PatternOptions::byte_runs): X{0,50} costs a tight loop
// over the bytes and a try per position where what follows can start, so the
// program with bounds opened (and the check of the text's runs that chose it)
// no longer pays for itself.
class PatternSearch {
 public:
  // Null when the pattern is outside the dialect.
  static std::unique_ptr<PatternSearch> Compile(const std::string& pattern, bool case_insensitive) {
    auto search = std::unique_ptr<PatternSearch>(new PatternSearch);
    auto exact =
        AppendPattern(&search->exact_program_, pattern, case_insensitive, 0, {.byte_runs = true});
    if (!exact) return nullptr;
    FinishProgram(&search->exact_program_);
    search->exact_ = std::make_unique<Backtracker>(&search->exact_program_, *exact);
    const FirstSet first = ComputeFirstSet(search->exact_program_, exact->start);
    std::size_t first_bytes = 0;
    for (const std::uint64_t word : first.bytes.bits) {
      first_bytes += static_cast<std::size_t>(__builtin_popcountll(word));
    }
    if (!exact->anchored && (first.can_match_empty || first_bytes >= kWideFirstSet)) {
      // Bounds opened: the exact counters would multiply the DFA's states.
      // The opened pattern matches wherever the pattern does, so its leftmost
      // start is where the search may begin (and usually ends).
      auto reversed = AppendPattern(&search->reverse_program_, pattern, case_insensitive, 0,
                                    {.open_bounded_runs = true, .reversed = true});
      if (reversed) {
        FinishProgram(&search->reverse_program_);
        search->reverse_ = std::make_unique<ListDfa>(&search->reverse_program_,
                                                     std::vector<std::uint32_t>{reversed->start},
                                                     kReverseDfaMaxBytes);
      }
    }
    return search;
  }

  int groups() const { return exact_->groups(); }

  // Backtracker::Search over starts [0, last_start].
  bool Search(std::string_view text, int nslots, int* slots, std::size_t last_start) const {
    std::size_t first_start = 0;
    if (reverse_ != nullptr && reverse_->LeftmostStart(text, &first_start)) {
      if (first_start == std::string_view::npos || first_start > last_start) return false;
      return exact_->SearchFrom(text, nslots, slots, first_start, last_start);
    }
    return exact_->Search(text, nslots, slots, last_start);
  }

 private:
  // A pattern that may start at most bytes (such as uap-core's bot rules,
  // whose names may follow any word) makes the backtracker try nearly every
  // start. For those, a DFA of the pattern read backwards finds the leftmost
  // start in one pass over the text, and the backtracker runs from there only.
  static constexpr std::size_t kWideFirstSet = 40;
  static constexpr std::size_t kReverseDfaMaxBytes = std::size_t{4} << 20;

  PatternSearch() = default;
  Program exact_program_, reverse_program_;
  std::unique_ptr<Backtracker> exact_;
  std::unique_ptr<ListDfa> reverse_;
};

// How one rule is confirmed.
struct RuleEngine {
  std::unique_ptr<PatternSearch> whole;
  // A rule starting with ^.{0,N}? (or ^.{0,N} when no group is read) matches
  // where the rest of it has its leftmost match, if that starts within N bytes
  // and before the first '\n'; the rest is far cheaper to search.
  std::unique_ptr<PatternSearch> rest;
  std::size_t prefix_bound = 0;
  bool prefix_lazy = false;
  std::unique_ptr<RuleRegex> fallback;  // RE2, for a rule outside the dialect
};

}  // namespace

struct RuleMatcher::Impl {
  std::vector<RuleEngine> engines;  // by rule index
  std::vector<int> groups_used;     // by rule index
  struct Loosened {
    bool in_dfa = false;  // false: a rule the DFA cannot hold, in `always`
    std::string pattern;
    bool case_insensitive = false;
  };
  std::vector<Loosened> loosened;     // by rule: what the DFA holds
  std::vector<std::uint32_t> always;  // rules the DFA cannot hold: always candidates

  // Appends every loosened rule to `program`, rule i as pattern first_id + i.
  void AppendLoosened(Program* program, std::uint32_t first_id,
                      std::vector<std::uint32_t>* starts) const {
    for (std::size_t i = 0; i < loosened.size(); ++i) {
      if (!loosened[i].in_dfa) continue;
      // Build() compiled it once alone, so it compiles here too.
      auto compiled = AppendPattern(program, loosened[i].pattern, loosened[i].case_insensitive,
                                    first_id + static_cast<std::uint32_t>(i));
      if (compiled) starts->push_back(compiled->start);
    }
  }

  // The list's own DFA, made on the first FirstMatch(): a parser that reads
  // the lists only through a JointMatcher never needs it (nor its memory).
  std::size_t dfa_max_bytes = 0;
  mutable std::once_flag dfa_once;
  mutable Program relaxed;
  mutable std::unique_ptr<ListDfa> dfa;
  const ListDfa& Dfa() const {
    std::call_once(dfa_once, [&] {
      std::vector<std::uint32_t> starts;
      AppendLoosened(&relaxed, 0, &starts);
      FinishProgram(&relaxed);
      dfa = std::make_unique<ListDfa>(&relaxed, std::move(starts), dfa_max_bytes);
    });
    return *dfa;
  }

  // By rule: the DFA's loosened form is the rule itself on texts up to this
  // many bytes without '\n' (0: never), so when no group is wanted its
  // verdict needs no confirmation.
  std::vector<std::size_t> exact_up_to;

  bool Confirm(std::size_t index, std::string_view text, std::size_t newline,
               Captures* captures) const {
    const int wanted = groups_used[index];
    if (wanted <= 0 && newline == std::string_view::npos && text.size() <= exact_up_to[index]) {
      captures->count = 0;
      return true;
    }
    const RuleEngine& engine = engines[index];
    if (engine.whole == nullptr) return engine.fallback->Match(text, wanted, captures);
    const int count = wanted <= 0 ? 0 : std::min({1 + engine.whole->groups(), wanted + 1, 10});
    std::array<int, 20> slots;
    if (engine.rest != nullptr && (engine.prefix_lazy || count == 0)) {
      const std::size_t reach = std::min({engine.prefix_bound, newline, text.size()});
      if (!engine.rest->Search(text, 2 * count, slots.data(), reach)) return false;
      if (count > 0) slots[0] = 0;  // the whole match starts at ^
    } else if (!engine.whole->Search(text, 2 * count, slots.data(), SIZE_MAX)) {
      return false;
    }
    captures->count = count;
    for (int g = 0; g < 10; ++g) {
      const auto gi = static_cast<std::size_t>(g);
      const bool set = g < count && slots[2 * gi] >= 0 && slots[2 * gi + 1] >= 0;
      captures->groups[gi] =
          set ? text.substr(static_cast<std::size_t>(slots[2 * gi]),
                            static_cast<std::size_t>(slots[2 * gi + 1] - slots[2 * gi]))
              : std::string_view();
    }
    return true;
  }
};

RuleMatcher::RuleMatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RuleMatcher::RuleMatcher(RuleMatcher&&) noexcept = default;
RuleMatcher& RuleMatcher::operator=(RuleMatcher&&) noexcept = default;
RuleMatcher::~RuleMatcher() = default;

std::size_t RuleMatcher::size() const { return impl_->engines.size(); }

Result<RuleMatcher> RuleMatcher::Build(const std::vector<Rule>& rules,
                                       const std::vector<int>& groups_used,
                                       std::string_view list_name, std::size_t dfa_max_bytes) {
  if (groups_used.size() != rules.size()) {
    return MakeError(ErrorCode::kInternal, std::string(list_name) + ": groups_used size mismatch");
  }
  auto impl = std::make_unique<Impl>();
  impl->groups_used = groups_used;
  impl->engines.resize(rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    RuleEngine& engine = impl->engines[i];
    engine.whole = PatternSearch::Compile(rules[i].regex, rules[i].case_insensitive);
    if (engine.whole == nullptr) {
      // RE2 has the last word on what such a rule means (and on whether it is valid).
      auto regex =
          RuleRegex::Compile(rules[i], std::string(list_name) + "[" + std::to_string(i) + "]");
      if (!regex) return tl::unexpected(regex.error());
      engine.fallback = std::make_unique<RuleRegex>(std::move(*regex));
      continue;
    }
    if (auto prefix = SplitLeadingAny(rules[i].regex)) {
      engine.rest = PatternSearch::Compile(prefix->rest, rules[i].case_insensitive);
      engine.prefix_bound = prefix->bound;
      engine.prefix_lazy = prefix->lazy;
    }
  }

  impl->exact_up_to.assign(rules.size(), 0);
  impl->loosened.resize(rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const std::string relaxed = DropLeadingWildcard(RelaxForPrefilter(rules[i].regex));
    impl->exact_up_to[i] = ExactUpTo(rules[i].regex, relaxed);
    Program scratch;  // only whether it compiles; the DFAs compile it again
    if (AppendPattern(&scratch, relaxed, rules[i].case_insensitive, 0)) {
      impl->loosened[i] = {true, relaxed, rules[i].case_insensitive};
    } else {
      impl->always.push_back(static_cast<std::uint32_t>(i));
    }
  }
  impl->dfa_max_bytes = dfa_max_bytes;
  return RuleMatcher(std::move(impl));
}

std::optional<std::size_t> RuleMatcher::FirstOf(std::span<const std::uint32_t> ids,
                                                std::uint32_t id_offset, std::string_view text,
                                                std::size_t newline, Captures* captures) const {
  if (!impl_->always.empty()) {
    thread_local std::vector<std::uint32_t> merged;
    merged.clear();
    for (const std::uint32_t id : ids) merged.push_back(id - id_offset);
    merged.insert(merged.end(), impl_->always.begin(), impl_->always.end());
    std::sort(merged.begin(), merged.end());
    for (const std::uint32_t index : merged) {
      if (impl_->Confirm(index, text, newline, captures)) return index;
    }
    return std::nullopt;
  }
  for (const std::uint32_t id : ids) {
    if (impl_->Confirm(id - id_offset, text, newline, captures)) return id - id_offset;
  }
  return std::nullopt;
}

std::optional<std::size_t> RuleMatcher::FirstMatch(std::string_view text,
                                                   Captures* captures) const {
  thread_local std::vector<std::uint32_t> candidates;
  impl_->Dfa().Candidates(text, &candidates);
  return FirstOf(candidates, 0, text, text.find('\n'), captures);
}

JointMatcher::JointMatcher(std::vector<const RuleMatcher*> matchers, std::size_t dfa_max_bytes)
    : matchers_(std::move(matchers)), program_(std::make_unique<Program>()) {
  std::vector<std::uint32_t> starts;
  std::uint32_t next_id = 0;
  for (const RuleMatcher* matcher : matchers_) {
    first_id_.push_back(next_id);
    matcher->impl_->AppendLoosened(program_.get(), next_id, &starts);
    next_id += static_cast<std::uint32_t>(matcher->impl_->loosened.size());
  }
  FinishProgram(program_.get());
  dfa_ = std::make_unique<ListDfa>(program_.get(), std::move(starts), dfa_max_bytes);
}

JointMatcher::~JointMatcher() = default;

void JointMatcher::FirstMatchOfEach(std::string_view text, Captures* captures,
                                    std::optional<std::size_t>* results) const {
  thread_local std::vector<std::uint32_t> all;
  dfa_->Candidates(text, &all);  // ascending, so each list's ids come together
  const std::size_t newline = text.find('\n');
  auto from = all.begin();
  for (std::size_t k = 0; k < matchers_.size(); ++k) {
    const std::uint32_t end_id = k + 1 < matchers_.size() ? first_id_[k + 1] : ~std::uint32_t{0};
    const auto to = std::lower_bound(from, all.end(), end_id);
    const std::span<const std::uint32_t> mine(all.data() + (from - all.begin()),
                                              static_cast<std::size_t>(to - from));
    results[k] = matchers_[k]->FirstOf(mine, first_id_[k], text, newline, &captures[k]);
    from = to;
  }
}

}  // namespace masthead::ua
