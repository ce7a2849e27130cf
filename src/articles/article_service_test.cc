#include "articles/article_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite/test_store.h"

namespace masthead::articles {
namespace {

class ArticleServiceTest : public testing::Test {
 protected:
  void SetUp() override {
    store_ = store::sqlite::OpenTestStore("masthead-articles");
    ASSERT_NE(store_, nullptr);
    service_ = std::make_unique<ArticleService>(*store_, [this] { return now_; });
    if (std::string(testing::UnitTest::GetInstance()->current_test_info()->name()).find("Demo") ==
        std::string::npos) {
      ASSERT_TRUE(store_->PutSection({"world", "World", 1}));
    }
  }

  store::ArticleFields Fields(std::string headline) {
    store::ArticleFields f;
    f.headline = std::move(headline);
    f.section_slug = "world";
    f.credit = "The Associated Press";
    f.body_markdown = "Body.";
    f.published_at = now_ - 10;
    return f;
  }

  UnixSeconds now_ = 1'700'000'000;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ArticleService> service_;
};

TEST_F(ArticleServiceTest, DemoContentLoadsOnceWithTheSeedStory) {
  auto loaded = service_->LoadDemoContentIfEmpty();
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  EXPECT_GE(*loaded, 5);
  EXPECT_EQ(service_->LoadDemoContentIfEmpty().value(), 0);
  auto seed = service_->Published("russia-wont-give-assad-safe-haven-foreign-minister-says");
  ASSERT_TRUE(seed);
  EXPECT_EQ(seed->fields.credit, "The Associated Press");
  EXPECT_EQ(seed->fields.dateline, "MOSCOW");
  EXPECT_EQ(FormatLongDate(*seed->fields.published_at), "December 23, 2012");
  auto front = service_->FrontPage(5);
  ASSERT_TRUE(front);
  EXPECT_GE(front->size(), 2u);
}

TEST_F(ArticleServiceTest, ValidationNamesTheField) {
  auto no_headline = service_->Create(Fields(""), "");
  ASSERT_FALSE(no_headline);
  EXPECT_EQ(no_headline.error().field, "headline");
  auto fields = Fields("Fine");
  fields.credit.clear();
  EXPECT_EQ(service_->Create(fields, "").error().field, "credit");
  fields = Fields("Fine");
  fields.slug = "Not A Slug";
  EXPECT_EQ(service_->Create(fields, "").error().field, "slug");
  fields = Fields("Fine");
  fields.body_markdown = "bad \xff";
  EXPECT_EQ(service_->Create(fields, "").error().field, "body");
  fields = Fields(std::string(301, 'h'));
  EXPECT_EQ(service_->Create(fields, "").error().code, ErrorCode::kTooLarge);
}

TEST_F(ArticleServiceTest, ImportIsAllOrNothing) {
  std::vector<ImportedArticle> batch(3);
  batch[0] = {Fields("One"), "World", "one.md:1"};
  batch[1] = {Fields("Two"), "World", "two.md:1"};
  batch[2] = {Fields("One"), "World", "three.md:1"};
  batch[2].fields.slug = "one";
  batch[2].fields.section_slug = "Bad Section";
  batch[0].fields.section_slug = batch[1].fields.section_slug = "nation";
  auto failed = service_->Import(batch);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message.rfind("three.md:1: ", 0), 0u) << failed.error().message;
  EXPECT_EQ(store_->CountArticles().value(), 0);
  EXPECT_EQ(store_->ListSections()->size(), 1u);  // "nation" was rolled back

  batch.pop_back();
  auto imported = service_->Import(batch);
  ASSERT_TRUE(imported) << imported.error().ToString();
  EXPECT_EQ(imported->created, 2);
  EXPECT_EQ(imported->sections_created, 1);
  // Importing again edits: a new revision, no duplicate.
  batch[0].fields.body_markdown = "Changed.";
  auto again = service_->Import(batch);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->updated, 2);
  EXPECT_EQ(service_->Revisions("one")->size(), 2u);
}

TEST_F(ArticleServiceTest, ScheduledArticlesAppearWhenTheirTimeComes) {
  auto fields = Fields("Scheduled");
  fields.published_at = now_ + 60;
  ASSERT_TRUE(service_->Create(fields, ""));
  EXPECT_FALSE(service_->Published("scheduled"));
  now_ += 61;
  EXPECT_TRUE(service_->Published("scheduled"));
}

TEST_F(ArticleServiceTest, ChangesBumpTheVersionAndCallListeners) {
  int calls = 0;
  service_->OnChange([&] { ++calls; });
  const auto before = service_->version();
  ASSERT_TRUE(service_->Create(Fields("Story"), ""));
  EXPECT_EQ(calls, 1);
  EXPECT_GT(service_->version(), before);
  EXPECT_FALSE(service_->Create(Fields(""), ""));
  EXPECT_EQ(calls, 1);
}

TEST_F(ArticleServiceTest, SectionPagesFollowTheCursor) {
  for (int i = 0; i < 5; ++i) {
    auto fields = Fields("Story " + std::to_string(i));
    fields.published_at = now_ - 100 + i;
    ASSERT_TRUE(service_->Create(fields, ""));
  }
  auto first = service_->Section("world", 2, std::nullopt);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->articles.size(), 2u);
  ASSERT_TRUE(first->next);
  auto last = service_->Section("world", 3, first->next);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->articles.size(), 3u);
  EXPECT_FALSE(last->next);
  EXPECT_EQ(service_->Section("nowhere", 2, std::nullopt).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace masthead::articles
