#include "ua/client_hints.h"

#include <gtest/gtest.h>

namespace masthead::ua {
namespace {

TEST(ClientHintsTest, ParsesChromiumBrandLists) {
  auto brands =
      ParseBrandList(R"("Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99")");
  ASSERT_TRUE(brands.has_value()) << brands.error().ToString();
  EXPECT_EQ(*brands, (std::vector<BrandVersion>{
                         {"Chromium", "124"}, {"Google Chrome", "124"}, {"Not-A.Brand", "99"}}));

  auto full = ParseBrandList(
      R"("Not/A)Brand";v="8.0.0.0", "Chromium";v="126.0.6478.126", "Microsoft Edge";v="126.0.2592.87")");
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->at(2), (BrandVersion{"Microsoft Edge", "126.0.2592.87"}));
}

TEST(ClientHintsTest, BrandListEdgeCases) {
  EXPECT_EQ(ParseBrandList("")->size(), 0u);
  // Escapes, other parameters, a boolean parameter, tabs around commas.
  auto odd = ParseBrandList("\"A \\\"q\\\" \\\\\";x=1;v=\"2\";flag,\t\"B\"");
  ASSERT_TRUE(odd.has_value()) << odd.error().ToString();
  EXPECT_EQ(*odd, (std::vector<BrandVersion>{{"A \"q\" \\", "2"}, {"B", ""}}));
  for (const char* bad : {"Chromium;v=\"1\"", "\"A\";v=1", "\"A\",", "\"A\" \"B\"", "\"A",
                          "\"A\";v=\"\x01\"", "\"A\";=\"1\"", "\"\\x\""}) {
    EXPECT_FALSE(ParseBrandList(bad).has_value()) << bad;
  }
  EXPECT_EQ(ParseBrandList(std::string(kMaxHintBytes + 1, ' ')).error().code, ErrorCode::kTooLarge);
}

TEST(ClientHintsTest, StringsAndBooleans) {
  EXPECT_EQ(ParseSfString("\"Windows\"").value(), "Windows");
  EXPECT_EQ(ParseSfString(" \"15.0.0\" ").value(), "15.0.0");
  EXPECT_EQ(ParseSfString("\"\"").value(), "");
  EXPECT_FALSE(ParseSfString("Windows").has_value());
  EXPECT_FALSE(ParseSfString("\"a\" x").has_value());
  EXPECT_FALSE(ParseSfString("\"caf\xc3\xa9\"").has_value());  // sf-string is ASCII
  EXPECT_EQ(ParseSfBoolean("?1").value(), true);
  EXPECT_EQ(ParseSfBoolean("?0").value(), false);
  EXPECT_FALSE(ParseSfBoolean("1").has_value());
  EXPECT_FALSE(ParseSfBoolean("?2").has_value());
  EXPECT_FALSE(ParseSfBoolean("?1x").has_value());
}

TEST(ClientHintsTest, ParseClientHintsKeepsGoodHintsAndDropsBadOnes) {
  ClientHintHeaders headers;
  headers.ua = R"("Chromium";v="124", "Google Chrome";v="124")";
  headers.full_version_list = "garbage";
  headers.platform = "\"Windows\"";
  headers.platform_version = "\"15.0.0\"";
  headers.model = "\"\"";
  headers.arch = "\"x86\"";
  headers.bitness = "\"64\"";
  headers.mobile = "?0";
  const ClientHints hints = ParseClientHints(headers);
  EXPECT_EQ(hints.brands.size(), 2u);
  EXPECT_TRUE(hints.full_version_list.empty());
  EXPECT_EQ(hints.platform, "Windows");
  EXPECT_EQ(hints.platform_version, "15.0.0");
  EXPECT_EQ(hints.model, "");
  EXPECT_EQ(hints.arch, "x86");
  EXPECT_EQ(hints.bitness, "64");
  EXPECT_EQ(hints.mobile, false);
  EXPECT_FALSE(hints.empty());
  EXPECT_TRUE(ParseClientHints(ClientHintHeaders{}).empty());
}

TEST(ClientHintsTest, GreaseBrands) {
  for (const char* grease : {"Not-A.Brand", "Not/A)Brand", "Not_A Brand", "Not A(Brand",
                             "Not)A;Brand", ";Not A Brand"}) {
    EXPECT_TRUE(IsGreaseBrand(grease)) << grease;
  }
  for (const char* real : {"Google Chrome", "Chromium", "Microsoft Edge", "Opera"}) {
    EXPECT_FALSE(IsGreaseBrand(real)) << real;
  }
}

TEST(ClientHintsTest, AcceptChNamesEveryHighEntropyHintOnce) {
  std::string joined;
  for (std::string_view hint : kAcceptChHints) {
    if (!joined.empty()) joined += ", ";
    joined += hint;
  }
  EXPECT_EQ(joined, kAcceptChHeaderValue);
}

}  // namespace
}  // namespace masthead::ua
