#include "moderation/text_normaliser.h"

#include <gtest/gtest.h>

#include <string>

#include "moderation/code_point_folder.h"

namespace masthead::moderation {
namespace {

class TextNormaliserTest : public ::testing::Test {
 protected:
  std::string N(std::string_view text) {
    auto result = normaliser_.Normalise(text);
    EXPECT_TRUE(result.has_value()) << text;
    return result ? *result : "<error>";
  }
  TextNormaliser normaliser_ = *TextNormaliser::Create();
};

TEST_F(TextNormaliserTest, LowercasesAndDropsPunctuation) {
  EXPECT_EQ(N("You are an IDIOT!!"), "you are an idiot");
  EXPECT_EQ(N("  Hello,   world.  "), "hello world");
  EXPECT_EQ(N(""), "");
  EXPECT_EQ(N("don't won\xE2\x80\x99t"), "dont wont");  // ASCII and U+2019 apostrophes
  EXPECT_EQ(N("well-known"), "well known");
}

TEST_F(TextNormaliserTest, FoldsHomoglyphsToAscii) {
  EXPECT_EQ(N("\xD1\x83\xD0\xBE\x75 \xD1\x96\x64\xD1\x96\xD0\xBE\x74"),
            "you idiot");                                                    // Cyrillic у о і
  EXPECT_EQ(N("n\xCE\xBF"), "no");                                           // Greek omicron
  EXPECT_EQ(N("\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C"), "full");  // fullwidth
  EXPECT_EQ(N("\xF0\x9D\x90\x9B\xF0\x9D\x90\xA8\xF0\x9D\x90\xA5\xF0\x9D\x90\x9D"),
            "bold");  // math bold
  EXPECT_EQ(N("STRA\xC3\x9F"
              "E"),
            "strasse");  // case folding of sharp s
}

TEST_F(TextNormaliserTest, RemovesDiacriticsAndCombiningFloods) {
  EXPECT_EQ(N("caf\xC3\xA9 na\xC3\xAFve"), "cafe naive");
  std::string zalgo = "i";
  for (int i = 0; i < 5000; ++i) zalgo += "\xCC\x81";  // U+0301 combining acute
  zalgo += "diot";
  EXPECT_EQ(N(zalgo), "idiot");
}

TEST_F(TextNormaliserTest, RemovesZeroWidthAndBidiControls) {
  EXPECT_EQ(N("id\xE2\x80\x8Bi\xE2\x80\x8Cot"), "idiot");            // ZWSP, ZWNJ
  EXPECT_EQ(N("\xE2\x80\xAEidiot\xE2\x80\xAC"), "idiot");            // RLO ... PDF
  EXPECT_EQ(N("id\xC2\xADiot\xEF\xBB\xBF"), "idiot");                // soft hyphen, BOM
  EXPECT_EQ(N("\xE2\x81\xA6id\xE2\x81\xA9iot"), "idiot");            // LRI ... PDI
  EXPECT_EQ(N("hello\xC2\xA0world\xE2\x80\xA8x"), "hello world x");  // NBSP, LSEP
}

TEST_F(TextNormaliserTest, FoldsLeetspeak) {
  EXPECT_EQ(N("1d10t"), "idiot");
  EXPECT_EQ(N("$h!t"), "shit");
  EXPECT_EQ(N("h@te l0$3r"), "hate loser");
  EXPECT_EQ(N("b1tch 4ss"), "bitch ass");
  EXPECT_EQ(N("st00p1d!"), "stoopid");
}

TEST_F(TextNormaliserTest, KeepsNumbersAsNumbers) {
  EXPECT_EQ(N("In 2024, 3 of 10"), "in 2024 3 of 10");
  EXPECT_EQ(N("the 4th of July, the 1990s, $5"), "the 4th of july the 1990s 5");
  EXPECT_EQ(N("@john said"), "john said");  // a mention, not leet
}

TEST_F(TextNormaliserTest, JoinsSpacedAndPunctuatedLetters) {
  EXPECT_EQ(N("you i d i o t"), "you idiot");
  EXPECT_EQ(N("you i.d.i.o.t"), "you idiot");
  EXPECT_EQ(N("you i-d-i-o-t!"), "you idiot");
  EXPECT_EQ(N("you i_d_i_o_t"), "you idiot");
  EXPECT_EQ(N("i. d. i. o. t."), "idiot");
  EXPECT_EQ(N("U.S.A. e.g. x"), "usa e g x");  // each dotted token joins alone
  EXPECT_EQ(N("a b"), "a b");                  // two letters are words, not spacing
}

TEST_F(TextNormaliserTest, CapsRepeatedLetters) {
  EXPECT_EQ(N("stuuuuuupid"), "stuuupid");
  EXPECT_EQ(N("stuuupid"), "stuuupid");
  EXPECT_EQ(N("good"), "good");
  EXPECT_EQ(N("nooooooo!!!!!!"), "nooo");
}

TEST_F(TextNormaliserTest, ClassifierFormCutsExaggeratedRuns) {
  EXPECT_EQ(ClassifierForm(N("yooooou stuuuuupid")), "you stupid");
  EXPECT_EQ(ClassifierForm(N("good 1000 aaa")), "good 1000 a");
}

TEST_F(TextNormaliserTest, RejectsInvalidUtf8) {
  for (std::string bad : {std::string("abc\xFF"), std::string("\xC0\xAF"),  // overlong
                          std::string("\xED\xA0\x80"),                      // surrogate
                          std::string("\xE2\x82"),                          // truncated
                          std::string("\xF4\x90\x80\x80")}) {               // > U+10FFFF
    auto result = normaliser_.Normalise(bad);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().field, "text");
  }
}

TEST_F(TextNormaliserTest, CapsInputLength) {
  const std::string at_cap(kMaxInputBytes, 'a');
  EXPECT_EQ(N(at_cap), "aaa");
  const std::string megabyte(1 << 20, 'x');
  auto result = normaliser_.Normalise(megabyte);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kTooLarge);
}

TEST_F(TextNormaliserTest, OutputIsIdempotent) {
  for (const char* text : {"You are an 1D10T!!", "\xD1\x83\xD0\xBE\x75 i d i o t", "stuuuupid $h!t",
                           "caf\xC3\xA9 4th 2024", "\xE4\xB8\xAD\xE6\x96\x87 text"}) {
    const std::string once = N(text);
    EXPECT_EQ(N(once), once) << text;
  }
}

// The table must give exactly what the ICU calls give.
TEST(CodePointFolderTest, TableMatchesIcu) {
  auto folder = CodePointFolder::Get();
  ASSERT_TRUE(folder.has_value());
  for (char32_t cp : {0xC9u, 0x430u, 0x456u, 0x3BFu, 0xFF21u, 0x200Bu, 0x202Eu, 0x1D41Bu, 0x1F600u,
                      0x4E2Du, 0x301u, 0xE0041u, 0x2019u, 0x3000u, 0x10FFFFu}) {
    std::string from_table;
    (*folder)->Append(cp, from_table);
    auto from_icu = CodePointFolder::FoldWithIcu(cp);
    ASSERT_TRUE(from_icu.has_value());
    EXPECT_EQ(from_table, *from_icu) << std::hex << static_cast<unsigned>(cp);
  }
}

}  // namespace
}  // namespace masthead::moderation
