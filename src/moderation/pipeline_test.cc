#include "moderation/pipeline.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "base/text.h"
#include "moderation/test_paths.h"

namespace masthead::moderation {
namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    PipelineOptions options;
    options.model_path = testing::ModelPath();
    options.rules_path = testing::RulesPath();
    auto created = Pipeline::Create(options);
    ASSERT_TRUE(created.has_value()) << created.error().ToString();
    pipeline_ = created->release();
  }
  static void TearDownTestSuite() { delete pipeline_; }

  static double CaughtRate(const std::vector<std::string>& texts) {
    int caught = 0;
    for (const auto& text : texts) caught += pipeline_->Evaluate(text).outcome != Outcome::kPublish;
    return texts.empty() ? 0.0 : static_cast<double>(caught) / texts.size();
  }

  static Pipeline* pipeline_;
};
Pipeline* PipelineTest::pipeline_ = nullptr;

// --- Obfuscation generators: each rewrites a text the way evaders do. -------

std::string Leet(const std::string& text) {
  std::string out = text;
  for (std::size_t i = 0; i < out.size(); ++i) {
    // Lone letters ("a", "I") stay: a bare "4" reads as a number.
    const bool lone = (i == 0 || out[i - 1] == ' ') && (i + 1 == out.size() || out[i + 1] == ' ');
    if (lone) continue;
    switch (out[i]) {
      case 'a':
      case 'A':
        out[i] = '4';
        break;
      case 'e':
      case 'E':
        out[i] = '3';
        break;
      case 'i':
      case 'I':
        out[i] = '1';
        break;
      case 'o':
      case 'O':
        out[i] = '0';
        break;
      case 's':
      case 'S':
        out[i] = '$';
        break;
      default:
        break;
    }
  }
  return out;
}

std::string Homoglyphs(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case 'a':
        out += "\xD0\xB0";
        break;  // Cyrillic а
      case 'e':
        out += "\xD0\xB5";
        break;  // Cyrillic е
      case 'o':
        out += "\xD0\xBE";
        break;  // Cyrillic о
      case 'i':
        out += "\xD1\x96";
        break;  // Cyrillic і
      case 'c':
        out += "\xD1\x81";
        break;  // Cyrillic с
      case 'p':
        out += "\xD1\x80";
        break;  // Cyrillic р
      case 'y':
        out += "\xD1\x83";
        break;  // Cyrillic у
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Rewrites the longest word (letters only, not next to a one-letter word) with
// `separator` between its letters: "idiot" -> "i d i o t" or "i.d.i.o.t".
std::string SpreadLongestWord(const std::string& text, const std::string& separator) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text + " ") {
    if (c == ' ') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  auto letters_only = [](const std::string& w) {
    for (char c : w)
      if (!std::isalpha(static_cast<unsigned char>(c))) return false;
    return true;
  };
  int best = -1;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool single_neighbour =
        (i > 0 && words[i - 1].size() == 1) || (i + 1 < words.size() && words[i + 1].size() == 1);
    if (letters_only(words[i]) && !single_neighbour &&
        (best < 0 || words[i].size() > words[best].size())) {
      best = static_cast<int>(i);
    }
  }
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += " ";
    if (static_cast<int>(i) != best) {
      out += words[i];
      continue;
    }
    for (std::size_t k = 0; k < words[i].size(); ++k) {
      if (k) out += separator;
      out.push_back(words[i][k]);
    }
  }
  return out;
}

std::string ZeroWidth(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    out.push_back(text[i]);
    if (i % 2 == 1) out += "\xE2\x80\x8B";  // zero-width space
  }
  return out;
}

std::string Stretch(const std::string& text) {
  std::string out;
  for (char c : text) {
    out.push_back(c);
    if (c == 'o' || c == 'u' || c == 'e') out += std::string(4, c);
  }
  return out;
}

TEST_F(PipelineTest, ObfuscatedAttacksAreCaughtAtTheSameRateAsPlainOnes) {
  std::vector<std::string> plain;
  for (const char* file : {"attack.txt", "threat.txt", "identity_hate.txt"}) {
    for (auto& line :
         ReadLines(testing::RepoPath(std::string("data/moderation/examples/") + file))) {
      plain.push_back(line);
    }
  }
  ASSERT_GT(plain.size(), 150u);
  const double plain_rate = CaughtRate(plain);
  EXPECT_GT(plain_rate, 0.8);
  const std::vector<std::pair<std::string, std::function<std::string(const std::string&)>>>
      variants = {
          {"leet", Leet},
          {"homoglyphs", Homoglyphs},
          {"spacing", [](const std::string& t) { return SpreadLongestWord(t, " "); }},
          {"dots", [](const std::string& t) { return SpreadLongestWord(t, "."); }},
          {"dashes", [](const std::string& t) { return SpreadLongestWord(t, "-"); }},
          {"zero_width", ZeroWidth},
          // Several evasions at once, as a determined writer would combine them.
          {"leet_homoglyphs_dots",
           [](const std::string& t) { return SpreadLongestWord(Homoglyphs(Leet(t)), "."); }},
          {"stretched", Stretch},
          {"upper",
           [](const std::string& t) {
             std::string u = t;
             for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
             return u;
           }},
      };
  for (const auto& [name, rewrite] : variants) {
    std::vector<std::string> obfuscated;
    for (const auto& text : plain) obfuscated.push_back(rewrite(text));
    EXPECT_NE(obfuscated, plain) << name;
    const double rate = CaughtRate(obfuscated);
    EXPECT_GE(rate, plain_rate - 0.03) << name << ": " << rate << " vs plain " << plain_rate;
  }
}

TEST_F(PipelineTest, CivilExamplesAreMostlyPublished) {
  const auto civil = ReadLines(testing::RepoPath("data/moderation/examples/civil.txt"));
  ASSERT_GT(civil.size(), 100u);
  EXPECT_LT(CaughtRate(civil), 0.01);  // the bar: fewer than 1 in 100 held
  const auto profanity = ReadLines(testing::RepoPath("data/moderation/examples/profanity.txt"));
  EXPECT_LT(CaughtRate(profanity), 0.1);  // swearing at nobody is not bullying
}

TEST_F(PipelineTest, BannedTermRejectsCitingTheClause) {
  const Decision d = pipeline_->Evaluate("typical k1k3 propaganda");
  EXPECT_EQ(d.outcome, Outcome::kReject);
  ASSERT_FALSE(d.reasons.empty());
  EXPECT_EQ(d.reasons[0].code, "banned_term");
  ASSERT_TRUE(d.clause.has_value());
  EXPECT_EQ(*d.clause, Clause::kIdentityHate);
  EXPECT_EQ(d.AuthorMessage(), "rejected: breaks rule 3, hate against groups");
}

TEST_F(PipelineTest, ThreatPhraseIsRejectedUnderRuleOne) {
  const Decision d = pipeline_->Evaluate("nobody likes you, k y s");
  EXPECT_EQ(d.outcome, Outcome::kReject);
  ASSERT_TRUE(d.clause.has_value());
  EXPECT_EQ(InfoOf(*d.clause).number, 1);
}

TEST_F(PipelineTest, PersonalAttackIsHeldOrRejectedUnderRuleTwo) {
  const Decision d = pipeline_->Evaluate("You're a pathetic moron and a liar, just shut up.");
  EXPECT_NE(d.outcome, Outcome::kPublish);
  EXPECT_TRUE(d.nudge);
  EXPECT_GT(d.score, 0.5f);
  ASSERT_TRUE(d.clause.has_value());
  EXPECT_EQ(*d.clause, Clause::kPersonalAttacks);
  EXPECT_NE(d.AuthorMessage().find("rule 2, personal attacks"), std::string::npos);
}

TEST_F(PipelineTest, CivilTextIsPublishedWithoutReasons) {
  const Decision d = pipeline_->Evaluate("Thanks for the thoughtful reply, I'll read the report.");
  EXPECT_EQ(d.outcome, Outcome::kPublish);
  EXPECT_FALSE(d.nudge);
  EXPECT_TRUE(d.reasons.empty());
  EXPECT_FALSE(d.clause.has_value());
  EXPECT_EQ(d.AuthorMessage(), "published");
}

TEST_F(PipelineTest, ProfanityAtNobodyIsPublishedWithANudge) {
  const Decision d = pipeline_->Evaluate("Holy sh1t, this fucking weather.");
  EXPECT_EQ(d.outcome, Outcome::kPublish);
  EXPECT_TRUE(d.nudge);
  ASSERT_FALSE(d.reasons.empty());
  EXPECT_EQ(d.reasons[0].code, "profanity");
  EXPECT_EQ(d.AuthorMessage(), "before you post: this may break rule 4, obscene language");
}

TEST_F(PipelineTest, BadInputGetsADecisionNotACrash) {
  const Decision invalid = pipeline_->Evaluate("abc\xFF\xFE");
  EXPECT_EQ(invalid.outcome, Outcome::kReject);
  ASSERT_EQ(invalid.reasons.size(), 1u);
  EXPECT_EQ(invalid.reasons[0].code, "invalid_text");
  EXPECT_EQ(*invalid.clause, Clause::kReadableText);

  const Decision huge = pipeline_->Evaluate(std::string(3 << 20, 'a'));
  EXPECT_EQ(huge.outcome, Outcome::kReject);
  EXPECT_EQ(huge.reasons[0].code, "too_long");

  std::string flood = "hello ";
  while (flood.size() < kMaxInputBytes - 8) flood += "\xCC\x81\xE2\x80\x8B\xE2\x80\xAE";
  const Decision flooded = pipeline_->Evaluate(flood);
  EXPECT_EQ(flooded.outcome, Outcome::kPublish);
  EXPECT_EQ(flooded.normalised, "hello");

  const Decision empty = pipeline_->Evaluate("");
  EXPECT_EQ(empty.outcome, Outcome::kPublish);
}

TEST_F(PipelineTest, ThresholdsAreValidated) {
  EXPECT_TRUE(Thresholds{}.Validate().has_value());
  EXPECT_FALSE((Thresholds{0.9f, 0.5f, 0.95f}).Validate().has_value());
  EXPECT_FALSE((Thresholds{0.2f, 0.5f, 1.5f}).Validate().has_value());
  auto classifier = Classifier::Load(testing::ModelPath());
  ASSERT_TRUE(classifier.has_value());
  auto rules = WordRules::Parse("", *TextNormaliser::Create());
  auto bad =
      Pipeline::FromParts(std::move(*classifier), std::move(*rules), Thresholds{0.9f, 0.5f, 0.95f});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, "thresholds");
}

TEST_F(PipelineTest, StricterThresholdsHoldMore) {
  auto classifier = Classifier::Load(testing::ModelPath());
  auto rules = WordRules::Parse("", *TextNormaliser::Create());
  auto strict =
      Pipeline::FromParts(std::move(*classifier), std::move(*rules), Thresholds{0.0f, 0.0f, 1.0f});
  ASSERT_TRUE(strict.has_value());
  const Decision d = (*strict)->Evaluate("The meeting is on Tuesday.");
  EXPECT_EQ(d.outcome, Outcome::kHold);
  EXPECT_TRUE(d.nudge);
}

}  // namespace
}  // namespace masthead::moderation
