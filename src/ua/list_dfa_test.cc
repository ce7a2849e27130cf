// The lazy DFA against the definition of what it computes: the rules whose
// pattern matches somewhere, found by running each pattern alone through the
// backtracker. Also with a memory budget so small that strings finish on the
// uncached path, and from several threads building the same DFA at once.
#include "ua/list_dfa.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ua/backtracker.h"
#include "ua/prefilter_pattern.h"
#include "ua/rules.h"

namespace masthead::ua {
namespace {

struct LoosenedList {
  Program program;
  std::vector<std::uint32_t> starts;
  std::vector<std::unique_ptr<Backtracker>> one_by_one;

  explicit LoosenedList(const std::vector<Rule>& rules) {
    std::vector<CompiledPattern> compiled;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      auto pattern = AppendPattern(&program, DropLeadingWildcard(RelaxForPrefilter(rules[i].regex)),
                                   rules[i].case_insensitive, static_cast<std::uint32_t>(i));
      EXPECT_TRUE(pattern.has_value()) << rules[i].regex;
      if (!pattern) continue;
      compiled.push_back(*pattern);
      starts.push_back(pattern->start);
    }
    FinishProgram(&program);
    for (const CompiledPattern& pattern : compiled)
      one_by_one.push_back(std::make_unique<Backtracker>(&program, pattern));
  }
  std::vector<std::uint32_t> Expected(std::string_view text) const {
    std::vector<std::uint32_t> ids;
    for (std::size_t i = 0; i < one_by_one.size(); ++i)
      if (one_by_one[i]->Search(text, 0, nullptr)) ids.push_back(static_cast<std::uint32_t>(i));
    return ids;
  }
};

std::vector<std::string> Strings(std::size_t every) {
  std::vector<std::string> out;
  const YAML::Node cases = YAML::LoadFile("/usr/share/uap-core/tests/test_ua.yaml")["test_cases"];
  for (std::size_t i = 0; i < cases.size(); i += every) {
    const auto ua = cases[i]["user_agent_string"].as<std::string>();
    out.push_back(ua);
    std::string altered = ua;
    altered.insert(altered.size() / 2, "\n\xE9 ");
    out.push_back(altered);
  }
  out.push_back("");
  return out;
}

class ListDfaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto rules = LoadRuleFile(std::string(kDefaultRegexesPath));
    ASSERT_TRUE(rules.has_value());
    rules_ = new RuleFile(std::move(*rules));
  }
  static void TearDownTestSuite() { delete rules_; }
  static RuleFile* rules_;
};
RuleFile* ListDfaTest::rules_ = nullptr;

TEST_F(ListDfaTest, ReportsExactlyTheRulesThatMatchOneByOne) {
  for (const auto* list : {&rules_->user_agent, &rules_->os, &rules_->device}) {
    const LoosenedList loosened(*list);
    ListDfa dfa(&loosened.program, loosened.starts, std::size_t{64} << 20);
    std::vector<std::uint32_t> got;
    for (const std::string& text : Strings(7)) {
      dfa.Candidates(text, &got);
      EXPECT_EQ(got, loosened.Expected(text)) << text;
      dfa.Candidates(text, &got);  // again, now from built transitions
      EXPECT_EQ(got, loosened.Expected(text)) << text;
    }
    EXPECT_GT(dfa.states(), 10u);
  }
}

TEST_F(ListDfaTest, PastItsMemoryBudgetItStillAnswersOnTheUncachedPath) {
  const LoosenedList loosened(rules_->user_agent);
  ListDfa dfa(&loosened.program, loosened.starts, 32 * 1024);
  std::vector<std::uint32_t> got;
  for (const std::string& text : Strings(11)) {
    dfa.Candidates(text, &got);
    EXPECT_EQ(got, loosened.Expected(text)) << text;
  }
  EXPECT_LT(dfa.states(), 600u);
}

TEST_F(ListDfaTest, ThreadsBuildingTheSameDfaAtOnceGetTheSameAnswers) {
  const LoosenedList loosened(rules_->device);
  const std::vector<std::string> texts = Strings(5);
  std::vector<std::vector<std::uint32_t>> expected;
  for (const std::string& text : texts) expected.push_back(loosened.Expected(text));
  ListDfa dfa(&loosened.program, loosened.starts, std::size_t{64} << 20);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::uint32_t> got;
      for (std::size_t round = 0; round < 2; ++round) {
        for (std::size_t k = 0; k < texts.size(); ++k) {
          const std::size_t i = (k + static_cast<std::size_t>(t) * 37) % texts.size();
          dfa.Candidates(texts[i], &got);
          if (got != expected[i]) ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t)
    EXPECT_EQ(mismatches[static_cast<std::size_t>(t)], 0) << "thread " << t;
}

// Match-set ids past what a transition carries inline (the first 512 sets
// met) sit in the row's cold half; the answers must not change there, nor when
// a state with inline transitions that match gets its row.
TEST_F(ListDfaTest, ManyDistinctMatchSetsKeepTheirRules) {
  Program program;
  std::vector<std::uint32_t> starts;
  std::vector<CompiledPattern> compiled;
  for (std::uint32_t i = 0; i < 900; ++i) {
    auto pattern = AppendPattern(&program, "k" + std::to_string(i) + "z", false, i);
    ASSERT_TRUE(pattern.has_value());
    compiled.push_back(*pattern);
    starts.push_back(pattern->start);
  }
  FinishProgram(&program);
  ListDfa dfa(&program, starts, std::size_t{16} << 20);
  std::vector<std::uint32_t> got;
  for (int round = 0; round < 2; ++round) {
    for (std::uint32_t i = 0; i < 900; ++i) {
      // One rule, then two (a set of its own), then one matched on a
      // branchy state's transition.
      const std::string one = "k" + std::to_string(i) + "z";
      const std::string two = one + " k" + std::to_string((i * 7) % 900) + "z";
      dfa.Candidates(one, &got);
      EXPECT_EQ(got, std::vector<std::uint32_t>{i}) << one;
      dfa.Candidates(two, &got);
      std::vector<std::uint32_t> want = {i, (i * 7) % 900};
      std::sort(want.begin(), want.end());
      want.erase(std::unique(want.begin(), want.end()), want.end());
      EXPECT_EQ(got, want) << two;
    }
  }
}

// A DFA of a rule read backwards finds where the backtracker's leftmost
// match starts, with the rule's bounded runs as they are and opened (as the
// matcher uses it: a lower bound on the exact rule's start).
TEST_F(ListDfaTest, ReversedPatternsFindTheLeftmostStart) {
  const std::vector<std::string> texts = Strings(9);
  std::size_t compared = 0, found = 0;
  for (const auto* list : {&rules_->user_agent, &rules_->os, &rules_->device}) {
    for (std::size_t r = 0; r < list->size(); ++r) {
      const Rule& rule = (*list)[r];
      std::vector<std::size_t> exact_starts;
      for (const bool opened : {false, true}) {
        Program forward, backward;
        auto pattern = AppendPattern(&forward, rule.regex, rule.case_insensitive, 0,
                                     {.open_bounded_runs = opened});
        auto reversed = AppendPattern(&backward, rule.regex, rule.case_insensitive, 0,
                                      {.open_bounded_runs = opened, .reversed = true});
        ASSERT_TRUE(pattern.has_value() && reversed.has_value()) << rule.regex;
        FinishProgram(&forward);
        FinishProgram(&backward);
        const Backtracker backtracker(&forward, *pattern);
        const ListDfa dfa(&backward, {reversed->start}, std::size_t{4} << 20);
        for (std::size_t t = 0; t < texts.size(); ++t) {
          const std::string& text = texts[t];
          int slots[2] = {-1, -1};
          const bool matches = backtracker.Search(text, 2, slots);
          std::size_t start = 0;
          ASSERT_TRUE(dfa.LeftmostStart(text, &start));
          const std::size_t expected =
              matches ? static_cast<std::size_t>(slots[0]) : std::string_view::npos;
          EXPECT_EQ(start, expected) << rule.regex << "\n" << text;
          if (!opened) {
            exact_starts.push_back(start);
          } else {
            EXPECT_LE(start, exact_starts[t]) << rule.regex << "\n" << text;
          }
          ++compared;
          found += matches ? 1 : 0;
        }
      }
    }
  }
  EXPECT_GT(compared, 300000u);
  EXPECT_GT(found, 2000u);
}

}  // namespace
}  // namespace masthead::ua
