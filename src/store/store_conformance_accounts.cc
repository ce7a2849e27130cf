// The Store contract for users, sessions, one-time tokens, rate limits,
// policies and settings.
#include <atomic>
#include <thread>

#include "store/store_conformance.h"

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

CreateUserRequest NewUser(std::string email) {
  return {.email = std::move(email), .display_name = "Reader", .password_hash = "$argon2id$x",
          .role = "reader", .now = kNow};
}

TEST_P(StoreConformanceTest, UsersAreUniqueByEmailAndUpdatePartially) {
  auto user = store_->CreateUser(NewUser("a@example.org"));
  ASSERT_TRUE(user) << user.error().ToString();
  EXPECT_EQ(user->role, "reader");
  EXPECT_FALSE(user->email_confirmed_at);
  auto duplicate = store_->CreateUser(NewUser("a@example.org"));
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(duplicate.error().field, "email");

  auto renamed = store_->UpdateUser({.id = user->id, .display_name = "New Name", .now = kNow + 5});
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->display_name, "New Name");
  EXPECT_EQ(renamed->password_hash, "$argon2id$x");  // untouched
  EXPECT_EQ(renamed->updated_at, kNow + 5);
  auto confirmed = store_->UpdateUser({.id = user->id, .role = "editor", .email_confirmed_at = kNow + 9});
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->role, "editor");
  EXPECT_EQ(confirmed->email_confirmed_at, kNow + 9);
  EXPECT_EQ(confirmed->display_name, "New Name");

  EXPECT_EQ(store_->FindUser({.email = "a@example.org"})->id, user->id);
  EXPECT_EQ(store_->FindUser({.email = "nobody@example.org"}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->UpdateUser({.id = 999999, .role = "admin"}).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, SessionsExpireAndCanBeEndedOneOrAllButOne) {
  auto user = store_->CreateUser(NewUser("s@example.org"));
  ASSERT_TRUE(user);
  for (const char* hash : {"h1", "h2", "h3"}) {
    ASSERT_TRUE(store_->CreateSession({hash, user->id, kNow, kNow + 100, "UA"}));
  }
  auto found = store_->FindSession("h1", kNow + 1);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, user->id);
  EXPECT_FALSE(store_->FindSession("h1", kNow + 100));  // expired
  ASSERT_TRUE(store_->DeleteSession("h1"));
  EXPECT_FALSE(store_->FindSession("h1", kNow + 1));
  ASSERT_TRUE(store_->DeleteUserSessions(user->id, "h3"));
  EXPECT_FALSE(store_->FindSession("h2", kNow + 1));
  EXPECT_TRUE(store_->FindSession("h3", kNow + 1));
}

TEST_P(StoreConformanceTest, UserTokensWorkOnceForTheirPurposeUntilTheyExpire) {
  auto user = store_->CreateUser(NewUser("t@example.org"));
  ASSERT_TRUE(user);
  ASSERT_TRUE(store_->CreateUserToken({"tok", user->id, "confirm_email", kNow, kNow + 60}));
  ASSERT_TRUE(store_->CreateUserToken({"old", user->id, "reset_password", kNow, kNow + 60}));
  EXPECT_FALSE(store_->ConsumeUserToken({"tok", "reset_password", kNow}));  // wrong purpose
  auto used = store_->ConsumeUserToken({"tok", "confirm_email", kNow + 1});
  ASSERT_TRUE(used);
  EXPECT_EQ(*used, user->id);
  EXPECT_EQ(store_->ConsumeUserToken({"tok", "confirm_email", kNow + 2}).error().code,
            ErrorCode::kNotFound);  // replay
  EXPECT_FALSE(store_->ConsumeUserToken({"old", "reset_password", kNow + 60}));  // expired
}

TEST_P(StoreConformanceTest, RateLimitsCountPerWindowAndClear) {
  for (int i = 1; i <= 3; ++i) {
    auto hit = store_->HitRateLimit({"login:x", 3, 60, kNow + i});
    ASSERT_TRUE(hit);
    EXPECT_TRUE(hit->allowed);
    EXPECT_EQ(hit->count, i);
  }
  auto refused = store_->HitRateLimit({"login:x", 3, 60, kNow + 10});
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->retry_after, 51);  // window began at kNow + 1
  EXPECT_TRUE(store_->HitRateLimit({"login:y", 3, 60, kNow + 10})->allowed);  // other key
  EXPECT_TRUE(store_->HitRateLimit({"login:x", 3, 60, kNow + 61})->allowed);  // new window
  ASSERT_TRUE(store_->HitRateLimit({"login:x", 1, 60, kNow + 62}));
  ASSERT_TRUE(store_->ClearRateLimit("login:x"));
  EXPECT_EQ(store_->HitRateLimit({"login:x", 1, 60, kNow + 63})->count, 1);
}

TEST_P(StoreConformanceTest, RateLimitsAreAtomicUnderConcurrency) {
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto hit = store_->HitRateLimit({"flood", 30, 3600, kNow});
        if (hit && hit->allowed) ++allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 30);
}

TEST_P(StoreConformanceTest, PoliciesAreVersionedAndAcceptancesRecorded) {
  EXPECT_EQ(store_->CurrentPolicy("terms").error().code, ErrorCode::kNotFound);
  auto v1 = store_->PublishPolicy({"terms", "Be kind", "# Terms v1", kNow});
  ASSERT_TRUE(v1) << v1.error().ToString();
  EXPECT_EQ(v1->version, 1);
  ASSERT_TRUE(store_->PublishPolicy({"guidelines", "No bullying", "# G v1", kNow}));
  auto v2 = store_->PublishPolicy({"terms", "Be kinder", "# Terms v2", kNow + 1});
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->version, 2);
  auto current = store_->CurrentPolicy("terms");
  ASSERT_TRUE(current);
  EXPECT_EQ(current->version, 2);
  EXPECT_EQ(current->body_markdown, "# Terms v2");
  EXPECT_EQ(store_->CurrentPolicy("guidelines")->version, 1);

  auto user = store_->CreateUser(NewUser("p@example.org"));
  ASSERT_TRUE(user);
  EXPECT_FALSE(store_->HasAccepted({user->id, 2, 1}).value());
  ASSERT_TRUE(store_->RecordAcceptance({user->id, 1, 1, kNow}));
  ASSERT_TRUE(store_->RecordAcceptance({user->id, 1, 1, kNow}));  // twice is harmless
  EXPECT_TRUE(store_->HasAccepted({user->id, 1, 1}).value());
  EXPECT_FALSE(store_->HasAccepted({user->id, 2, 1}).value());
}

TEST_P(StoreConformanceTest, SettingsKeepTheFirstValue) {
  EXPECT_EQ(store_->GetOrCreateSetting("csrf_key", "first").value(), "first");
  EXPECT_EQ(store_->GetOrCreateSetting("csrf_key", "second").value(), "first");
}

}  // namespace
}  // namespace masthead::store
