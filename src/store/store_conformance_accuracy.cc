// The Store contract for accuracy cases, corrections, invites and messages to the editors.
#include "store/store_conformance.h"

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

class AccuracyFixture {
 public:
  explicit AccuracyFixture(Store& store) : store_(store) {
    article_id = CreatePublishedStory(store_, kNow);
    editor = store_.CreateUser({.email = "ed@example.org", .display_name = "Ed", .password_hash = "x", .now = kNow})
                 .value()
                 .id;
  }

  AccuracyCase File(UnixSeconds now = kNow) {
    CreateAccuracyCaseRequest request;
    request.fields.article_id = article_id;
    request.fields.relation = "quoted";
    request.fields.passage_anchor = "p3";
    request.fields.quote = "the exact words";
    request.fields.wrong_text = "wrong";
    request.fields.right_text = "right";
    request.fields.requester_name = "Sergei";
    request.fields.requester_email = "s@example.org";
    request.fields.may_contact = true;
    request.note = "filed";
    request.now = now;
    return store_.CreateAccuracyCase(request).value();
  }

  Store& store_;
  std::int64_t article_id = 0;
  std::int64_t editor = 0;
};

TEST_P(StoreConformanceTest, AccuracyCasesAreNumberedAndKeepTheirFields) {
  AccuracyFixture fx(*store_);
  const AccuracyCase first = fx.File();
  const AccuracyCase second = fx.File();
  EXPECT_GT(second.id, first.id);
  EXPECT_EQ(first.state, "new");
  EXPECT_EQ(first.owner_id, 0);
  EXPECT_EQ(first.article_slug, "story");
  EXPECT_EQ(first.section_slug, "world");
  EXPECT_EQ(first.passage_anchor, "p3");
  EXPECT_EQ(first.quote, "the exact words");
  EXPECT_TRUE(first.may_contact);
  auto found = store_->FindAccuracyCase(first.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->requester_email, "s@example.org");
  EXPECT_EQ(store_->FindAccuracyCase(9999).error().code, ErrorCode::kNotFound);
  auto listed = store_->ListAccuracyCases({"", 10});
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, second.id);  // newest first
  auto events = store_->ListAccuracyEvents(first.id);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].to_state, "new");
  EXPECT_EQ((*events)[0].note, "filed");
  CreateAccuracyCaseRequest orphan;
  orphan.fields.article_id = 4242;
  orphan.fields.relation = "other";
  orphan.now = kNow;
  EXPECT_EQ(store_->CreateAccuracyCase(orphan).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, AccuracyCaseChangesAreCheckedAgainstTheExpectedState) {
  AccuracyFixture fx(*store_);
  const AccuracyCase c = fx.File();
  auto triaged = store_->ChangeAccuracyCase({c.id, "new", "triaged", "", fx.editor, fx.editor, "mine", kNow + 10});
  ASSERT_TRUE(triaged) << triaged.error().ToString();
  EXPECT_EQ(triaged->state, "triaged");
  EXPECT_EQ(triaged->owner_id, fx.editor);
  EXPECT_EQ(triaged->owner_name, "Ed");
  EXPECT_EQ(triaged->state_changed_at, kNow + 10);
  // A second editor acting on what they saw before is refused; nothing changes.
  auto stale = store_->ChangeAccuracyCase({c.id, "new", "resolved", "no_change", std::nullopt, fx.editor, "", kNow + 20});
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->FindAccuracyCase(c.id)->state, "triaged");
  EXPECT_EQ(store_->ChangeAccuracyCase({4242, "new", "triaged", "", std::nullopt, 0, "", kNow}).error().code,
            ErrorCode::kNotFound);
  auto noted = store_->ChangeAccuracyCase({c.id, "triaged", "triaged", "", std::nullopt, 0, "a note", kNow + 25});
  ASSERT_TRUE(noted);
  EXPECT_EQ(noted->state_changed_at, kNow + 10);  // an event, not a move
  auto resolved = store_->ChangeAccuracyCase({c.id, "triaged", "resolved", "correction", std::nullopt, fx.editor,
                                              "fixed", kNow + 30});
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->outcome, "correction");
  EXPECT_EQ(resolved->owner_id, fx.editor);  // unchanged when unset
  auto events = store_->ListAccuracyEvents(c.id);
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[2].note, "a note");
  EXPECT_EQ((*events)[3].from_state, "triaged");
  EXPECT_EQ((*events)[3].actor_name, "Ed");
  EXPECT_EQ(store_->ListAccuracyCases({"resolved", 10})->size(), 1u);
}

TEST_P(StoreConformanceTest, WaitingAccuracyCasesAreListedUntilRemindedOrMoved) {
  AccuracyFixture fx(*store_);
  const AccuracyCase old_case = fx.File(kNow - 1000);
  const AccuracyCase fresh = fx.File(kNow);
  auto waiting = store_->ListWaitingAccuracyCases(kNow - 500, 10);
  ASSERT_EQ(waiting->size(), 1u);
  EXPECT_EQ((*waiting)[0].id, old_case.id);
  ASSERT_TRUE(store_->MarkAccuracyCaseReminded(old_case.id, kNow));
  // A second node that listed the case too is told it was reminded already.
  EXPECT_EQ(store_->MarkAccuracyCaseReminded(old_case.id, kNow).error().code, ErrorCode::kConflict);
  EXPECT_TRUE(store_->ListWaitingAccuracyCases(kNow - 500, 10)->empty());
  // A change of state starts the wait again.
  ASSERT_TRUE(store_->ChangeAccuracyCase({old_case.id, "new", "triaged", "", std::nullopt, 0, "", kNow + 1}));
  EXPECT_TRUE(store_->ListWaitingAccuracyCases(kNow - 1, 10)->empty());
  EXPECT_EQ(store_->ListWaitingAccuracyCases(kNow + 1, 10)->size(), 2u);
  ASSERT_TRUE(store_->ChangeAccuracyCase({fresh.id, "new", "resolved", "no_change", std::nullopt, 0, "", kNow + 1}));
  EXPECT_EQ(store_->ListWaitingAccuracyCases(kNow + 1, 10)->size(), 1u);  // resolved cases never wait
  EXPECT_EQ(store_->MarkAccuracyCaseReminded(4242, kNow).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, CorrectionsAreListedNewestFirstPerArticleOrAll) {
  AccuracyFixture fx(*store_);
  const AccuracyCase c = fx.File();
  auto first = store_->CreateCorrection({fx.article_id, c.id, "correction", "bottom", "misstated X", 2, kNow});
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->article_slug, "story");
  ASSERT_TRUE(store_->CreateCorrection({fx.article_id, std::nullopt, "clarification", "top", "clarifies Y", 2, kNow + 5}));
  auto all = store_->ListCorrections({std::nullopt, 10});
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].notice, "clarifies Y");
  EXPECT_EQ((*all)[1].case_id, c.id);
  EXPECT_EQ(store_->ListCorrections({fx.article_id, 10})->size(), 2u);
  EXPECT_TRUE(store_->ListCorrections({fx.article_id + 1, 10})->empty());
  EXPECT_EQ(store_->CreateCorrection({4242, std::nullopt, "correction", "top", "x", 1, kNow}).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, AnAccuracyInviteIsUsedOnce) {
  AccuracyFixture fx(*store_);
  auto invite = store_->CreateAccuracyInvite({fx.article_id, std::nullopt, "s@example.org", "Sergei", kNow, kNow + 60});
  ASSERT_TRUE(invite);
  EXPECT_EQ(store_->FindAccuracyInvite(invite->id)->expires_at, kNow + 60);
  EXPECT_FALSE(invite->used_at);
  ASSERT_TRUE(store_->UseAccuracyInvite(invite->id, kNow + 1));
  EXPECT_EQ(store_->UseAccuracyInvite(invite->id, kNow + 2).error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->FindAccuracyInvite(invite->id)->used_at, kNow + 1);
  EXPECT_EQ(store_->UseAccuracyInvite(4242, kNow).error().code, ErrorCode::kNotFound);
}

// What one address sent the newsroom, for a reader's data export.
TEST_P(StoreConformanceTest, CasesAndMessagesAreFoundByTheirSendersAddressInAnyCase) {
  AccuracyFixture fx(*store_);
  const AccuracyCase theirs = fx.File();
  ASSERT_TRUE(store_->CreateEditorMessage(
      {fx.article_id, "world@example.org", "Reader", "R@Example.org", std::nullopt, "Mine", kNow}));
  ASSERT_TRUE(store_->CreateEditorMessage(
      {fx.article_id, "world@example.org", "Other", "other@example.org", std::nullopt, "Not mine", kNow}));
  auto cases = store_->ListAccuracyCases({.state = "", .limit = 10, .requester_email = "S@EXAMPLE.ORG"});
  ASSERT_TRUE(cases);
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].id, theirs.id);
  EXPECT_TRUE(store_->ListAccuracyCases({.state = "", .limit = 10, .requester_email = "r@example.org"})->empty());
  auto messages = store_->ListEditorMessages("", 10, "r@example.org");
  ASSERT_TRUE(messages);
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].body, "Mine");
  EXPECT_EQ(store_->ListEditorMessages("", 10, "")->size(), 2u);
}

TEST_P(StoreConformanceTest, EditorMessagesKeepTheConversation) {
  AccuracyFixture fx(*store_);
  auto message = store_->CreateEditorMessage(
      {fx.article_id, "world@example.org", "Reader", "r@example.org", std::nullopt, "A question", kNow});
  ASSERT_TRUE(message) << message.error().ToString();
  EXPECT_EQ(message->status, "open");
  EXPECT_EQ(message->article_slug, "story");
  auto reply = store_->AddEditorMessageReply(message->id, fx.editor, "An answer", kNow + 1);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->author_name, "Ed");
  ASSERT_TRUE(store_->SetEditorMessageStatus(message->id, "answered", std::nullopt, kNow + 1));
  auto replies = store_->ListEditorMessageReplies(message->id);
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ((*replies)[0].body, "An answer");
  EXPECT_EQ(store_->ListEditorMessages("answered", 10, "")->size(), 1u);
  EXPECT_TRUE(store_->ListEditorMessages("open", 10, "")->empty());
  const AccuracyCase c = fx.File();
  ASSERT_TRUE(store_->SetEditorMessageStatus(message->id, "case", c.id, kNow + 2));
  EXPECT_EQ(store_->FindEditorMessage(message->id)->case_id, c.id);
  EXPECT_EQ(store_->SetEditorMessageStatus(4242, "case", std::nullopt, kNow).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->AddEditorMessageReply(4242, fx.editor, "x", kNow).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace masthead::store
