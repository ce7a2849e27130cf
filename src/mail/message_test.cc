#include "mail/message.h"

#include <set>

#include <gtest/gtest.h>

namespace masthead::mail {
namespace {

Message ValidMessage() {
  Message m;
  m.from = {"The Daily Example", "news@example.org"};
  m.to = {"Ada Reader", "ada@example.com"};
  m.subject = "Hello";
  m.text_body = "Body";
  m.message_id = "<0123456789abcdef@example.org>";
  return m;
}

void ExpectRefused(const Message& m, const std::string& field) {
  Status status = ValidateMessage(m);
  ASSERT_FALSE(status) << "accepted a message that should be refused (" << field << ")";
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().field, field);
  EXPECT_NE(status.error().message.find(field), std::string::npos) << status.error().message;
}

TEST(MessageTest, ValidMessagePasses) { EXPECT_TRUE(ValidateMessage(ValidMessage())); }

TEST(MessageTest, AddressSyntax) {
  for (const char* good : {"a@example.org", "first.last+tag@mail.example.co.uk", "x_y-z@a-b.example"}) {
    EXPECT_TRUE(ValidateAddress({"", good}, "to")) << good;
  }
  for (const char* bad : {"", "no-at", "@example.org", "a@", "a..b@example.org", ".a@example.org",
                          "a@-example.org", "a@example-.org", "a@localhost", "a b@example.org",
                          "a@exa mple.org", "<a@example.org>", "a@example.org>", "\xC3\xA9@example.org",
                          "a\"b@example.org", "a@example..org"}) {
    Status status = ValidateAddress({"", bad}, "to");
    EXPECT_FALSE(status) << bad;
    if (!status) {
      EXPECT_EQ(status.error().field, "to");
    }
  }
  std::string long_local(65, 'a');
  EXPECT_FALSE(ValidateAddress({"", long_local + "@example.org"}, "to"));
}

TEST(MessageTest, HeaderInjectionInSubjectIsRefused) {
  const std::vector<std::string> subjects = {"Hi\r\nBcc: victim@example.net",
                                             "Hi\nBcc: x@example.net", "Hi\rX", "tab\tinside",
                                             std::string("nul\0x", 5), "del\x7f"};
  for (const std::string& subject : subjects) {
    Message m = ValidMessage();
    m.subject = subject;
    ExpectRefused(m, "subject");
  }
}

TEST(MessageTest, HeaderInjectionInAddressesAndNamesIsRefused) {
  Message m = ValidMessage();
  m.to.address = "ada@example.com\r\nBcc: victim@example.net";
  ExpectRefused(m, "to");
  m = ValidMessage();
  m.to.name = "Ada\r\nBcc: victim@example.net";
  ExpectRefused(m, "to");
  m = ValidMessage();
  m.from.name = "News\n";
  ExpectRefused(m, "from");
  m = ValidMessage();
  m.reply_to.push_back({"Desk", "desk@example.org\nX: y"});
  ExpectRefused(m, "reply_to");
}

TEST(MessageTest, ExtraHeadersAreChecked) {
  Message m = ValidMessage();
  m.headers.push_back({"X-Ok", "fine"});
  EXPECT_TRUE(ValidateMessage(m));
  for (Header bad : std::initializer_list<Header>{{"X-Bad\r\nBcc", "x"}, {"X Space", "x"},
                                                  {"X:Colon", "x"}, {"", "x"},
                                                  {"X-Value", "a\r\nBcc: v@example.net"},
                                                  {"X-Value", "caf\xC3\xA9"},
                                                  {"Content-Type", "text/html"},
                                                  {"bcc", "v@example.net"}}) {
    Message with = ValidMessage();
    with.headers.push_back(bad);
    ExpectRefused(with, "headers");
  }
}

TEST(MessageTest, BodiesMustBeUtf8AndTextPresent) {
  Message m = ValidMessage();
  m.text_body = "";
  ExpectRefused(m, "text_body");
  m = ValidMessage();
  m.html_body = "\xff";
  ExpectRefused(m, "html_body");
  m = ValidMessage();
  m.message_id = "";
  ExpectRefused(m, "message_id");
  m.message_id = "<a b@example.org>";
  ExpectRefused(m, "message_id");
}

TEST(MessageTest, NewMessageIdIsRandomWellFormedAndSortsInTheOrderMade) {
  std::set<std::string> ids;
  std::string previous_time;
  for (int i = 0; i < 1000; ++i) {
    auto id = NewMessageId("News.Example.org");
    ASSERT_TRUE(id);
    EXPECT_EQ(id->size(), 1 + 14 + 1 + 32 + 1 + 16 + 1) << *id;
    EXPECT_TRUE(id->ends_with("@news.example.org>")) << *id;
    const std::string time = id->substr(1, 14);
    EXPECT_GE(time, previous_time) << *id;
    previous_time = time;
    ids.insert(*id);
  }
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_FALSE(NewMessageId("bad domain"));
  EXPECT_FALSE(NewMessageId("x\r\n.org"));
}

}  // namespace
}  // namespace masthead::mail
