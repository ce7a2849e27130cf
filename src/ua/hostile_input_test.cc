// Inputs an attacker controls: the User-Agent header is arbitrary bytes of
// arbitrary length. The parser must return (not crash, not hang) and keep its
// result well-formed. No timing asserts: the bound is structural (the input is
// clipped to max_input_bytes and every engine is linear), and the ctest
// timeout catches a regression to super-linear behaviour.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ua/parser.h"
#include "ua/ua_json.h"

namespace masthead::ua {
namespace {

class HostileInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto parser = Parser::Load(std::string(kDefaultRegexesPath), {.cache_capacity = 64});
    ASSERT_TRUE(parser.has_value()) << parser.error().ToString();
    parser_ = parser->release();
  }
  static void TearDownTestSuite() { delete parser_; }

  // Parses and checks the JSON form stays valid.
  static ParsedUa ParseChecked(const std::string& ua) {
    const ParsedUa parsed = parser_->Parse(ua);
    const std::string line = ToJsonLine(parsed);
    EXPECT_TRUE(nlohmann::json::accept(line)) << line.substr(0, 200);
    EXPECT_FALSE(parsed.user_agent.family.empty());
    EXPECT_FALSE(parsed.os.family.empty());
    EXPECT_FALSE(parsed.device.family.empty());
    return parsed;
  }

  static Parser* parser_;
};

Parser* HostileInputTest::parser_ = nullptr;

constexpr char kChrome[] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36";

// A request without a User-Agent header gives a view with no data at all;
// no rule may touch memory through its null pointer (UBSan found memchr doing so).
TEST_F(HostileInputTest, NoUserAgentAtAll) {
  for (const std::string_view empty : {std::string_view(), std::string_view("")}) {
    const ParsedUa parsed = parser_->Parse(empty);
    EXPECT_EQ(parsed.user_agent.family, "Other");
    EXPECT_EQ(parsed.os.family, "Other");
    EXPECT_EQ(parsed.device.family, "Other");
    EXPECT_EQ(parser_->ParseUserAgent(empty).family, "Other");
    EXPECT_EQ(parser_->ParseOs(empty).family, "Other");
    EXPECT_EQ(parser_->ParseDevice(empty).family, "Other");
  }
}

TEST_F(HostileInputTest, HundredKilobyteUserAgents) {
  for (const std::string& filler : {std::string("a"), std::string(" "), std::string("Mobile"),
                                    std::string("0"), std::string(";A Build HuaweiA4")}) {
    std::string ua;
    while (ua.size() < 100 * 1024) ua += filler;
    ParseChecked(ua);
    ParseChecked("HbbTV/1.1.1 (" + ua + "!");
    ParseChecked("Mozilla/5.0 (iPhone; CPU iPhone OS " + ua);
  }
  // A real UA followed by 100 KB of padding is still recognised from its start.
  const ParsedUa padded = ParseChecked(kChrome + std::string(100 * 1024, 'x'));
  EXPECT_EQ(padded.user_agent.family, "Chrome");
  EXPECT_EQ(padded.os.family, "Windows");
}

TEST_F(HostileInputTest, UapCoreRedosStrings) {
  // The shapes of uap-core's tests/regexes.js "redos" suite, at full size.
  const std::vector<std::pair<std::string, std::string>> shapes = {
      {"SmartWatch", " "},     {";A Build HuaweiA", "4"},      {"HbbTV/0.0.0 (;LGE;", " "},
      {"AppleWebKit/1.", "0"}, {"AppleWebKit/1.1", " Safari"}, {"Opera/", "Opera Mobi"},
      {"Chrome/1.1.", "0"},    {"iPod;", "CPUOS 1_1"},         {"HbbTV/1.1.1 (", ";a;2011"},
      {"CPU OS 0.0", "0"},     {"Mozilla", "Android"},         {"MSIE 1.", "0"}};
  for (const auto& [prefix, repeated] : shapes) {
    std::string ua = prefix;
    for (int i = 0; i < 10000; ++i) ua += repeated;
    ParseChecked(ua + "!");
    ParseChecked(ua + "\xe2\x97\x8e");
  }
}

TEST_F(HostileInputTest, ThousandsOfParentheses) {
  ParseChecked(std::string(5000, '(') + std::string(5000, ')'));
  ParseChecked("Mozilla/5.0 " + std::string(20000, '(') + "Android 10; K" +
               std::string(20000, ')'));
  std::string nested;
  for (int i = 0; i < 5000; ++i) nested += "(Linux; ";
  ParseChecked(nested);
}

TEST_F(HostileInputTest, BinaryBytesAndInvalidUtf8) {
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  ParseChecked(all_bytes);
  ParseChecked(std::string("Chrome/1\0.2", 11));
  ParseChecked(std::string(1000, '\0'));
  ParseChecked("\xff\xfe\xfd Firefox/\xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80");
  // Invalid bytes inside what a rule captures must come out as valid JSON.
  const ParsedUa parsed = ParseChecked("Mozilla/5.0 (Linux; Android 10; \xff\xfe Build/QP1A)");
  EXPECT_EQ(parsed.os.family, "Android");

  std::mt19937 rng(8);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 300; ++i) {
    std::string random(static_cast<std::size_t>(byte(rng)) * 8, '\0');
    for (char& c : random) c = static_cast<char>(byte(rng));
    ParseChecked(random);
  }
}

TEST_F(HostileInputTest, ConcurrentParsingAgreesWithSingleThreaded) {
  const std::vector<std::string> inputs = {
      kChrome, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/124.0.0.0 Mobile Safari/537.36",
      std::string(5000, '('), "curl/8.5.0"};
  std::vector<ParsedUa> expected;
  for (const auto& ua : inputs) expected.push_back(parser_->Parse(ua));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        for (std::size_t i = 0; i < inputs.size(); ++i) {
          // Mix cached and uncached paths, and strings that evict each other.
          const ParsedUa got =
              (round % 2) ? parser_->Parse(inputs[i])
                          : ParsedUa{parser_->ParseUserAgent(inputs[i]),
                                     parser_->ParseOs(inputs[i]), parser_->ParseDevice(inputs[i])};
          if (!(got == expected[i])) ++mismatches[t];
          parser_->Parse(std::to_string(t * 100000 + round * 10 + static_cast<int>(i)));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace masthead::ua
