// The Store contract for reports, the moderation audit log, sanctions,
// moderator notes and appeals.
#include "store/store_conformance.h"

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;  // 2023-11-14 UTC

class ModerationFixture {
 public:
  explicit ModerationFixture(Store& store) : store_(store) {
    article_id = CreatePublishedStory(store_, kNow);
    author = NewUser("author@example.org", "Author");
    reader = NewUser("reader@example.org", "Reader");
    moderator = NewUser("mod@example.org", "Mod");
  }

  std::int64_t NewUser(const std::string& email, const std::string& name) {
    return store_.CreateUser({.email = email, .display_name = name, .password_hash = "x", .now = kNow}).value().id;
  }

  Comment Post(CommentStatus status = CommentStatus::kPublished) {
    CreateCommentRequest request;
    request.article_id = article_id;
    request.author_id = author;
    request.body_markdown = "A comment";
    request.status = status;
    request.now = kNow;
    return store_.CreateComment(request).value();
  }

  Store& store_;
  std::int64_t article_id = 0, author = 0, reader = 0, moderator = 0;
};

TEST_P(StoreConformanceTest, AReaderReportsACommentOnceAndReportsAreCountedUntilResolved) {
  ModerationFixture f(*store_);
  Comment comment = f.Post();
  auto first = store_->ReportComment({comment.id, f.reader, "hate", "", kNow});
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(*first, 1);
  auto again = store_->ReportComment({comment.id, f.reader, "threat", "", kNow});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().field, "report");
  EXPECT_EQ(store_->ReportComment({comment.id, f.moderator, "other", "spoils the ending", kNow}).value(), 2);
  EXPECT_EQ(store_->ReportComment({999999, f.reader, "hate", "", kNow}).error().code, ErrorCode::kNotFound);

  auto reported = store_->ListReportedComments(10);
  ASSERT_TRUE(reported);
  ASSERT_EQ(reported->size(), 1u);
  EXPECT_EQ((*reported)[0].comment.id, comment.id);
  EXPECT_EQ((*reported)[0].open_reports, 2);
  EXPECT_NE((*reported)[0].reasons.find("hate"), std::string::npos);
  EXPECT_NE((*reported)[0].reasons.find("other"), std::string::npos);
  EXPECT_EQ((*reported)[0].details, "spoils the ending");

  ASSERT_TRUE(store_->ResolveReports(comment.id, kNow + 1));
  EXPECT_TRUE(store_->ListReportedComments(10)->empty());
  // A resolved report still counts as given: the same reader cannot report again.
  EXPECT_FALSE(store_->ReportComment({comment.id, f.reader, "hate", "", kNow + 2}));
}

TEST_P(StoreConformanceTest, TheHeldQueueListsHeldCommentsOldestFirst) {
  ModerationFixture f(*store_);
  f.Post();
  Comment a = f.Post(CommentStatus::kHeld);
  Comment b = f.Post(CommentStatus::kHeld);
  auto held = store_->ListCommentsWithStatus(CommentStatus::kHeld, 10);
  ASSERT_TRUE(held);
  ASSERT_EQ(held->size(), 2u);
  EXPECT_EQ((*held)[0].id, a.id);
  EXPECT_EQ((*held)[1].id, b.id);
  EXPECT_EQ(store_->CountPublishedCommentsBy(f.author).value(), 1);
  EXPECT_EQ(store_->CountPublishedCommentsBy(f.reader).value(), 0);
}

TEST_P(StoreConformanceTest, TheAuditLogKeepsWhoDidWhatWhenAndWhy) {
  ModerationFixture f(*store_);
  Comment comment = f.Post();
  auto system_hold = store_->RecordModerationAction(
      {.action = "report_hold", .comment_id = comment.id, .subject_user_id = f.author, .now = kNow});
  ASSERT_TRUE(system_hold) << system_hold.error().ToString();
  EXPECT_EQ(system_hold->actor_id, 0);
  auto reject = store_->RecordModerationAction({.actor_id = f.moderator, .action = "reject",
                                                .comment_id = comment.id, .subject_user_id = f.author,
                                                .reason_code = "personal_attacks", .detail = "insult",
                                                .now = kNow + 10});
  ASSERT_TRUE(reject);
  EXPECT_EQ(reject->actor_name, "Mod");
  EXPECT_EQ(reject->subject_name, "Author");
  EXPECT_EQ(reject->reason_code, "personal_attacks");
  EXPECT_EQ(reject->created_at, kNow + 10);
  EXPECT_EQ(store_->FindModerationAction(reject->id)->detail, "insult");
  EXPECT_EQ(store_->FindModerationAction(999999).error().code, ErrorCode::kNotFound);

  auto all = store_->ListModerationActions({});
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, reject->id);  // newest first
  EXPECT_EQ(store_->ListModerationActions({.decisions_only = true})->size(), 1u);
  EXPECT_EQ(store_->ListModerationActions({.before_id = reject->id})->size(), 1u);
  EXPECT_EQ(store_->ListModerationActions({.subject_user_id = f.reader})->size(), 0u);
  EXPECT_EQ(store_->ListModerationActions({.comment_id = comment.id})->size(), 2u);
  EXPECT_EQ(store_->CountModerationActions(f.author, "reject", kNow).value(), 1);
  EXPECT_EQ(store_->CountModerationActions(f.author, "reject", kNow + 11).value(), 0);

  // 2023-11 and, 30 days on, 2023-12.
  ASSERT_TRUE(store_->RecordModerationAction({.actor_id = f.moderator, .action = "reject",
                                              .subject_user_id = f.author, .reason_code = "threats",
                                              .now = kNow + 30 * 86400}));
  auto months = store_->DecisionsPerMonth(0);
  ASSERT_TRUE(months);
  ASSERT_EQ(months->size(), 3u);
  EXPECT_EQ((*months)[0].month, "2023-11");
  EXPECT_EQ((*months)[2].month, "2023-12");
  EXPECT_EQ((*months)[2].reason_code, "threats");
  EXPECT_EQ((*months)[2].count, 1);
}

TEST_P(StoreConformanceTest, SanctionsAreListedNewestFirstAndCanBeLifted) {
  ModerationFixture f(*store_);
  auto action = store_->RecordModerationAction({.actor_id = f.moderator, .action = "warning",
                                                .subject_user_id = f.author, .reason_code = "threats", .now = kNow});
  auto warning = store_->AddSanction({f.author, "warning", action->id, "threats", std::nullopt, kNow});
  ASSERT_TRUE(warning) << warning.error().ToString();
  auto suspension = store_->AddSanction({f.author, "suspension", action->id, "threats", kNow + 86400, kNow + 5});
  ASSERT_TRUE(suspension);
  EXPECT_EQ(suspension->ends_at, kNow + 86400);
  auto list = store_->ListSanctions(f.author);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].kind, "suspension");
  ASSERT_TRUE(store_->LiftSanction(suspension->id, kNow + 60));
  EXPECT_EQ(store_->ListSanctions(f.author)->front().lifted_at, kNow + 60);
  EXPECT_EQ(store_->LiftSanction(999999, kNow).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->AddSanction({999999, "ban", action->id, "threats", std::nullopt, kNow}).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, ModeratorNotesBelongToAReader) {
  ModerationFixture f(*store_);
  ASSERT_TRUE(store_->AddModeratorNote(f.author, f.moderator, "First warning given by phone.", kNow));
  auto note = store_->AddModeratorNote(f.author, f.moderator, "Calmer since.", kNow + 1);
  ASSERT_TRUE(note);
  EXPECT_EQ(note->author_name, "Mod");
  auto notes = store_->ListModeratorNotes(f.author);
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ((*notes)[0].body, "Calmer since.");
  EXPECT_TRUE(store_->ListModeratorNotes(f.reader)->empty());
}

TEST_P(StoreConformanceTest, EachDecisionIsAppealedOnceAndDecidedOnce) {
  ModerationFixture f(*store_);
  Comment comment = f.Post(CommentStatus::kRejected);
  auto reject = store_->RecordModerationAction({.actor_id = f.moderator, .action = "reject",
                                                .comment_id = comment.id, .subject_user_id = f.author,
                                                .reason_code = "personal_attacks", .now = kNow});
  auto appeal = store_->CreateAppeal({reject->id, f.author, "It was a joke between friends.", kNow});
  ASSERT_TRUE(appeal) << appeal.error().ToString();
  EXPECT_EQ(appeal->status, "open");
  auto again = store_->CreateAppeal({reject->id, f.author, "Please!", kNow});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().field, "appeal");
  EXPECT_EQ(store_->ListOpenAppeals(10)->size(), 1u);
  EXPECT_EQ(store_->AppealsOfActions({reject->id, 424242})->size(), 1u);

  auto decided = store_->DecideAppeal({appeal->id, f.reader, "overturned", "fair point", kNow + 5});
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->status, "overturned");
  EXPECT_EQ(decided->decided_by, f.reader);
  EXPECT_EQ(decided->decided_at, kNow + 5);
  EXPECT_EQ(store_->DecideAppeal({appeal->id, f.reader, "upheld", "", kNow + 6}).error().code,
            ErrorCode::kConflict);
  EXPECT_TRUE(store_->ListOpenAppeals(10)->empty());
  EXPECT_EQ(store_->FindAppeal(appeal->id)->decision_note, "fair point");
}

}  // namespace
}  // namespace masthead::store
