#include "moderation/classifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "moderation/test_paths.h"
#include "moderation/text_normaliser.h"

namespace masthead::moderation {
namespace {

class ClassifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Classifier::Load(testing::ModelPath());
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    classifier_ = loaded->release();
  }
  static void TearDownTestSuite() { delete classifier_; }

  Scores Classify(std::string_view text) {
    return classifier_->Classify(*normaliser_.Normalise(text));
  }

  static Classifier* classifier_;
  TextNormaliser normaliser_ = *TextNormaliser::Create();
};
Classifier* ClassifierTest::classifier_ = nullptr;

TEST_F(ClassifierTest, ShippedModelIsSmallEnough) {
  EXPECT_LE(std::filesystem::file_size(testing::ModelPath()), 5u * 1000 * 1000);
}

TEST_F(ClassifierTest, ProbabilitiesFormADistribution) {
  const Scores s = Classify("The council meets on Tuesday to discuss the budget.");
  float total = 0;
  for (float p : s.probability) {
    EXPECT_GE(p, 0.0f);
    EXPECT_LE(p, 1.0f);
    total += p;
  }
  EXPECT_NEAR(total, 1.0f, 0.01f);
}

TEST_F(ClassifierTest, SeparatesTheLabels) {
  EXPECT_LT(Classify("Thanks for the correction, I had the figures wrong.").Bullying(), 0.3f);
  const Scores attack = Classify("You are a pathetic idiot and a liar, shut up.");
  EXPECT_GT(attack.Bullying(), 0.7f);
  EXPECT_EQ(attack.StrongestBullying(), Label::kAttack);
  const Scores threat = Classify("I know where you live and I will hurt you.");
  EXPECT_GT(threat.Bullying(), 0.7f);
  EXPECT_EQ(threat.StrongestBullying(), Label::kThreat);
  const Scores hate = Classify("Immigrants are vermin and should all be deported.");
  EXPECT_GT(hate.Bullying(), 0.7f);
  EXPECT_EQ(hate.StrongestBullying(), Label::kIdentityHate);
  const Scores profanity = Classify("Holy shit, this fucking weather.");
  EXPECT_LT(profanity.Bullying(), 0.5f);
  EXPECT_GT(profanity.of(Label::kProfanity), profanity.of(Label::kCivil));
}

// The precomputed path must give what fastText's own predict() gives.
TEST_F(ClassifierTest, FastPathAgreesWithFastText) {
  ASSERT_TRUE(classifier_->fast_path());
  std::ifstream in(testing::RepoPath("data/moderation/examples/civil.txt"));
  std::vector<std::string> texts;
  for (std::string line; std::getline(in, line);) texts.push_back(line);
  for (const char* file : {"attack.txt", "threat.txt", "identity_hate.txt", "profanity.txt"}) {
    std::ifstream more(testing::RepoPath(std::string("data/moderation/examples/") + file));
    for (std::string line; std::getline(more, line);) texts.push_back(line);
  }
  texts.push_back("zzqx unknownword qqq 12345 \xE4\xB8\xAD\xE6\x96\x87");
  texts.push_back("a");
  ASSERT_GT(texts.size(), 300u);
  for (const std::string& text : texts) {
    const std::string normalised = *normaliser_.Normalise(text);
    const Scores fast = classifier_->Classify(normalised);
    const Scores reference = classifier_->ClassifyWithFastText(normalised);
    for (int l = 0; l < kLabelCount; ++l) {
      ASSERT_NEAR(fast.probability[l], reference.probability[l], 2e-4) << text;
    }
  }
}

TEST_F(ClassifierTest, EmptyTextIsCivil) {
  EXPECT_FLOAT_EQ(Classify("").of(Label::kCivil), 1.0f);
  EXPECT_FLOAT_EQ(Classify("!!! ...").Bullying(), 0.0f);
}

TEST(ClassifierLoadTest, MissingFileIsNotFound) {
  auto loaded = Classifier::Load(testing::RepoPath("data/moderation/none.ftz"));
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code, ErrorCode::kNotFound);
}

TEST(ClassifierLoadTest, GarbageAndTruncatedFilesAreErrorsNotCrashes) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("masthead_classifier_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto garbage = dir / "garbage.ftz";
  std::ofstream(garbage) << "this is not a model at all";
  auto loaded = Classifier::Load(garbage.string());
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidArgument);

  std::ifstream in(testing::ModelPath(), std::ios::binary);
  const std::string model((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (std::size_t cut : {std::size_t{8}, std::size_t{100}, model.size() / 2}) {
    const auto truncated = dir / ("truncated_" + std::to_string(cut) + ".ftz");
    std::ofstream(truncated, std::ios::binary) << model.substr(0, cut);
    EXPECT_FALSE(Classifier::Load(truncated.string()).has_value()) << cut;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace masthead::moderation
