// The Store contract for the newsroom: inbox claims, dashboard figures, user
// search and history, account deletion and anonymisation.
#include <algorithm>

#include "store/store_conformance.h"

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

class NewsroomFixture {
 public:
  explicit NewsroomFixture(Store& store) : store_(store) {
    article_id = CreatePublishedStory(store_, kNow);
    ann = NewUser("ann@example.org", "Ann Author");
    bob = NewUser("bob@example.org", "Bob Reader");
    mod = NewUser("mod@example.org", "Mo Derator", "moderator");
  }

  std::int64_t NewUser(const std::string& email, const std::string& name, const std::string& role = "reader") {
    return store_.CreateUser({.email = email, .display_name = name, .password_hash = "x", .role = role, .now = kNow})
        .value()
        .id;
  }

  Comment Post(std::int64_t author, UnixSeconds at, CommentStatus status = CommentStatus::kPublished) {
    CreateCommentRequest request;
    request.article_id = article_id;
    request.author_id = author;
    request.body_markdown = "A comment";
    request.status = status;
    request.now = at;
    return store_.CreateComment(request).value();
  }

  Store& store_;
  std::int64_t article_id = 0, ann = 0, bob = 0, mod = 0;
};

std::int64_t CountOf(const std::vector<KeyCount>& counts, const std::string& key) {
  auto found = std::find_if(counts.begin(), counts.end(), [&](const KeyCount& c) { return c.key == key; });
  return found == counts.end() ? 0 : found->count;
}

TEST_P(StoreConformanceTest, AnInboxItemIsClaimedByOnePersonUntilReleasedOrExpired) {
  NewsroomFixture f(*store_);
  auto claimed = store_->ClaimInboxItem({"held", 7, f.mod, kNow, kNow + 600});
  ASSERT_TRUE(claimed) << claimed.error().ToString();
  EXPECT_EQ(claimed->user_id, f.mod);
  EXPECT_EQ(claimed->user_name, "Mo Derator");
  EXPECT_EQ(claimed->expires_at, kNow + 600);

  // Another person is refused while the claim holds; the holder renews it.
  EXPECT_EQ(store_->ClaimInboxItem({"held", 7, f.bob, kNow + 10, kNow + 610}).error().code, ErrorCode::kConflict);
  auto renewed = store_->ClaimInboxItem({"held", 7, f.mod, kNow + 20, kNow + 620});
  ASSERT_TRUE(renewed);
  EXPECT_EQ(renewed->expires_at, kNow + 620);
  // The same id in another queue is another item.
  EXPECT_TRUE(store_->ClaimInboxItem({"support", 7, f.bob, kNow, kNow + 600}));

  auto claims = store_->ListInboxClaims(kNow + 30).value();
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].queue, "held");
  EXPECT_EQ(claims[0].user_name, "Mo Derator");
  EXPECT_EQ(claims[1].queue, "support");

  // Expired claims are not listed, and anyone may take the item over.
  auto later = store_->ListInboxClaims(kNow + 600).value();
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].queue, "held");
  auto taken = store_->ClaimInboxItem({"held", 7, f.bob, kNow + 620, kNow + 1200});
  ASSERT_TRUE(taken) << taken.error().ToString();
  EXPECT_EQ(taken->user_id, f.bob);

  // Only the holder releases.
  EXPECT_EQ(store_->ReleaseInboxClaim("held", 7, f.mod).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->ReleaseInboxClaim("held", 7, f.bob));
  EXPECT_TRUE(store_->ClaimInboxItem({"held", 7, f.mod, kNow + 630, kNow + 1200}));
}

TEST_P(StoreConformanceTest, NewsroomFiguresCountCommentsReportsDecisionsAndCases) {
  NewsroomFixture f(*store_);
  const UnixSeconds hour = (kNow / 3600) * 3600;
  f.Post(f.ann, kNow - 30 * 86400);  // before the window
  Comment published = f.Post(f.ann, hour + 10);
  Comment held = f.Post(f.ann, hour + 20, CommentStatus::kHeld);
  Comment rejected = f.Post(f.bob, hour + 3600 + 5, CommentStatus::kHeld);
  ASSERT_TRUE(store_->UpdateComment({.id = rejected.id, .status = CommentStatus::kRejected, .now = hour + 4000}));
  ASSERT_TRUE(store_->RecordModerationAction({.actor_id = f.mod, .action = "reject", .comment_id = rejected.id,
                                              .reason_code = "civility", .now = hour + 3600 + 905}));
  ASSERT_TRUE(store_->RecordModerationAction({.actor_id = f.mod, .action = "approve", .comment_id = published.id,
                                              .now = hour + 70}));
  // A second decision does not change the time to the first.
  ASSERT_TRUE(store_->RecordModerationAction({.actor_id = f.mod, .action = "reject", .comment_id = published.id,
                                              .reason_code = "spam", .now = hour + 9000}));
  ASSERT_TRUE(store_->ReportComment({held.id, f.bob, "hate", "", hour + 30}));
  ASSERT_TRUE(store_->ReportComment({published.id, f.bob, "spam", "", hour + 40}));
  ASSERT_TRUE(store_->ReportComment({published.id, f.mod, "spam", "", hour + 50}));
  AccuracyCase fields;
  fields.article_id = f.article_id;
  fields.relation = "other";
  fields.wrong_text = "x";
  fields.requester_name = "R";
  fields.requester_email = "r@example.org";
  ASSERT_TRUE(store_->CreateAccuracyCase({fields, "", kNow}));

  auto figures = store_->CountNewsroomFigures({.since = hour - 86400, .hours_since = hour});
  ASSERT_TRUE(figures) << figures.error().ToString();
  ASSERT_EQ(figures->comments_per_hour.size(), 2u);
  EXPECT_EQ(figures->comments_per_hour[0].key, std::to_string(hour));
  EXPECT_EQ(figures->comments_per_hour[0].count, 2);
  EXPECT_EQ(figures->comments_per_hour[1].key, std::to_string(hour + 3600));
  EXPECT_EQ(figures->comments_per_hour[1].count, 1);
  EXPECT_EQ(CountOf(figures->comments_by_status, "published"), 1);
  EXPECT_EQ(CountOf(figures->comments_by_status, "held"), 1);
  EXPECT_EQ(CountOf(figures->comments_by_status, "rejected"), 1);
  EXPECT_EQ(CountOf(figures->rejections_by_reason, "civility"), 1);
  EXPECT_EQ(CountOf(figures->rejections_by_reason, "spam"), 1);
  EXPECT_EQ(CountOf(figures->reports_by_reason, "spam"), 2);
  EXPECT_EQ(CountOf(figures->reports_by_reason, "hate"), 1);
  std::vector<std::int64_t> waits = figures->seconds_to_first_decision;
  std::sort(waits.begin(), waits.end());
  EXPECT_EQ(waits, (std::vector<std::int64_t>{60, 900}));
  EXPECT_EQ(CountOf(figures->accuracy_cases_by_state, "new"), 1);
}

TEST_P(StoreConformanceTest, UsersAreFoundByPartOfNameOrAddressInAnyCase) {
  NewsroomFixture f(*store_);
  f.NewUser("percent@example.org", "100% Real_Name");
  EXPECT_EQ(store_->SearchUsers({.query = "ANN"})->size(), 1u);
  EXPECT_EQ(store_->SearchUsers({.query = "bob@exa"})->front().id, f.bob);
  EXPECT_EQ(store_->SearchUsers({.query = ""})->size(), 4u);
  EXPECT_EQ(store_->SearchUsers({.query = "", .role = "moderator"})->front().id, f.mod);
  // LIKE wildcards typed by a person are literal characters.
  EXPECT_EQ(store_->SearchUsers({.query = "%"})->size(), 1u);
  EXPECT_EQ(store_->SearchUsers({.query = "a_e"})->size(), 0u);
  EXPECT_EQ(store_->SearchUsers({.query = "real_"})->size(), 1u);
}

TEST_P(StoreConformanceTest, AReadersHistoryListsEveryCommentAndReportNewestFirst) {
  NewsroomFixture f(*store_);
  Comment first = f.Post(f.ann, kNow + 1);
  Comment held = f.Post(f.ann, kNow + 2, CommentStatus::kHeld);
  f.Post(f.bob, kNow + 3);
  auto comments = store_->ListCommentsByAuthor(f.ann, 10).value();
  ASSERT_EQ(comments.size(), 2u);
  EXPECT_EQ(comments[0].id, held.id);
  EXPECT_EQ(comments[1].id, first.id);
  ASSERT_TRUE(store_->ReportComment({first.id, f.bob, "spam", "ads", kNow + 5}));
  ASSERT_TRUE(store_->ReportComment({held.id, f.bob, "other", "off", kNow + 6}));
  auto reports = store_->ListReportsBy(f.bob, 10).value();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].comment_id, held.id);
  EXPECT_EQ(reports[1].reason, "spam");
  EXPECT_EQ(reports[1].detail, "ads");
  EXPECT_TRUE(store_->ListReportsBy(f.ann, 10)->empty());
}

TEST_P(StoreConformanceTest, AnAccountDeletionWaitsOutItsGracePeriodAndCanBeCancelled) {
  NewsroomFixture f(*store_);
  auto scheduled = store_->ScheduleAccountDeletion({f.ann, f.ann, kNow, kNow + 86400});
  ASSERT_TRUE(scheduled) << scheduled.error().ToString();
  EXPECT_EQ(scheduled->final_at, kNow + 86400);
  EXPECT_EQ(store_->ScheduleAccountDeletion({f.ann, f.mod, kNow, kNow + 10}).error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->ScheduleAccountDeletion({999999, f.mod, kNow, kNow + 10}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindAccountDeletion(f.ann)->requested_by, f.ann);
  EXPECT_TRUE(store_->ListDueAccountDeletions(kNow + 86399, 10)->empty());
  EXPECT_EQ(store_->ListDueAccountDeletions(kNow + 86400, 10)->size(), 1u);

  EXPECT_TRUE(store_->CancelAccountDeletion(f.ann));
  EXPECT_EQ(store_->CancelAccountDeletion(f.ann).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindAccountDeletion(f.ann).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->ListDueAccountDeletions(kNow + 86400, 10)->empty());
  EXPECT_TRUE(store_->ScheduleAccountDeletion({f.ann, f.mod, kNow + 5, kNow + 10}));
}

TEST_P(StoreConformanceTest, AnonymisingAUserKeepsTheCommentsAndRemovesThePersonalData) {
  NewsroomFixture f(*store_);
  Comment comment = f.Post(f.ann, kNow + 1);
  ASSERT_TRUE(store_->CreateSession({"hash", f.ann, kNow, kNow + 1000, ""}));
  ASSERT_TRUE(store_->SetNotificationSetting(f.ann, "reply", "off", kNow));
  ASSERT_TRUE(store_->SetIgnored(f.bob, f.ann, true, kNow));
  ASSERT_TRUE(store_->AddModeratorNote(f.ann, f.mod, "Often rude", kNow));
  ASSERT_TRUE(store_->ClaimInboxItem({"held", 1, f.ann, kNow, kNow + 600}));
  ASSERT_TRUE(store_->ScheduleAccountDeletion({f.ann, f.ann, kNow, kNow + 10}));

  ASSERT_TRUE(store_->AnonymiseUser({f.ann, "Former reader", "deleted-1@deleted.invalid", kNow + 10}));
  auto user = store_->FindUser({.id = f.ann}).value();
  EXPECT_EQ(user.display_name, "Former reader");
  EXPECT_EQ(user.email, "deleted-1@deleted.invalid");
  EXPECT_EQ(user.password_hash, "");
  EXPECT_FALSE(user.email_confirmed_at);
  EXPECT_EQ(store_->FindUser({.email = "ann@example.org"}).error().code, ErrorCode::kNotFound);
  auto kept = store_->FindComment(comment.id).value();
  EXPECT_EQ(kept.body_markdown, "A comment");
  EXPECT_EQ(kept.author_name, "Former reader");
  EXPECT_FALSE(store_->FindSession("hash", kNow));
  EXPECT_TRUE(store_->NotificationSettings(f.ann)->empty());
  EXPECT_TRUE(store_->IgnoredUsers(f.bob)->empty());
  EXPECT_TRUE(store_->ListModeratorNotes(f.ann)->empty());
  EXPECT_TRUE(store_->ListInboxClaims(kNow)->empty());
  auto deletion = store_->FindAccountDeletion(f.ann).value();
  EXPECT_EQ(deletion.completed_at, kNow + 10);
  EXPECT_TRUE(store_->ListDueAccountDeletions(kNow + 100, 10)->empty());
  // A completed deletion is neither cancelled nor requested again.
  EXPECT_EQ(store_->CancelAccountDeletion(f.ann).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->ScheduleAccountDeletion({f.ann, f.ann, kNow, kNow}).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->AnonymiseUser({999999, "x", "y", kNow}).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, ARolledBackAnonymisationChangesNothing) {
  NewsroomFixture f(*store_);
  auto failed = store_->Transact([&](Store& tx) -> Status {
    MASTHEAD_RETURN_IF_ERROR(tx.AnonymiseUser({f.ann, "Former reader", "deleted@deleted.invalid", kNow}));
    return MakeError(ErrorCode::kUnavailable, "the mail could not be queued");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(store_->FindUser({.id = f.ann})->display_name, "Ann Author");
}

}  // namespace
}  // namespace masthead::store
