#include <gtest/gtest.h>

#include "articles/article_service.h"
#include "store/sqlite/test_store.h"

namespace masthead::articles {
namespace {

class ArticleEditorialTest : public testing::Test {
 protected:
  void SetUp() override {
    store_ = store::sqlite::OpenTestStore("masthead-editorial");
    ASSERT_NE(store_, nullptr);
    service_ = std::make_unique<ArticleService>(*store_, [this] { return now_; });
    ASSERT_TRUE(store_->PutSection({"world", "World", 1}));
    service_->OnPublished([this](store::Store&, const store::Article& article) -> Status {
      if (fail_hook_) return MakeError(ErrorCode::kUnavailable, "subscriber down");
      announced_.push_back(article.fields.slug);
      return Ok();
    });
  }

  store::ArticleFields Fields(std::string headline, std::optional<UnixSeconds> published_at) {
    store::ArticleFields f;
    f.headline = std::move(headline);
    f.section_slug = "world";
    f.byline = "Jane Reporter";
    f.body_markdown = "Body.";
    f.published_at = published_at;
    return f;
  }

  UnixSeconds now_ = 1'700'000'000;
  bool fail_hook_ = false;
  std::vector<std::string> announced_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ArticleService> service_;
};

TEST_F(ArticleEditorialTest, ScheduledArticleIsAnnouncedOnceWhenItsTimeComes) {
  auto saved = service_->Save(0, 0, Fields("Later today", now_ + 600), "");
  ASSERT_TRUE(saved) << saved.error().ToString();
  EXPECT_EQ(*service_->AnnounceDuePublications(), 0);
  EXPECT_FALSE(service_->Published("later-today"));
  now_ += 600;
  const auto version = service_->version();
  EXPECT_EQ(*service_->AnnounceDuePublications(), 1);
  EXPECT_GT(service_->version(), version);  // cached front pages refresh
  EXPECT_TRUE(service_->Published("later-today"));
  EXPECT_EQ(*service_->AnnounceDuePublications(), 0);
  EXPECT_EQ(announced_, std::vector<std::string>{"later-today"});
}

TEST_F(ArticleEditorialTest, AFailingSubscriberGetsTheEventAgainLater) {
  ASSERT_TRUE(service_->Save(0, 0, Fields("Now", now_), ""));
  fail_hook_ = true;
  EXPECT_FALSE(service_->AnnounceDuePublications());
  fail_hook_ = false;
  EXPECT_EQ(*service_->AnnounceDuePublications(), 1);
  EXPECT_EQ(announced_, std::vector<std::string>{"now"});
}

TEST_F(ArticleEditorialTest, ImportedPublicArticlesAreNotNews) {
  ImportedArticle imported;
  imported.fields = Fields("From the archive", now_ - 86400);
  imported.origin = "archive.md:1";
  ASSERT_TRUE(service_->Import(std::span<const ImportedArticle>(&imported, 1)));
  EXPECT_EQ(*service_->AnnounceDuePublications(), 0);
  EXPECT_TRUE(announced_.empty());
}

TEST_F(ArticleEditorialTest, UnpublishLeavesTheNoteAndRepublishingRemovesIt) {
  auto saved = service_->Save(0, 0, Fields("Disputed story", now_ - 10), "");
  ASSERT_TRUE(saved);
  EXPECT_EQ(service_->Unpublish(saved->id, saved->revision, "  ", 7).error().field, "note");
  EXPECT_EQ(service_->Unpublish(saved->id, saved->revision + 5, "note", 7).error().code, ErrorCode::kConflict);
  auto unpublished = service_->Unpublish(saved->id, saved->revision, "This story was removed pending review.",
                                         std::nullopt);
  ASSERT_TRUE(unpublished) << unpublished.error().ToString();
  EXPECT_FALSE(unpublished->fields.published_at);
  EXPECT_FALSE(service_->Published("disputed-story"));
  auto note = service_->Withdrawal("disputed-story");
  ASSERT_TRUE(note) << note.error().ToString();
  EXPECT_EQ(note->note, "This story was removed pending review.");
  auto revisions = store_->ListRevisions(saved->id);
  EXPECT_EQ(revisions->back().note, "unpublished: This story was removed pending review.");

  store::ArticleFields again = unpublished->fields;
  again.published_at = now_;
  ASSERT_TRUE(service_->Save(saved->id, unpublished->revision, again, "republished"));
  EXPECT_EQ(service_->Withdrawal("disputed-story").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_->Published("disputed-story"));
}

TEST_F(ArticleEditorialTest, SectionsAndDesksAreCheckedAndStored) {
  EXPECT_EQ(service_->PutSection({"Bad Slug", "Name", 1}).error().field, "slug");
  auto section = service_->PutSection({"", "Local news", 2});
  ASSERT_TRUE(section);
  EXPECT_EQ(section->slug, "local-news");
  EXPECT_EQ(service_->PutDesk({"metro", "Metro", "not an address"}).error().field, "email");
  ASSERT_TRUE(service_->PutDesk({"metro", "Metro", "metro@example.org"}));
  ASSERT_TRUE(service_->SetSectionDesk("local-news", "metro"));
  EXPECT_EQ(service_->Desks()->at(0).section_slugs, std::vector<std::string>{"local-news"});
}

}  // namespace
}  // namespace masthead::articles
