// RuleMatcher against the definition of what it returns: the first rule, in
// file order, that RE2 (in the mode RuleRegex runs it) finds in the text, with
// that match's groups. Run over every list of the installed regexes.yaml and
// many user agents, asking for all groups (the backtracker on the whole rule,
// or on the rest after a leading ^.{0,N}?) and for none (the DFA's verdict
// where it is exact, the leftmost start of the rest after ^.{0,N}).
#include "ua/rule_matcher.h"

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ua/rules.h"

namespace masthead::ua {
namespace {

std::vector<std::string> Corpus() {
  std::vector<std::string> corpus;
  const YAML::Node cases = YAML::LoadFile("/usr/share/uap-core/tests/test_ua.yaml")["test_cases"];
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto ua = cases[i]["user_agent_string"].as<std::string>();
    corpus.push_back(ua);
    if (i % 4 != 0) continue;
    std::string with_newline = ua;
    with_newline.insert(with_newline.size() / 2, "\n");
    corpus.push_back(with_newline);
    corpus.push_back(ua + " " + ua + " " + ua);  // past the ^.{0,N} bounds
    std::string lower = ua;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    corpus.push_back(lower);
  }
  const YAML::Node devices =
      YAML::LoadFile("/usr/share/uap-core/tests/test_device.yaml")["test_cases"];
  for (std::size_t i = 0; i < devices.size(); i += 16)
    corpus.push_back(devices[i]["user_agent_string"].as<std::string>());
  corpus.push_back("");
  return corpus;
}

class Reference {
 public:
  explicit Reference(const std::vector<Rule>& rules) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_encoding(RE2::Options::EncodingLatin1);
    for (const Rule& rule : rules) {
      regexes_.push_back(
          std::make_unique<RE2>((rule.case_insensitive ? "(?i)" : "") + rule.regex, options));
    }
  }
  // Index of the first matching rule and its groups 0..9 (empty: not taking part).
  std::optional<std::size_t> FirstMatch(std::string_view text,
                                        std::vector<std::string_view>* groups) const {
    for (std::size_t i = 0; i < regexes_.size(); ++i) {
      const RE2& re = *regexes_[i];
      const int count = std::min(1 + re.NumberOfCapturingGroups(), 10);
      std::vector<re2::StringPiece> pieces(static_cast<std::size_t>(count));
      if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED,
                    pieces.data(), count)) {
        continue;
      }
      groups->assign(10, std::string_view());
      for (int g = 0; g < count; ++g) {
        const auto& piece = pieces[static_cast<std::size_t>(g)];
        if (piece.data() != nullptr)
          (*groups)[static_cast<std::size_t>(g)] = std::string_view(piece.data(), piece.size());
      }
      return i;
    }
    return std::nullopt;
  }

 private:
  std::vector<std::unique_ptr<RE2>> regexes_;
};

TEST(RuleMatcherTest, FindsTheFirstRuleRe2FindsWithTheSameGroups) {
  auto rules = LoadRuleFile(std::string(kDefaultRegexesPath));
  ASSERT_TRUE(rules.has_value()) << rules.error().ToString();
  const std::vector<std::string> corpus = Corpus();
  std::size_t failures = 0, compared = 0;
  for (const auto* list : {&rules->user_agent, &rules->os, &rules->device}) {
    const Reference reference(*list);
    for (const int wanted : {9, 0}) {
      auto matcher = RuleMatcher::Build(*list, std::vector<int>(list->size(), wanted), "list");
      ASSERT_TRUE(matcher.has_value()) << matcher.error().ToString();
      std::vector<std::string_view> expected_groups;
      for (const std::string& text : corpus) {
        Captures captures;
        const auto got = matcher->FirstMatch(text, &captures);
        const auto want = reference.FirstMatch(text, &expected_groups);
        ++compared;
        std::string difference;
        if (got != want) {
          difference = "rule " + (got ? std::to_string(*got) : "none") + ", RE2 " +
                       (want ? std::to_string(*want) : "none");
        } else if (got && wanted > 0) {
          for (int g = 0; g < 10; ++g) {
            const auto gi = static_cast<std::size_t>(g);
            if (g < captures.count && captures.groups[gi] != expected_groups[gi]) {
              difference = "group " + std::to_string(g) + ": '" + std::string(captures.groups[gi]) +
                           "', RE2 '" + std::string(expected_groups[gi]) + "'";
              break;
            }
          }
        }
        if (difference.empty()) continue;
        if (++failures <= 20)
          ADD_FAILURE() << "wanted " << wanted << " on " << text << "\n  " << difference;
      }
    }
  }
  EXPECT_EQ(failures, 0u);
  EXPECT_GT(compared, 10000u);
}

// The three lists through one joint DFA give what each list gives alone,
// also when the joint DFA's budget is so small that texts finish uncached.
TEST(RuleMatcherTest, JointMatcherAgreesWithEachListAlone) {
  auto rules = LoadRuleFile(std::string(kDefaultRegexesPath));
  ASSERT_TRUE(rules.has_value()) << rules.error().ToString();
  std::vector<RuleMatcher> matchers;
  for (const auto* list : {&rules->user_agent, &rules->os, &rules->device}) {
    auto matcher = RuleMatcher::Build(*list, std::vector<int>(list->size(), 9), "list");
    ASSERT_TRUE(matcher.has_value()) << matcher.error().ToString();
    matchers.push_back(std::move(*matcher));
  }
  const std::vector<const RuleMatcher*> pointers = {&matchers[0], &matchers[1], &matchers[2]};
  const std::vector<std::string> corpus = Corpus();
  std::size_t failures = 0, matched = 0;
  for (const std::size_t budget : {RuleMatcher::kDefaultDfaMaxBytes, std::size_t{64} * 1024}) {
    const JointMatcher joint(pointers, budget);
    for (std::size_t i = 0; i < corpus.size();
         i += budget == RuleMatcher::kDefaultDfaMaxBytes ? 1 : 5) {
      const std::string& text = corpus[i];
      std::array<Captures, 3> captures;
      std::array<std::optional<std::size_t>, 3> found;
      joint.FirstMatchOfEach(text, captures.data(), found.data());
      for (std::size_t k = 0; k < 3; ++k) {
        Captures alone;
        const auto want = matchers[k].FirstMatch(text, &alone);
        bool same =
            found[k] == want && captures[k].count == (want ? alone.count : captures[k].count);
        for (int g = 0; same && want && g < alone.count; ++g) {
          same = captures[k].groups[static_cast<std::size_t>(g)] ==
                 alone.groups[static_cast<std::size_t>(g)];
        }
        if (want) ++matched;
        if (!same && ++failures <= 20)
          ADD_FAILURE() << "list " << k << ", budget " << budget << ": " << text;
      }
    }
  }
  EXPECT_EQ(failures, 0u);
  EXPECT_GT(matched, 5000u);
}

}  // namespace
}  // namespace masthead::ua
