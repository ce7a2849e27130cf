// The Store contract for comment fingerprints (spam and flood checks).
#include "store/store_conformance.h"

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

class SpamFixture {
 public:
  explicit SpamFixture(Store& store) : store_(store) {
    article_id = CreatePublishedStory(store_, kNow);
    for (const char* name : {"alice", "bob", "carol"}) {
      users.push_back(store_.CreateUser({.email = std::string(name) + "@example.org", .display_name = name,
                                         .password_hash = "x", .now = kNow})
                          .value()
                          .id);
    }
  }

  Comment Post(std::int64_t author, const std::string& fingerprint, UnixSeconds at,
               const std::string& key = "") {
    CreateCommentRequest request;
    request.article_id = article_id;
    request.author_id = author;
    request.body_markdown = "text";
    request.idempotency_key = key;
    request.now = at;
    auto created = store_.CreateComment(request);
    EXPECT_TRUE(created) << created.error().ToString();
    EXPECT_TRUE(store_.RecordCommentFingerprint({created->id, author, fingerprint, at}));
    return created.value_or(Comment{});
  }

  Store& store_;
  std::int64_t article_id = 0;
  std::vector<std::int64_t> users;
};

TEST_P(StoreConformanceTest, FingerprintsCountTheAuthorsRepeatsAndOtherAuthors) {
  SpamFixture f(*store_);
  const auto alice = f.users[0], bob = f.users[1], carol = f.users[2];
  f.Post(alice, "same", kNow - 10, "k1");
  f.Post(bob, "same", kNow - 5);
  f.Post(bob, "same", kNow - 4);
  f.Post(carol, "other", kNow - 3);
  f.Post(carol, "same", kNow - 1000);  // before the window

  auto counts = store_->CountCommentFingerprints({"same", alice, "", kNow - 60});
  ASSERT_TRUE(counts) << counts.error().ToString();
  EXPECT_EQ(counts->by_author, 1);
  EXPECT_EQ(counts->other_authors, 1);  // bob, once however often he posted
  // The author's own double submit (same key) is not a duplicate.
  EXPECT_EQ(store_->CountCommentFingerprints({"same", alice, "k1", kNow - 60})->by_author, 0);
  EXPECT_EQ(store_->CountCommentFingerprints({"same", carol, "", kNow - 60})->other_authors, 2);
  EXPECT_EQ(store_->CountCommentFingerprints({"same", carol, "", kNow - 2000})->by_author, 1);
  EXPECT_EQ(store_->CountCommentFingerprints({"unknown", alice, "", 0})->by_author, 0);
}

TEST_P(StoreConformanceTest, FingerprintsOfDeletedCommentsAreNotCounted) {
  SpamFixture f(*store_);
  const auto alice = f.users[0];
  const Comment posted = f.Post(alice, "same", kNow);
  ASSERT_TRUE(store_->UpdateComment({.id = posted.id, .status = CommentStatus::kDeleted, .now = kNow}));
  EXPECT_EQ(store_->CountCommentFingerprints({"same", alice, "", 0})->by_author, 0);
}

TEST_P(StoreConformanceTest, AFingerprintIsStoredWithItsCommentOrNotAtAll) {
  SpamFixture f(*store_);
  const auto alice = f.users[0];
  auto failed = store_->Transact([&](Store& tx) -> Status {
    CreateCommentRequest request;
    request.article_id = f.article_id;
    request.author_id = alice;
    request.body_markdown = "text";
    request.now = kNow;
    auto created = tx.CreateComment(request);
    if (!created) return tl::unexpected(created.error());
    MASTHEAD_RETURN_IF_ERROR(tx.RecordCommentFingerprint({created->id, alice, "same", kNow}));
    return MakeError(ErrorCode::kConflict, "changed my mind");
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(store_->CountCommentFingerprints({"same", alice, "", 0})->by_author, 0);
}

}  // namespace
}  // namespace masthead::store
