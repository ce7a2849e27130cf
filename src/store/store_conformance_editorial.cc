// The Store contract for the newsroom's tools: the editor's list, notes at
// unpublished articles, publication announcements, desks, imports, webhooks.
#include "store/store_conformance.h"

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

Result<Article> CreateAt(Store& store, const std::string& slug, std::optional<UnixSeconds> published_at) {
  ArticleFields f;
  f.slug = slug;
  f.section_slug = "world";
  f.headline = "Headline " + slug;
  f.byline = "A. Writer";
  f.body_markdown = "Body.";
  f.published_at = published_at;
  return store.CreateArticle({f, "", kNow});
}

TEST_P(StoreConformanceTest, EditorListShowsEveryStateAndFiltersByState) {
  ASSERT_TRUE(store_->PutSection({"world", "World", 1}));
  auto draft = CreateAt(*store_, "draft", std::nullopt);
  auto scheduled = CreateAt(*store_, "scheduled", kNow + 3600);
  auto published = CreateAt(*store_, "published", kNow - 3600);
  auto withdrawn = CreateAt(*store_, "withdrawn", std::nullopt);
  ASSERT_TRUE(draft && scheduled && published && withdrawn);
  ASSERT_TRUE(store_->WithdrawArticle({withdrawn->id, "Removed: the source retracted.", std::nullopt, kNow}));

  auto all = store_->ListEditorArticles({.now = kNow});
  ASSERT_TRUE(all) << all.error().ToString();
  EXPECT_EQ(all->size(), 4u);
  auto only = [&](const std::string& state) {
    auto rows = store_->ListEditorArticles({.state = state, .now = kNow});
    EXPECT_TRUE(rows) << rows.error().ToString();
    std::vector<std::string> slugs;
    for (const auto& row : *rows) slugs.push_back(row.article.slug);
    return slugs;
  };
  EXPECT_EQ(only("draft"), std::vector<std::string>{"draft"});
  EXPECT_EQ(only("scheduled"), std::vector<std::string>{"scheduled"});
  EXPECT_EQ(only("published"), std::vector<std::string>{"published"});
  EXPECT_EQ(only("withdrawn"), std::vector<std::string>{"withdrawn"});
  auto rows = store_->ListEditorArticles({.state = "withdrawn", .now = kNow});
  EXPECT_TRUE(rows->at(0).withdrawn);
  EXPECT_TRUE(rows->at(0).draft);
  EXPECT_TRUE(store_->ListEditorArticles({.section_slug = "nowhere", .now = kNow})->empty());
}

TEST_P(StoreConformanceTest, WithdrawalNoteIsFoundBySlugReplacedAndCleared) {
  ASSERT_TRUE(store_->PutSection({"world", "World", 1}));
  auto article = CreateAt(*store_, "gone", std::nullopt);
  ASSERT_TRUE(article);
  EXPECT_EQ(store_->FindWithdrawal("gone").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store_->WithdrawArticle({article->id, "first", std::nullopt, kNow}));
  ASSERT_TRUE(store_->WithdrawArticle({article->id, "second", std::nullopt, kNow + 1}));
  auto note = store_->FindWithdrawal("gone");
  ASSERT_TRUE(note) << note.error().ToString();
  EXPECT_EQ(note->note, "second");
  EXPECT_EQ(note->headline, "Headline gone");
  EXPECT_EQ(note->withdrawn_at, kNow + 1);
  ASSERT_TRUE(store_->ClearWithdrawal(article->id));
  EXPECT_EQ(store_->FindWithdrawal("gone").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->WithdrawArticle({article->id + 99, "x", std::nullopt, kNow}).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, DuePublicationsAreClaimedOnceEachInTime) {
  ASSERT_TRUE(store_->PutSection({"world", "World", 1}));
  auto past = CreateAt(*store_, "past", kNow - 10);
  auto soon = CreateAt(*store_, "soon", kNow + 60);
  auto draft = CreateAt(*store_, "draft", std::nullopt);
  auto old = CreateAt(*store_, "old", kNow - 100'000);
  ASSERT_TRUE(past && soon && draft && old);

  auto first = store_->ClaimDuePublications({.now = kNow, .published_since = kNow - 1000});
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(*first, std::vector<std::int64_t>{past->id});  // "old" is before the look-back
  EXPECT_TRUE(store_->ClaimDuePublications({.now = kNow, .published_since = kNow - 1000})->empty());
  auto later = store_->ClaimDuePublications({.now = kNow + 60, .published_since = 0});
  ASSERT_TRUE(later);
  EXPECT_EQ(*later, (std::vector<std::int64_t>{soon->id, old->id}));

  // Marked announced without a claim: never claimed afterwards.
  auto imported = CreateAt(*store_, "imported", kNow - 5);
  ASSERT_TRUE(store_->MarkPublicationAnnounced(imported->id, kNow - 5, kNow));
  ASSERT_TRUE(store_->MarkPublicationAnnounced(imported->id, kNow - 5, kNow));  // idempotent
  EXPECT_TRUE(store_->ClaimDuePublications({.now = kNow + 100})->empty());

  // A claim rolled back with its transaction is claimed again later.
  auto again = CreateAt(*store_, "again", kNow + 200);
  auto failed = store_->Transact([&](Store& tx) -> Status {
    auto ids = tx.ClaimDuePublications({.now = kNow + 300});
    EXPECT_EQ(ids->size(), 1u);
    return MakeError(ErrorCode::kUnavailable, "the subscriber failed");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(*store_->ClaimDuePublications({.now = kNow + 300}), std::vector<std::int64_t>{again->id});
}

TEST_P(StoreConformanceTest, DesksOwnSections) {
  ASSERT_TRUE(store_->PutSection({"world", "World", 1}));
  ASSERT_TRUE(store_->PutSection({"local", "Local", 2}));
  auto metro = store_->PutDesk({"metro", "Metro desk", "metro@example.org"});
  ASSERT_TRUE(metro) << metro.error().ToString();
  auto renamed = store_->PutDesk({"metro", "City desk", "city@example.org"});
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->id, metro->id);
  ASSERT_TRUE(store_->PutDesk({"foreign", "Foreign desk", ""}));
  ASSERT_TRUE(store_->SetSectionDesk("local", "metro"));
  ASSERT_TRUE(store_->SetSectionDesk("world", "metro"));
  ASSERT_TRUE(store_->SetSectionDesk("world", "foreign"));  // moves
  EXPECT_EQ(store_->SetSectionDesk("world", "nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->SetSectionDesk("nope", "metro").error().code, ErrorCode::kNotFound);
  auto desks = store_->ListDesks();
  ASSERT_TRUE(desks) << desks.error().ToString();
  ASSERT_EQ(desks->size(), 2u);
  EXPECT_EQ(desks->at(0).name, "City desk");
  EXPECT_EQ(desks->at(0).email, "city@example.org");
  EXPECT_EQ(desks->at(0).section_slugs, std::vector<std::string>{"local"});
  EXPECT_EQ(desks->at(1).section_slugs, std::vector<std::string>{"world"});
  ASSERT_TRUE(store_->SetSectionDesk("world", ""));
  EXPECT_TRUE(store_->ListDesks()->at(1).section_slugs.empty());
}

TEST_P(StoreConformanceTest, ImportedItemsAreRecordedOnce) {
  const ImportedItemKey key{"disqus", "comment", "12345"};
  EXPECT_EQ(store_->FindImportedItem(key).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store_->RecordImportedItem(key, 7, kNow));
  EXPECT_EQ(*store_->FindImportedItem(key), 7);
  EXPECT_FALSE(store_->RecordImportedItem(key, 8, kNow));
  EXPECT_EQ(store_->FindImportedItem({"wordpress", "comment", "12345"}).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, WebhooksAreLeasedRetriedAndDelivered) {
  auto id = store_->EnqueueWebhook({"http://hooks.example/1", "comment.created", "{\"a\":1}", kNow});
  ASSERT_TRUE(id) << id.error().ToString();
  auto claimed = store_->ClaimDueWebhooks({.now = kNow, .limit = 10, .lease_seconds = 60});
  ASSERT_TRUE(claimed) << claimed.error().ToString();
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->at(0).payload, "{\"a\":1}");
  EXPECT_TRUE(store_->ClaimDueWebhooks({.now = kNow + 1})->empty());  // leased
  ASSERT_TRUE(store_->RecordWebhookAttempt({.id = *id, .code = 500, .error = "boom", .now = kNow + 1,
                                            .next_attempt_at = kNow + 30}));
  EXPECT_TRUE(store_->ClaimDueWebhooks({.now = kNow + 29})->empty());
  auto retried = store_->ClaimDueWebhooks({.now = kNow + 30});
  ASSERT_EQ(retried->size(), 1u);
  EXPECT_EQ(retried->at(0).attempts, 1);
  EXPECT_EQ(retried->at(0).last_code, 500);
  ASSERT_TRUE(store_->RecordWebhookAttempt({.id = *id, .delivered = true, .code = 204, .now = kNow + 31}));
  auto delivered = store_->ListWebhooks("delivered", 10);
  ASSERT_EQ(delivered->size(), 1u);
  EXPECT_EQ(delivered->at(0).delivered_at, kNow + 31);
  EXPECT_EQ(delivered->at(0).attempts, 2);
  EXPECT_TRUE(store_->ClaimDueWebhooks({.now = kNow + 1000})->empty());

  auto doomed = store_->EnqueueWebhook({"http://hooks.example/2", "comment.created", "{}", kNow});
  ASSERT_TRUE(store_->RecordWebhookAttempt({.id = *doomed, .give_up = true, .error = "gone", .now = kNow}));
  EXPECT_EQ(store_->ListWebhooks("failed", 10)->size(), 1u);
  EXPECT_EQ(store_->RecordWebhookAttempt({.id = 9999, .delivered = true, .now = kNow}).error().code,
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace masthead::store
