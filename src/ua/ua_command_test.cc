#include "ua/ua_command.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "ua/rules.h"

namespace masthead::ua {
namespace {

const std::string kRegexes(kDefaultRegexesPath);

std::vector<nlohmann::json> Lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST(UaCommandTest, ParsesEachArgumentInUapCoreShape) {
  std::istringstream in("ignored when there are arguments\n");
  std::ostringstream out, err;
  const int status = RunUaCommand(
      {"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "curl/8.5.0"}, in,
      out, err, kRegexes);
  ASSERT_EQ(status, 0) << err.str();
  const auto lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 2u);
  // Byte for byte, so the key order is uap-core's too.
  EXPECT_EQ(out.str().substr(0, out.str().find('\n')),
            R"({"user_agent":{"family":"Firefox","major":"125","minor":"0","patch":null},)"
            R"("os":{"family":"Linux","major":null,"minor":null,"patch":null,"patch_minor":null},)"
            R"("device":{"family":"Other","brand":null,"model":null}})");
  EXPECT_EQ(lines[1]["user_agent"]["family"], "curl");
  EXPECT_EQ(lines[1]["user_agent"]["major"], "8");
}

TEST(UaCommandTest, ReadsOneUserAgentPerLineFromStdin) {
  std::istringstream in(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
      "Gecko) Version/17.4 Mobile/15E148 Safari/604.1\r\n"
      "\n"
      "\xff\xfe bytes\n");
  std::ostringstream out, err;
  ASSERT_EQ(RunUaCommand({}, in, out, err, kRegexes), 0) << err.str();
  const auto lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["os"]["family"], "iOS");
  EXPECT_EQ(lines[0]["os"]["major"], "17");
  EXPECT_EQ(lines[0]["device"]["brand"], "Apple");
  EXPECT_EQ(lines[1]["user_agent"]["family"], "Other");
  EXPECT_TRUE(lines[1]["user_agent"]["major"].is_null());
  EXPECT_EQ(lines[2]["device"]["family"], "Other");
}

TEST(UaCommandTest, MissingRulesFileFailsWithMessage) {
  std::istringstream in;
  std::ostringstream out, err;
  EXPECT_EQ(RunUaCommand({"x"}, in, out, err, "/nonexistent/regexes.yaml"), 1);
  EXPECT_TRUE(out.str().empty());
  EXPECT_NE(err.str().find("/nonexistent/regexes.yaml"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace masthead::ua
