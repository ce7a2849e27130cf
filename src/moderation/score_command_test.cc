#include "moderation/score_command.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "moderation/test_paths.h"

namespace masthead::moderation {
namespace {

struct CommandRun {
  int status;
  std::vector<nlohmann::json> lines;
  std::string err;
};

CommandRun Score(std::vector<std::string> args, const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  CommandRun run{RunModerateScoreCommand(args, in, out, err), {}, err.str()};
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) {
    run.lines.push_back(nlohmann::json::parse(line));
  }
  return run;
}

std::vector<std::string> ModelArgs() {
  return {"--model", testing::ModelPath(), "--rules", testing::RulesPath()};
}

TEST(ScoreCommandTest, ScoresPlainAndJsonLines) {
  const CommandRun run = Score(ModelArgs(),
                               "The council vote is on Tuesday.\n"
                               "{\"text\": \"You are a pathetic idiot, shut up.\", \"id\": 7}\n"
                               "typical k1k3 lies\r\n");
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(run.lines.size(), 3u);
  for (const auto& line : run.lines) {
    ASSERT_TRUE(line["score"].is_number());
    EXPECT_GE(line["score"].get<double>(), 0.0);
    EXPECT_LE(line["score"].get<double>(), 1.0);
    EXPECT_TRUE(line["reasons"].is_array());
    EXPECT_TRUE(line["nudge"].is_boolean());
  }
  EXPECT_EQ(run.lines[0]["decision"], "publish");
  EXPECT_NE(run.lines[1]["decision"], "publish");
  EXPECT_EQ(run.lines[1]["id"], 7);
  EXPECT_EQ(run.lines[1]["rule"], 2);
  EXPECT_EQ(run.lines[2]["decision"], "reject");
  EXPECT_EQ(run.lines[2]["reasons"][0]["code"], "banned_term");
  EXPECT_EQ(run.lines[2]["reasons"][0]["rule"], 3);
}

TEST(ScoreCommandTest, BadLinesYieldErrorObjectsAndKeepAlignment) {
  const CommandRun run = Score(ModelArgs(), "{not json\n{\"text\": 5}\n\xFF\xFE\nfine\n");
  EXPECT_EQ(run.status, 1);
  ASSERT_EQ(run.lines.size(), 4u);
  EXPECT_TRUE(run.lines[0].contains("error"));
  EXPECT_TRUE(run.lines[1].contains("error"));
  EXPECT_EQ(run.lines[2]["decision"], "reject");  // invalid UTF-8: rule 5
  EXPECT_EQ(run.lines[2]["rule"], 5);
  EXPECT_EQ(run.lines[3]["decision"], "publish");
}

TEST(ScoreCommandTest, ThresholdFlagsApply) {
  std::vector<std::string> args = ModelArgs();
  args.insert(args.end(), {"--nudge=0", "--hold=0", "--reject", "1"});
  const CommandRun run = Score(args, "The council vote is on Tuesday.\n");
  ASSERT_EQ(run.lines.size(), 1u);
  EXPECT_EQ(run.lines[0]["decision"], "hold");
}

TEST(ScoreCommandTest, BadArgumentsAndFilesExitTwo) {
  EXPECT_EQ(Score({"--frobnicate", "x"}, "").status, 2);
  EXPECT_EQ(Score({"--model"}, "").status, 2);
  EXPECT_EQ(Score({"--hold", "high"}, "").status, 2);
  const CommandRun missing = Score({"--model", "/nonexistent/model.ftz"}, "x\n");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("/nonexistent/model.ftz"), std::string::npos);
  EXPECT_TRUE(missing.lines.empty());
  std::vector<std::string> inverted = ModelArgs();
  inverted.insert(inverted.end(), {"--hold", "0.9", "--reject", "0.5"});
  EXPECT_EQ(Score(inverted, "x\n").status, 2);
}

TEST(ScoreCommandTest, ResolvesFilesExplicitlyOrFromTheEnvironment) {
  EXPECT_EQ(ResolveModerationFile(testing::ModelPath(), "UNUSED", kDefaultModelFile),
            testing::ModelPath());
  EXPECT_FALSE(ResolveModerationFile("/nonexistent/x.ftz", "UNUSED", kDefaultModelFile));
  ::setenv("MASTHEAD_MODERATION_MODEL_TEST", testing::ModelPath().c_str(), 1);
  EXPECT_EQ(ResolveModerationFile("", "MASTHEAD_MODERATION_MODEL_TEST", "none.ftz"),
            testing::ModelPath());
  ::setenv("MASTHEAD_DATA_DIR", testing::RepoPath("data").c_str(), 1);
  std::vector<std::string> tried;
  auto found = ResolveModerationFile("", nullptr, kDefaultRulesFile, &tried);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, testing::RepoPath("data") + "/moderation/word_rules.txt");
  ::unsetenv("MASTHEAD_DATA_DIR");
}

}  // namespace
}  // namespace masthead::moderation
