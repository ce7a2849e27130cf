#include "discussion/comment_service.h"
#include "discussion/reply_mails.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite/test_store.h"

namespace masthead::discussion {
namespace {

using store::CommentStatus;

class CommentServiceTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(accounts::InitCrypto());
    store_ = store::sqlite::OpenTestStore("masthead-discussion");
    ASSERT_NE(store_, nullptr);
    auto clock = [this] { return now_; };
    articles_ = std::make_unique<articles::ArticleService>(*store_, clock);
    policies_ = std::make_unique<PolicyService>(*store_, clock);
    ASSERT_TRUE(policies_->EnsureDefaults());
    ASSERT_TRUE(store_->PutSection({"world", "World", 1}));
    store::ArticleFields f;
    f.headline = "Story";
    f.section_slug = "world";
    f.credit = "AP";
    f.body_markdown = "Body.";
    f.published_at = now_ - 3600;
    ASSERT_TRUE(articles_->Create(f, ""));
    options_.max_depth = 2;
    comments_ = std::make_unique<CommentService>(
        *store_, *articles_, *policies_, live_, options_,
        [this](std::string_view text) {
          TextVerdict verdict;
          if (text.find("idiot") != std::string_view::npos) {
            verdict.status = CommentStatus::kHeld;
            verdict.reason = "held for review: may break rule 2, personal attacks";
          }
          if (text.find("kill") != std::string_view::npos) {
            verdict.status = CommentStatus::kRejected;
            verdict.reason = "rejected: breaks rule 3, threats";
          }
          return verdict;
        },
        [this] { ++mails_owed_; }, clock);
    reply_mails_ = std::make_unique<ReplyMails>(
        *store_, [this](store::Store&, const std::vector<OwedReplyMail>& owed) {
          std::vector<Result<ReplyMailWrite>> writes;
          for (const OwedReplyMail& mail : owed) {
            ++composed_;
            if (on_compose_) on_compose_();
            if (mail.reply->body_markdown.find("unmailable") != std::string::npos) {
              writes.push_back(MakeError(ErrorCode::kInvalidArgument, "this mail cannot be composed"));
              continue;
            }
            writes.push_back(Recorder(mail));
          }
          return writes;
        });
    alice_ = MakeReader("alice@example.org", "Alice");
    bob_ = MakeReader("bob@example.org", "Bob");
  }

  accounts::Viewer MakeReader(const std::string& email, const std::string& name, bool accept = true,
                              bool confirm = true) {
    auto user = store_->CreateUser({.email = email, .display_name = name, .password_hash = "x",
                                    .email_confirmed_at = confirm ? std::optional<UnixSeconds>(now_) : std::nullopt,
                                    .now = now_});
    EXPECT_TRUE(user);
    if (accept) {
      auto current = policies_->Current();
      EXPECT_TRUE(policies_->Accept(user->id, current->terms.version, current->guidelines.version));
    }
    return accounts::Viewer{*user, accounts::Role::kReader, "hash"};
  }

  Result<PostResult> Post(const accounts::Viewer& who, std::string body,
                          std::optional<std::int64_t> parent = std::nullopt, std::string key = "") {
    return comments_->Post(who, {"story", parent, std::move(body), std::move(key)});
  }

  // The write of a composed mail: noted in notified_ (or failing, as an outbox
  // that cannot be written would).
  ReplyMailWrite Recorder(const OwedReplyMail& mail) {
    return [this, reply_id = mail.reply->id, author = mail.parent->author_id](store::Store&) -> Status {
      if (fail_mail_) return MakeError(ErrorCode::kUnavailable, "the outbox is unreachable");
      notified_.push_back({reply_id, author});
      return Ok();
    };
  }
  std::vector<Result<ReplyMailWrite>> RecordAll(const std::vector<OwedReplyMail>& owed) {
    std::vector<Result<ReplyMailWrite>> writes;
    for (const OwedReplyMail& mail : owed) writes.push_back(Recorder(mail));
    return writes;
  }

  UnixSeconds now_ = 1'700'000'000;
  DiscussionOptions options_;
  LiveHub live_;
  std::vector<std::pair<std::int64_t, std::int64_t>> notified_;
  int mails_owed_ = 0;
  int composed_ = 0;
  bool fail_mail_ = false;
  std::function<void()> on_compose_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<articles::ArticleService> articles_;
  std::unique_ptr<PolicyService> policies_;
  std::unique_ptr<CommentService> comments_;
  std::unique_ptr<ReplyMails> reply_mails_;
  accounts::Viewer alice_, bob_;
};

TEST_F(CommentServiceTest, PostsAppearInThreadsAndNotifyLivePagesAndParents) {
  auto top = Post(alice_, "  A thoughtful comment.  ");
  ASSERT_TRUE(top) << top.error().ToString();
  EXPECT_EQ(top->comment.body_markdown, "A thoughtful comment.");
  EXPECT_EQ(live_.Latest(top->comment.article_id), top->comment.id);
  auto reply = Post(bob_, "I disagree, politely.", top->comment.id);
  ASSERT_TRUE(reply);
  EXPECT_EQ(mails_owed_, 1);
  EXPECT_TRUE(notified_.empty());  // owed, composed by the drain
  EXPECT_EQ(reply_mails_->Drain().value(), 1);
  ASSERT_EQ(notified_.size(), 1u);
  EXPECT_EQ(notified_[0].second, alice_.user.id);
  EXPECT_EQ(reply_mails_->Drain().value(), 0);  // once
  auto page = comments_->Threads("story", store::ThreadOrder::kOldest, std::nullopt, nullptr);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->threads.size(), 1u);
  ASSERT_EQ(page->threads[0].replies.size(), 1u);
  EXPECT_EQ(page->discussion.comment_count, 2);
}

TEST_F(CommentServiceTest, DeepRepliesAttachAtTheDeepestAllowedLevel) {
  auto c0 = Post(alice_, "depth 0");
  auto c1 = Post(bob_, "depth 1", c0->comment.id);
  auto c2 = Post(alice_, "depth 2", c1->comment.id);
  auto c3 = Post(bob_, "would be depth 3", c2->comment.id);
  ASSERT_TRUE(c3) << c3.error().ToString();
  EXPECT_EQ(c3->comment.depth, 2);
  EXPECT_EQ(c3->comment.parent_id, c1->comment.id);
  auto page = comments_->Threads("story", store::ThreadOrder::kOldest, std::nullopt, nullptr);
  const auto& replies = page->threads[0].replies;
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].id, c1->comment.id);
  EXPECT_EQ(replies[1].id, c2->comment.id);
  EXPECT_EQ(replies[2].id, c3->comment.id);
}

TEST_F(CommentServiceTest, ReadersMustConfirmAndAcceptTheCurrentTerms) {
  auto unconfirmed = MakeReader("u@example.org", "Unconfirmed", true, false);
  EXPECT_EQ(Post(unconfirmed, "hello").error().field, "email");
  auto new_reader = MakeReader("n@example.org", "New", false);
  EXPECT_EQ(Post(new_reader, "hello").error().field, "terms");
  ASSERT_TRUE(Post(alice_, "hello before the new terms"));
  ASSERT_TRUE(policies_->Publish("terms", "New summary", "# Terms v2"));
  auto again = Post(alice_, "hello after");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(again.error().field, "terms");
  auto current = policies_->Current();
  EXPECT_EQ(policies_->Accept(alice_.user.id, current->terms.version - 1, current->guidelines.version)
                .error().code, ErrorCode::kConflict);
  ASSERT_TRUE(policies_->Accept(alice_.user.id, current->terms.version, current->guidelines.version));
  EXPECT_TRUE(Post(alice_, "hello after accepting"));
}

TEST_F(CommentServiceTest, BadBodiesAreRefusedWithTheField) {
  EXPECT_EQ(Post(alice_, "   ").error().field, "body");
  EXPECT_EQ(Post(alice_, std::string(5001, 'x')).error().field, "body");
  EXPECT_EQ(Post(alice_, "bad \xc3\x28").error().field, "body");
  EXPECT_EQ(Post(alice_, "x", 987654).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindDiscussion(1)->comment_count, 0);
}

TEST_F(CommentServiceTest, TheTextPolicyHoldsOrRejectsWithAReason) {
  auto held = Post(alice_, "you idiot");
  ASSERT_TRUE(held);
  EXPECT_EQ(held->comment.status, CommentStatus::kHeld);
  EXPECT_EQ(held->notice, "held for review: may break rule 2, personal attacks");
  EXPECT_EQ(live_.Latest(held->comment.article_id), 0);  // not announced
  auto rejected = Post(alice_, "I will kill you");
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().message, "rejected: breaks rule 3, threats");
  // The author sees their held comment; others do not.
  auto own = comments_->Threads("story", store::ThreadOrder::kOldest, std::nullopt, &alice_);
  EXPECT_EQ(own->threads.size(), 1u);
  auto others = comments_->Threads("story", store::ThreadOrder::kOldest, std::nullopt, &bob_);
  EXPECT_TRUE(others->threads.empty());
}

TEST_F(CommentServiceTest, RepliesToDeletedCommentsAndClosedDiscussionsAreRefused) {
  auto top = Post(alice_, "soon gone");
  ASSERT_TRUE(comments_->Delete(alice_, top->comment.id));
  EXPECT_EQ(Post(bob_, "reply", top->comment.id).error().code, ErrorCode::kConflict);
  EXPECT_EQ(comments_->Delete(bob_, top->comment.id).error().code, ErrorCode::kPermissionDenied);

  accounts::Viewer editor = MakeReader("ed@example.org", "Ed");
  editor.role = accounts::Role::kEditor;
  EXPECT_EQ(comments_->SetClosed(alice_, "story", true).error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(comments_->SetClosed(editor, "story", true));
  EXPECT_EQ(Post(bob_, "too late").error().code, ErrorCode::kConflict);
  ASSERT_TRUE(comments_->SetClosed(editor, "story", false));
  EXPECT_TRUE(Post(bob_, "open again"));
}

TEST_F(CommentServiceTest, DiscussionsCloseByThemselvesAfterTheConfiguredDays) {
  ASSERT_TRUE(Post(alice_, "early"));
  now_ += options_.close_after_days * 86400;
  EXPECT_EQ(Post(alice_, "late").error().code, ErrorCode::kConflict);
}

TEST_F(CommentServiceTest, EditsOnlyByTheAuthorWithinTheWindow) {
  auto c = Post(alice_, "typo");
  ASSERT_TRUE(c);
  EXPECT_EQ(comments_->Edit(bob_, c->comment.id, "hijack").error().code, ErrorCode::kPermissionDenied);
  auto edited = comments_->Edit(alice_, c->comment.id, "fixed");
  ASSERT_TRUE(edited);
  EXPECT_TRUE(edited->edited_at);
  now_ += options_.edit_window_seconds + 1;
  EXPECT_EQ(comments_->Edit(alice_, c->comment.id, "later").error().code, ErrorCode::kConflict);
}

TEST_F(CommentServiceTest, RespectOncePerReaderNeverForOneself) {
  auto c = Post(alice_, "worth it");
  EXPECT_EQ(comments_->Respect(bob_, c->comment.id, true).value(), 1);
  EXPECT_EQ(comments_->Respect(bob_, c->comment.id, true).value(), 1);
  EXPECT_FALSE(comments_->Respect(alice_, c->comment.id, true));
  auto page = comments_->Threads("story", store::ThreadOrder::kOldest, std::nullopt, &bob_);
  EXPECT_TRUE(page->reacted.count(c->comment.id));
}

TEST_F(CommentServiceTest, IdempotencyKeysAndRateLimits) {
  ASSERT_TRUE(Post(alice_, "once", std::nullopt, "k1"));
  EXPECT_EQ(Post(alice_, "once", std::nullopt, "k1").error().code, ErrorCode::kAlreadyExists);
  for (int i = 0; i < options_.posts_per_minute - 2; ++i) ASSERT_TRUE(Post(alice_, "post " + std::to_string(i)));
  EXPECT_EQ(Post(alice_, "one too many").error().code, ErrorCode::kRateLimited);
  now_ += 61;
  EXPECT_TRUE(Post(alice_, "after a minute"));
}

TEST_F(CommentServiceTest, IgnoringAndFeaturing) {
  auto c = Post(bob_, "featured material");
  ASSERT_TRUE(comments_->Ignore(alice_, bob_.user.id, true));
  EXPECT_FALSE(comments_->Ignore(alice_, alice_.user.id, true));
  auto page = comments_->Threads("story", store::ThreadOrder::kOldest, std::nullopt, &alice_);
  EXPECT_TRUE(page->ignored.count(bob_.user.id));
  EXPECT_EQ(comments_->Feature(alice_, c->comment.id, true).error().code, ErrorCode::kPermissionDenied);
  accounts::Viewer moderator = alice_;
  moderator.role = accounts::Role::kModerator;
  EXPECT_TRUE(comments_->Feature(moderator, c->comment.id, true)->featured_at);
}

TEST_F(CommentServiceTest, ThreadPagesAreKeyset) {
  for (int i = 0; i < 25; ++i) {
    now_ += 61;  // stay under the rate limit
    ASSERT_TRUE(Post(i % 2 ? alice_ : bob_, "thread " + std::to_string(i)));
  }
  auto first = comments_->Threads("story", store::ThreadOrder::kNewest, std::nullopt, nullptr);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->threads.size(), 20u);
  ASSERT_TRUE(first->next);
  auto second = comments_->Threads("story", store::ThreadOrder::kNewest, first->next, nullptr);
  EXPECT_EQ(second->threads.size(), 5u);
  EXPECT_FALSE(second->next);
}

TEST_F(CommentServiceTest, OnlyPublishedRepliesToSomeoneElseOweAMail) {
  auto top = Post(alice_, "A thoughtful comment.");
  ASSERT_TRUE(top);
  ASSERT_TRUE(Post(alice_, "Adding to my own comment.", top->comment.id));  // to oneself
  ASSERT_TRUE(Post(bob_, "You idiot.", top->comment.id));                  // held by the text policy
  EXPECT_EQ(mails_owed_, 0);
  EXPECT_EQ(reply_mails_->Drain().value(), 0);
  EXPECT_TRUE(notified_.empty());
}

TEST_F(CommentServiceTest, ARepliesMailIsNotSentWhenTheReplyOrParentIsGoneBeforeTheDrain) {
  auto top = Post(alice_, "A thoughtful comment.");
  auto withdrawn = Post(bob_, "A reply I take back.", top->comment.id);
  ASSERT_TRUE(withdrawn);
  ASSERT_TRUE(comments_->Delete(bob_, withdrawn->comment.id));
  auto other_top = Post(alice_, "Another thought.");
  ASSERT_TRUE(Post(bob_, "A reply to a comment about to go.", other_top->comment.id));
  ASSERT_TRUE(comments_->Delete(alice_, other_top->comment.id));
  EXPECT_EQ(mails_owed_, 2);
  EXPECT_EQ(reply_mails_->Drain().value(), 0);
  EXPECT_TRUE(notified_.empty());
}

TEST_F(CommentServiceTest, AFailedDrainKeepsTheDebtsAndAnUncomposableMailDoesNotBlockTheRest) {
  auto top = Post(alice_, "A thoughtful comment.");
  ASSERT_TRUE(Post(bob_, "First reply.", top->comment.id));
  ASSERT_TRUE(Post(bob_, "An unmailable reply.", top->comment.id));
  ASSERT_TRUE(Post(bob_, "Third reply.", top->comment.id));
  fail_mail_ = true;
  EXPECT_FALSE(reply_mails_->Drain());  // the batch rolls back: nothing handed over
  fail_mail_ = false;
  EXPECT_EQ(reply_mails_->Drain().value(), 2);
  EXPECT_EQ(notified_.size(), 2u);
  EXPECT_EQ(reply_mails_->Drain().value(), 0);
}

TEST_F(CommentServiceTest, ADrainTakesManyDebtsInBatches) {
  auto top = Post(alice_, "A thoughtful comment.");
  ReplyMails small_batches(*store_, [this](store::Store&, const std::vector<OwedReplyMail>& owed) {
    return RecordAll(owed);
  }, 3);
  for (int i = 0; i < 10; ++i) {
    now_ += 60;  // under the per-minute limit
    ASSERT_TRUE(Post(bob_, "Reply number " + std::to_string(i) + ".", top->comment.id));
  }
  EXPECT_EQ(small_batches.Drain().value(), 10);
  EXPECT_EQ(notified_.size(), 10u);
}

TEST_F(CommentServiceTest, ABatchAnotherDrainerHandedOverWhileItWasComposedIsStoredOnce) {
  auto top = Post(alice_, "A thoughtful comment.");
  ASSERT_TRUE(Post(bob_, "First reply.", top->comment.id));
  ASSERT_TRUE(Post(bob_, "Second reply.", top->comment.id));
  // While this drain composes its first mail, another node's drain (here a
  // second drainer on the same store) hands the whole batch over.
  ReplyMails other_node(*store_, [this](store::Store&, const std::vector<OwedReplyMail>& owed) {
    return RecordAll(owed);
  });
  on_compose_ = [&] {
    on_compose_ = nullptr;
    EXPECT_EQ(other_node.Drain().value(), 2);
  };
  EXPECT_EQ(reply_mails_->Drain().value(), 0);
  EXPECT_EQ(notified_.size(), 2u);  // each reply's mail stored once, by the other drainer
  EXPECT_EQ(composed_, 2);          // this drain composed its batch and threw it away
  ASSERT_TRUE(Post(bob_, "Third reply.", top->comment.id));
  EXPECT_EQ(reply_mails_->Drain().value(), 1);
  EXPECT_EQ(notified_.size(), 3u);
}

}  // namespace
}  // namespace masthead::discussion
