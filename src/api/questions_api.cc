#include "api/questions_api.h"

#include "api/api.h"
#include "articles/markdown.h"
#include "base/network.h"

namespace masthead::api {
namespace {

using nlohmann::json;

json QuestionJson(const store::Question& q) {
  json out = {{"id", q.id},
              {"article", q.article_slug},
              {"asker", {{"id", q.asker_id}, {"name", q.asker_name}}},
              {"body_markdown", q.body_markdown},
              {"body_html", articles::RenderMarkdown(q.body_markdown, true)},
              {"status", q.status == store::CommentStatus::kPublished ? "published"
                         : q.status == store::CommentStatus::kHeld    ? "held"
                                                                       : "removed"},
              {"state", q.state},
              {"votes", q.vote_count},
              {"created_at", FormatRfc3339(q.created_at)},
              {"answer", nullptr},
              {"decline_reason", q.state == "declined" ? json(q.decline_reason) : json()},
              {"merged_into", q.merged_into ? json(*q.merged_into) : json()},
              {"followup", nullptr}};
  if (q.state == "answered") {
    out["answer"] = {{"body_markdown", q.answer_markdown},
                     {"body_html", articles::RenderMarkdown(q.answer_markdown, true)},
                     {"by", q.answered_by_name},
                     {"answered_at", q.answered_at ? json(FormatRfc3339(*q.answered_at)) : json()}};
  }
  // Until it is published, the follow-up's address is the newsroom's business.
  if (q.state == "followup" && q.followup_notified_at) {
    out["followup"] = {{"slug", q.followup_slug}, {"headline", q.followup_headline}};
  }
  return out;
}

json LinksJson(const std::vector<store::ArticleLink>& links) {
  json out = json::array();
  for (const auto& link : links) out.push_back({{"slug", link.slug}, {"headline", link.headline}});
  return out;
}

}  // namespace

http::Response QuestionsApi::List(const http::Request& request, const std::string& slug) {
  pages::WebContext context;
  if (auto refused = GuardRequest(web_, request, context, false)) return *refused;
  const auto query = http::ParseForm(request.query);
  auto value = [&](const char* key) {
    auto found = query.find(key);
    return found == query.end() ? std::string() : found->second;
  };
  auto page = questions_.Page(slug, questions::TabOf(value("tab")), questions::QuestionOrderOf(value("order")),
                              context.viewer ? &*context.viewer : nullptr);
  if (!page) return ErrorResponse(page.error());
  auto links = questions_.OfArticle(page->article.id);
  if (!links) return ErrorResponse(links.error());
  json list = json::array();
  for (const auto& q : page->questions) {
    json item = QuestionJson(q);
    item["voted"] = page->voted.count(q.id) > 0;
    list.push_back(std::move(item));
  }
  json open_questions = json::array();
  for (const auto& line : page->open_questions) open_questions.push_back({{"id", line.id}, {"body", line.body}});
  return JsonResponse(200, {{"questions", list},
                            {"open_questions", open_questions},
                            {"followups", LinksJson(links->followups)},
                            {"follows_up_on", LinksJson(links->follows_up_on)},
                            {"can_answer", page->can_answer},
                            {"can_edit", page->can_edit}});
}

http::Response QuestionsApi::Ask(const http::Request& request, const std::string& slug) {
  pages::WebContext context;
  if (auto refused = GuardRequest(web_, request, context, true)) return *refused;
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  discussion::PostRequest post;
  post.article_slug = slug;
  post.body = Text(*body, "body");
  post.idempotency_key = Text(*body, "idempotency_key");
  post.network = NetworkOf(request.remote_address);
  post.honeypot = Text(*body, "website");
  if (auto stamp = body->find("form_stamp"); stamp != body->end() && stamp->is_string()) {
    post.form_stamp = stamp->get<std::string>();
  }
  auto rephrased = body->find("rephrased");
  post.rephrased = rephrased != body->end() && rephrased->is_boolean() && rephrased->get<bool>();
  auto asked = questions_.Ask(*context.viewer, post);
  if (!asked) return ErrorResponse(asked.error());
  auto question = questions_.Find(asked->comment.id);
  if (!question) return ErrorResponse(question.error());
  json out = QuestionJson(*question);
  if (!asked->notice.empty()) out["notice"] = asked->notice;
  return JsonResponse(201, out);
}

http::Response QuestionsApi::Get(const http::Request& request, std::int64_t id) {
  pages::WebContext context;
  if (auto refused = GuardRequest(web_, request, context, false)) return *refused;
  auto question = questions_.Find(id);
  const bool visible = question && (question->status == store::CommentStatus::kPublished ||
                                    (context.viewer && question->asker_id == context.viewer->user.id &&
                                     question->status == store::CommentStatus::kHeld));
  if (!visible) return ErrorResponse({ErrorCode::kNotFound, "no such question", ""});
  return JsonResponse(200, QuestionJson(*question));
}

http::Response QuestionsApi::Vote(const http::Request& request, std::int64_t id, bool add) {
  pages::WebContext context;
  if (auto refused = GuardRequest(web_, request, context, true)) return *refused;
  auto votes = questions_.Vote(*context.viewer, id, add);
  if (!votes) return ErrorResponse(votes.error());
  return JsonResponse(200, {{"id", id}, {"votes", *votes}, {"voted", add}});
}

http::Response QuestionsApi::Act(const http::Request& request, std::int64_t id, const std::string& action) {
  pages::WebContext context;
  if (auto refused = GuardRequest(web_, request, context, true)) return *refused;
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  const accounts::Viewer& viewer = *context.viewer;
  Result<store::Question> done = MakeError(ErrorCode::kNotFound, "no such action");
  if (action == "answer") {
    done = questions_.Answer(viewer, id, Text(*body, "answer"));
  } else if (action == "decline") {
    done = questions_.Decline(viewer, id, Text(*body, "reason"));
  } else if (action == "merge") {
    auto into = body->find("into");
    if (into == body->end() || !into->is_number_integer()) {
      return ErrorResponse({ErrorCode::kInvalidArgument, "into: the id of the question this one duplicates", "into"});
    }
    done = questions_.Merge(viewer, id, into->get<std::int64_t>());
  } else if (action == "followup") {
    done = questions_.LinkFollowUp(viewer, id, Text(*body, "article"));
  }
  if (!done) return ErrorResponse(done.error());
  return JsonResponse(200, QuestionJson(*done));
}

http::Response QuestionsApi::AddOpenQuestion(const http::Request& request, const std::string& slug) {
  pages::WebContext context;
  if (auto refused = GuardRequest(web_, request, context, true)) return *refused;
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  auto added = questions_.AddOpenQuestion(*context.viewer, slug, Text(*body, "body"));
  if (!added) return ErrorResponse(added.error());
  return JsonResponse(201, {{"id", added->id}, {"body", added->body}});
}

http::Response QuestionsApi::RemoveOpenQuestion(const http::Request& request, const std::string& slug,
                                                std::int64_t id) {
  pages::WebContext context;
  if (auto refused = GuardRequest(web_, request, context, true)) return *refused;
  auto removed = questions_.RemoveOpenQuestion(*context.viewer, slug, id);
  if (!removed) return ErrorResponse(removed.error());
  return JsonResponse(200, {{"removed", id}});
}

http::Response QuestionsApi::SetExpert(const http::Request& request, const std::string& slug) {
  pages::WebContext context;
  if (auto refused = GuardRequest(web_, request, context, true)) return *refused;
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  auto assigned_field = body->find("assigned");
  const bool assigned = assigned_field == body->end() || !assigned_field->is_boolean() || assigned_field->get<bool>();
  auto set = questions_.SetExpert(*context.viewer, slug, Text(*body, "email"), assigned);
  if (!set) return ErrorResponse(set.error());
  return JsonResponse(200, {{"email", Text(*body, "email")}, {"assigned", assigned}});
}

http::Response QuestionsApi::Queue(const http::Request& request) {
  pages::WebContext context;
  if (auto refused = GuardRequest(web_, request, context, true)) return *refused;
  const auto query = http::ParseForm(request.query);
  auto order = query.find("order");
  auto queue = questions_.Queue(*context.viewer, order != query.end() && order->second == "votes"
                                                     ? store::QuestionOrder::kVotes
                                                     : store::QuestionOrder::kOldest);
  if (!queue) return ErrorResponse(queue.error());
  json list = json::array();
  for (const auto& q : *queue) {
    json item = QuestionJson(q);
    item["headline"] = q.article_headline;
    list.push_back(std::move(item));
  }
  return JsonResponse(200, {{"questions", list}});
}

}  // namespace masthead::api
