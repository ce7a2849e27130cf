// The outbox on a real SQLite file, delivered by the worker over real SMTP.
#include "mail/store_outbox.h"

#include <gtest/gtest.h>

#include <set>

#include "mail/delivery_worker.h"
#include "mail/message_codec.h"
#include "mail/mime.h"
#include "mail/smtp_transport.h"
#include "mail/testing/smtp_sink.h"
#include "store/sqlite/sqlite_engine.h"

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
    auto store = store::sqlite::OpenSqliteStore({.path = (dir_.path() / "db.sqlite").string()});
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

// Counts what goes through `inner`; `during_send(n)` runs while the n-th message
// (from 0) is being sent, for an SMTP session that takes long.
class CountingTransport final : public Transport {
 public:
  explicit CountingTransport(Transport& inner, std::function<void(int)> during_send = nullptr)
      : inner_(inner), during_send_(std::move(during_send)) {}
  DeliveryResult Send(const Message& message) override {
    if (during_send_) during_send_(sent_);
    auto result = inner_.Send(message);
    ++sent_;
    return result;
  }
  int sent() const { return sent_; }

 private:
  Transport& inner_;
  std::function<void(int)> during_send_;
  int sent_ = 0;
};

// Every queued message arrived exactly once, and the outbox says so.
void ExpectEachDeliveredOnce(SmtpSink& sink, store::Store& store, std::size_t messages) {
  std::multiset<std::string> ids;
  for (const auto& mail : sink.Received()) ids.insert(mail.info["message_id"].get<std::string>());
  EXPECT_EQ(ids.size(), messages);
  for (const auto& id : ids) EXPECT_EQ(ids.count(id), 1u) << id;
  EXPECT_EQ(store.ListMail({"delivered", 100})->size(), messages);
}

TEST_F(StoreOutboxTest, ABatchThatOutlivesItsLeaseSendsNothingAnotherNodeTookOver) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(outbox_.Enqueue(*store_, Note("a@example.org"), "reply"));
  auto sink = SmtpSink::Start(dir_.path() / "sink");
  ASSERT_TRUE(sink);
  auto transport = Transport(**sink);
  StoreOutboxQueue queue(*store_);
  const TimePoint start = std::chrono::system_clock::now();
  DeliveryWorkerOptions other_node_options;
  other_node_options.lease = std::chrono::seconds(10);
  other_node_options.now = [&] { return start + std::chrono::seconds(11); };
  DeliveryWorker other_node(queue, *transport, other_node_options);
  // The slow node sends and records its first message, then stalls past its
  // lease, and the other node claims what the lease no longer holds.
  CountingTransport counting(*transport);
  std::size_t taken_over = 0;
  DeliveryWorkerOptions options = other_node_options;
  options.now = [&, stalled = false]() mutable {
    if (counting.sent() == 1 && !stalled) {
      stalled = true;
      taken_over = other_node.DeliverDueOnce().value_or(0);
    }
    return stalled ? start + std::chrono::seconds(11) : start;
  };
  DeliveryWorker slow_node(queue, counting, options);

  EXPECT_EQ(slow_node.DeliverDueOnce().value_or(0), 1u);
  EXPECT_EQ(taken_over, 3u);
  EXPECT_EQ(slow_node.stats().leases_lost, 3u);
  ExpectEachDeliveredOnce(**sink, *store_, 4);
}

TEST_F(StoreOutboxTest, TheMessageBeingSentKeepsItsRenewedLeaseWhileTheRestGoToAnotherNode) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(outbox_.Enqueue(*store_, Note("a@example.org"), "reply"));
  auto sink = SmtpSink::Start(dir_.path() / "sink");
  ASSERT_TRUE(sink);
  auto transport = Transport(**sink);
  StoreOutboxQueue queue(*store_);
  const TimePoint start = std::chrono::system_clock::now();
  TimePoint clock = start;
  DeliveryWorkerOptions options;
  options.lease = std::chrono::seconds(10);
  options.now = [&] { return clock; };
  DeliveryWorker other_node(queue, *transport, options);
  std::size_t taken_over = 0;
  // The second message is renewed (past half the lease) before its SMTP session,
  // which then takes until after the first lease ended: the other node, coming
  // then, must leave it alone and take only the two not yet renewed.
  CountingTransport counting(*transport, [&](int n) {
    if (n == 0) clock = start + std::chrono::seconds(6);
    if (n == 1) {
      clock = start + std::chrono::seconds(12);
      taken_over = other_node.DeliverDueOnce().value_or(0);
    }
  });
  DeliveryWorker slow_node(queue, counting, options);
  EXPECT_EQ(slow_node.DeliverDueOnce().value_or(0), 2u);
  EXPECT_EQ(taken_over, 2u);
  EXPECT_EQ(slow_node.stats().leases_lost, 2u);
  ExpectEachDeliveredOnce(**sink, *store_, 4);
}

NotificationEnvelope ReplyEnvelope(const std::string& to_name) {
  NotificationEnvelope envelope;
  envelope.from = {"Masthead", "news@example.org"};
  envelope.to = {to_name, "ada@example.org"};
  envelope.unsubscribe_url = "https://news.example.org/mail/unsubscribe?u=1&k=replies&t=x";
  envelope.unsubscribe_mailto = "mailto:news@example.org?subject=unsubscribe";
  return envelope;
}

NotificationFields ReplyFields(const std::string& excerpt) {
  return {{"site_name", "Masthead"},
          {"settings_url", "https://news.example.org/account/notifications"},
          {"recipient_name", "Ada"},
          {"actor_name", "Bob"},
          {"article_title", "Putin signs bill"},
          {"article_url", "https://news.example.org/articles/putin#c2"},
          {"excerpt", excerpt}};
}

TEST_F(StoreOutboxTest, ANotificationIsStoredCompactlyAndRenderedTheSameOnEveryAttempt) {
  const std::string excerpt = "I <script>alert(1)</script>disagree, " + std::string(280, 'x');
  auto id = outbox_.EnqueueNotification(*store_, NotificationKind::kReply, ReplyFields(excerpt),
                                        ReplyEnvelope("Ada"), "reply");
  ASSERT_TRUE(id) << id.error().ToString();
  auto stored = store_->ListMail({"pending", 10});
  ASSERT_EQ(stored->size(), 1u);
  const std::string& row = (*stored)[0].encoded;
  auto first = DecodeMessage(row);
  ASSERT_TRUE(first) << first.error().ToString();
  // What the request writes is smaller than what the worker renders from it.
  EXPECT_LT(row.size(), first->text_body.size() + first->html_body.size());
  EXPECT_EQ(first->message_id, (*stored)[0].message_id);
  auto again = DecodeMessage(row);
  EXPECT_EQ(BuildMime(*first, 0).value(), BuildMime(*again, 0).value());

  auto sink = SmtpSink::Start(dir_.path() / "sink");
  ASSERT_TRUE(sink);
  auto transport = Transport(**sink);
  StoreOutboxQueue queue(*store_);
  DeliveryWorker worker(queue, *transport, {});
  EXPECT_EQ(worker.DeliverDueOnce().value_or(0), 1u);
  const auto received = (*sink)->Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].info["message_id"].get<std::string>(), (*stored)[0].message_id);
  EXPECT_NE(received[0].info["subject"].get<std::string>().find("Bob replied"), std::string::npos);
  EXPECT_EQ(received[0].info["html"].get<std::string>().find("<script"), std::string::npos);
}

TEST_F(StoreOutboxTest, AStoredNotificationIsCheckedAsThoroughlyAsARenderedOne) {
  auto injected = outbox_.EnqueueNotification(*store_, NotificationKind::kReply, ReplyFields("hi"),
                                              ReplyEnvelope("Ada\r\nBcc: victim@example.org"), "reply");
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(injected.error().field, "to");
  NotificationFields missing = ReplyFields("hi");
  missing.erase("article_url");
  auto incomplete = outbox_.EnqueueNotification(*store_, NotificationKind::kReply, missing,
                                                ReplyEnvelope("Ada"), "reply");
  ASSERT_FALSE(incomplete);
  EXPECT_EQ(incomplete.error().field, "article_url");
  NotificationFields bad_link = ReplyFields("hi");
  bad_link["article_url"] = "javascript:alert(1)";
  EXPECT_FALSE(outbox_.EnqueueNotification(*store_, NotificationKind::kReply, bad_link, ReplyEnvelope("Ada"), "reply"));
  EXPECT_TRUE(store_->ListMail({"", 10})->empty());
}

}  // namespace
}  // namespace masthead::mail
