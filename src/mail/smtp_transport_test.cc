// SmtpTransport against a real SMTP server (aiosmtpd, tests/support/smtp_sink.py).
// What arrived is read back through Python's email parser, independent of ours.
#include "mail/smtp_transport.h"

#include <gtest/gtest.h>

#include "mail/mime_parse.h"
#include "mail/notification.h"
#include "mail/testing/smtp_sink.h"

namespace masthead::mail {
namespace {

using testing::ReceivedMail;
using testing::SmtpSink;
using testing::SmtpSinkOptions;
using testing::TempDir;

Message TestMessage(std::string to = "ada@example.com") {
  Message m;
  m.from = {"The Daily Example", "news@example.org"};
  m.to = {"Ada Lovelace", std::move(to)};
  m.subject = "Plain subject";
  m.text_body = "Text part\nsecond line\n";
  m.html_body = "<p>HTML part</p>\n";
  m.message_id = *NewMessageId("news.example.org");
  return m;
}

std::unique_ptr<SmtpTransport> TransportFor(const std::string& url, SmtpConfig config = {}) {
  config.url = url;
  config.connect_timeout = std::chrono::seconds(10);
  config.timeout = std::chrono::seconds(30);
  auto transport = SmtpTransport::Create(config);
  EXPECT_TRUE(transport) << transport.error().ToString();
  return transport ? std::move(*transport) : nullptr;
}

class SmtpTransportTest : public ::testing::Test {
 protected:
  void StartSink(SmtpSinkOptions options = {}) {
    auto sink = SmtpSink::Start(dir_.path(), options);
    ASSERT_TRUE(sink) << sink.error().ToString();
    sink_ = std::move(*sink);
    transport_ = TransportFor(sink_->url());
    ASSERT_NE(transport_, nullptr);
  }

  TempDir dir_;
  std::unique_ptr<SmtpSink> sink_;
  std::unique_ptr<SmtpTransport> transport_;
};

TEST_F(SmtpTransportTest, DeliversMultipartAlternativeWithBothParts) {
  StartSink();
  Message m = TestMessage();
  m.headers.push_back({"List-Unsubscribe", "<https://example.org/u/1>, <mailto:u@example.org>"});
  m.headers.push_back({"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"});
  DeliveryResult result = transport_->Send(m);
  ASSERT_TRUE(result.delivered()) << result.code << " " << result.reply;
  EXPECT_EQ(result.code, 250);
  EXPECT_NE(result.reply.find("queued as"), std::string::npos) << result.reply;

  std::vector<ReceivedMail> received = sink_->Received();
  ASSERT_EQ(received.size(), 1u);
  const auto& info = received[0].info;
  EXPECT_EQ(info["mail_from"], "news@example.org");
  EXPECT_EQ(info["rcpt_tos"], nlohmann::json::array({"ada@example.com"}));
  EXPECT_EQ(info["content_type"], "multipart/alternative");
  EXPECT_EQ(info["defects"], nlohmann::json::array()) << info.dump();
  EXPECT_EQ(info["message_id"], m.message_id);
  EXPECT_EQ(info["plain"], "Text part\nsecond line\n");
  EXPECT_EQ(info["html"], "<p>HTML part</p>\n");
  bool saw_post = false, saw_date = false;
  for (const auto& header : info["headers"]) {
    saw_post = saw_post || (header[0] == "List-Unsubscribe-Post" &&
                            header[1] == "List-Unsubscribe=One-Click");
    saw_date = saw_date || header[0] == "Date";
  }
  EXPECT_TRUE(saw_post);
  EXPECT_TRUE(saw_date);
}

TEST_F(SmtpTransportTest, NonAsciiSubjectNamesAndBodiesArriveIntact) {
  StartSink();
  Message m = TestMessage();
  m.from.name = "Zeitung M\xC3\xBCnchen";
  m.subject = "Gr\xC3\xBC\xC3\x9F" "e \xE2\x80\x94 \xE6\x96\xB0\xE8\x81\x9E \xF0\x9F\x93\xB0 "
              "with a subject long enough that it has to be folded over lines";
  m.text_body = "\xC3\x84rger? Nein: Stra\xC3\x9F" "enbahn \xF0\x9F\x9A\x8B\n";
  DeliveryResult result = transport_->Send(m);
  ASSERT_TRUE(result.delivered()) << result.reply;
  auto received = sink_->Received();
  ASSERT_EQ(received.size(), 1u);
  const auto& info = received[0].info;
  EXPECT_EQ(info["subject"], m.subject);
  EXPECT_EQ(info["plain"], m.text_body);
  EXPECT_EQ(info["defects"], nlohmann::json::array()) << info.dump();
  for (unsigned char c : received[0].raw) ASSERT_LT(c, 0x80) << "8-bit byte on the wire";
  std::string from_header;
  for (const auto& header : info["headers"]) {
    if (header[0] == "From") from_header = header[1];
  }
  EXPECT_EQ(from_header, "Zeitung M\xC3\xBCnchen <news@example.org>");
}

TEST_F(SmtpTransportTest, RenderedNotificationArrivesWithUnsubscribeHeaders) {
  StartSink();
  NotificationEnvelope envelope;
  envelope.from = {"Example", "news@example.org"};
  envelope.to = {"", "ada@example.com"};
  envelope.message_id_domain = "news.example.org";
  envelope.unsubscribe_url = "https://news.example.org/u?t=1";
  envelope.unsubscribe_mailto = "mailto:unsubscribe@example.org";
  auto message = ComposeNotification(
      NotificationKind::kReply,
      {{"site_name", "Example"}, {"settings_url", "https://news.example.org/settings"},
       {"actor_name", "Bob"}, {"article_title", "A story"},
       {"article_url", "https://news.example.org/a"},
       {"excerpt", "<img src=https://tracker.example/p.gif>See [this](https://example.net/)"}},
      envelope);
  ASSERT_TRUE(message) << message.error().ToString();
  ASSERT_TRUE(transport_->Send(*message).delivered());
  auto received = sink_->Received();
  ASSERT_EQ(received.size(), 1u);
  const auto& info = received[0].info;
  EXPECT_EQ(info["message_id"], message->message_id);
  EXPECT_NE(info["plain"].get<std::string>().find("See this (https://example.net/)"),
            std::string::npos);
  EXPECT_EQ(received[0].raw.find("tracker.example"), std::string::npos);
  std::string unsubscribe;
  for (const auto& header : info["headers"]) {
    if (header[0] == "List-Unsubscribe") unsubscribe = header[1];
  }
  EXPECT_EQ(unsubscribe, "<https://news.example.org/u?t=1>, <mailto:unsubscribe@example.org>");
}

TEST_F(SmtpTransportTest, HeaderInjectionIsRefusedAndNothingIsSent) {
  StartSink();
  Message subject = TestMessage();
  subject.subject = "Hello\r\nBcc: victim@example.net";
  Message name = TestMessage();
  name.to.name = "Ada\nBcc: victim@example.net";
  Message address = TestMessage("ada@example.com\r\nRCPT TO:<victim@example.net>");
  for (const Message& m : {subject, name, address}) {
    DeliveryResult result = transport_->Send(m);
    EXPECT_EQ(result.status, DeliveryStatus::kPermanentFailure);
    EXPECT_NE(result.reply.find("line break"), std::string::npos) << result.reply;
  }
  EXPECT_TRUE(transport_->Send(TestMessage()).delivered());  // the connection still works
  auto received = sink_->Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].raw.find("victim"), std::string::npos);
}

TEST_F(SmtpTransportTest, FiveHundredIsPermanentWithTheServerReplyKept) {
  StartSink({.perm_fail = "^gone@"});
  DeliveryResult result = transport_->Send(TestMessage("gone@example.com"));
  EXPECT_EQ(result.status, DeliveryStatus::kPermanentFailure);
  EXPECT_EQ(result.code, 550);
  EXPECT_NE(result.reply.find("550 5.1.1 <gone@example.com>: mailbox unavailable"),
            std::string::npos)
      << result.reply;
  // The same connection delivers the next message.
  EXPECT_TRUE(transport_->Send(TestMessage()).delivered());
  EXPECT_EQ(sink_->Received().size(), 1u);
}

TEST_F(SmtpTransportTest, FourHundredIsTemporaryWithTheServerReplyKept) {
  StartSink({.temp_fail = "^busy@"});
  DeliveryResult result = transport_->Send(TestMessage("busy@example.com"));
  EXPECT_EQ(result.status, DeliveryStatus::kTemporaryFailure);
  EXPECT_EQ(result.code, 451);
  EXPECT_NE(result.reply.find("451 4.3.0"), std::string::npos) << result.reply;
  EXPECT_TRUE(sink_->Received().empty());
}

TEST_F(SmtpTransportTest, ServiceNotAvailableIsTemporary) {
  StartSink({.down = true});
  DeliveryResult result = transport_->Send(TestMessage());
  EXPECT_EQ(result.status, DeliveryStatus::kTemporaryFailure);
  EXPECT_EQ(result.code, 421);
  EXPECT_NE(result.reply.find("421"), std::string::npos) << result.reply;
}

TEST_F(SmtpTransportTest, ConnectionRefusedIsTemporary) {
  StartSink();
  sink_->Stop();  // the port is now closed
  DeliveryResult result = transport_->Send(TestMessage());
  EXPECT_EQ(result.status, DeliveryStatus::kTemporaryFailure);
  EXPECT_EQ(result.code, 0);
  EXPECT_FALSE(result.reply.empty());
}

TEST_F(SmtpTransportTest, AuthenticatesWithCredentials) {
  StartSink({.auth = "masthead:s3cret"});
  // Without credentials the server answers 530: temporary, the operator must act.
  DeliveryResult anonymous = transport_->Send(TestMessage());
  EXPECT_EQ(anonymous.status, DeliveryStatus::kTemporaryFailure);
  EXPECT_EQ(anonymous.code, 530) << anonymous.reply;
  auto good = TransportFor(sink_->url(), {.username = "masthead", .password = "s3cret"});
  DeliveryResult ok = good->Send(TestMessage());
  EXPECT_TRUE(ok.delivered()) << ok.reply;
  // A wrong password is the operator's problem, not the message's: temporary.
  auto bad = TransportFor(sink_->url(), {.username = "masthead", .password = "wrong"});
  DeliveryResult denied = bad->Send(TestMessage());
  EXPECT_EQ(denied.status, DeliveryStatus::kTemporaryFailure);
  EXPECT_EQ(denied.code, 535) << denied.reply;
  EXPECT_NE(denied.reply.find("535 5.7.8"), std::string::npos) << denied.reply;
  EXPECT_EQ(sink_->Received().size(), 1u);
}

TEST_F(SmtpTransportTest, ManyMessagesReuseOneConnectionAndEachArriveOnce) {
  StartSink();
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    Message m = TestMessage();
    m.subject = "Message " + std::to_string(i);
    ids.push_back(m.message_id);
    ASSERT_TRUE(transport_->Send(m).delivered()) << i;
  }
  auto received = sink_->Received();
  ASSERT_EQ(received.size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(received[i].info["message_id"], ids[i]);
  EXPECT_EQ(sink_->Connections(), 1);  // the curl handle kept the connection open
}

TEST_F(SmtpTransportTest, UpgradesWithStartTlsWhenOffered) {
  StartSink({.starttls = true});
  auto transport = TransportFor(sink_->url(), {.ca_file = sink_->tls_cert().string()});
  DeliveryResult result = transport->Send(TestMessage());
  ASSERT_TRUE(result.delivered()) << result.reply;
  auto received = sink_->Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].info["tls"], true);
}

TEST_F(SmtpTransportTest, SendsOverImplicitTlsWithSmtps) {
  StartSink({.implicit_tls = true});
  ASSERT_TRUE(sink_->url().starts_with("smtps://"));
  auto transport = TransportFor(sink_->url(), {.ca_file = sink_->tls_cert().string()});
  DeliveryResult result = transport->Send(TestMessage());
  ASSERT_TRUE(result.delivered()) << result.reply;
  auto received = sink_->Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].info["tls"], true);
}

TEST_F(SmtpTransportTest, UntrustedCertificateNeverFallsBackToPlainText) {
  StartSink({.starttls = true});
  // The self-signed certificate is not in the system store.
  DeliveryResult result = transport_->Send(TestMessage());
  EXPECT_EQ(result.status, DeliveryStatus::kTemporaryFailure);
  EXPECT_FALSE(result.reply.empty());
  EXPECT_TRUE(sink_->Received().empty());
}

TEST_F(SmtpTransportTest, RequireTlsRefusesAServerWithoutStartTls) {
  StartSink();
  auto transport = TransportFor(sink_->url(), {.require_tls = true});
  DeliveryResult result = transport->Send(TestMessage());
  EXPECT_EQ(result.status, DeliveryStatus::kTemporaryFailure);
  EXPECT_TRUE(sink_->Received().empty());
  EXPECT_EQ(sink_->Connections(), 1);  // it did connect, and sent nothing in clear
}

TEST(SmtpConfigTest, BadConfigurationNamesTheField) {
  auto field = [](SmtpConfig c) {
    Status s = ValidateSmtpConfig(c);
    return s ? std::string() : s.error().field;
  };
  EXPECT_EQ(field({.url = "http://mail.example.org"}), "url");
  EXPECT_EQ(field({.url = "smtp://"}), "url");
  EXPECT_EQ(field({.url = "smtp://mail.example.org\r\n"}), "url");
  EXPECT_EQ(field({.url = "smtp://mail.example.org", .username = "u"}), "password");
  EXPECT_EQ(field({.url = "smtp://mail.example.org", .username = "u", .password = "p"}),
            "require_tls");
  EXPECT_EQ(field({.url = "smtps://mail.example.org:465", .username = "u", .password = "p"}), "");
  EXPECT_EQ(field({.url = "smtp://127.0.0.1:2525", .username = "u", .password = "p"}), "");
  EXPECT_EQ(field({.url = "smtp://mail.example.org", .envelope_from = "bad"}), "envelope_from");
  EXPECT_EQ(field({.url = "smtp://mail.example.org", .timeout = std::chrono::milliseconds(0)}),
            "timeout");
}

}  // namespace
}  // namespace masthead::mail
