// Reader questions: the seed page's promise "Questions about the article? Add
// them below and we'll try to answer them or do a follow-up post". A question
// is posted as a comment of kind "question" (the same terms, spam, moderation
// and sanitising as every comment); this service keeps what the newsroom does
// with it: votes, answers pinned on the page, merged duplicates, declines with
// a reason, links to follow-up stories (mailed when the follow-up is
// published, once), experts assigned to a story, and the "Open questions" box.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "articles/article_service.h"
#include "discussion/comment_service.h"
#include "store/store.h"

namespace masthead::questions {

// A mail about a question to its watchers (asker, voters, merged duplicates'
// askers and voters), queued inside the transaction that made the change.
struct QuestionMail {
  enum class Kind { kAnswered, kFollowUp };
  Kind kind = Kind::kAnswered;
  store::Question question;
  store::Article article;                 // the question's article
  std::optional<store::Article> followup;  // kFollowUp: the published follow-up
  std::vector<std::int64_t> recipients;   // user ids
};
using QuestionNotifier = std::function<Status(store::Store& tx, const QuestionMail& mail)>;

struct QuestionOptions {
  std::size_t max_answer_bytes = 10000;
  std::size_t max_reason_bytes = 500;
  std::size_t max_open_question_bytes = 300;
  int page_limit = 200;
};

struct QuestionPage {
  store::Article article;
  std::vector<store::Question> questions;
  std::set<std::int64_t> voted;  // the viewer's votes among them
  std::vector<store::OpenQuestion> open_questions;
  bool discussion_open = true;
  bool can_answer = false;  // editors, and experts assigned to the story
  bool can_edit = false;    // editors: merge, decline, link, the box, experts
};

// What the article page shows about its questions.
struct ArticleQuestions {
  std::vector<store::ArticleLink> followups;      // "Follow-up: ..."
  std::vector<store::ArticleLink> follows_up_on;  // "This story follows up on: ..."
  std::vector<store::OpenQuestion> open_questions;
  int unanswered = 0;
  int answered = 0;
};

class QuestionService {
 public:
  QuestionService(store::Store& store, articles::ArticleService& articles, discussion::CommentService& comments,
                  QuestionNotifier notifier, QuestionOptions options = {},
                  std::function<UnixSeconds()> now = NowSeconds);

  // Posts through CommentService::Post (its errors, and a held question when
  // moderation holds it) with the question stored in the same transaction.
  Result<discussion::PostResult> Ask(const accounts::Viewer& viewer, discussion::PostRequest request);
  Result<store::Question> Find(std::int64_t id);
  Result<QuestionPage> Page(const std::string& article_slug, store::QuestionTab tab, store::QuestionOrder order,
                            const accounts::Viewer* viewer);
  // One vote per reader; returns the count. kConflict unless the question is
  // open; kInvalidArgument for one's own question.
  Result<int> Vote(const accounts::Viewer& viewer, std::int64_t id, bool add);
  // Editors and the story's experts. The first answer mails the watchers; a
  // later one corrects the text without mailing again.
  Result<store::Question> Answer(const accounts::Viewer& viewer, std::int64_t id, const std::string& body);
  // Editors only, from here on.
  Result<store::Question> Decline(const accounts::Viewer& viewer, std::int64_t id, const std::string& reason);
  Result<store::Question> Merge(const accounts::Viewer& viewer, std::int64_t id, std::int64_t into_id);
  // Links to a follow-up article by slug, published or not. The watchers are
  // mailed now when it is published, else by NotifyPublishedFollowUps once it is.
  Result<store::Question> LinkFollowUp(const accounts::Viewer& viewer, std::int64_t id,
                                       const std::string& followup_slug);
  // Mails every question whose follow-up is published by now and was not mailed
  // yet, each exactly once even when several nodes run this at once. Returns
  // how many questions were mailed about.
  Result<int> NotifyPublishedFollowUps();
  Result<store::OpenQuestion> AddOpenQuestion(const accounts::Viewer& viewer, const std::string& article_slug,
                                              const std::string& body);
  Status RemoveOpenQuestion(const accounts::Viewer& viewer, const std::string& article_slug, std::int64_t id);
  Status SetExpert(const accounts::Viewer& viewer, const std::string& article_slug, const std::string& email,
                   bool assigned);
  // Unanswered questions on every article (staff).
  Result<std::vector<store::Question>> Queue(const accounts::Viewer& viewer, store::QuestionOrder order);

  Result<ArticleQuestions> OfArticle(std::int64_t article_id);
  bool CanAnswer(const accounts::Viewer& viewer, std::int64_t article_id);

 private:
  Result<store::Question> Published(std::int64_t id);
  Status RequireEditor(const accounts::Viewer& viewer) const;
  // Checks and cleans newsroom text: valid UTF-8, no control characters,
  // something left, at most `max` bytes. Errors name `field`.
  Result<std::string> CleanText(const std::string& text, std::size_t max, const char* field) const;
  // Inside `tx`: marks the follow-up mailed (false: another node did) and queues the mail.
  Status MailFollowUp(store::Store& tx, const store::Question& question);
  void Touch(const store::Question& question);

  store::Store& store_;
  articles::ArticleService& articles_;
  discussion::CommentService& comments_;
  QuestionNotifier notifier_;
  QuestionOptions options_;
  std::function<UnixSeconds()> now_;
};

// The query words of the questions view: "unanswered", "answered", "all";
// "votes", "oldest", "newest". Unknown words give the defaults.
store::QuestionTab TabOf(std::string_view key);
std::string_view TabKey(store::QuestionTab tab);
store::QuestionOrder QuestionOrderOf(std::string_view key);
std::string_view QuestionOrderKey(store::QuestionOrder order);

}  // namespace masthead::questions
