// The outbox on a real SQLite file, delivered by the worker over real SMTP.
#include "mail/store_outbox.h"

#include <gtest/gtest.h>

#include "mail/delivery_worker.h"
#include "mail/message_codec.h"
#include "mail/smtp_transport.h"
#include "mail/testing/smtp_sink.h"
#include "store/sqlite/sqlite_store.h"

namespace masthead::mail {
namespace {

using testing::SmtpSink;
using testing::TempDir;

Message Note(const std::string& to, const std::string& subject = "A reply to your comment") {
  Message m;
  m.from = {"Masthead", "news@example.org"};
  m.to = {"Reader", to};
  m.subject = subject;
  m.text_body = "Someone replied.\n";
  m.html_body = "<p>Someone replied.</p>\n";
  return m;
}

class StoreOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Open({.path = (dir_.path() / "db.sqlite").string()});
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->Migrate());
    store_ = std::move(*store);
  }

  std::unique_ptr<SmtpTransport> Transport(const SmtpSink& sink) {
    auto transport = SmtpTransport::Create({.url = sink.url(), .timeout = std::chrono::seconds(30)});
    EXPECT_TRUE(transport) << transport.error().ToString();
    return std::move(*transport);
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  Outbox outbox_{"news.example.org"};
};

TEST_F(StoreOutboxTest, MailCommittedWithItsChangeIsDeliveredExactlyOnce) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(store_->Transact([&](store::Store& tx) -> Status {
      return outbox_.Enqueue(tx, Note("r" + std::to_string(i) + "@example.org"), "reply").map([](auto) {});
    }));
  }
  // A change that fails takes its mail with it.
  auto failed = store_->Transact([&](store::Store& tx) -> Status {
    MASTHEAD_RETURN_IF_ERROR(outbox_.Enqueue(tx, Note("ghost@example.org"), "reply"));
    return MakeError(ErrorCode::kConflict, "the comment could not be stored");
  });
  ASSERT_FALSE(failed);

  auto sink = SmtpSink::Start(dir_.path() / "sink");
  ASSERT_TRUE(sink) << sink.error().ToString();
  auto transport = Transport(**sink);
  StoreOutboxQueue queue(*store_);
  DeliveryWorker worker(queue, *transport, {});
  std::size_t delivered = 0;
  for (int round = 0; round < 5; ++round) delivered += worker.DeliverDueOnce().value_or(0);
  EXPECT_EQ(delivered, 10u);
  const auto received = (*sink)->Received();
  ASSERT_EQ(received.size(), 10u);
  std::set<std::string> ids;
  for (const auto& mail : received) {
    ids.insert(mail.info["message_id"].get<std::string>());
    EXPECT_NE(mail.info["rcpt_tos"].dump().find("example.org"), std::string::npos);
    EXPECT_EQ(mail.info["rcpt_tos"].dump().find("ghost"), std::string::npos);
  }
  EXPECT_EQ(ids.size(), 10u);
  EXPECT_EQ(store_->ListMail({"delivered", 100})->size(), 10u);
  EXPECT_TRUE(store_->ListMail({"pending", 100})->empty());
}

TEST_F(StoreOutboxTest, HeaderInjectionIsRefusedAtEnqueueAndNothingIsStored) {
  auto injected = store_->Transact([&](store::Store& tx) -> Status {
    return outbox_.Enqueue(tx, Note("a@example.org", "Hi\r\nBcc: victim@example.org"), "reply")
        .map([](auto) {});
  });
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(injected.error().field, "subject");
  auto bad_address = store_->Transact([&](store::Store& tx) -> Status {
    return outbox_.Enqueue(tx, Note("a@example.org\r\nRCPT TO:<x@example.org>"), "reply").map([](auto) {});
  });
  ASSERT_FALSE(bad_address);
  EXPECT_TRUE(store_->ListMail({"", 10})->empty());
}

TEST_F(StoreOutboxTest, PermanentFailuresKeepTheReplyAndCanBeRetried) {
  ASSERT_TRUE(outbox_.Enqueue(*store_, Note("bounce@example.org"), "reply"));
  testing::SmtpSinkOptions options;
  options.perm_fail = "bounce@";
  auto sink = SmtpSink::Start(dir_.path() / "sink", options);
  ASSERT_TRUE(sink);
  auto transport = Transport(**sink);
  StoreOutboxQueue queue(*store_);
  DeliveryWorker worker(queue, *transport, {});
  ASSERT_TRUE(worker.DeliverDueOnce());
  auto failed = store_->ListMail({"failed", 10});
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].last_code, 550);
  EXPECT_NE((*failed)[0].last_reply.find("550"), std::string::npos);
  EXPECT_TRUE((*sink)->Received().empty());

  (*sink)->Stop();
  auto healthy = SmtpSink::Start(dir_.path() / "sink2");
  ASSERT_TRUE(healthy);
  ASSERT_TRUE(store_->RetryMail((*failed)[0].id, NowSeconds()));
  auto transport2 = Transport(**healthy);
  DeliveryWorker worker2(queue, *transport2, {});
  EXPECT_EQ(worker2.DeliverDueOnce().value_or(0), 1u);
  EXPECT_EQ((*healthy)->Received().size(), 1u);
}

TEST_F(StoreOutboxTest, AWorkerThatDiedMidBatchLeavesItsMailToTheNextOne) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(outbox_.Enqueue(*store_, Note("a@example.org"), "reply"));
  // A worker claims the batch, then dies before sending (its lease holds them).
  ASSERT_EQ(store_->ClaimDueMail({NowSeconds(), 10, 1})->size(), 3u);
  auto sink = SmtpSink::Start(dir_.path() / "sink");
  ASSERT_TRUE(sink);
  auto transport = Transport(**sink);
  StoreOutboxQueue queue(*store_);
  // Another worker, later: the lease has run out. Its clock is moved forward
  // rather than the test waiting.
  DeliveryWorkerOptions options;
  options.now = [] { return std::chrono::system_clock::now() + std::chrono::seconds(5); };
  DeliveryWorker worker(queue, *transport, options);
  EXPECT_EQ(worker.DeliverDueOnce().value_or(0), 3u);
  EXPECT_EQ((*sink)->Received().size(), 3u);
}

}  // namespace
}  // namespace masthead::mail
