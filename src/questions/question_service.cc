#include "questions/question_service.h"

#include <algorithm>
#include <cctype>

#include "base/text.h"
#include "base/utf8.h"

namespace masthead::questions {
namespace {

using accounts::HasRole;
using accounts::Role;

constexpr std::string_view kTabKeys[] = {"unanswered", "answered", "all"};
constexpr std::string_view kOrderKeys[] = {"votes", "oldest", "newest"};

}  // namespace

store::QuestionTab TabOf(std::string_view key) {
  if (key == "answered") return store::QuestionTab::kAnswered;
  if (key == "all") return store::QuestionTab::kAll;
  return store::QuestionTab::kUnanswered;
}

std::string_view TabKey(store::QuestionTab tab) { return kTabKeys[static_cast<int>(tab)]; }

store::QuestionOrder QuestionOrderOf(std::string_view key) {
  if (key == "oldest") return store::QuestionOrder::kOldest;
  if (key == "newest") return store::QuestionOrder::kNewest;
  return store::QuestionOrder::kVotes;
}

std::string_view QuestionOrderKey(store::QuestionOrder order) { return kOrderKeys[static_cast<int>(order)]; }

QuestionService::QuestionService(store::Store& store, articles::ArticleService& articles,
                                 discussion::CommentService& comments, QuestionNotifier notifier,
                                 QuestionOptions options, std::function<UnixSeconds()> now)
    : store_(store),
      articles_(articles),
      comments_(comments),
      notifier_(std::move(notifier)),
      options_(options),
      now_(std::move(now)) {}

Status QuestionService::RequireEditor(const accounts::Viewer& viewer) const {
  if (HasRole(viewer.role, Role::kEditor)) return Ok();
  return MakeError(ErrorCode::kPermissionDenied, "only editors handle reader questions");
}

Result<std::string> QuestionService::CleanText(const std::string& text, std::size_t max, const char* field) const {
  if (!IsValidUtf8(text)) return MakeError(ErrorCode::kInvalidArgument, "the text is not valid UTF-8", field);
  std::string clean(TrimWhitespace(StripControlCharacters(text)));
  if (clean.empty()) return MakeError(ErrorCode::kInvalidArgument, "write something first", field);
  if (clean.size() > max) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the text is longer than " + std::to_string(max) + " bytes (" + std::to_string(clean.size()) + ")",
                     field);
  }
  return clean;
}

void QuestionService::Touch(const store::Question& question) {
  articles_.TouchDiscussion(question.article_id);
  if (question.followup_article_id) articles_.TouchDiscussion(*question.followup_article_id);
}

Result<discussion::PostResult> QuestionService::Ask(const accounts::Viewer& viewer, discussion::PostRequest request) {
  request.kind = "question";
  request.parent_id.reset();
  request.on_stored = [](store::Store& tx, const store::Comment& comment) -> Status {
    return tx.CreateQuestion({comment.id, comment.article_id, comment.author_id, comment.created_at})
        .map([](const store::Question&) {});
  };
  return comments_.Post(viewer, request);
}

Result<store::Question> QuestionService::Find(std::int64_t id) { return store_.FindQuestion(id); }

Result<store::Question> QuestionService::Published(std::int64_t id) {
  auto question = store_.FindQuestion(id);
  if (!question || question->status != store::CommentStatus::kPublished) {
    return MakeError(ErrorCode::kNotFound, "no such question");
  }
  return question;
}

bool QuestionService::CanAnswer(const accounts::Viewer& viewer, std::int64_t article_id) {
  if (HasRole(viewer.role, Role::kEditor)) return true;
  auto expert = store_.IsQuestionExpert(article_id, viewer.user.id);
  return expert && *expert;
}

Result<QuestionPage> QuestionService::Page(const std::string& article_slug, store::QuestionTab tab,
                                           store::QuestionOrder order, const accounts::Viewer* viewer) {
  auto article = articles_.Published(article_slug);
  if (!article) return tl::unexpected(article.error());
  QuestionPage page;
  page.article = std::move(*article);
  auto discussion = store_.FindDiscussion(page.article.id);
  if (!discussion) return tl::unexpected(discussion.error());
  page.discussion_open = comments_.IsOpen(page.article, *discussion);
  auto listed = store_.ListQuestions(
      {page.article.id, tab, order, viewer ? viewer->user.id : 0, options_.page_limit});
  if (!listed) return tl::unexpected(listed.error());
  page.questions = std::move(*listed);
  auto open_questions = store_.ListOpenQuestions(page.article.id);
  if (!open_questions) return tl::unexpected(open_questions.error());
  page.open_questions = std::move(*open_questions);
  if (viewer) {
    std::vector<std::int64_t> ids;
    for (const auto& question : page.questions) ids.push_back(question.id);
    auto voted = store_.VotedQuestions(viewer->user.id, ids);
    if (!voted) return tl::unexpected(voted.error());
    page.voted.insert(voted->begin(), voted->end());
    page.can_answer = CanAnswer(*viewer, page.article.id);
    page.can_edit = HasRole(viewer->role, Role::kEditor);
  }
  return page;
}

Result<int> QuestionService::Vote(const accounts::Viewer& viewer, std::int64_t id, bool add) {
  auto question = Published(id);
  if (!question) return tl::unexpected(question.error());
  if (question->asker_id == viewer.user.id) {
    return MakeError(ErrorCode::kInvalidArgument, "you cannot vote for your own question", "vote");
  }
  if (question->state != "open") {
    return MakeError(ErrorCode::kConflict, "votes are for open questions; this one is " + question->state, "vote");
  }
  auto count = store_.VoteQuestion({id, viewer.user.id, add, now_()});
  if (count) Touch(*question);
  return count;
}

Result<store::Question> QuestionService::Answer(const accounts::Viewer& viewer, std::int64_t id,
                                                const std::string& body) {
  auto question = Published(id);
  if (!question) return question;
  if (!CanAnswer(viewer, question->article_id)) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "only editors and the experts assigned to this story answer its questions");
  }
  auto text = CleanText(body, options_.max_answer_bytes, "answer");
  if (!text) return tl::unexpected(text.error());
  store::Question answered;
  Status done = store_.Transact([&](store::Store& tx) -> Status {
    // Read in the transaction: whether this is the first answer decides the mail.
    auto current = tx.FindQuestion(id);
    if (!current) return tl::unexpected(current.error());
    if (current->state != "open" && current->state != "answered") {
      return MakeError(ErrorCode::kConflict, "the question is " + current->state + "; it cannot be answered now",
                       "state");
    }
    auto stored = tx.AnswerQuestion({id, {current->state}, *text, viewer.user.id, now_()});
    if (!stored) return tl::unexpected(stored.error());
    answered = *stored;
    if (current->state == "answered" || !notifier_) return Ok();
    auto watchers = tx.QuestionWatchers(id);
    if (!watchers) return tl::unexpected(watchers.error());
    auto article = tx.FindArticle({.id = answered.article_id, .include_unpublished = true});
    if (!article) return tl::unexpected(article.error());
    QuestionMail mail{QuestionMail::Kind::kAnswered, answered, *article, std::nullopt, {}};
    for (std::int64_t user : *watchers) {
      if (user != viewer.user.id) mail.recipients.push_back(user);
    }
    return notifier_(tx, mail);
  });
  if (!done) return tl::unexpected(done.error());
  Touch(answered);
  return answered;
}

Result<store::Question> QuestionService::Decline(const accounts::Viewer& viewer, std::int64_t id,
                                                 const std::string& reason) {
  MASTHEAD_RETURN_IF_ERROR(RequireEditor(viewer));
  auto question = Published(id);
  if (!question) return question;
  auto text = CleanText(reason, options_.max_reason_bytes, "reason");
  if (!text) return tl::unexpected(text.error());
  auto declined = store_.DeclineQuestion({id, {"open"}, *text, now_()});
  if (declined) Touch(*declined);
  return declined;
}

Result<store::Question> QuestionService::Merge(const accounts::Viewer& viewer, std::int64_t id, std::int64_t into_id) {
  MASTHEAD_RETURN_IF_ERROR(RequireEditor(viewer));
  auto question = Published(id);
  if (!question) return question;
  auto into = Published(into_id);
  if (!into) return MakeError(ErrorCode::kNotFound, "no such question to merge into", "into");
  auto merged = store_.MergeQuestion({id, into_id, now_()});
  if (merged) Touch(*merged);
  return merged;
}

Status QuestionService::MailFollowUp(store::Store& tx, const store::Question& question) {
  auto marked = tx.MarkFollowUpNotified(question.id, now_());
  if (!marked) return tl::unexpected(marked.error());
  if (!*marked || !notifier_) return Ok();
  auto watchers = tx.QuestionWatchers(question.id);
  if (!watchers) return tl::unexpected(watchers.error());
  auto article = tx.FindArticle({.id = question.article_id, .include_unpublished = true});
  if (!article) return tl::unexpected(article.error());
  auto followup = tx.FindArticle({.id = question.followup_article_id.value_or(0), .include_unpublished = true});
  if (!followup) return tl::unexpected(followup.error());
  return notifier_(tx, {QuestionMail::Kind::kFollowUp, question, *article, *followup, *watchers});
}

Result<store::Question> QuestionService::LinkFollowUp(const accounts::Viewer& viewer, std::int64_t id,
                                                      const std::string& followup_slug) {
  MASTHEAD_RETURN_IF_ERROR(RequireEditor(viewer));
  auto question = Published(id);
  if (!question) return question;
  auto followup = store_.FindArticle({.slug = followup_slug, .include_unpublished = true});
  if (!followup) {
    return MakeError(ErrorCode::kNotFound, "no article with the address \"" + followup_slug + "\"", "article");
  }
  if (followup->id == question->article_id) {
    return MakeError(ErrorCode::kInvalidArgument, "a follow-up is another article", "article");
  }
  const UnixSeconds now = now_();
  const bool published = followup->fields.published_at && *followup->fields.published_at <= now;
  store::Question linked;
  Status done = store_.Transact([&](store::Store& tx) -> Status {
    auto stored = tx.LinkFollowUp({id, {"open", "answered"}, followup->id, now});
    if (!stored) return tl::unexpected(stored.error());
    linked = *stored;
    if (!published) return Ok();
    MASTHEAD_RETURN_IF_ERROR(MailFollowUp(tx, linked));
    // As it is now: marked mailed, so pages and the API show the follow-up.
    auto mailed = tx.FindQuestion(id);
    if (!mailed) return tl::unexpected(mailed.error());
    linked = *mailed;
    return Ok();
  });
  if (!done) return tl::unexpected(done.error());
  Touch(linked);
  return linked;
}

Result<int> QuestionService::NotifyPublishedFollowUps() {
  auto due = store_.ListDueFollowUps(now_(), 100);
  if (!due) return tl::unexpected(due.error());
  int mailed = 0;
  for (const store::Question& question : *due) {
    MASTHEAD_RETURN_IF_ERROR(store_.Transact([&](store::Store& tx) { return MailFollowUp(tx, question); }));
    Touch(question);
    ++mailed;
  }
  return mailed;
}

Result<store::OpenQuestion> QuestionService::AddOpenQuestion(const accounts::Viewer& viewer,
                                                             const std::string& article_slug,
                                                             const std::string& body) {
  MASTHEAD_RETURN_IF_ERROR(RequireEditor(viewer));
  auto article = articles_.Published(article_slug);
  if (!article) return tl::unexpected(article.error());
  auto text = CleanText(body, options_.max_open_question_bytes, "body");
  if (!text) return tl::unexpected(text.error());
  auto added = store_.AddOpenQuestion(article->id, *text, viewer.user.id, now_());
  if (added) articles_.TouchDiscussion(article->id);
  return added;
}

Status QuestionService::RemoveOpenQuestion(const accounts::Viewer& viewer, const std::string& article_slug,
                                           std::int64_t id) {
  MASTHEAD_RETURN_IF_ERROR(RequireEditor(viewer));
  auto article = articles_.Published(article_slug);
  if (!article) return tl::unexpected(article.error());
  MASTHEAD_RETURN_IF_ERROR(store_.RemoveOpenQuestion(article->id, id));
  articles_.TouchDiscussion(article->id);
  return Ok();
}

Status QuestionService::SetExpert(const accounts::Viewer& viewer, const std::string& article_slug,
                                  const std::string& email, bool assigned) {
  MASTHEAD_RETURN_IF_ERROR(RequireEditor(viewer));
  auto article = articles_.Published(article_slug);
  if (!article) return tl::unexpected(article.error());
  std::string address(TrimWhitespace(email));
  std::transform(address.begin(), address.end(), address.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto user = store_.FindUser({.email = address});
  if (!user) return MakeError(ErrorCode::kNotFound, "no account with that e-mail address", "email");
  return store_.SetQuestionExpert(article->id, user->id, assigned, now_());
}

Result<std::vector<store::Question>> QuestionService::Queue(const accounts::Viewer& viewer,
                                                            store::QuestionOrder order) {
  if (!HasRole(viewer.role, Role::kModerator)) {
    return MakeError(ErrorCode::kPermissionDenied, "the questions queue is for staff");
  }
  return store_.ListQuestions({std::nullopt, store::QuestionTab::kUnanswered, order, 0, options_.page_limit});
}

Result<ArticleQuestions> QuestionService::OfArticle(std::int64_t article_id) {
  ArticleQuestions result;
  const UnixSeconds now = now_();
  auto followups = store_.FollowUpsOf(article_id, now);
  if (!followups) return tl::unexpected(followups.error());
  result.followups = std::move(*followups);
  auto follows_up_on = store_.FollowedUpBy(article_id, now);
  if (!follows_up_on) return tl::unexpected(follows_up_on.error());
  result.follows_up_on = std::move(*follows_up_on);
  auto open_questions = store_.ListOpenQuestions(article_id);
  if (!open_questions) return tl::unexpected(open_questions.error());
  result.open_questions = std::move(*open_questions);
  auto all = store_.ListQuestions({article_id, store::QuestionTab::kAll, store::QuestionOrder::kOldest, 0, 1000});
  if (!all) return tl::unexpected(all.error());
  for (const auto& question : *all) {
    if (question.state == "open") ++result.unanswered;
    if (question.state == "answered" || question.state == "followup") ++result.answered;
  }
  return result;
}

}  // namespace masthead::questions
