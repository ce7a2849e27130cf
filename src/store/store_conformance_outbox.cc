// The Store contract for the mail outbox.
#include <atomic>
#include <set>
#include <thread>

#include "store/store_conformance.h"

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

EnqueueMailRequest Mail(const std::string& id, UnixSeconds now = kNow) {
  return {"<" + id + "@example.org>", "reader@example.org", "reply", "{\"encoded\":true}", now};
}

TEST_P(StoreConformanceTest, OutboxClaimsDueMailOnceAndLeasesIt) {
  ASSERT_TRUE(store_->EnqueueMail(Mail("a")));
  ASSERT_TRUE(store_->EnqueueMail(Mail("b", kNow + 100)));  // not due yet
  EXPECT_EQ(store_->EnqueueMail(Mail("a")).error().code, ErrorCode::kAlreadyExists);
  auto claimed = store_->ClaimDueMail({kNow + 1, 10, 60});
  ASSERT_TRUE(claimed) << claimed.error().ToString();
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].message_id, "<a@example.org>");
  EXPECT_EQ((*claimed)[0].encoded, "{\"encoded\":true}");
  EXPECT_TRUE(store_->ClaimDueMail({kNow + 2, 10, 60})->empty());      // leased
  EXPECT_EQ(store_->ClaimDueMail({kNow + 61, 10, 60})->size(), 1u);    // lease ran out
}

TEST_P(StoreConformanceTest, OutboxLeaseIsRenewedOnlyByItsHolder) {
  ASSERT_TRUE(store_->EnqueueMail(Mail("a")));
  auto first = store_->ClaimDueMail({kNow, 10, 60});
  ASSERT_TRUE(first && first->size() == 1u);
  const std::int64_t id = (*first)[0].id;
  ASSERT_EQ((*first)[0].lease_until, kNow + 60);
  EXPECT_EQ(store_->RenewMailLease({id, kNow + 60, kNow + 90}), true);
  EXPECT_TRUE(store_->ClaimDueMail({kNow + 61, 10, 60})->empty());  // renewed: still held
  // The lease runs out and another worker claims: the first holder's renewal fails.
  auto second = store_->ClaimDueMail({kNow + 90, 10, 60});
  ASSERT_TRUE(second && second->size() == 1u);
  EXPECT_EQ(store_->RenewMailLease({id, kNow + 90, kNow + 120}), false);
  EXPECT_EQ(store_->RenewMailLease({id, kNow + 150, kNow + 180}), true);
  ASSERT_TRUE(store_->RecordMailAttempt({id, MailOutcome::kDelivered, 250, "ok", kNow + 151}));
  EXPECT_EQ(store_->RenewMailLease({id, kNow + 180, kNow + 240}), false);  // finished
  EXPECT_EQ(store_->RenewMailLease({id + 1000, 0, kNow}), false);          // unknown
}

TEST_P(StoreConformanceTest, OutboxRecordsAttemptsAndOutcomes) {
  const auto a = store_->EnqueueMail(Mail("a")).value();
  const auto b = store_->EnqueueMail(Mail("b")).value();
  ASSERT_EQ(store_->ClaimDueMail({kNow, 10, 60})->size(), 2u);
  ASSERT_TRUE(store_->RecordMailAttempt({a, MailOutcome::kTemporaryFailure, 451, "451 try later", kNow, kNow + 30}));
  ASSERT_TRUE(store_->RecordMailAttempt({b, MailOutcome::kPermanentFailure, 550, "550 no such user", kNow}));
  EXPECT_TRUE(store_->ClaimDueMail({kNow + 29, 10, 60})->empty());
  auto retried = store_->ClaimDueMail({kNow + 30, 10, 60});
  ASSERT_EQ(retried->size(), 1u);
  EXPECT_EQ((*retried)[0].attempts, 1);
  ASSERT_TRUE(store_->RecordMailAttempt({a, MailOutcome::kDelivered, 250, "250 OK", kNow + 31}));

  auto failed = store_->ListMail({"failed", 10});
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].last_reply, "550 no such user");
  EXPECT_EQ((*failed)[0].last_code, 550);
  auto delivered = store_->ListMail({"delivered", 10});
  ASSERT_EQ(delivered->size(), 1u);
  EXPECT_EQ((*delivered)[0].attempts, 2);
  EXPECT_EQ((*delivered)[0].finished_at, kNow + 31);
  EXPECT_EQ(store_->ListMail({"", 10})->size(), 2u);

  EXPECT_EQ(store_->RetryMail(a, kNow).error().code, ErrorCode::kConflict);  // not failed
  ASSERT_TRUE(store_->RetryMail(b, kNow + 40));
  EXPECT_EQ(store_->ClaimDueMail({kNow + 40, 10, 60})->size(), 1u);
  EXPECT_EQ(store_->RecordMailAttempt({999999, MailOutcome::kDelivered, 250, "", kNow}).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, OutboxReleaseMakesMailDueAgainAtOnce) {
  const auto a = store_->EnqueueMail(Mail("a")).value();
  ASSERT_EQ(store_->ClaimDueMail({kNow, 10, 600})->size(), 1u);
  ASSERT_TRUE(store_->RecordMailAttempt({a, MailOutcome::kReleased, 0, "", kNow}));
  auto again = store_->ClaimDueMail({kNow, 10, 600});
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 0);
}

TEST_P(StoreConformanceTest, OutboxEnqueueRollsBackWithItsTransaction) {
  auto failed = store_->Transact([&](Store& tx) -> Status {
    MASTHEAD_RETURN_IF_ERROR(tx.EnqueueMail(Mail("in-tx")));
    return MakeError(ErrorCode::kInvalidArgument, "the change failed");
  });
  ASSERT_FALSE(failed);
  EXPECT_TRUE(store_->ListMail({"", 10})->empty());
}

// Concurrent transactions may share one commit (group commit): each keeps its
// own outcome, and a failed one leaves nothing behind, whatever its neighbours did.
TEST_P(StoreConformanceTest, ConcurrentTransactionsKeepEachTheirOwnOutcome) {
  constexpr int kThreads = 6, kEach = 20;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        const bool fails = (i % 3) == 1;
        auto done = store_->Transact([&](Store& tx) -> Status {
          MASTHEAD_RETURN_IF_ERROR(tx.EnqueueMail(Mail("first-" + id)));
          MASTHEAD_RETURN_IF_ERROR(tx.EnqueueMail(Mail("second-" + id)));
          if (fails) return MakeError(ErrorCode::kConflict, "refused after two writes");
          return Ok();
        });
        if (static_cast<bool>(done) == fails) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
  auto mail = store_->ListMail({"", 1000});
  ASSERT_TRUE(mail);
  std::set<std::string> ids;
  for (const auto& m : *mail) ids.insert(m.message_id);
  std::size_t expected = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      const std::string id = std::to_string(t) + "-" + std::to_string(i);
      const bool kept = (i % 3) != 1;
      EXPECT_EQ(ids.count("<first-" + id + "@example.org>"), kept ? 1u : 0u) << id;
      EXPECT_EQ(ids.count("<second-" + id + "@example.org>"), kept ? 1u : 0u) << id;
      if (kept) expected += 2;
    }
  }
  EXPECT_EQ(ids.size(), expected);
}

TEST_P(StoreConformanceTest, OutboxConcurrentClaimersNeverShareAMessage) {
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(store_->EnqueueMail(Mail("m" + std::to_string(i))));
  std::mutex mutex;
  std::multiset<std::int64_t> seen;
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w) {
    workers.emplace_back([&] {
      for (;;) {
        auto batch = store_->ClaimDueMail({kNow, 7, 600});
        if (!batch || batch->empty()) return;
        std::lock_guard lock(mutex);
        for (const auto& m : *batch) seen.insert(m.id);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(seen.size(), 60u);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 60u);
}

TEST_P(StoreConformanceTest, NotificationSettingsAreKeptPerKind) {
  auto user = store_->CreateUser({.email = "n@example.org", .display_name = "N", .password_hash = "x", .now = kNow});
  ASSERT_TRUE(user);
  EXPECT_TRUE(store_->NotificationSettings(user->id)->empty());
  ASSERT_TRUE(store_->SetNotificationSetting(user->id, "replies", "off", kNow));
  ASSERT_TRUE(store_->SetNotificationSetting(user->id, "answers", "daily", kNow));
  ASSERT_TRUE(store_->SetNotificationSetting(user->id, "replies", "immediately", kNow + 1));
  auto settings = store_->NotificationSettings(user->id);
  ASSERT_TRUE(settings);
  EXPECT_EQ(*settings, (std::vector<std::pair<std::string, std::string>>{{"answers", "daily"}, {"replies", "immediately"}}));
  EXPECT_EQ(store_->SetNotificationSetting(999999, "replies", "off", kNow).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, DigestItemsAreDueByTheirOldestAndSentOnce) {
  auto ann = store_->CreateUser({.email = "ann@example.org", .display_name = "Ann", .password_hash = "x", .now = kNow});
  auto ben = store_->CreateUser({.email = "ben@example.org", .display_name = "Ben", .password_hash = "x", .now = kNow});
  ASSERT_TRUE(ann && ben);
  ASSERT_TRUE(store_->AddDigestItem({ann->id, "hourly", "reply", "{\"n\":1}", kNow}));
  ASSERT_TRUE(store_->AddDigestItem({ann->id, "hourly", "reply", "{\"n\":2}", kNow + 1800}));
  ASSERT_TRUE(store_->AddDigestItem({ann->id, "daily", "reply", "{}", kNow}));
  ASSERT_TRUE(store_->AddDigestItem({ben->id, "hourly", "reply", "{}", kNow + 1800}));
  EXPECT_EQ(store_->AddDigestItem({999999, "hourly", "reply", "{}", kNow}).error().code, ErrorCode::kNotFound);

  EXPECT_TRUE(store_->DueDigestUsers({"hourly", kNow - 1, 10})->empty());
  EXPECT_EQ(*store_->DueDigestUsers({"hourly", kNow, 10}), std::vector<std::int64_t>{ann->id});
  EXPECT_EQ(*store_->DueDigestUsers({"hourly", kNow + 1800, 10}), (std::vector<std::int64_t>{ann->id, ben->id}));

  auto items = store_->ListDigestItems(ann->id, "hourly");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 2u);  // the newer one goes out with the due one
  EXPECT_EQ((*items)[0].fields, "{\"n\":1}");
  EXPECT_EQ((*items)[1].created_at, kNow + 1800);
  std::vector<std::int64_t> ids = {(*items)[0].id, (*items)[1].id};
  EXPECT_EQ(*store_->DeleteDigestItems(ids), 2);
  EXPECT_EQ(*store_->DeleteDigestItems(ids), 0);  // a second worker finds nothing to send
  EXPECT_TRUE(store_->ListDigestItems(ann->id, "hourly")->empty());
  EXPECT_EQ(store_->ListDigestItems(ann->id, "daily")->size(), 1u);
}

}  // namespace
}  // namespace masthead::store
