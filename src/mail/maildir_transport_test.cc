#include "mail/maildir_transport.h"

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "mail/mime_parse.h"
#include "mail/testing/smtp_sink.h"

namespace masthead::mail {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

Message TestMessage(std::string subject) {
  Message m;
  m.from = {"Example", "news@example.org"};
  m.to = {"Ada", "ada@example.com"};
  m.subject = std::move(subject);
  m.text_body = "Hello from the demo\n";
  m.html_body = "<p>Hello from the demo</p>\n";
  m.message_id = *NewMessageId("example.org");
  return m;
}

std::size_t CountFiles(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(MaildirTransportTest, DeliversIntoNewAndListsAndReadsBack) {
  TempDir dir;
  fs::path root = dir.path() / "Maildir";
  auto transport = MaildirTransport::Create(root);
  ASSERT_TRUE(transport) << transport.error().ToString();
  Message first = TestMessage("First \xE2\x80\x94 caf\xC3\xA9");
  Message second = TestMessage("Second");
  ASSERT_TRUE((*transport)->Send(first).delivered());
  DeliveryResult result = (*transport)->Send(second);
  ASSERT_TRUE(result.delivered()) << result.reply;

  EXPECT_EQ(CountFiles(root / "new"), 2u);
  EXPECT_EQ(CountFiles(root / "tmp"), 0u);  // nothing left half-written

  auto entries = ListMaildir(root);
  ASSERT_TRUE(entries) << entries.error().ToString();
  ASSERT_EQ(entries->size(), 2u);
  std::set<std::string> subjects;
  for (const MaildirEntry& entry : *entries) {
    subjects.insert(entry.subject);
    EXPECT_EQ(entry.to, "Ada <ada@example.com>");
    EXPECT_GT(entry.size, 0u);
  }
  EXPECT_EQ(subjects, (std::set<std::string>{"First \xE2\x80\x94 caf\xC3\xA9", "Second"}));

  auto raw = ReadMaildirMessage(root, (*entries)[0].id);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->find('\r'), std::string::npos);  // Maildir files use LF
  auto parsed = ParseMessage(*raw);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->text_body, "Hello from the demo\n");
  EXPECT_EQ(parsed->html_body, "<p>Hello from the demo</p>\n");
  EXPECT_EQ(parsed->Get("Message-ID"), (*entries)[0].message_id);
}

TEST(MaildirTransportTest, ReadRefusesPathsOutsideTheMaildir) {
  TempDir dir;
  auto transport = MaildirTransport::Create(dir.path());
  ASSERT_TRUE(transport);
  for (const char* bad : {"../secret", "..", "new/x", ""}) {
    auto read = ReadMaildirMessage(dir.path(), bad);
    ASSERT_FALSE(read) << bad;
    EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(ReadMaildirMessage(dir.path(), "absent").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ListMaildir(dir.path() / "nope").error().code, ErrorCode::kNotFound);
}

TEST(MaildirTransportTest, InvalidMessageIsPermanentAndWritesNothing) {
  TempDir dir;
  auto transport = MaildirTransport::Create(dir.path());
  ASSERT_TRUE(transport);
  Message m = TestMessage("Bad\r\nBcc: victim@example.net");
  DeliveryResult result = (*transport)->Send(m);
  EXPECT_EQ(result.status, DeliveryStatus::kPermanentFailure);
  EXPECT_NE(result.reply.find("subject"), std::string::npos);
  EXPECT_EQ(CountFiles(dir.path() / "new"), 0u);
}

TEST(MaildirTransportTest, UnwritableDirectoryIsATemporaryFailure) {
  TempDir dir;
  auto transport = MaildirTransport::Create(dir.path());
  ASSERT_TRUE(transport);
  fs::remove_all(dir.path() / "tmp");  // disk trouble: the message is not at fault
  DeliveryResult result = (*transport)->Send(TestMessage("x"));
  EXPECT_EQ(result.status, DeliveryStatus::kTemporaryFailure);
  EXPECT_NE(result.reply.find("open"), std::string::npos) << result.reply;
}

}  // namespace
}  // namespace masthead::mail
