#include "app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace masthead::app {
namespace {

std::string WriteFile(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("masthead-config-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(ConfigTest, FileThenEnvironmentOverride) {
  const auto file = WriteFile("ok.toml",
                              "[server]\nlisten = \"0.0.0.0:9090\"\nthreads = 3\n"
                              "[database]\npath = \"/tmp/x.db\"\n[site]\ntitle = \"Press Herald\"\n");
  auto config = LoadConfig(file, {{"MASTHEAD_SERVER_LISTEN", "127.0.0.1:7070"},
                                  {"MASTHEAD_SOURCE_DIR", "/ignored"}});
  ASSERT_TRUE(config) << config.error().ToString();
  EXPECT_EQ(config->server.port, 7070);
  EXPECT_EQ(config->server.host, "127.0.0.1");
  EXPECT_EQ(config->server.threads, 3);
  EXPECT_EQ(config->database_path, "/tmp/x.db");
  EXPECT_EQ(config->site.title, "Press Herald");
}

TEST(ConfigTest, UnknownKeysAreNamed) {
  const auto file = WriteFile("typo.toml", "[server]\nlisen = \"1\"\n");
  auto config = LoadConfig(file, {});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().field, "server.lisen");
  EXPECT_NE(config.error().message.find("unknown configuration key 'server.lisen'"), std::string::npos);
  auto env = LoadConfig(std::nullopt, {{"MASTHEAD_SERVER_COLOUR", "red"}});
  ASSERT_FALSE(env);
  EXPECT_NE(env.error().message.find("MASTHEAD_SERVER_COLOUR"), std::string::npos);
}

TEST(ConfigTest, BadValuesAreNamed) {
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"server.listen", "nonsense"},
           {"server.listen", "host:99999"},
           {"server.threads", "many"},
           {"server.max_body_bytes", "10"},
           {"database.synchronous", "off"},
           {"site.base_url", "example.org/"},
           {"log.access_log", "maybe"},
           {"mail.section_desks", "world"},
           {"mail.section_desks", "world=not an address"},
           {"accuracy.reminder_days", "-1"},
           {"accuracy.reports_per_hour", "0"}}) {
    Config config;
    auto set = SetConfigValue(config, key, value);
    ASSERT_FALSE(set) << key << "=" << value;
    EXPECT_EQ(set.error().field, key);
  }
}

TEST(ConfigTest, SyntaxErrorsNameTheLine) {
  const auto file = WriteFile("syntax.toml", "[server]\nlisten = \n");
  auto config = LoadConfig(file, {});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("syntax.toml:2"), std::string::npos) << config.error().message;
}

}  // namespace
}  // namespace masthead::app
