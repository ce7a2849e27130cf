// DescribeEnvironment over real uap-core rules (the installed package) and the
// hints real browsers send.
#include "ua/environment.h"

#include <gtest/gtest.h>

#include "ua/parser.h"

namespace masthead::ua {
namespace {

constexpr char kChromeWindowsUa[] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36";
constexpr char kChromeMacUa[] =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36";
constexpr char kReducedAndroidUa[] =
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36";

class EnvironmentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto parser = Parser::Load(std::string(kDefaultRegexesPath));
    ASSERT_TRUE(parser.has_value()) << parser.error().ToString();
    parser_ = parser->release();
  }
  static void TearDownTestSuite() { delete parser_; }

  static Environment Describe(std::string_view ua, const ClientHintHeaders& headers) {
    return DescribeEnvironment(ua, parser_->Parse(ua), ParseClientHints(headers));
  }

  static ClientHintHeaders ChromeHints(const char* platform, const char* platform_version) {
    ClientHintHeaders h;
    h.ua = R"("Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99")";
    h.full_version_list =
        R"("Chromium";v="124.0.6367.91", "Google Chrome";v="124.0.6367.91", "Not-A.Brand";v="99.0.0.0")";
    h.platform = platform;
    h.platform_version = platform_version;
    h.mobile = "?0";
    return h;
  }

  static Parser* parser_;
};

Parser* EnvironmentTest::parser_ = nullptr;

TEST_F(EnvironmentTest, WindowsElevenFromPlatformVersion) {
  const Environment env = Describe(kChromeWindowsUa, ChromeHints("\"Windows\"", "\"15.0.0\""));
  EXPECT_EQ(env.os_name, "Windows");
  EXPECT_EQ(env.os_version, "11");
  EXPECT_EQ(env.browser_name, "Chrome");
  EXPECT_EQ(env.browser_version, "124.0.6367.91");
  EXPECT_EQ(env.device_type, DeviceType::kDesktop);
  EXPECT_EQ(env.Summary(), "Chrome 124.0.6367.91 on Windows 11 (desktop)");
}

TEST_F(EnvironmentTest, WindowsTenBelowThirteen) {
  EXPECT_EQ(Describe(kChromeWindowsUa, ChromeHints("\"Windows\"", "\"10.0.0\"")).os_version, "10");
  EXPECT_EQ(Describe(kChromeWindowsUa, ChromeHints("\"Windows\"", "\"13.0.0\"")).os_version, "11");
  EXPECT_EQ(Describe(kChromeWindowsUa, ChromeHints("\"Windows\"", "\"12.9.0\"")).os_version, "10");
}

TEST_F(EnvironmentTest, WindowsWithoutHintsKeepsWhatTheUaSays) {
  const Environment env = Describe(kChromeWindowsUa, {});
  EXPECT_EQ(env.os_name, "Windows");
  EXPECT_EQ(env.os_version, "10");
  EXPECT_EQ(env.browser_version, "124.0.0");  // reduced UA: only the major is real
}

TEST_F(EnvironmentTest, MacOsVersionFromHints) {
  const Environment env = Describe(kChromeMacUa, ChromeHints("\"macOS\"", "\"14.4.1\""));
  EXPECT_EQ(env.os_name, "macOS");
  EXPECT_EQ(env.os_version, "14.4.1");
  EXPECT_EQ(env.device_type, DeviceType::kDesktop);
  // Without hints: the frozen version the UA string carries.
  EXPECT_EQ(Describe(kChromeMacUa, {}).os_version, "10.15.7");
}

TEST_F(EnvironmentTest, ReducedAndroidUaTakesVersionAndModelFromHints) {
  ClientHintHeaders h = ChromeHints("\"Android\"", "\"14.0.0\"");
  h.mobile = "?1";
  h.model = "\"Pixel 7\"";
  const Environment env = Describe(kReducedAndroidUa, h);
  EXPECT_EQ(env.os_name, "Android");
  EXPECT_EQ(env.os_version, "14.0.0");
  EXPECT_EQ(env.device_model, "Pixel 7");
  EXPECT_EQ(env.device_type, DeviceType::kMobile);
  EXPECT_EQ(env.browser_name, "Chrome Mobile");
  EXPECT_EQ(env.browser_version, "124.0.6367.91");

  const Environment bare = Describe(kReducedAndroidUa, {});
  EXPECT_EQ(bare.os_version, "10");
  EXPECT_NE(bare.device_model, "Pixel 7");
}

TEST_F(EnvironmentTest, IphoneSafari) {
  const Environment env = Describe(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
      "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      {});
  EXPECT_EQ(env.os_name, "iOS");
  EXPECT_EQ(env.os_version, "17.4");
  EXPECT_EQ(env.browser_name, "Mobile Safari");
  EXPECT_EQ(env.device_brand, "Apple");
  EXPECT_EQ(env.device_model, "iPhone");
  EXPECT_EQ(env.device_type, DeviceType::kMobile);
}

TEST_F(EnvironmentTest, TabletsAndBots) {
  EXPECT_EQ(Describe("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
                     "like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
                     {})
                .device_type,
            DeviceType::kTablet);
  EXPECT_EQ(Describe("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like "
                     "Gecko) Chrome/124.0.0.0 Safari/537.36",
                     {})
                .device_type,
            DeviceType::kTablet);
  const Environment bot =
      Describe("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", {});
  EXPECT_EQ(bot.device_type, DeviceType::kBot);
  EXPECT_EQ(bot.browser_name, "Googlebot");
}

TEST_F(EnvironmentTest, LinuxFirefoxDesktop) {
  const Environment env =
      Describe("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", {});
  EXPECT_EQ(env.os_name, "Linux");
  EXPECT_EQ(env.browser_name, "Firefox");
  EXPECT_EQ(env.browser_version, "125.0");
  EXPECT_EQ(env.device_type, DeviceType::kDesktop);
  EXPECT_EQ(env.device_brand, "");
}

TEST_F(EnvironmentTest, UnknownEverything) {
  const Environment env = Describe("", {});
  EXPECT_EQ(env.Summary(), "Unknown browser on unknown OS (desktop)");
}

}  // namespace
}  // namespace masthead::ua
