// Masthead's own engine (uap_regex + Backtracker) against RE2 in the mode
// RuleRegex runs it: for every rule of the installed regexes.yaml and many
// user agents (uap-core's test strings and altered copies: other case, a
// newline, Latin-1 bytes, cut short), whether it matches and every group.
#include "ua/uap_regex.h"

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <vector>

#include "ua/backtracker.h"
#include "ua/rules.h"

namespace masthead::ua {
namespace {

RE2::Options Re2Options() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingLatin1);
  return options;
}

// Runs `pattern` through both engines on `text`; "" when they agree, else a
// description of the difference.
class Pair {
 public:
  Pair(const std::string& pattern, bool case_insensitive)
      : re2_(std::make_unique<RE2>((case_insensitive ? "(?i)" : "") + pattern, Re2Options())) {
    auto compiled = AppendPattern(&program_, pattern, case_insensitive, 0);
    if (compiled) {
      FinishProgram(&program_);
      backtracker_ = std::make_unique<Backtracker>(&program_, *compiled);
    } else {
      error_ = compiled.error().message;
    }
    if (auto runs = AppendPattern(&runs_program_, pattern, case_insensitive, 0, {.byte_runs = true})) {
      FinishProgram(&runs_program_);
      with_runs_ = std::make_unique<Backtracker>(&runs_program_, *runs);
    }
  }
  bool compiled() const { return backtracker_ != nullptr; }
  const std::string& error() const { return error_; }
  bool re2_ok() const { return re2_->ok(); }

  // The program as written and the one with byte runs (kRun).
  std::string Compare(std::string_view text) const {
    std::string difference = CompareWith(*backtracker_, text);
    if (difference.empty() && with_runs_ != nullptr) {
      difference = CompareWith(*with_runs_, text);
      if (!difference.empty()) difference = "with byte runs: " + difference;
    }
    return difference;
  }

  std::string CompareWith(const Backtracker& backtracker, std::string_view text) const {
    const int groups = re2_->NumberOfCapturingGroups();
    std::vector<re2::StringPiece> want(static_cast<std::size_t>(groups + 1));
    const bool re2_matched = re2_->Match(re2::StringPiece(text.data(), text.size()), 0,
                                         text.size(), RE2::UNANCHORED, want.data(), groups + 1);
    std::vector<int> slots(static_cast<std::size_t>(2 * (groups + 1)));
    const bool ours = backtracker.Search(text, static_cast<int>(slots.size()), slots.data());
    if (ours != re2_matched) {
      return std::string("RE2 ") + (re2_matched ? "matches" : "does not match") + ", ours " +
             (ours ? "does" : "does not");
    }
    if (!ours) return "";
    for (int g = 0; g <= groups; ++g) {
      const auto gi = static_cast<std::size_t>(g);
      const int start = slots[2 * gi], end = slots[2 * gi + 1];
      const bool ours_set = start >= 0 && end >= 0;
      const bool re2_set = want[gi].data() != nullptr;
      if (ours_set != re2_set) return "group " + std::to_string(g) + " set by one engine only";
      if (!ours_set) continue;
      const std::size_t re2_start = static_cast<std::size_t>(want[gi].data() - text.data());
      if (re2_start != static_cast<std::size_t>(start) ||
          want[gi].size() != static_cast<std::size_t>(end - start)) {
        return "group " + std::to_string(g) + ": RE2 [" + std::to_string(re2_start) + "," +
               std::to_string(re2_start + want[gi].size()) + ") ours [" + std::to_string(start) +
               "," + std::to_string(end) + ")";
      }
    }
    return "";
  }

 private:
  Program program_, runs_program_;
  std::unique_ptr<RE2> re2_;
  std::unique_ptr<Backtracker> backtracker_, with_runs_;
  std::string error_;
};

std::vector<std::string> Corpus() {
  std::vector<std::string> base;
  for (const char* file : {"tests/test_ua.yaml", "tests/test_os.yaml"}) {
    for (const YAML::Node& c : YAML::LoadFile(std::string("/usr/share/uap-core/") + file)["test_cases"])
      base.push_back(c["user_agent_string"].as<std::string>());
  }
  const YAML::Node devices = YAML::LoadFile("/usr/share/uap-core/tests/test_device.yaml")["test_cases"];
  for (std::size_t i = 0; i < devices.size(); i += 8)
    base.push_back(devices[i]["user_agent_string"].as<std::string>());
  std::vector<std::string> corpus = base;
  for (std::size_t i = 0; i < base.size(); i += 3) {
    std::string upper = base[i], lower = base[i];
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    corpus.push_back(upper);
    corpus.push_back(lower);
    std::string with_newline = base[i];
    with_newline.insert(with_newline.size() / 2, "\n");
    corpus.push_back(with_newline);
    std::string latin1 = base[i];
    latin1.insert(latin1.size() / 3, "\xC9\xE9\xFF\x80 ");
    corpus.push_back(latin1);
    corpus.push_back(base[i].substr(0, base[i].size() * 2 / 3));
  }
  corpus.push_back("");
  return corpus;
}

TEST(UapRegexTest, EveryRuleAgreesWithRe2OnUserAgentsAndAlteredCopies) {
  auto rules = LoadRuleFile(std::string(kDefaultRegexesPath));
  ASSERT_TRUE(rules.has_value()) << rules.error().ToString();
  const std::vector<std::string> corpus = Corpus();
  std::size_t compared = 0, not_compiled = 0, failures = 0;
  for (const auto* list : {&rules->user_agent, &rules->os, &rules->device}) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Rule& rule = (*list)[i];
      Pair pair(rule.regex, rule.case_insensitive);
      ASSERT_TRUE(pair.re2_ok()) << rule.regex;
      if (!pair.compiled()) {
        ++not_compiled;
        ADD_FAILURE() << "not compiled: " << rule.regex << ": " << pair.error();
        continue;
      }
      for (const std::string& text : corpus) {
        const std::string difference = pair.Compare(text);
        ++compared;
        if (difference.empty()) continue;
        if (++failures <= 20) ADD_FAILURE() << rule.regex << "\n  on " << text << "\n  " << difference;
      }
    }
  }
  EXPECT_EQ(failures, 0u);
  EXPECT_EQ(not_compiled, 0u);
  EXPECT_GT(compared, 1000000u);
}

// Constructs around the edges of the dialect, each against RE2.
TEST(UapRegexTest, DialectEdgesAgreeWithRe2) {
  const std::vector<std::pair<std::string, bool>> patterns = {
      {"a|b|c|d", false},       {"(a|ab)(c|bcd)(d*)", false}, {"(a+)*b", false},
      {"(a+|b)+$", false},        {"x{2,3}?y", false},          {"x{0,3}", false},
      {"(?:ab){2}", false},     {"\\bfoo\\b", false},         {"\\Bo\\B", false},
      {"^$", false},            {"[^a-c]+", true},            {"[]a]+", false},
      {"[a-]+", false},         {"[\\d\\s.]+", false},        {"\\W+\\S", false},
      {"é|É", true},            {"a{,2}", false},             {"(a)|(b)|(c)|(d)", false},
      {"(a+?)(a*)", false},     {"((a)|b)+", false},          {"[^\\n]*$", false},
      {".+", false},            {"\\x41\\.\\/\\-", false},    {"(|a)?b", false},
      {"(Mobile|Tablet);.+Firefox/(\\d+)\\.(\\d+)", true},
      {"^.{0,5}?(b+)", false},  {"^.{0,5}(a)", false},       {"([a-z]{0,3})([a-z]{2,4}?)x", false},
      {"x{3,6}", false},
      // Byte runs: nested, adjacent, lazy, bounded and not, around groups.
      {"[a-z]*[a-z]*x", false}, {"(a*)(a*?)(a{0,2})b", false}, {"(x{1,3}?)(x*)y", false},
      {"((?:ab)*)(a{2,}b)", false}, {"([^ ]*) ([a-z]{0,3}?)$", false}, {"(a+?)+b", false},
      {"\\b[a-z]{2,4}\\b", false}, {"(?:x|a{1,4})*y", false},
  };
  const std::vector<std::string> texts = {
      "",   "a",     "ab",   "abcd", "aaab", "xxxy", "xxy", "foo bar", "a foo_", "hello",
      "]a", "a-a",   "1 .2", "é",   "É",   "\n",   "a{,2}", "abab", "abcabc", "A.B/-",
      "Mozilla/5.0 (Android 4.4; Mobile; rv:41.0) Gecko/41.0 FIREFOX/41.0", "ba\nab",
      "\xE9\xC9\xFF", "aaaaaaab", "abcdefghx", "abcx", "xxxxxxxx", "...aaaaaa",
      "aaaaab", "ababaab", "xxxxy", "abc de", "abcd abcde ab", "xaaxay", "aaaaaaaaaaay"};
  for (const auto& [pattern, fold] : patterns) {
    Pair pair(pattern, fold);
    ASSERT_TRUE(pair.re2_ok()) << pattern;
    ASSERT_TRUE(pair.compiled()) << pattern << ": " << pair.error();
    for (const std::string& text : texts) {
      EXPECT_EQ(pair.Compare(text), "") << pattern << " on '" << text << "'";
    }
  }
}

TEST(UapRegexTest, RefusesWhatItDoesNotImplementOrWhatIsMalformed) {
  for (const char* pattern : {"(?i)a", "(?=a)", "[[:alpha:]]", "\\pL", "\\1", "a**", "*a",
                              "(a", "a)", "[a", "[z-a]", "x{1001}", "\\",
                              "(a*)*", "(|a)+", "(?:\\b)*", "(a?){2,}"}) {
    Program program;
    auto compiled = AppendPattern(&program, pattern, false, 0);
    EXPECT_FALSE(compiled.has_value()) << pattern;
    if (!compiled) {
      EXPECT_FALSE(compiled.error().message.empty());
    }
    EXPECT_TRUE(program.insts.empty()) << pattern << ": a refused pattern leaves nothing behind";
  }
  Program program;
  auto huge = AppendPattern(&program, "(?:a{1000}){1000}", false, 0, {.max_insts = 100000});
  ASSERT_FALSE(huge.has_value());
  EXPECT_EQ(huge.error().code, ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace masthead::ua
