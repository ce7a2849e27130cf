// The Store contract. Engines link this file into their test binary (it is an
// object library, so the tests register even though nothing references them).
#include "store/store_conformance.h"

#include <set>
#include <thread>

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

ArticleFields Fields(std::string slug, std::string section = "world",
                     std::optional<UnixSeconds> published = kNow - 100) {
  ArticleFields f;
  f.slug = std::move(slug);
  f.section_slug = std::move(section);
  f.headline = "Headline of " + f.slug;
  f.deck = "A deck";
  f.credit = "The Associated Press";
  f.dateline = "MOSCOW";
  f.body_markdown = "First paragraph about chemical weapons.\n\nSecond paragraph.";
  f.published_at = published;
  return f;
}

void AddSections(Store& store) {
  ASSERT_TRUE(store.PutSection({"world", "World", 1}));
  ASSERT_TRUE(store.PutSection({"nation", "Nation", 2}));
}

TEST_P(StoreConformanceTest, MigrateIsIdempotentAndReportsVersion) {
  auto again = store_->Migrate();
  ASSERT_TRUE(again) << again.error().ToString();
  auto version = store_->SchemaVersion();
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, *again);
  EXPECT_GE(*version, 1);
}

TEST_P(StoreConformanceTest, SectionsUpsertAndListInPositionOrder) {
  ASSERT_TRUE(store_->PutSection({"nation", "Nation", 2}));
  ASSERT_TRUE(store_->PutSection({"world", "World", 1}));
  auto renamed = store_->PutSection({"nation", "The Nation", 3});
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->name, "The Nation");
  auto sections = store_->ListSections();
  ASSERT_TRUE(sections);
  ASSERT_EQ(sections->size(), 2u);
  EXPECT_EQ((*sections)[0].slug, "world");
  EXPECT_EQ((*sections)[1].name, "The Nation");
}

TEST_P(StoreConformanceTest, CreateThenFindBySlugAndIdRoundTripsEveryField) {
  AddSections(*store_);
  ArticleFields fields = Fields("russia-assad");
  fields.byline = "Jane Doe";
  fields.body_markdown = "Москва “quotes” and emoji 😀\n\nsecond";
  auto created = store_->CreateArticle({fields, "created", kNow});
  ASSERT_TRUE(created) << created.error().ToString();
  EXPECT_EQ(created->revision, 1);
  EXPECT_EQ(created->section_name, "World");
  auto by_slug = store_->FindArticle({.slug = "russia-assad", .now = kNow});
  ASSERT_TRUE(by_slug);
  EXPECT_EQ(by_slug->id, created->id);
  EXPECT_EQ(by_slug->fields.headline, fields.headline);
  EXPECT_EQ(by_slug->fields.deck, fields.deck);
  EXPECT_EQ(by_slug->fields.credit, fields.credit);
  EXPECT_EQ(by_slug->fields.byline, fields.byline);
  EXPECT_EQ(by_slug->fields.dateline, fields.dateline);
  EXPECT_EQ(by_slug->fields.body_markdown, fields.body_markdown);
  EXPECT_EQ(by_slug->fields.published_at, fields.published_at);
  EXPECT_EQ(by_slug->created_at, kNow);
  auto by_id = store_->FindArticle({.id = created->id, .now = kNow});
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->fields.slug, "russia-assad");
}

TEST_P(StoreConformanceTest, DuplicateSlugIsAlreadyExistsAndStoresNothing) {
  AddSections(*store_);
  ASSERT_TRUE(store_->CreateArticle({Fields("same"), "", kNow}));
  auto again = store_->CreateArticle({Fields("same"), "", kNow});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().field, "slug");
  EXPECT_EQ(store_->CountArticles().value(), 1);
}

TEST_P(StoreConformanceTest, UnknownSectionIsNotFound) {
  auto created = store_->CreateArticle({Fields("x", "nowhere"), "", kNow});
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(created.error().field, "section");
}

TEST_P(StoreConformanceTest, DraftsAndScheduledArticlesAreHiddenFromReaders) {
  AddSections(*store_);
  ASSERT_TRUE(store_->CreateArticle({Fields("draft", "world", std::nullopt), "", kNow}));
  ASSERT_TRUE(store_->CreateArticle({Fields("later", "world", kNow + 3600), "", kNow}));
  EXPECT_EQ(store_->FindArticle({.slug = "draft", .now = kNow}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindArticle({.slug = "later", .now = kNow}).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(store_->FindArticle({.slug = "later", .now = kNow + 3600}));
  EXPECT_TRUE(store_->FindArticle({.slug = "draft", .include_unpublished = true, .now = kNow}));
  auto listed = store_->ListArticles({.limit = 10, .now = kNow});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
}

TEST_P(StoreConformanceTest, UpdateStoresEveryRevisionInOrder) {
  AddSections(*store_);
  auto created = store_->CreateArticle({Fields("story"), "created", kNow});
  ASSERT_TRUE(created);
  ArticleFields edited = created->fields;
  edited.body_markdown = "Corrected first paragraph.\n\nSecond paragraph.";
  auto updated = store_->UpdateArticle({created->id, 1, edited, "correction", kNow + 10});
  ASSERT_TRUE(updated) << updated.error().ToString();
  EXPECT_EQ(updated->revision, 2);
  EXPECT_EQ(updated->updated_at, kNow + 10);
  EXPECT_EQ(updated->created_at, kNow);
  auto revisions = store_->ListRevisions(created->id);
  ASSERT_TRUE(revisions);
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ((*revisions)[0].number, 1);
  EXPECT_EQ((*revisions)[0].note, "created");
  EXPECT_EQ((*revisions)[0].fields.body_markdown, created->fields.body_markdown);
  EXPECT_EQ((*revisions)[1].number, 2);
  EXPECT_EQ((*revisions)[1].note, "correction");
  EXPECT_EQ((*revisions)[1].fields.body_markdown, edited.body_markdown);
}

TEST_P(StoreConformanceTest, StaleRevisionIsAConflictAndChangesNothing) {
  AddSections(*store_);
  auto created = store_->CreateArticle({Fields("story"), "", kNow});
  ASSERT_TRUE(created);
  ASSERT_TRUE(store_->UpdateArticle({created->id, 1, created->fields, "first edit", kNow}));
  ArticleFields other = created->fields;
  other.headline = "Lost update";
  auto stale = store_->UpdateArticle({created->id, 1, other, "stale", kNow});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->FindArticle({.id = created->id, .now = kNow})->fields.headline,
            created->fields.headline);
  EXPECT_EQ(store_->ListRevisions(created->id)->size(), 2u);
}

TEST_P(StoreConformanceTest, UpdateOfUnknownArticleIsNotFound) {
  AddSections(*store_);
  auto missing = store_->UpdateArticle({424242, 0, Fields("ghost"), "", kNow});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, ListIsNewestFirstPerSectionWithKeysetPages) {
  AddSections(*store_);
  for (int i = 0; i < 7; ++i) {
    const std::string section = i % 2 == 0 ? "world" : "nation";
    // Two articles share a timestamp, so the id must break the tie.
    const UnixSeconds published = kNow - 1000 + (i == 3 ? 2 : i) * 10;
    ASSERT_TRUE(store_->CreateArticle(
        {Fields("a" + std::to_string(i), section, published), "", kNow}));
  }
  auto first = store_->ListArticles({.limit = 3, .now = kNow});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ((*first)[0].slug, "a6");
  std::vector<std::string> seen;
  std::optional<ArticleCursor> cursor;
  for (;;) {
    auto page = store_->ListArticles({.limit = 3, .after = cursor, .now = kNow});
    ASSERT_TRUE(page);
    if (page->empty()) break;
    for (const auto& summary : *page) seen.push_back(summary.slug);
    cursor = ArticleCursor{page->back().published_at, page->back().id};
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a6", "a5", "a4", "a3", "a2", "a1", "a0"}));
  auto world = store_->ListArticles({.section_slug = "world", .limit = 10, .now = kNow});
  ASSERT_TRUE(world);
  ASSERT_EQ(world->size(), 4u);
  for (const auto& summary : *world) EXPECT_EQ(summary.section_slug, "world");
}

TEST_P(StoreConformanceTest, SearchFindsWordsInHeadlineDeckAndBody) {
  AddSections(*store_);
  ArticleFields a = Fields("lavrov");
  a.headline = "Russia won't give Assad safe haven";
  a.body_markdown = "Lavrov said the chemical weapons were consolidated.";
  ArticleFields b = Fields("harbor");
  b.headline = "Harbor ferry schedule changes";
  b.deck = "Winter timetable for Casco Bay";
  b.body_markdown = "The ferry will run less often.";
  ASSERT_TRUE(store_->CreateArticle({a, "", kNow}));
  ASSERT_TRUE(store_->CreateArticle({b, "", kNow}));
  ASSERT_TRUE(store_->CreateArticle({Fields("hidden-draft", "world", std::nullopt), "", kNow}));

  auto hits = store_->SearchArticles({.query = "chemical weapons", .limit = 10, .now = kNow});
  ASSERT_TRUE(hits) << hits.error().ToString();
  std::set<std::string> slugs;
  for (const auto& hit : *hits) slugs.insert(hit.article.slug);
  EXPECT_TRUE(slugs.count("lavrov"));
  EXPECT_FALSE(slugs.count("harbor"));
  EXPECT_FALSE(slugs.count("hidden-draft"));  // drafts never appear

  auto by_deck = store_->SearchArticles({.query = "casco", .limit = 10, .now = kNow});
  ASSERT_TRUE(by_deck);
  ASSERT_EQ(by_deck->size(), 1u);
  EXPECT_EQ((*by_deck)[0].article.slug, "harbor");

  auto prefix = store_->SearchArticles({.query = "ferr", .limit = 10, .now = kNow});
  ASSERT_TRUE(prefix);
  ASSERT_EQ(prefix->size(), 1u);
  EXPECT_NE((*prefix)[0].snippet.find(kHighlightStart), std::string::npos);
}

TEST_P(StoreConformanceTest, SearchTreatsOperatorsAndQuotesAsPlainText) {
  AddSections(*store_);
  ASSERT_TRUE(store_->CreateArticle({Fields("story"), "", kNow}));
  for (const char* hostile : {"\"", "AND OR NOT", "NEAR(", "*", "headline:x", "'; DROP TABLE articles; --",
                              "", "   ", "(((((", "\xff\xfe"}) {
    auto hits = store_->SearchArticles({.query = hostile, .limit = 10, .now = kNow});
    EXPECT_TRUE(hits) << hostile << ": " << hits.error().ToString();
  }
  EXPECT_EQ(store_->CountArticles().value(), 1);
}

TEST_P(StoreConformanceTest, SearchFollowsEdits) {
  AddSections(*store_);
  auto created = store_->CreateArticle({Fields("story"), "", kNow});
  ASSERT_TRUE(created);
  ArticleFields edited = created->fields;
  edited.body_markdown = "Now about lighthouses only.";
  ASSERT_TRUE(store_->UpdateArticle({created->id, 0, edited, "", kNow}));
  EXPECT_TRUE(store_->SearchArticles({.query = "chemical", .limit = 5, .now = kNow})->empty());
  EXPECT_EQ(store_->SearchArticles({.query = "lighthouses", .limit = 5, .now = kNow})->size(), 1u);
}

TEST_P(StoreConformanceTest, TransactionCommitsAllOrNothing) {
  AddSections(*store_);
  auto failed = store_->Transact([&](Store& tx) -> Status {
    MASTHEAD_RETURN_IF_ERROR(tx.CreateArticle({Fields("one"), "", kNow}));
    MASTHEAD_RETURN_IF_ERROR(tx.CreateArticle({Fields("two"), "", kNow}));
    return MakeError(ErrorCode::kInvalidArgument, "third file is bad");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "third file is bad");
  EXPECT_EQ(store_->CountArticles().value(), 0);
  EXPECT_FALSE(store_->FindArticle({.slug = "one", .now = kNow}));

  auto committed = store_->Transact([&](Store& tx) -> Status {
    MASTHEAD_RETURN_IF_ERROR(tx.CreateArticle({Fields("one"), "", kNow}));
    auto inside = tx.FindArticle({.slug = "one", .now = kNow});  // sees its own write
    if (!inside) return tl::unexpected(inside.error());
    return tx.CreateArticle({Fields("two"), "", kNow}).map([](const Article&) {});
  });
  ASSERT_TRUE(committed) << committed.error().ToString();
  EXPECT_EQ(store_->CountArticles().value(), 2);
}

TEST_P(StoreConformanceTest, AFailingStatementInsideATransactionRollsBackEarlierWrites) {
  AddSections(*store_);
  auto failed = store_->Transact([&](Store& tx) -> Status {
    MASTHEAD_RETURN_IF_ERROR(tx.CreateArticle({Fields("one"), "", kNow}));
    MASTHEAD_RETURN_IF_ERROR(tx.CreateArticle({Fields("one"), "", kNow}));  // duplicate
    return Ok();
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->CountArticles().value(), 0);
}

TEST_P(StoreConformanceTest, ConcurrentWritersAndReadersLoseNothing) {
  AddSections(*store_);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string slug = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (!store_->CreateArticle({Fields(slug), "", kNow})) ++failures;
        if (!store_->ListArticles({.limit = 5, .now = kNow})) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->CountArticles().value(), kThreads * kPerThread);
}

}  // namespace
}  // namespace masthead::store
