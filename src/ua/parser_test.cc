// The parser against small rule files written here, one behaviour of the
// uap-core specification per test (the full suites are in conformance_test.cc).
#include "ua/parser.h"

#include <gtest/gtest.h>

namespace masthead::ua {
namespace {

std::unique_ptr<Parser> FromYamlOrDie(const std::string& yaml, ParserOptions options = {}) {
  auto parser = Parser::FromYaml(yaml, options);
  EXPECT_TRUE(parser.has_value()) << parser.error().ToString();
  return parser ? std::move(*parser) : nullptr;
}

// The examples of uap-core's specification.md, one per list.
constexpr char kSpecExamples[] = R"yaml(
user_agent_parsers:
  - regex: '(Namoroka|Shiretoko|Minefield)/(\d+)\.(\d+)\.(\d+(?:pre)?)'
    family_replacement: 'Firefox ($1)'
  - regex: '(Firefox)/(\d+)\.(\d+)'
os_parsers:
  - regex: 'Win(95|98|3.1|NT|ME|2000)'
    os_replacement: 'Windows $1'
  - regex: '(Android) (\d+)(?:\.(\d+)|)(?:\.(\d+)|)'
device_parsers:
  - regex: '; *(PEDI)_(PLUS)_(W) Build'
    device_replacement: 'Odys $1 $2 $3'
    brand_replacement: 'Odys'
    model_replacement: '$1 $2 $3'
  - regex: '(nokia)(\w+)'
    regex_flag: 'i'
    device_replacement: '$1 $2 $9 '
    brand_replacement: 'Nokia'
  - regex: 'Spider'
    device_replacement: 'Spider'
    brand_replacement: 'Spider'
    model_replacement: '  '
)yaml";

TEST(ParserTest, SpecUserAgentExample) {
  auto parser = FromYamlOrDie(kSpecExamples);
  const UserAgent ua = parser->ParseUserAgent(
      "Mozilla/5.0 (Windows; Windows NT 5.1; rv:2.0b3pre) Gecko/20100727 Minefield/4.0.1pre");
  EXPECT_EQ(ua, (UserAgent{"Firefox (Minefield)", "4", "0", "1pre"}));
}

TEST(ParserTest, CaptureGroupsFillFieldsWithoutReplacements) {
  auto parser = FromYamlOrDie(kSpecExamples);
  EXPECT_EQ(parser->ParseUserAgent("x Firefox/115.2 y"),
            (UserAgent{"Firefox", "115", "2", std::nullopt}));
  // A group that does not take part in the match is null, not "".
  EXPECT_EQ(parser->ParseOs("Linux; Android 14; Pixel"),
            (Os{"Android", "14", std::nullopt, std::nullopt, std::nullopt}));
}

TEST(ParserTest, SpecOsExample) {
  auto parser = FromYamlOrDie(kSpecExamples);
  EXPECT_EQ(parser->ParseOs("Mozilla/5.0 (Windows; U; Win95; en-US; rv:1.1) Gecko/20020826").family,
            "Windows 95");
}

TEST(ParserTest, SpecDeviceExample) {
  auto parser = FromYamlOrDie(kSpecExamples);
  const Device device = parser->ParseDevice(
      "Mozilla/5.0 (Linux; U; Android 4.2.2; de-de; PEDI_PLUS_W Build/JDQ39) AppleWebKit/534.30 "
      "(KHTML, like Gecko) Version/4.0 Safari/534.30");
  EXPECT_EQ(device, (Device{"Odys PEDI PLUS W", "Odys", "PEDI PLUS W"}));
}

TEST(ParserTest, CaseInsensitiveFlagMissingGroupsAndTrimming) {
  auto parser = FromYamlOrDie(kSpecExamples);
  // regex_flag 'i' matches "NOKIA"; $9 (no such group) is empty; the trailing
  // spaces are trimmed; with no model_replacement the model is $1.
  EXPECT_EQ(parser->ParseDevice("NOKIAN95 Profile"), (Device{"NOKIA N95", "Nokia", "NOKIA"}));
  // A replacement that trims to nothing is null.
  EXPECT_EQ(parser->ParseDevice("Spider"), (Device{"Spider", "Spider", std::nullopt}));
}

TEST(ParserTest, DollarSignsThatAreNotGroupReferencesStayAsWritten) {
  auto parser = FromYamlOrDie(R"yaml(
user_agent_parsers:
  - regex: '(Pay)(\d)'
    family_replacement: '$$1 $0 US$ $a $2$1$'
os_parsers: []
device_parsers: []
)yaml");
  // $$1: a '$' then group 1; $0 and $a stay; $2 is group 2; a final '$' stays.
  EXPECT_EQ(parser->ParseUserAgent("Pay7").family, "$Pay $0 US$ $a 7Pay$");
}

TEST(ParserTest, NoMatchGivesOtherAndNulls) {
  auto parser = FromYamlOrDie(kSpecExamples);
  EXPECT_EQ(parser->Parse("curl"), ParsedUa{});
  EXPECT_EQ(parser->Parse(""), ParsedUa{});
}

TEST(ParserTest, FirstMatchingRuleWinsEvenWhenALaterOneMatchesEarlierInTheText) {
  auto parser = FromYamlOrDie(R"yaml(
user_agent_parsers:
  - regex: '(Late)/(\d+)'
  - regex: '(Early)/(\d+)'
os_parsers: []
device_parsers: []
)yaml");
  EXPECT_EQ(parser->ParseUserAgent("Early/1 Late/2").family, "Late");
  EXPECT_EQ(parser->ParseUserAgent("Early/1").family, "Early");
}

TEST(ParserTest, BoundedRepetitionsKeepTheirMeaningOnLongTexts) {
  // Matching opens up ".{0,5}" on short texts only; past the bound it must not.
  auto parser = FromYamlOrDie(R"yaml(
user_agent_parsers:
  - regex: '^(.{0,5})/(\d+)'
  - regex: '^.{0,3}?(B)(\d)'
os_parsers: []
device_parsers: []
)yaml");
  EXPECT_EQ(parser->ParseUserAgent("abc/1").family, "abc");
  EXPECT_EQ(parser->ParseUserAgent("abcdefgh/1").family, "Other");
  EXPECT_EQ(parser->ParseUserAgent("xxB1").family, "B");
  EXPECT_EQ(parser->ParseUserAgent("xxxxB1").family, "Other");
  EXPECT_EQ(parser->ParseUserAgent("x\nB1").family, "Other");  // '.' stops at newline
}

TEST(ParserTest, GreedyLeadingBoundHoldsWhenNoGroupIsRead) {
  // A rule whose fields read no group is only asked whether it matches; texts
  // the ^.{0,4} can span entirely take a shortcut, longer ones and ones with a
  // newline must still find where the match starts.
  auto parser = FromYamlOrDie(R"yaml(
user_agent_parsers: []
os_parsers: []
device_parsers:
  - regex: '^.{0,4}(bot|crawl)'
    device_replacement: 'Spider'
    brand_replacement: 'Spider'
    model_replacement: 'Desktop'
)yaml");
  EXPECT_EQ(parser->ParseDevice("xbot").family, "Spider");
  EXPECT_EQ(parser->ParseDevice("bo").family, "Other");
  EXPECT_EQ(parser->ParseDevice("xxxbot").family, "Spider");
  EXPECT_EQ(parser->ParseDevice("xxxxbot").family, "Spider");
  EXPECT_EQ(parser->ParseDevice("xxxxxbot").family, "Other");
  EXPECT_EQ(parser->ParseDevice("x\nbot").family, "Other");
  EXPECT_EQ(parser->ParseDevice("xbot\nzzzzzzzz").family, "Spider");
}

TEST(ParserTest, InputIsClippedToMaxInputBytes) {
  auto parser = FromYamlOrDie(kSpecExamples, ParserOptions{.max_input_bytes = 20});
  EXPECT_EQ(parser->ParseUserAgent("Firefox/1.2").family, "Firefox");
  EXPECT_EQ(parser->ParseUserAgent(std::string(30, ' ') + "Firefox/1.2").family, "Other");
}

TEST(ParserTest, CachedAndUncachedResultsAgree) {
  auto cached = FromYamlOrDie(kSpecExamples);
  auto uncached = FromYamlOrDie(kSpecExamples, ParserOptions{.cache_capacity = 0});
  for (const char* ua : {"Firefox/1.2 Android 4.1", "NOKIAN95", "Win98", "nothing"}) {
    const ParsedUa first = cached->Parse(ua);
    EXPECT_EQ(first, cached->Parse(ua)) << ua;  // second call is a cache hit
    EXPECT_EQ(first, uncached->Parse(ua)) << ua;
  }
}

TEST(ParserTest, CacheSkipsLongStringsAndCanBeDisabled) {
  auto parser = FromYamlOrDie(kSpecExamples, ParserOptions{.max_cached_bytes = 100});
  parser->Parse("Firefox/1.2");
  parser->Parse("Firefox/1.2");
  EXPECT_EQ(parser->cached_entries(), 1u);
  const ParsedUa long_result = parser->Parse("Firefox/1.2 " + std::string(200, 'x'));
  EXPECT_EQ(long_result.user_agent.family, "Firefox");
  EXPECT_EQ(parser->cached_entries(), 1u);

  auto uncached = FromYamlOrDie(kSpecExamples, ParserOptions{.cache_capacity = 0});
  uncached->Parse("Firefox/1.2");
  EXPECT_EQ(uncached->cached_entries(), 0u);
}

TEST(ParserTest, RejectsMalformedRuleFiles) {
  auto not_yaml = Parser::FromYaml("user_agent_parsers: [");
  ASSERT_FALSE(not_yaml.has_value());
  EXPECT_EQ(not_yaml.error().code, ErrorCode::kInvalidArgument);

  auto no_regex = Parser::FromYaml(
      "user_agent_parsers:\n  - family_replacement: x\nos_parsers: []\ndevice_parsers: []\n");
  ASSERT_FALSE(no_regex.has_value());
  EXPECT_EQ(no_regex.error().field, "user_agent_parsers[0]");

  auto bad_regex = Parser::FromYaml(
      "user_agent_parsers: []\nos_parsers:\n  - regex: 'a(b'\ndevice_parsers: []\n");
  ASSERT_FALSE(bad_regex.has_value());
  EXPECT_EQ(bad_regex.error().field, "os_parsers[0]");

  auto missing_list = Parser::FromYaml("user_agent_parsers: []\nos_parsers: []\n");
  ASSERT_FALSE(missing_list.has_value());
  EXPECT_EQ(missing_list.error().field, "device_parsers");

  auto bad_flag = Parser::FromYaml(
      "user_agent_parsers: []\nos_parsers: []\ndevice_parsers:\n  - regex: a\n    regex_flag: x\n");
  ASSERT_FALSE(bad_flag.has_value());
  EXPECT_EQ(bad_flag.error().field, "device_parsers[0]");
}

TEST(ParserTest, MissingFileIsNotFound) {
  auto parser = Parser::Load("/nonexistent/regexes.yaml");
  ASSERT_FALSE(parser.has_value());
  EXPECT_EQ(parser.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace masthead::ua
