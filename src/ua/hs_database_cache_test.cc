#include "ua/hs_database_cache.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "ua/parser.h"

namespace masthead::ua {
namespace {

class HsDatabaseCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("masthead-hs-cache-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    SetHsCacheDirectory(dir_.string());
  }
  void TearDown() override {
    SetHsCacheDirectory("");
    std::filesystem::remove_all(dir_);
  }

  static HsCompileOutcome CompileTwoPatterns(const char* second = "b+c") {
    return CompileHsDatabase({"a[0-9]+", second}, {HS_FLAG_SINGLEMATCH, HS_FLAG_SINGLEMATCH}, {0, 1});
  }

  // The ids `database` reports for `text`.
  static std::vector<unsigned int> Matches(const hs_database_t* database, const std::string& text) {
    hs_scratch_t* scratch = nullptr;
    EXPECT_EQ(hs_alloc_scratch(database, &scratch), HS_SUCCESS);
    std::vector<unsigned int> ids;
    hs_scan(database, text.data(), static_cast<unsigned int>(text.size()), 0, scratch,
            [](unsigned int id, unsigned long long, unsigned long long, unsigned int, void* context) {
              static_cast<std::vector<unsigned int>*>(context)->push_back(id);
              return 0;
            },
            &ids);
    hs_free_scratch(scratch);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  std::vector<std::filesystem::path> Files() const {
    std::vector<std::filesystem::path> files;
    if (!std::filesystem::exists(dir_)) return files;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) files.push_back(entry.path());
    return files;
  }

  std::filesystem::path dir_;
};

TEST_F(HsDatabaseCacheTest, ASecondCompileOfTheSameInputIsLoadedAndMatchesTheSame) {
  HsCompileOutcome first = CompileTwoPatterns();
  ASSERT_NE(first.database, nullptr) << first.message;
  EXPECT_FALSE(first.from_cache);
  ASSERT_EQ(Files().size(), 1u);
  HsCompileOutcome second = CompileTwoPatterns();
  ASSERT_NE(second.database, nullptr);
  EXPECT_TRUE(second.from_cache);
  for (const std::string text : {"xa12", "bbbc", "a1 bc", "nothing"}) {
    EXPECT_EQ(Matches(first.database, text), Matches(second.database, text)) << text;
  }
  EXPECT_EQ(Matches(second.database, "a1 bc"), (std::vector<unsigned int>{0, 1}));
  // Another input is another entry.
  HsCompileOutcome other = CompileTwoPatterns("d+e");
  ASSERT_NE(other.database, nullptr);
  EXPECT_FALSE(other.from_cache);
  EXPECT_EQ(Files().size(), 2u);
  hs_free_database(first.database);
  hs_free_database(second.database);
  hs_free_database(other.database);
}

TEST_F(HsDatabaseCacheTest, AFailureIsRememberedWithTheExpressionItNamed) {
  HsCompileOutcome first = CompileTwoPatterns("(unclosed");
  EXPECT_EQ(first.database, nullptr);
  EXPECT_EQ(first.failed_expression, 1);
  EXPECT_FALSE(first.from_cache);
  HsCompileOutcome second = CompileTwoPatterns("(unclosed");
  EXPECT_EQ(second.database, nullptr);
  EXPECT_EQ(second.failed_expression, 1);
  EXPECT_EQ(second.message, first.message);
  EXPECT_TRUE(second.from_cache);
}

TEST_F(HsDatabaseCacheTest, ADamagedOrForeignFileIsCompiledAgainAndReplaced) {
  HsCompileOutcome first = CompileTwoPatterns();
  ASSERT_NE(first.database, nullptr);
  hs_free_database(first.database);
  const auto file = Files().at(0);
  const auto size = std::filesystem::file_size(file);
  for (const auto damaged_size : {size - 1, size / 2, std::uintmax_t{3}, std::uintmax_t{0}}) {
    std::filesystem::resize_file(file, damaged_size);
    HsCompileOutcome again = CompileTwoPatterns();
    ASSERT_NE(again.database, nullptr) << damaged_size;
    EXPECT_FALSE(again.from_cache) << damaged_size;
    EXPECT_EQ(Matches(again.database, "a1 bc"), (std::vector<unsigned int>{0, 1}));
    hs_free_database(again.database);
    EXPECT_EQ(std::filesystem::file_size(file), size);  // written anew
  }
  // Another input's entry under this input's name (as a hash collision would
  // put it) is not taken for this input.
  HsCompileOutcome other = CompileTwoPatterns("d+e");
  hs_free_database(other.database);
  std::filesystem::path other_file;
  for (const auto& path : Files()) {
    if (path != file) other_file = path;
  }
  std::filesystem::copy_file(other_file, file, std::filesystem::copy_options::overwrite_existing);
  HsCompileOutcome again = CompileTwoPatterns();
  ASSERT_NE(again.database, nullptr);
  EXPECT_FALSE(again.from_cache);
  EXPECT_EQ(Matches(again.database, "a1 bc"), (std::vector<unsigned int>{0, 1}));
  hs_free_database(again.database);
}

TEST_F(HsDatabaseCacheTest, AnUnwritableDirectoryOnlyCostsTheCompile) {
  SetHsCacheDirectory("/proc/masthead-no-such-directory");
  HsCompileOutcome outcome = CompileTwoPatterns();
  ASSERT_NE(outcome.database, nullptr);
  EXPECT_FALSE(outcome.from_cache);
  hs_free_database(outcome.database);
}

// Masthead's own engine runs every rule of uap-core 0.16; Hyperscan (and so
// this cache) only serves a rule outside its dialect, such as this one's
// (?i:...) group, which RE2 then runs (being large) with a Hyperscan
// start-of-match database.
TEST_F(HsDatabaseCacheTest, AParserFromTheCacheParsesAsOneCompiledAfresh) {
  std::string names = "Alpha|Beta|Gamma|Delta|Epsilon|Zeta|Eta|Theta|(?i:iota)";
  for (int i = 0; i < 120; ++i) names += "|Robot" + std::to_string(i) + "[a-z]{0,3}";
  const std::string yaml = "user_agent_parsers:\n  - regex: '(" + names + ")/(\\d+)'\n" + R"(os_parsers:
  - regex: '(Linux)'
device_parsers:
  - regex: '(Pixel \d)'
)";
  auto fresh = Parser::FromYaml(yaml);
  ASSERT_TRUE(fresh) << fresh.error().ToString();
  ASSERT_FALSE(Files().empty());
  auto cached = Parser::FromYaml(yaml);  // the database from the file
  ASSERT_TRUE(cached) << cached.error().ToString();
  for (const char* ua : {"Theta/12 (Linux; Pixel 7)", "x IOTA/3", "Beta/", "Mozilla/5.0 Eta/9 Zeta/8"}) {
    const ParsedUa a = (*fresh)->Parse(ua);
    const ParsedUa b = (*cached)->Parse(ua);
    EXPECT_EQ(a.user_agent.family, b.user_agent.family) << ua;
    EXPECT_EQ(a.user_agent.major, b.user_agent.major) << ua;
  }
  EXPECT_EQ((*cached)->Parse("x IOTA/3").user_agent.family, "IOTA");
  EXPECT_EQ((*cached)->Parse("Mozilla/5.0 Eta/9 Zeta/8").user_agent.family, "Eta");
  EXPECT_EQ((*cached)->Parse("Mozilla/5.0 Eta/9 Zeta/8").user_agent.major, "9");
}

}  // namespace
}  // namespace masthead::ua
