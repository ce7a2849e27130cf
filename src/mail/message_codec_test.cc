#include "mail/message_codec.h"

#include <gtest/gtest.h>

#include "mail/mime.h"

namespace masthead::mail {
namespace {

Message Full() {
  Message m;
  m.from = {"Zeitung M\xC3\xBCnchen", "news@example.org"};
  m.to = {"Ada", "ada@example.com"};
  m.reply_to = {{"Desk", "desk@example.org"}, {"", "other@example.org"}};
  m.subject = "Gr\xC3\xBC\xC3\x9F" "e \"quoted\"";
  m.text_body = "text\n";
  m.html_body = "<p>html</p>";
  m.headers = {{"List-Unsubscribe", "<https://example.org/u>"},
               {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
  m.message_id = "<abc@example.org>";
  m.date = 1356271500;
  return m;
}

TEST(MessageCodecTest, RoundTripsToTheSameWireBytes) {
  auto decoded = DecodeMessage(EncodeMessage(Full()));
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  EXPECT_EQ(*BuildMime(*decoded, 0), *BuildMime(Full(), 0));
}

TEST(MessageCodecTest, RejectsMalformedAndUnsafeRows) {
  EXPECT_FALSE(DecodeMessage(""));
  EXPECT_FALSE(DecodeMessage("[]"));
  EXPECT_FALSE(DecodeMessage("{\"v\":1}"));
  EXPECT_FALSE(DecodeMessage("{\"v\":2}"));
  std::string text = EncodeMessage(Full());
  std::string injected = text;
  injected.replace(injected.find("\"subject\":\"") + 11, 0, "x\\r\\nBcc: v@example.net ");
  auto result = DecodeMessage(injected);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().field, "subject");
  std::string wrong_type = text;
  wrong_type.replace(wrong_type.find("\"date\":") + 7, 10, "\"soon\"");
  EXPECT_FALSE(DecodeMessage(wrong_type));
}

}  // namespace
}  // namespace masthead::mail
