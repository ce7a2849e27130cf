// The Store contract for comments, reactions, ignores and discussions.
#include <set>

#include "store/store_conformance.h"

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

class DiscussionFixture {
 public:
  explicit DiscussionFixture(Store& store) : store_(store) {
    article_id = CreatePublishedStory(store_, kNow);
    alice = store_.CreateUser({.email = "alice@example.org", .display_name = "Alice", .password_hash = "x", .now = kNow}).value().id;
    bob = store_.CreateUser({.email = "bob@example.org", .display_name = "Bob", .password_hash = "x", .now = kNow}).value().id;
  }

  Comment Post(std::int64_t author, std::string body, const Comment* parent = nullptr,
               CommentStatus status = CommentStatus::kPublished, bool reply_mail_pending = false) {
    CreateCommentRequest request;
    request.article_id = article_id;
    request.author_id = author;
    request.body_markdown = std::move(body);
    request.status = status;
    request.now = kNow;
    request.reply_mail_pending = reply_mail_pending;
    if (parent) {
      request.parent_id = parent->id;
      request.thread_id = parent->thread_id;
      request.depth = parent->depth + 1;
    }
    auto created = store_.CreateComment(request);
    EXPECT_TRUE(created) << created.error().ToString();
    return created.value_or(Comment{});
  }

  Store& store_;
  std::int64_t article_id = 0, alice = 0, bob = 0;
};

std::vector<std::int64_t> Ids(const std::vector<Comment>& comments) {
  std::vector<std::int64_t> ids;
  for (const auto& c : comments) ids.push_back(c.id);
  return ids;
}

TEST_P(StoreConformanceTest, CommentsFormThreadsAndKeepCounts) {
  DiscussionFixture f(*store_);
  Comment top = f.Post(f.alice, "First!");
  EXPECT_EQ(top.thread_id, top.id);
  EXPECT_EQ(top.depth, 0);
  EXPECT_EQ(top.author_name, "Alice");
  Comment reply = f.Post(f.bob, "A reply", &top);
  EXPECT_EQ(reply.thread_id, top.id);
  EXPECT_EQ(reply.parent_id, top.id);
  f.Post(f.alice, "Reply to reply", &reply);
  f.Post(f.bob, "Held reply", &top, CommentStatus::kHeld);
  EXPECT_EQ(store_->FindComment(top.id)->reply_count, 2);
  EXPECT_EQ(store_->FindDiscussion(f.article_id)->comment_count, 3);

  auto replies = store_->ListReplies({{top.id}, 100, 0});
  ASSERT_TRUE(replies);
  EXPECT_EQ(replies->size(), 2u);  // the held one is hidden from others
  auto own = store_->ListReplies({{top.id}, 100, f.bob});
  EXPECT_EQ(own->size(), 3u);      // but shown to its author
}

TEST_P(StoreConformanceTest, ThreadPagesFollowEachOrderWithoutGapsOrRepeats) {
  DiscussionFixture f(*store_);
  std::vector<Comment> tops;
  for (int i = 0; i < 7; ++i) tops.push_back(f.Post(i % 2 ? f.alice : f.bob, "t" + std::to_string(i)));
  ASSERT_TRUE(store_->React({tops[2].id, f.alice, true, kNow}));
  ASSERT_TRUE(store_->React({tops[2].id, f.bob, true, kNow}));
  ASSERT_TRUE(store_->React({tops[5].id, f.alice, true, kNow}));

  for (ThreadOrder order : {ThreadOrder::kOldest, ThreadOrder::kNewest, ThreadOrder::kMostRespected}) {
    std::vector<std::int64_t> seen;
    std::optional<ThreadCursor> cursor;
    for (int page = 0; page < 10; ++page) {
      auto threads = store_->ListThreads({f.article_id, order, 3, cursor, 0});
      ASSERT_TRUE(threads) << threads.error().ToString();
      if (threads->empty()) break;
      for (const auto& t : *threads) seen.push_back(t.id);
      const Comment& last = threads->back();
      cursor = ThreadCursor{order == ThreadOrder::kMostRespected ? last.respect_count : last.id, last.id};
    }
    ASSERT_EQ(seen.size(), 7u);
    EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 7u);
    if (order == ThreadOrder::kOldest) {
      EXPECT_EQ(seen.front(), tops[0].id);
    }
    if (order == ThreadOrder::kNewest) {
      EXPECT_EQ(seen.front(), tops[6].id);
    }
    if (order == ThreadOrder::kMostRespected) {
      EXPECT_EQ(seen[0], tops[2].id);
      EXPECT_EQ(seen[1], tops[5].id);
    }
  }
}

TEST_P(StoreConformanceTest, IdempotencyKeysMakeRepeatsOneComment) {
  DiscussionFixture f(*store_);
  CreateCommentRequest request{.article_id = f.article_id, .author_id = f.alice,
                               .body_markdown = "Once", .idempotency_key = "form-123", .now = kNow};
  ASSERT_TRUE(store_->CreateComment(request));
  auto again = store_->CreateComment(request);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().field, "idempotency_key");
  request.author_id = f.bob;  // keys are per author
  EXPECT_TRUE(store_->CreateComment(request));
  EXPECT_EQ(store_->FindDiscussion(f.article_id)->comment_count, 2);
}

TEST_P(StoreConformanceTest, CommentsOnMissingArticlesOrParentsAreNotFound) {
  DiscussionFixture f(*store_);
  auto orphan = store_->CreateComment({.article_id = 424242, .author_id = f.alice,
                                       .body_markdown = "x", .now = kNow});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, EditsDeletesAndStatusChangesKeepCountsRight) {
  DiscussionFixture f(*store_);
  Comment top = f.Post(f.alice, "Top");
  Comment reply = f.Post(f.bob, "Reply", &top);
  auto edited = store_->UpdateComment({.id = reply.id, .body_markdown = "Reply, edited", .now = kNow + 30});
  ASSERT_TRUE(edited);
  EXPECT_EQ(edited->edited_at, kNow + 30);
  EXPECT_EQ(edited->body_markdown, "Reply, edited");

  auto deleted = store_->UpdateComment({.id = top.id, .status = CommentStatus::kDeleted, .now = kNow});
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->body_markdown, "");
  EXPECT_EQ(store_->FindDiscussion(f.article_id)->comment_count, 1);
  // The tombstone stays while it holds a reply.
  auto threads = store_->ListThreads({f.article_id, ThreadOrder::kOldest, 10, std::nullopt, 0});
  ASSERT_EQ(Ids(*threads), std::vector<std::int64_t>{top.id});
  EXPECT_EQ((*threads)[0].status, CommentStatus::kDeleted);

  ASSERT_TRUE(store_->UpdateComment({.id = reply.id, .status = CommentStatus::kHeld, .now = kNow}));
  EXPECT_EQ(store_->FindDiscussion(f.article_id)->comment_count, 0);
  EXPECT_EQ(store_->FindComment(top.id)->reply_count, 0);
  ASSERT_TRUE(store_->UpdateComment({.id = reply.id, .status = CommentStatus::kPublished, .now = kNow}));
  EXPECT_EQ(store_->FindDiscussion(f.article_id)->comment_count, 1);
  EXPECT_EQ(store_->FindComment(top.id)->reply_count, 1);

  auto featured = store_->UpdateComment({.id = reply.id, .featured = true, .now = kNow + 5});
  EXPECT_EQ(featured->featured_at, kNow + 5);
  EXPECT_FALSE(store_->UpdateComment({.id = reply.id, .featured = false, .now = kNow})->featured_at);
}

TEST_P(StoreConformanceTest, ReactionsCountOncePerReader) {
  DiscussionFixture f(*store_);
  Comment c = f.Post(f.alice, "Respectable");
  EXPECT_EQ(store_->React({c.id, f.bob, true, kNow}).value(), 1);
  EXPECT_EQ(store_->React({c.id, f.bob, true, kNow}).value(), 1);  // twice counts once
  EXPECT_EQ(store_->React({c.id, f.alice, true, kNow}).value(), 2);
  EXPECT_EQ(store_->ReactedComments(f.bob, {c.id, 999}).value(), std::vector<std::int64_t>{c.id});
  EXPECT_EQ(store_->React({c.id, f.bob, false, kNow}).value(), 1);
  EXPECT_EQ(store_->React({c.id, f.bob, false, kNow}).value(), 1);
  EXPECT_TRUE(store_->ReactedComments(f.bob, {c.id}).value().empty());
  EXPECT_EQ(store_->React({999999, f.bob, true, kNow}).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, IgnoresAndDiscussionState) {
  DiscussionFixture f(*store_);
  ASSERT_TRUE(store_->SetIgnored(f.alice, f.bob, true, kNow));
  ASSERT_TRUE(store_->SetIgnored(f.alice, f.bob, true, kNow));
  EXPECT_EQ(store_->IgnoredUsers(f.alice).value(), std::vector<std::int64_t>{f.bob});
  ASSERT_TRUE(store_->SetIgnored(f.alice, f.bob, false, kNow));
  EXPECT_TRUE(store_->IgnoredUsers(f.alice).value().empty());

  auto open = store_->FindDiscussion(f.article_id);
  ASSERT_TRUE(open);
  EXPECT_FALSE(open->closed_at);
  ASSERT_TRUE(store_->SetDiscussionClosed(f.article_id, true, kNow));
  EXPECT_EQ(store_->FindDiscussion(f.article_id)->closed_at, kNow);
  ASSERT_TRUE(store_->SetDiscussionClosed(f.article_id, false, kNow + 1));
  auto reopened = store_->FindDiscussion(f.article_id);
  EXPECT_FALSE(reopened->closed_at);
  EXPECT_EQ(reopened->reopened_at, kNow + 1);

  f.Post(f.alice, "one");
  auto listed = store_->ListDiscussions({f.article_id, 777});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].comment_count, 1);
}

TEST_P(StoreConformanceTest, OwedReplyMailsAreHandedOverOnceInOrder) {
  DiscussionFixture f(*store_);
  Comment top = f.Post(f.alice, "Top");
  Comment first = f.Post(f.bob, "First reply", &top, CommentStatus::kPublished, true);
  f.Post(f.bob, "A reply that owes no mail", &top);
  Comment second = f.Post(f.bob, "Second reply", &top, CommentStatus::kPublished, true);
  Comment third = f.Post(f.bob, "Third reply", &top, CommentStatus::kPublished, true);

  EXPECT_EQ(Ids(store_->PendingReplyMails(2).value()), (std::vector<std::int64_t>{first.id, second.id}));
  // A drain that fails hands nothing over.
  Status failed = store_->Transact([&](Store& tx) -> Status {
    EXPECT_TRUE(tx.FinishReplyMails({first.id, second.id}));
    return MakeError(ErrorCode::kUnavailable, "the drain crashed");
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(store_->PendingReplyMails(10).value().size(), 3u);

  ASSERT_TRUE(store_->Transact([&](Store& tx) -> Status {
    auto pending = tx.PendingReplyMails(2);
    if (!pending) return tl::unexpected(pending.error());
    return tx.FinishReplyMails(Ids(*pending));
  }));
  EXPECT_EQ(Ids(store_->PendingReplyMails(10).value()), (std::vector<std::int64_t>{third.id}));
  EXPECT_TRUE(store_->FinishReplyMails({third.id}));
  EXPECT_TRUE(store_->PendingReplyMails(10).value().empty());
  EXPECT_TRUE(store_->FinishReplyMails({}));  // nothing to hand over is not an error

  // Replies stored after the drain are owed again.
  Comment later = f.Post(f.alice, "Later reply", &first, CommentStatus::kPublished, true);
  EXPECT_EQ(Ids(store_->PendingReplyMails(10).value()), (std::vector<std::int64_t>{later.id}));
}

TEST_P(StoreConformanceTest, AHeldReplyClaimsItsMailOnceWhenPublishedAndIsNeverDrained) {
  DiscussionFixture f(*store_);
  Comment top = f.Post(f.alice, "Top");
  Comment held = f.Post(f.bob, "Held reply", &top, CommentStatus::kHeld);
  Comment owed = f.Post(f.bob, "Reply that owed its mail when posted", &top, CommentStatus::kPublished, true);
  EXPECT_TRUE(store_->ClaimLateReplyMail(held.id).value());
  EXPECT_FALSE(store_->ClaimLateReplyMail(held.id).value());  // held and approved again: once
  EXPECT_FALSE(store_->ClaimLateReplyMail(owed.id).value());  // the drain's
  EXPECT_EQ(Ids(store_->PendingReplyMails(10).value()), (std::vector<std::int64_t>{owed.id}));
  // A decision that fails claims nothing.
  Comment another = f.Post(f.bob, "Another held reply", &top, CommentStatus::kHeld);
  EXPECT_FALSE(store_->Transact([&](Store& tx) -> Status {
    EXPECT_TRUE(tx.ClaimLateReplyMail(another.id).value());
    return MakeError(ErrorCode::kUnavailable, "the decision failed");
  }));
  EXPECT_TRUE(store_->ClaimLateReplyMail(another.id).value());
}

TEST_P(StoreConformanceTest, LiveCatchUpListsPublishedCommentsAfterAnId) {
  DiscussionFixture f(*store_);
  Comment a = f.Post(f.alice, "a");
  f.Post(f.bob, "held", nullptr, CommentStatus::kHeld);
  Comment c = f.Post(f.bob, "c", &a);
  auto after = store_->ListCommentsAfter(f.article_id, a.id, 10);
  ASSERT_TRUE(after);
  EXPECT_EQ(Ids(*after), std::vector<std::int64_t>{c.id});
}

}  // namespace
}  // namespace masthead::store
