#include "mail/mime.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/text.h"
#include "mail/mime_parse.h"

namespace masthead::mail {
namespace {

Message Sample() {
  Message m;
  m.from = {"Zeitung M\xC3\xBCnchen", "news@example.org"};
  m.to = {"O'Brien, Ada", "ada@example.com"};
  m.reply_to = {{"Editors", "editors@example.org"}};
  m.subject = "Gr\xC3\xBC\xC3\x9F" "e aus M\xC3\xBCnchen \xE2\x80\x94 Stra\xC3\x9F" "enbahn "
              "\xF0\x9F\x9A\x8B und eine sehr lange Betreffzeile, die gefaltet werden muss";
  m.text_body = "Line one\n.leading dot\nFrom the start\ntrailing space \n= sign\n" +
                std::string(200, 'x') + "\nUmlaut \xC3\xA4\n";
  m.html_body = "<p>Hello &amp; welcome</p>\n";
  m.headers = {{"List-Unsubscribe", "<https://example.org/u/1>"}};
  m.message_id = "<abc123@example.org>";
  m.date = 1356271500;  // 2012-12-23 14:05:00 UTC
  return m;
}

TEST(MimeTest, QuotedPrintableRoundTripsAndKeepsLinesShort) {
  std::string text = "a=b\n.dot\nFrom x\nend space \ttab\t\n" + std::string(300, 'y') +
                     "\n\xE2\x82\xAC" + std::string(100, '=') + "\n";
  std::string encoded = EncodeQuotedPrintable(text);
  for (std::string_view line : SplitLines(encoded)) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    EXPECT_LE(line.size(), 76u) << line;
    EXPECT_FALSE(StartsWith(line, ".")) << line;
    EXPECT_FALSE(StartsWith(line, "From ")) << line;
  }
  EXPECT_EQ(encoded.find("=_"), std::string::npos);
  std::string decoded = DecodeQuotedPrintable(encoded);
  std::string crlf_free;
  for (char c : decoded) {
    if (c != '\r') crlf_free += c;
  }
  EXPECT_EQ(crlf_free, text);
}

TEST(MimeTest, Base64RoundTrip) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\xff\x00\x10 binary"}) {
    EXPECT_EQ(DecodeBase64(EncodeBase64(s)), s);
  }
  EXPECT_EQ(EncodeBase64("Man"), "TWFu");
  EXPECT_EQ(EncodeBase64("Ma"), "TWE=");
}

TEST(MimeTest, NonAsciiSubjectUsesEncodedWordsThatDecode) {
  std::string subject = Sample().subject;
  std::string header = EncodeUnstructuredHeader(subject, 9);
  EXPECT_NE(header.find("=?UTF-8?B?"), std::string::npos);
  for (std::string_view line : SplitLines(header)) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    EXPECT_LE(line.size() + 9, 78u + 9) << line;
    for (unsigned char c : line) EXPECT_LT(c, 0x80);
  }
  std::string unfolded;
  for (char c : header) {
    if (c != '\r' && c != '\n') unfolded += c;
  }
  EXPECT_EQ(DecodeHeaderWords(unfolded), subject);
  EXPECT_EQ(EncodeUnstructuredHeader("Plain ASCII", 9), "Plain ASCII");
  // ASCII that looks like an encoded word is encoded so readers do not decode it.
  EXPECT_NE(EncodeUnstructuredHeader("=?UTF-8?B?QQ==?=", 9), "=?UTF-8?B?QQ==?=");
}

TEST(MimeTest, AddressesAreQuotedOrEncoded) {
  EXPECT_EQ(FormatAddress({"", "a@example.org"}), "<a@example.org>");
  EXPECT_EQ(FormatAddress({"Ada Reader", "a@example.org"}), "Ada Reader <a@example.org>");
  EXPECT_EQ(FormatAddress({"O'Brien, \"Ada\"", "a@example.org"}),
            "\"O'Brien, \\\"Ada\\\"\" <a@example.org>");
  std::string encoded = FormatAddress({"J\xC3\xBCrgen", "j@example.org"});
  EXPECT_TRUE(StartsWith(encoded, "=?UTF-8?B?")) << encoded;
  EXPECT_EQ(DecodeHeaderWords(encoded), "J\xC3\xBCrgen <j@example.org>");
}

TEST(MimeTest, BuildsMultipartAlternativeThatParsesBack) {
  auto mime = BuildMime(Sample(), 0);
  ASSERT_TRUE(mime) << mime.error().ToString();
  EXPECT_NE(mime->find("Date: Sun, 23 Dec 2012 14:05:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(mime->find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(mime->find("Content-Type: multipart/alternative; boundary="), std::string::npos);
  EXPECT_NE(mime->find("Message-ID: <abc123@example.org>\r\n"), std::string::npos);
  // Every line ends in CRLF and none is longer than 998 characters.
  for (std::size_t i = 0; i < mime->size(); ++i) {
    if ((*mime)[i] == '\n') {
      ASSERT_EQ((*mime)[i - 1], '\r') << "bare LF at " << i;
    }
  }
  auto parsed = ParseMessage(*mime);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->Get("Subject"), Sample().subject);
  EXPECT_EQ(parsed->Get("From"), "Zeitung M\xC3\xBCnchen <news@example.org>");
  EXPECT_EQ(parsed->Get("List-Unsubscribe"), "<https://example.org/u/1>");
  EXPECT_EQ(parsed->text_body, Sample().text_body);
  EXPECT_EQ(parsed->html_body, Sample().html_body);
}

TEST(MimeTest, OutputIsAPureFunctionOfTheMessage) {
  auto first = BuildMime(Sample(), 1);
  auto second = BuildMime(Sample(), 2);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, *second);  // Date comes from the message, not the clock
}

TEST(MimeTest, TextOnlyMessageIsSinglePart) {
  Message m = Sample();
  m.html_body.clear();
  auto mime = BuildMime(m, 0);
  ASSERT_TRUE(mime);
  EXPECT_EQ(mime->find("multipart"), std::string::npos);
  EXPECT_NE(mime->find("Content-Type: text/plain; charset=utf-8"), std::string::npos);
}

TEST(MimeTest, RefusesInvalidMessages) {
  Message m = Sample();
  m.subject = "a\r\nBcc: x@example.net";
  auto mime = BuildMime(m, 0);
  ASSERT_FALSE(mime);
  EXPECT_EQ(mime.error().field, "subject");
}

}  // namespace
}  // namespace masthead::mail

namespace masthead::mail {
namespace {

// Random UTF-8 text (fixed seed) survives quoted-printable and encoded-words.
TEST(MimeTest, RandomTextRoundTrips) {
  const std::vector<std::string> pieces = {"a", " ", "\t", "\n", "=", ".", "From ", "\xC3\xA9",
                                           "\xE2\x82\xAC", "\xF0\x9F\x93\xB0", "=?", "?=", "_",
                                           std::string(80, 'z')};
  std::mt19937 random(7);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    int n = static_cast<int>(random() % 40);
    for (int i = 0; i < n; ++i) text += pieces[random() % pieces.size()];
    std::string decoded = DecodeQuotedPrintable(EncodeQuotedPrintable(text));
    std::string without_cr;
    for (char c : decoded) {
      if (c != '\r') without_cr += c;
    }
    ASSERT_EQ(without_cr, text);

    std::string line;
    for (char c : text) line += (c == '\n' || c == '\t') ? ' ' : c;
    std::string header = EncodeUnstructuredHeader(line, 9);
    std::string unfolded;
    for (char c : header) {
      if (c != '\r' && c != '\n') unfolded += c;
    }
    // Plain ASCII headers may lose repeated spaces to folding; encoded ones may not.
    if (header.find("=?UTF-8?") != std::string::npos) {
      ASSERT_EQ(DecodeHeaderWords(unfolded), line);
    }
  }
}

}  // namespace
}  // namespace masthead::mail
