// The clauses decisions cite must be the rules readers read: rule N of the
// published Community Guidelines names the clause with number N.
#include "moderation/guidelines.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/text.h"
#include "moderation/test_paths.h"

namespace masthead::moderation {
namespace {

TEST(GuidelinesTest, EveryClauseIsTheSameNumberedRuleInThePublishedGuidelines) {
  std::ifstream in(testing::RepoPath("data/policies/guidelines.md"));
  ASSERT_TRUE(in) << "data/policies/guidelines.md not found (MASTHEAD_SOURCE_DIR)";
  std::string line;
  int rules = 0;
  while (std::getline(in, line)) {
    const std::size_t dot = line.find(". ");
    if (dot == std::string::npos || dot == 0 || line.find_first_not_of("0123456789") != dot) continue;
    ++rules;
    const auto clause = ClauseFromNumber(std::stoi(line.substr(0, dot)));
    ASSERT_TRUE(clause) << line;
    EXPECT_NE(ToLowerAscii(line).find(std::string(InfoOf(*clause).name)), std::string::npos)
        << "rule " << InfoOf(*clause).number << " should be about " << InfoOf(*clause).name << ": " << line;
  }
  EXPECT_EQ(rules, static_cast<int>(AllClauses().size()));
}

TEST(GuidelinesTest, ClausesAreFoundBySlug) {
  for (const auto& info : AllClauses()) EXPECT_EQ(ClauseFromSlug(info.slug), info.clause);
  EXPECT_FALSE(ClauseFromSlug("rudeness"));
}

}  // namespace
}  // namespace masthead::moderation
