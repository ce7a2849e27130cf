// DeliveryWorker with a real SMTP server (smtp_sink.py) and, as the test fixture
// for the queue, an in-memory OutboxQueue that follows the interface contract.
#include "mail/delivery_worker.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include "base/time.h"
#include "mail/smtp_transport.h"
#include "mail/testing/smtp_sink.h"

namespace masthead::mail {
namespace {

using testing::SmtpSink;
using testing::SmtpSinkOptions;
using testing::TempDir;

enum class RowState { kPending, kDelivered, kFailed };

struct Row {
  Message message;
  RowState state = RowState::kPending;
  TimePoint due{};
  TimePoint lease_until{};
  std::vector<DeliveryResult> attempts;
};

// In-memory OutboxQueue for the worker tests only; the real one is a table.
class MemoryOutbox final : public OutboxQueue {
 public:
  std::int64_t Enqueue(Message message) {
    // As the real Outbox does: the date is fixed when the mail is queued, so a
    // resend is byte-identical even when it crosses a second boundary.
    if (message.date == 0) message.date = NowSeconds();
    std::lock_guard<std::mutex> lock(mutex_);
    std::int64_t id = next_id_++;
    rows_[id].message = std::move(message);
    return id;
  }

  Result<std::vector<OutboxItem>> ClaimDue(TimePoint now, std::size_t limit,
                                           std::chrono::seconds lease) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<OutboxItem> items;
    for (auto& [id, row] : rows_) {
      if (items.size() == limit) break;
      if (row.state != RowState::kPending || row.due > now || row.lease_until > now) continue;
      row.lease_until = now + lease;
      items.push_back({id, row.message, static_cast<int>(row.attempts.size())});
    }
    return items;
  }

  Status MarkDelivered(std::int64_t id, const DeliveryResult& result) override {
    return Update(id, result, RowState::kDelivered, {});
  }
  Status MarkTemporaryFailure(std::int64_t id, TimePoint next_attempt,
                              const DeliveryResult& result) override {
    return Update(id, result, RowState::kPending, next_attempt);
  }
  Status MarkPermanentFailure(std::int64_t id, const DeliveryResult& result) override {
    return Update(id, result, RowState::kFailed, {});
  }

  // Blocks until `done(rows)` holds. The 60 s guard only turns a hang into a failure.
  bool WaitUntil(const std::function<bool(const std::map<std::int64_t, Row>&)>& done) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(60), [&] { return done(rows_); });
  }

  std::map<std::int64_t, Row> Snapshot() {
    std::lock_guard<std::mutex> lock(mutex_);
    return rows_;
  }

 private:
  Status Update(std::int64_t id, const DeliveryResult& result, RowState state, TimePoint due) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = rows_.find(id);
      if (it == rows_.end()) return MakeError(ErrorCode::kNotFound, "no such outbox row");
      if (it->second.state != RowState::kPending) {
        return MakeError(ErrorCode::kConflict, "outbox row already final");
      }
      it->second.state = state;
      it->second.due = due;
      it->second.lease_until = {};
      it->second.attempts.push_back(result);
    }
    changed_.notify_all();
    return Ok();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::int64_t, Row> rows_;
  std::int64_t next_id_ = 1;
};

bool AllFinal(const std::map<std::int64_t, Row>& rows) {
  for (const auto& [id, row] : rows) {
    if (row.state == RowState::kPending) return false;
  }
  return true;
}

Message TestMessage(int i, std::string to = "ada@example.com") {
  Message m;
  m.from = {"Example", "news@example.org"};
  m.to = {"", std::move(to)};
  m.subject = "Notification " + std::to_string(i);
  m.text_body = "Body " + std::to_string(i) + "\n";
  m.message_id = *NewMessageId("news.example.org");
  return m;
}

DeliveryWorkerOptions FastOptions() {
  DeliveryWorkerOptions options;
  options.retry.initial_delay = std::chrono::milliseconds(10);
  options.retry.max_delay = std::chrono::milliseconds(100);
  options.retry.max_attempts = 100000;
  options.poll_interval = std::chrono::milliseconds(10);
  options.batch_size = 8;
  return options;
}

std::unique_ptr<SmtpTransport> Transport(const std::string& url) {
  auto transport = SmtpTransport::Create({.url = url});
  EXPECT_TRUE(transport);
  return std::move(*transport);
}

TEST(DeliveryWorkerTest, DeliversEverythingQueuedAfterNotify) {
  TempDir dir;
  auto sink = SmtpSink::Start(dir.path());
  ASSERT_TRUE(sink) << sink.error().ToString();
  auto transport = Transport((*sink)->url());
  MemoryOutbox outbox;
  DeliveryWorkerOptions options = FastOptions();
  options.poll_interval = std::chrono::hours(1);  // only Notify can wake it
  DeliveryWorker worker(outbox, *transport, options);
  ASSERT_TRUE(worker.Start());
  std::set<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    Message m = TestMessage(i);
    ids.insert(m.message_id);
    outbox.Enqueue(std::move(m));
    if (i % 10 == 9) worker.Notify();
  }
  ASSERT_TRUE(outbox.WaitUntil(AllFinal));
  worker.Stop();
  for (const auto& [id, row] : outbox.Snapshot()) {
    EXPECT_EQ(row.state, RowState::kDelivered) << id;
    EXPECT_EQ(row.attempts.size(), 1u);
  }
  std::set<std::string> arrived;
  for (const auto& mail : (*sink)->Received()) arrived.insert(mail.info["message_id"]);
  EXPECT_EQ(arrived, ids);
  EXPECT_EQ(worker.stats().delivered, 40u);
}

TEST(DeliveryWorkerTest, ServerDownThenUpEveryMessageArrivesExactlyOnce) {
  TempDir dir;
  auto first = SmtpSink::Start(dir.path());
  ASSERT_TRUE(first) << first.error().ToString();
  int port = (*first)->port();
  std::string url = (*first)->url();
  (*first)->Stop();  // down: connections to the port are refused

  auto transport = Transport(url);
  MemoryOutbox outbox;
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    Message m = TestMessage(i);
    ids.push_back(m.message_id);
    outbox.Enqueue(std::move(m));
  }
  DeliveryWorker worker(outbox, *transport, FastOptions());
  ASSERT_TRUE(worker.Start());
  // Every message has failed at least twice: the worker is retrying.
  ASSERT_TRUE(outbox.WaitUntil([](const auto& rows) {
    for (const auto& [id, row] : rows) {
      if (row.attempts.size() < 2) return false;
    }
    return true;
  }));
  for (const auto& [id, row] : outbox.Snapshot()) {
    EXPECT_EQ(row.state, RowState::kPending);
    EXPECT_EQ(row.attempts.back().status, DeliveryStatus::kTemporaryFailure);
  }

  auto second = SmtpSink::Start(dir.path(), {.port = port});  // up again, same port
  ASSERT_TRUE(second) << second.error().ToString();
  ASSERT_TRUE(outbox.WaitUntil(AllFinal));
  worker.Stop();

  for (const auto& [id, row] : outbox.Snapshot()) {
    EXPECT_EQ(row.state, RowState::kDelivered) << id;
    EXPECT_GE(row.attempts.size(), 3u);
  }
  std::map<std::string, int> arrivals;
  for (const auto& mail : (*second)->Received()) ++arrivals[mail.info["message_id"]];
  ASSERT_EQ(arrivals.size(), ids.size());
  for (const std::string& id : ids) EXPECT_EQ(arrivals[id], 1) << id;
}

// The reply to DATA is lost: the server has the message, the client cannot know.
// The worker must retry (losing mail is worse), and the resend carries the same
// Message-ID so the receiving side can tell it is one message. This is the only
// duplicate the design allows, and the test pins it down.
TEST(DeliveryWorkerTest, LostReplyAfterDataResendsWithTheSameMessageId) {
  TempDir dir;
  auto sink = SmtpSink::Start(dir.path(), {.drop_after_data = 1});
  ASSERT_TRUE(sink) << sink.error().ToString();
  auto transport = Transport((*sink)->url());
  MemoryOutbox outbox;
  Message message = TestMessage(1);
  std::string message_id = message.message_id;
  std::int64_t id = outbox.Enqueue(std::move(message));
  DeliveryWorker worker(outbox, *transport, FastOptions());
  ASSERT_TRUE(worker.Start());
  ASSERT_TRUE(outbox.WaitUntil(AllFinal));
  worker.Stop();
  Row row = outbox.Snapshot()[id];
  EXPECT_EQ(row.state, RowState::kDelivered);
  ASSERT_EQ(row.attempts.size(), 2u);
  EXPECT_EQ(row.attempts[0].status, DeliveryStatus::kTemporaryFailure);
  auto received = (*sink)->Received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].info["message_id"], message_id);
  EXPECT_EQ(received[1].info["message_id"], message_id);
  EXPECT_EQ(received[0].raw, received[1].raw);  // byte-identical resend
}

TEST(DeliveryWorkerTest, FiveHundredFailsPermanentlyWithReplyOthersStillGo) {
  TempDir dir;
  auto sink = SmtpSink::Start(dir.path(), {.perm_fail = "^gone@"});
  ASSERT_TRUE(sink);
  auto transport = Transport((*sink)->url());
  MemoryOutbox outbox;
  std::int64_t good1 = outbox.Enqueue(TestMessage(1));
  std::int64_t bad = outbox.Enqueue(TestMessage(2, "gone@example.com"));
  std::int64_t good2 = outbox.Enqueue(TestMessage(3));
  DeliveryWorker worker(outbox, *transport, FastOptions());
  ASSERT_TRUE(worker.Start());
  ASSERT_TRUE(outbox.WaitUntil(AllFinal));
  worker.Stop();
  auto rows = outbox.Snapshot();
  EXPECT_EQ(rows[good1].state, RowState::kDelivered);
  EXPECT_EQ(rows[good2].state, RowState::kDelivered);
  ASSERT_EQ(rows[bad].state, RowState::kFailed);
  ASSERT_EQ(rows[bad].attempts.size(), 1u);  // never retried
  EXPECT_EQ(rows[bad].attempts[0].code, 550);
  EXPECT_NE(rows[bad].attempts[0].reply.find("mailbox unavailable"), std::string::npos);
  EXPECT_EQ((*sink)->Received().size(), 2u);
}

TEST(DeliveryWorkerTest, GivesUpAfterMaxAttemptsKeepingTheLastReply) {
  TempDir dir;
  auto sink = SmtpSink::Start(dir.path(), {.temp_fail = "^busy@"});
  ASSERT_TRUE(sink);
  auto transport = Transport((*sink)->url());
  MemoryOutbox outbox;
  std::int64_t id = outbox.Enqueue(TestMessage(1, "busy@example.com"));
  DeliveryWorkerOptions options = FastOptions();
  options.retry.max_attempts = 3;
  options.retry.initial_delay = std::chrono::milliseconds(1);
  options.retry.max_delay = std::chrono::milliseconds(5);
  DeliveryWorker worker(outbox, *transport, options);
  ASSERT_TRUE(worker.Start());
  ASSERT_TRUE(outbox.WaitUntil(AllFinal));
  worker.Stop();
  Row row = outbox.Snapshot()[id];
  EXPECT_EQ(row.state, RowState::kFailed);
  ASSERT_EQ(row.attempts.size(), 3u);
  EXPECT_EQ(row.attempts[0].status, DeliveryStatus::kTemporaryFailure);
  EXPECT_EQ(row.attempts[2].status, DeliveryStatus::kPermanentFailure);
  EXPECT_NE(row.attempts[2].reply.find("gave up after 3 attempts"), std::string::npos);
  EXPECT_NE(row.attempts[2].reply.find("451"), std::string::npos);
  EXPECT_EQ(worker.stats().permanent_failures, 1u);
  EXPECT_EQ(worker.stats().temporary_failures, 2u);
}

TEST(DeliveryWorkerTest, StopsCleanlyWhileRetriesArePending) {
  TempDir dir;
  auto sink = SmtpSink::Start(dir.path(), {.down = true});
  ASSERT_TRUE(sink);
  auto transport = Transport((*sink)->url());
  MemoryOutbox outbox;
  outbox.Enqueue(TestMessage(1));
  DeliveryWorkerOptions options = FastOptions();
  options.retry.initial_delay = std::chrono::hours(1);
  options.retry.max_delay = std::chrono::hours(1);
  options.poll_interval = std::chrono::hours(1);
  auto worker = std::make_unique<DeliveryWorker>(outbox, *transport, options);
  ASSERT_TRUE(worker->Start());
  EXPECT_FALSE(worker->Start());  // already running
  ASSERT_TRUE(outbox.WaitUntil([](const auto& rows) { return !rows.begin()->second.attempts.empty(); }));
  worker->Stop();  // must return although the next wake-up is an hour away
  worker->Stop();  // idempotent
  auto after_stop = worker->DeliverDueOnce();
  ASSERT_TRUE(after_stop);
  EXPECT_EQ(*after_stop, 0u);  // a stopped worker claims nothing
  worker.reset();
  Row row = outbox.Snapshot().begin()->second;
  EXPECT_EQ(row.state, RowState::kPending);
  EXPECT_EQ(row.attempts.size(), 1u);
  EXPECT_EQ(row.attempts[0].code, 421);
}

TEST(DeliveryWorkerTest, RejectsBadOptions) {
  MemoryOutbox outbox;
  TempDir dir;
  auto transport = Transport("smtp://127.0.0.1:9");
  DeliveryWorkerOptions options = FastOptions();
  options.retry.multiplier = 0.1;
  DeliveryWorker worker(outbox, *transport, options);
  Status status = worker.Start();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().field, "multiplier");
}

}  // namespace
}  // namespace masthead::mail
