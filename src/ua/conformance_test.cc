// uap-core's own test suites, read at run time from the installed `uap-core`
// package, must pass in full. The file list and the fields compared are those
// of uap-core's tests/test.js.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ua/parser.h"

namespace masthead::ua {
namespace {

const std::string kUapCoreDir = "/usr/share/uap-core";

std::optional<std::string> Expected(const YAML::Node& test_case, const char* key) {
  const YAML::Node value = test_case[key];
  if (!value || value.IsNull()) return std::nullopt;
  return value.as<std::string>();
}

std::string Show(const std::optional<std::string>& value) {
  return value ? "'" + *value + "'" : "null";
}

class ConformanceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto parser =
        Parser::Load(std::string(kDefaultRegexesPath), ParserOptions{.cache_capacity = 0});
    ASSERT_TRUE(parser.has_value()) << parser.error().ToString();
    parser_ = std::move(*parser).release();
  }
  static void TearDownTestSuite() {
    delete parser_;
    parser_ = nullptr;
  }

  // Runs every case of `file`; `check` returns a description of the mismatch or "".
  template <typename Check>
  static void RunSuite(const std::string& file, Check check, std::size_t min_cases) {
    const std::string path = kUapCoreDir + "/" + file;
    ASSERT_TRUE(std::filesystem::exists(path)) << path << " missing: install uap-core";
    const YAML::Node cases = YAML::LoadFile(path)["test_cases"];
    ASSERT_TRUE(cases && cases.IsSequence()) << path;
    ASSERT_GE(cases.size(), min_cases) << path;
    std::size_t failures = 0;
    std::ostringstream first_failures;
    for (const YAML::Node& test_case : cases) {
      const std::string ua = test_case["user_agent_string"].as<std::string>();
      const std::string mismatch = check(ua, test_case);
      if (mismatch.empty()) continue;
      if (++failures <= 20) first_failures << "  " << ua << "\n    " << mismatch << "\n";
    }
    EXPECT_EQ(failures, 0u) << file << ": " << failures << " of " << cases.size()
                            << " cases fail; first ones:\n"
                            << first_failures.str();
    std::printf("[ uap-core ] %s: %zu/%zu pass\n", file.c_str(), cases.size() - failures,
                cases.size());
  }

  static std::string CheckUserAgent(const std::string& ua, const YAML::Node& test_case) {
    const UserAgent got = parser_->ParseUserAgent(ua);
    const UserAgent want{test_case["family"].as<std::string>(), Expected(test_case, "major"),
                         Expected(test_case, "minor"), Expected(test_case, "patch")};
    if (got == want) return "";
    return "got " + got.family + " " + Show(got.major) + " " + Show(got.minor) + " " +
           Show(got.patch) + ", want " + want.family + " " + Show(want.major) + " " +
           Show(want.minor) + " " + Show(want.patch);
  }

  static std::string CheckOs(const std::string& ua, const YAML::Node& test_case) {
    const Os got = parser_->ParseOs(ua);
    const Os want{test_case["family"].as<std::string>(), Expected(test_case, "major"),
                  Expected(test_case, "minor"), Expected(test_case, "patch"),
                  Expected(test_case, "patch_minor")};
    if (got == want) return "";
    return "got " + got.family + " " + Show(got.major) + " " + Show(got.minor) + " " +
           Show(got.patch) + " " + Show(got.patch_minor) + ", want " + want.family + " " +
           Show(want.major) + " " + Show(want.minor) + " " + Show(want.patch) + " " +
           Show(want.patch_minor);
  }

  static std::string CheckDevice(const std::string& ua, const YAML::Node& test_case) {
    const Device got = parser_->ParseDevice(ua);
    const Device want{test_case["family"].as<std::string>(), Expected(test_case, "brand"),
                      Expected(test_case, "model")};
    if (got == want) return "";
    return "got " + got.family + " " + Show(got.brand) + " " + Show(got.model) + ", want " +
           want.family + " " + Show(want.brand) + " " + Show(want.model);
  }

  static Parser* parser_;
};

Parser* ConformanceTest::parser_ = nullptr;

TEST_F(ConformanceTest, TestUa) { RunSuite("tests/test_ua.yaml", CheckUserAgent, 1000); }
TEST_F(ConformanceTest, FirefoxUserAgentStrings) {
  RunSuite("test_resources/firefox_user_agent_strings.yaml", CheckUserAgent, 100);
}
TEST_F(ConformanceTest, PgtsBrowserList) {
  RunSuite("test_resources/pgts_browser_list.yaml", CheckUserAgent, 1000);
}
TEST_F(ConformanceTest, OperaMiniUserAgentStrings) {
  RunSuite("test_resources/opera_mini_user_agent_strings.yaml", CheckUserAgent, 100);
}
TEST_F(ConformanceTest, PodcastingUserAgentStrings) {
  RunSuite("test_resources/podcasting_user_agent_strings.yaml", CheckUserAgent, 100);
}
TEST_F(ConformanceTest, TestOs) { RunSuite("tests/test_os.yaml", CheckOs, 400); }
TEST_F(ConformanceTest, AdditionalOsTests) {
  RunSuite("test_resources/additional_os_tests.yaml", CheckOs, 20);
}
TEST_F(ConformanceTest, TestDevice) { RunSuite("tests/test_device.yaml", CheckDevice, 10000); }

}  // namespace
}  // namespace masthead::ua
