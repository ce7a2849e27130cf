#include "moderation/word_rules.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "moderation/test_paths.h"

namespace masthead::moderation {
namespace {

class WordRulesTest : public ::testing::Test {
 protected:
  WordRules Rules(std::string_view list) {
    auto rules = WordRules::Parse(list, normaliser_);
    EXPECT_TRUE(rules.has_value()) << (rules ? "" : rules.error().message);
    return rules ? std::move(*rules) : *WordRules::Parse("", normaliser_);
  }
  // Terms (as written) matched in `text` after normalisation.
  std::set<std::string> Found(const WordRules& rules, std::string_view text) {
    std::set<std::string> found;
    for (const RuleMatch& m : rules.Match(*normaliser_.Normalise(text))) {
      found.insert(rules.terms()[m.term_index].text);
    }
    return found;
  }
  TextNormaliser normaliser_ = *TextNormaliser::Create();
};

TEST_F(WordRulesTest, ParsesKindsRulesAndComments) {
  WordRules rules = Rules(
      "# comment\n"
      "\n"
      "banned  3  slurword   # trailing note\n"
      "suspect 2  you idiot\n"
      "profane 4  darn\n");
  ASSERT_EQ(rules.terms().size(), 3u);
  EXPECT_EQ(rules.terms()[2].kind, TermKind::kProfane);
  EXPECT_EQ(rules.terms()[0].kind, TermKind::kBanned);
  EXPECT_EQ(rules.terms()[0].clause, Clause::kIdentityHate);
  EXPECT_EQ(rules.terms()[0].text, "slurword");
  EXPECT_EQ(rules.terms()[1].kind, TermKind::kSuspect);
  EXPECT_EQ(rules.terms()[1].clause, Clause::kPersonalAttacks);
}

TEST_F(WordRulesTest, RejectsBadLinesNamingTheLine) {
  for (std::string_view bad : {"forbidden 2 x", "banned x term", "banned 9 term", "banned 2",
                               "banned 2 !!!", "suspect 2 # only a comment"}) {
    auto rules = WordRules::Parse(std::string("# ok\n") + std::string(bad), normaliser_);
    ASSERT_FALSE(rules.has_value()) << bad;
    EXPECT_EQ(rules.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(rules.error().field, "rules");
  }
  auto rules = WordRules::Parse("# ok\nforbidden 2 x\n", normaliser_);
  EXPECT_NE(rules.error().message.find("line 2"), std::string::npos) << rules.error().message;
}

TEST_F(WordRulesTest, MatchesWholeWordsOnly) {
  WordRules rules = Rules("suspect 4 ass\nsuspect 2 idiot\n");
  EXPECT_TRUE(Found(rules, "an assessment of the class, the bass and Cassie").empty());
  EXPECT_TRUE(Found(rules, "idiotic idiots").empty());
  EXPECT_EQ(Found(rules, "what an ass"), std::set<std::string>{"ass"});
  EXPECT_EQ(Found(rules, "idiot, ass!"), (std::set<std::string>{"ass", "idiot"}));
}

TEST_F(WordRulesTest, RepeatedLettersMatchAsManyButNotFewer) {
  WordRules rules = Rules("suspect 4 ass\nsuspect 2 stupid\nsuspect 2 god\n");
  EXPECT_EQ(Found(rules, "asssss"), std::set<std::string>{"ass"});
  EXPECT_TRUE(Found(rules, "as it was").empty());  // "as" is not "ass"
  EXPECT_EQ(Found(rules, "stuuuuupid"), std::set<std::string>{"stupid"});
  EXPECT_TRUE(Found(rules, "good").empty());                        // "oo" is not "o"
  EXPECT_EQ(Found(rules, "gooood"), std::set<std::string>{"god"});  // exaggerated run
}

TEST_F(WordRulesTest, MatchesEvasiveSpellings) {
  WordRules rules = Rules("banned 1 kill yourself\nbanned 3 slurword\n");
  for (std::string_view text :
       {"kill yourself", "KILL YOURSELF!!!", "k i l l yourself", "k.i.l.l y.o.u.r.s.e.l.f",
        "k1ll y0urs3lf", "ki\xE2\x80\x8Bll yourself", "k\xD1\x96ll y\xD0\xBEurself",
        "killll yourselfff"}) {
    EXPECT_EQ(Found(rules, text), std::set<std::string>{"kill yourself"}) << text;
  }
  EXPECT_EQ(Found(rules, "5lurw0rd"), std::set<std::string>{"slurword"});
  EXPECT_TRUE(Found(rules, "kill your self-doubt").empty());
}

TEST_F(WordRulesTest, ReportsOverlappingTermsOnce) {
  WordRules rules = Rules("suspect 2 you idiot\nsuspect 2 idiot\n");
  const auto matches = rules.Match(*normaliser_.Normalise("you idiot, you idiot, idiot"));
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].term_index, 0u);
  EXPECT_EQ(matches[1].term_index, 1u);
}

// Reference: for every term, a plain search over the normalised words with the
// same run semantics. The automaton must agree on random texts.
bool NaiveContains(const std::string& text, const std::string& term) {
  const std::string padded = " " + text + " ";
  const std::string needle = " " + term + " ";
  return padded.find(needle) != std::string::npos;
}

TEST_F(WordRulesTest, AgreesWithNaiveSearchOnRandomText) {
  std::mt19937 rng(42);
  const std::string letters = "abcdeo";
  auto word = [&](int min_len) {
    std::string w;
    const int len = min_len + static_cast<int>(rng() % 3);
    for (int i = 0; i < len; ++i) w.push_back(letters[rng() % letters.size()]);
    // No runs: equal-run semantics then reduce to exact word matching.
    for (std::size_t i = 1; i < w.size(); ++i) {
      if (w[i] == w[i - 1]) w[i] = w[i] == 'a' ? 'b' : 'a';
    }
    return w;
  };
  std::vector<Term> terms;
  std::set<std::string> seen;
  while (terms.size() < 300) {
    std::string t = word(2);
    if (rng() % 4 == 0) t += " " + word(1);
    if (seen.insert(t).second)
      terms.push_back(Term{TermKind::kSuspect, Clause::kPersonalAttacks, t});
  }
  auto rules = WordRules::FromTerms(terms, normaliser_);
  ASSERT_TRUE(rules.has_value());
  for (int round = 0; round < 300; ++round) {
    std::string text;
    for (int i = 0; i < 12; ++i) text += (i ? " " : "") + word(1);
    std::set<std::size_t> expected;
    for (std::size_t t = 0; t < terms.size(); ++t) {
      if (NaiveContains(text, terms[t].text)) expected.insert(t);
    }
    std::set<std::size_t> actual;
    for (const RuleMatch& m : rules->Match(text)) actual.insert(m.term_index);
    EXPECT_EQ(actual, expected) << text;
  }
}

TEST_F(WordRulesTest, ShippedListLoadsAndCatchesSlursNotProfanity) {
  auto rules = WordRules::LoadFile(testing::RulesPath(), normaliser_);
  ASSERT_TRUE(rules.has_value()) << rules.error().message;
  EXPECT_GT(rules->terms().size(), 50u);
  const auto slur = rules->Match(*normaliser_.Normalise("you f4gg0t"));
  ASSERT_FALSE(slur.empty());
  EXPECT_EQ(slur[0].kind, TermKind::kBanned);
  EXPECT_EQ(slur[0].clause, Clause::kIdentityHate);
  // Plain profanity is only ever "profane" (a nudge), never banned or suspect.
  const auto profane = rules->Match(*normaliser_.Normalise("holy $hit, what a fuuuucking mess"));
  ASSERT_EQ(profane.size(), 2u);
  for (const RuleMatch& m : profane) EXPECT_EQ(m.kind, TermKind::kProfane);
  EXPECT_TRUE(rules->Match(*normaliser_.Normalise("a fair assessment of Scunthorpe")).empty());
}

TEST_F(WordRulesTest, MissingFileIsNotFound) {
  auto rules = WordRules::LoadFile(testing::RepoPath("no/such/list.txt"), normaliser_);
  ASSERT_FALSE(rules.has_value());
  EXPECT_EQ(rules.error().code, ErrorCode::kNotFound);
}

TEST_F(WordRulesTest, EmptyListMatchesNothing) {
  WordRules rules = Rules("# nothing\n");
  EXPECT_TRUE(rules.Match("anything at all").empty());
}

}  // namespace
}  // namespace masthead::moderation
