// The Store contract for reader questions: votes counted once, merges carrying
// votes and watchers over, state changes refused from the wrong state,
// follow-up links and their once-only mail mark, experts, the "Open questions" box.
#include "store/store_conformance.h"

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

class Questions {
 public:
  explicit Questions(Store& store) : store_(store) {
    article_id = CreatePublishedStory(store_, kNow);
    for (const char* name : {"alice", "bob", "carol", "dave"}) {
      users.push_back(store_.CreateUser({.email = std::string(name) + "@example.org", .display_name = name,
                                         .password_hash = "x", .now = kNow})
                          .value()
                          .id);
    }
  }

  Question Ask(std::int64_t asker, const std::string& text, CommentStatus status = CommentStatus::kPublished) {
    CreateCommentRequest comment{.article_id = article_id, .author_id = asker, .kind = "question",
                                 .body_markdown = text, .status = status, .now = ++clock_};
    Question question;
    EXPECT_TRUE(store_.Transact([&](Store& tx) -> Status {
      auto stored = tx.CreateComment(comment);
      if (!stored) return tl::unexpected(stored.error());
      auto created = tx.CreateQuestion({stored->id, article_id, asker, stored->created_at});
      if (!created) return tl::unexpected(created.error());
      question = *created;
      return Ok();
    }));
    return question;
  }

  std::int64_t Article(const std::string& slug, std::optional<UnixSeconds> published_at) {
    ArticleFields f;
    f.slug = slug;
    f.section_slug = "world";
    f.headline = "Follow-up " + slug;
    f.credit = "AP";
    f.body_markdown = "Body.";
    f.published_at = published_at;
    return store_.CreateArticle({f, "", kNow}).value().id;
  }

  std::int64_t article_id = 0;
  std::vector<std::int64_t> users;

 private:
  Store& store_;
  UnixSeconds clock_ = kNow;
};

std::vector<std::int64_t> Ids(const std::vector<Question>& questions) {
  std::vector<std::int64_t> ids;
  for (const auto& q : questions) ids.push_back(q.id);
  return ids;
}

TEST_P(StoreConformanceTest, QuestionsStartOpenWithTheAskerWatching) {
  Questions f(*store_);
  const Question asked = f.Ask(f.users[0], "How many were there?");
  EXPECT_GT(asked.id, 0);
  EXPECT_EQ(asked.state, "open");
  EXPECT_EQ(asked.vote_count, 0);
  EXPECT_EQ(asked.asker_name, "alice");
  EXPECT_EQ(asked.body_markdown, "How many were there?");
  EXPECT_EQ(asked.article_slug, "story");
  EXPECT_EQ(store_->QuestionWatchers(asked.id).value(), std::vector<std::int64_t>{f.users[0]});
  EXPECT_EQ(store_->FindQuestion(asked.id + 1000).error().code, ErrorCode::kNotFound);
  // A comment has one question at most.
  EXPECT_EQ(store_->CreateQuestion({asked.id, f.article_id, f.users[0], kNow}).error().code,
            ErrorCode::kAlreadyExists);
}

TEST_P(StoreConformanceTest, AQuestionVoteCountsOncePerReaderAndCanBeTakenBack) {
  Questions f(*store_);
  const Question asked = f.Ask(f.users[0], "Why?");
  EXPECT_EQ(store_->VoteQuestion({asked.id, f.users[1], true, kNow}).value(), 1);
  EXPECT_EQ(store_->VoteQuestion({asked.id, f.users[1], true, kNow}).value(), 1);
  EXPECT_EQ(store_->VoteQuestion({asked.id, f.users[2], true, kNow}).value(), 2);
  EXPECT_EQ(store_->FindQuestion(asked.id)->vote_count, 2);
  EXPECT_EQ(store_->VotedQuestions(f.users[1], {asked.id}).value(), std::vector<std::int64_t>{asked.id});
  EXPECT_EQ(store_->QuestionWatchers(asked.id).value(),
            (std::vector<std::int64_t>{f.users[0], f.users[1], f.users[2]}));
  EXPECT_EQ(store_->VoteQuestion({asked.id, f.users[1], false, kNow}).value(), 1);
  EXPECT_TRUE(store_->VotedQuestions(f.users[1], {asked.id})->empty());
  EXPECT_EQ(store_->QuestionWatchers(asked.id).value(), (std::vector<std::int64_t>{f.users[0], f.users[2]}));
  EXPECT_EQ(store_->VoteQuestion({asked.id + 1000, f.users[1], true, kNow}).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, QuestionListsFollowTheTabAndOrder) {
  Questions f(*store_);
  const Question first = f.Ask(f.users[0], "First?");
  const Question second = f.Ask(f.users[1], "Second?");
  const Question third = f.Ask(f.users[2], "Third?");
  const Question held = f.Ask(f.users[3], "Held?", CommentStatus::kHeld);
  ASSERT_TRUE(store_->VoteQuestion({second.id, f.users[0], true, kNow}));
  ASSERT_TRUE(store_->AnswerQuestion({third.id, {"open"}, "Because.", f.users[0], kNow + 50}));
  auto list = [&](QuestionTab tab, QuestionOrder order, std::int64_t viewer = 0) {
    return Ids(store_->ListQuestions({f.article_id, tab, order, viewer, 50}).value());
  };
  EXPECT_EQ(list(QuestionTab::kUnanswered, QuestionOrder::kVotes), (std::vector<std::int64_t>{second.id, first.id}));
  EXPECT_EQ(list(QuestionTab::kUnanswered, QuestionOrder::kOldest), (std::vector<std::int64_t>{first.id, second.id}));
  EXPECT_EQ(list(QuestionTab::kAll, QuestionOrder::kNewest),
            (std::vector<std::int64_t>{third.id, second.id, first.id}));
  EXPECT_EQ(list(QuestionTab::kAnswered, QuestionOrder::kVotes), std::vector<std::int64_t>{third.id});
  // The asker sees their held question; nobody else does.
  EXPECT_EQ(list(QuestionTab::kUnanswered, QuestionOrder::kOldest, f.users[3]),
            (std::vector<std::int64_t>{first.id, second.id, held.id}));
  // The staff queue: every article.
  EXPECT_EQ(Ids(store_->ListQuestions({std::nullopt, QuestionTab::kUnanswered, QuestionOrder::kOldest, 0, 50}).value()),
            (std::vector<std::int64_t>{first.id, second.id}));
}

TEST_P(StoreConformanceTest, AnsweringAndDecliningMoveOnlyFromTheExpectedState) {
  Questions f(*store_);
  const Question asked = f.Ask(f.users[0], "When?");
  auto answered = store_->AnswerQuestion({asked.id, {"open"}, "On **Monday**.", f.users[1], kNow + 10});
  ASSERT_TRUE(answered) << answered.error().ToString();
  EXPECT_EQ(answered->state, "answered");
  EXPECT_EQ(answered->answer_markdown, "On **Monday**.");
  EXPECT_EQ(answered->answered_by_name, "bob");
  EXPECT_EQ(answered->answered_at, kNow + 10);
  EXPECT_EQ(store_->AnswerQuestion({asked.id, {"open"}, "Again", f.users[1], kNow}).error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->DeclineQuestion({asked.id, {"open"}, "No", kNow}).error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->FindQuestion(asked.id)->answer_markdown, "On **Monday**.");

  const Question other = f.Ask(f.users[2], "Who?");
  auto declined = store_->DeclineQuestion({other.id, {"open"}, "We do not name minors.", kNow});
  ASSERT_TRUE(declined);
  EXPECT_EQ(declined->state, "declined");
  EXPECT_EQ(declined->decline_reason, "We do not name minors.");
}

TEST_P(StoreConformanceTest, MergingCarriesVotesAndWatchersOverOnce) {
  Questions f(*store_);
  const Question original = f.Ask(f.users[0], "How many?");
  const Question duplicate = f.Ask(f.users[1], "How many were there?");
  ASSERT_TRUE(store_->VoteQuestion({original.id, f.users[2], true, kNow}));
  ASSERT_TRUE(store_->VoteQuestion({duplicate.id, f.users[2], true, kNow}));  // voted for both: counts once
  ASSERT_TRUE(store_->VoteQuestion({duplicate.id, f.users[3], true, kNow}));
  ASSERT_TRUE(store_->VoteQuestion({duplicate.id, f.users[0], true, kNow}));  // the original's asker
  auto merged = store_->MergeQuestion({duplicate.id, original.id, kNow + 5});
  ASSERT_TRUE(merged) << merged.error().ToString();
  EXPECT_EQ(merged->state, "merged");
  EXPECT_EQ(merged->merged_into, original.id);
  const Question target = store_->FindQuestion(original.id).value();
  // carol, dave, and bob (who asked the duplicate); never alice for her own question.
  EXPECT_EQ(target.vote_count, 3);
  EXPECT_EQ(store_->QuestionWatchers(original.id).value(),
            (std::vector<std::int64_t>{f.users[0], f.users[1], f.users[2], f.users[3]}));
  // Merged questions leave the lists; merging again or into a merged one is refused.
  EXPECT_EQ(Ids(store_->ListQuestions({f.article_id, QuestionTab::kAll, QuestionOrder::kOldest, 0, 50}).value()),
            std::vector<std::int64_t>{original.id});
  EXPECT_EQ(store_->MergeQuestion({duplicate.id, original.id, kNow}).error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->MergeQuestion({original.id, duplicate.id, kNow}).error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->MergeQuestion({original.id, original.id, kNow}).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StoreConformanceTest, FollowUpsAreDueOnceTheirArticleIsPublishedAndMarkedOnce) {
  Questions f(*store_);
  const Question asked = f.Ask(f.users[0], "What next?");
  const std::int64_t draft = f.Article("draft-followup", std::nullopt);
  auto linked = store_->LinkFollowUp({asked.id, {"open", "answered"}, draft, kNow});
  ASSERT_TRUE(linked) << linked.error().ToString();
  EXPECT_EQ(linked->state, "followup");
  EXPECT_EQ(linked->followup_slug, "draft-followup");
  EXPECT_TRUE(store_->ListDueFollowUps(kNow + 1000, 10)->empty());
  EXPECT_TRUE(store_->FollowUpsOf(f.article_id, kNow + 1000)->empty());

  // Published (here scheduled for kNow + 100): due from then on.
  Article article = store_->FindArticle({.id = draft, .include_unpublished = true}).value();
  article.fields.published_at = kNow + 100;
  ASSERT_TRUE(store_->UpdateArticle({draft, 0, article.fields, "publish", kNow}));
  EXPECT_TRUE(store_->ListDueFollowUps(kNow + 99, 10)->empty());
  EXPECT_EQ(Ids(store_->ListDueFollowUps(kNow + 100, 10).value()), std::vector<std::int64_t>{asked.id});
  EXPECT_TRUE(store_->MarkFollowUpNotified(asked.id, kNow + 100).value());
  EXPECT_FALSE(store_->MarkFollowUpNotified(asked.id, kNow + 101).value());
  EXPECT_TRUE(store_->ListDueFollowUps(kNow + 200, 10)->empty());

  const auto followups = store_->FollowUpsOf(f.article_id, kNow + 200).value();
  ASSERT_EQ(followups.size(), 1u);
  EXPECT_EQ(followups[0].slug, "draft-followup");
  const auto originals = store_->FollowedUpBy(draft, kNow + 200).value();
  ASSERT_EQ(originals.size(), 1u);
  EXPECT_EQ(originals[0].slug, "story");
  EXPECT_EQ(store_->LinkFollowUp({asked.id, {"open", "answered"}, draft, kNow}).error().code, ErrorCode::kConflict);
}

TEST_P(StoreConformanceTest, AMarkRolledBackWithItsMailLeavesTheFollowUpDue) {
  Questions f(*store_);
  const Question asked = f.Ask(f.users[0], "What next?");
  const std::int64_t published = f.Article("published-followup", kNow - 10);
  ASSERT_TRUE(store_->LinkFollowUp({asked.id, {"open"}, published, kNow}));
  auto failed = store_->Transact([&](Store& tx) -> Status {
    EXPECT_TRUE(tx.MarkFollowUpNotified(asked.id, kNow).value());
    return MakeError(ErrorCode::kUnavailable, "the outbox write failed");
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(Ids(store_->ListDueFollowUps(kNow, 10).value()), std::vector<std::int64_t>{asked.id});
}

TEST_P(StoreConformanceTest, ExpertsAndOpenQuestionsBelongToOneArticle) {
  Questions f(*store_);
  EXPECT_FALSE(store_->IsQuestionExpert(f.article_id, f.users[1]).value());
  ASSERT_TRUE(store_->SetQuestionExpert(f.article_id, f.users[1], true, kNow));
  ASSERT_TRUE(store_->SetQuestionExpert(f.article_id, f.users[1], true, kNow));
  EXPECT_TRUE(store_->IsQuestionExpert(f.article_id, f.users[1]).value());
  ASSERT_TRUE(store_->SetQuestionExpert(f.article_id, f.users[1], false, kNow));
  EXPECT_FALSE(store_->IsQuestionExpert(f.article_id, f.users[1]).value());
  EXPECT_EQ(store_->SetQuestionExpert(f.article_id + 99, f.users[1], true, kNow).error().code, ErrorCode::kNotFound);

  auto first = store_->AddOpenQuestion(f.article_id, "Who ordered the strike?", f.users[0], kNow);
  ASSERT_TRUE(first) << first.error().ToString();
  auto second = store_->AddOpenQuestion(f.article_id, "How many were hurt?", f.users[0], kNow);
  ASSERT_TRUE(second);
  auto lines = store_->ListOpenQuestions(f.article_id).value();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].body, "Who ordered the strike?");
  EXPECT_EQ(store_->RemoveOpenQuestion(f.article_id + 99, first->id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store_->RemoveOpenQuestion(f.article_id, first->id));
  lines = store_->ListOpenQuestions(f.article_id).value();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].id, second->id);
  EXPECT_EQ(store_->AddOpenQuestion(f.article_id + 99, "x", f.users[0], kNow).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace masthead::store
