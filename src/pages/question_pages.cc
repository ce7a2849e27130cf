#include "pages/question_pages.h"

#include "accounts/crypto.h"
#include "articles/markdown.h"
#include "base/network.h"
#include "base/text.h"
#include "base/utf8.h"
#include "http/status.h"
#include "pages/reader_form.h"

namespace masthead::pages {
namespace {

using Form = std::map<std::string, std::string, std::less<>>;

std::string Get(const Form& form, const std::string& key) {
  auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

std::string TimeText(UnixSeconds t) {
  std::string rfc = FormatRfc3339(t);
  return FormatLongDate(t) + " at " + rfc.substr(11, 5) + " UTC";
}

std::string StateLabel(const store::Question& q) {
  if (q.state == "answered") return "Answered";
  if (q.state == "followup") return "Answered in a follow-up";
  if (q.state == "declined") return "Declined";
  if (q.state == "merged") return "Merged";
  return "Unanswered";
}

// One question with what the viewer may do with it. `others` are the other
// open questions on the page, for the editors' merge choice.
Data QuestionData(const store::Question& q, const questions::QuestionPage* page, const WebContext* context,
                  const std::vector<const store::Question*>& others, const std::string& tab) {
  Data d;
  d.set("id", std::to_string(q.id));
  d.set("slug", q.article_slug);
  d.set("headline", q.article_headline);
  d.set("asker", q.asker_name);
  d.set("created_iso", FormatRfc3339(q.created_at));
  d.set("created_text", TimeText(q.created_at));
  d.set("votes", std::to_string(q.vote_count));
  d.set("one_vote", q.vote_count == 1);
  d.set("state", q.state);
  d.set("state_label", StateLabel(q));
  d.set("tab", tab);
  d.set("body_html", articles::RenderMarkdown(q.body_markdown, true));
  d.set("excerpt", q.body_markdown.substr(0, 140));
  if (q.status == store::CommentStatus::kHeld) d.set("held", true);
  if (q.state == "answered") {
    d.set("answered", true);
    d.set("answer_html", articles::RenderMarkdown(q.answer_markdown, true));
    d.set("answered_by", q.answered_by_name.empty() ? std::string("The newsroom") : q.answered_by_name);
    if (q.answered_at) {
      d.set("answered_iso", FormatRfc3339(*q.answered_at));
      d.set("answered_text", TimeText(*q.answered_at));
    }
  }
  if (q.state == "followup") {
    d.set("followup", true);
    d.set("followup_slug", q.followup_slug);
    d.set("followup_headline", q.followup_headline);
    // Until the follow-up is published, readers see only that one is coming.
    if (q.followup_notified_at) d.set("followup_published", true);
  }
  if (q.state == "declined") {
    d.set("declined", true);
    d.set("decline_reason", q.decline_reason);
  }
  if (!page || !context || !context->viewer) return d;
  const accounts::Viewer& viewer = *context->viewer;
  d.set("csrf", context->csrf);
  const bool published = q.status == store::CommentStatus::kPublished;
  if (published && q.state == "open" && q.asker_id != viewer.user.id) {
    const bool voted = page->voted.count(q.id) > 0;
    d.set("can_vote", true);
    d.set("voted", voted ? "true" : "false");
    d.set("vote_add", voted ? "0" : "1");
    d.set("vote_label", voted ? "Voted ✓ (take back)" : "Vote for this question");
  }
  if (published && page->can_answer && (q.state == "open" || q.state == "answered")) {
    d.set("can_answer", true);
    d.set("answer_draft", q.answer_markdown);
    d.set("answer_button", q.state == "answered" ? "Correct the answer" : "Publish the answer");
  }
  if (published && page->can_edit) {
    if (q.state == "open") {
      d.set("can_decline", true);
      Data targets{Data::type::list};
      for (const store::Question* other : others) {
        if (other->id == q.id) continue;
        Data target;
        target.set("id", std::to_string(other->id));
        target.set("excerpt", other->body_markdown.substr(0, 80));
        targets.push_back(target);
      }
      if (!targets.is_empty_list()) {
        d.set("can_merge", true);
        d.set("merge_targets", targets);
      }
    }
    if (q.state == "open" || q.state == "answered") d.set("can_link", true);
  }
  return d;
}

}  // namespace

http::Response QuestionPages::Refused(const Error& error, const std::string& heading) {
  if (error.code == ErrorCode::kNotFound && error.field.empty()) return site_.NotFound();
  const int status = http::StatusOfError(error.code);
  return site_.Error(status >= 500 ? 503 : status, heading, error.message);
}

http::Response QuestionPages::Render(const http::Request& request, WebContext& context, const std::string& slug,
                                     const Draft* draft, int status) {
  const Form query = http::ParseForm(request.query);
  const store::QuestionTab tab = questions::TabOf(Get(query, "tab"));
  const store::QuestionOrder order = questions::QuestionOrderOf(Get(query, "order"));
  const accounts::Viewer* viewer = context.viewer ? &*context.viewer : nullptr;
  auto page = questions_.Page(slug, tab, order, viewer);
  if (!page) return Refused(page.error(), "Something went wrong");
  web_.EnsureCsrf(context);
  const std::string tab_key(questions::TabKey(tab));
  const std::string order_key(questions::QuestionOrderKey(order));
  Data d;
  d.set("slug", slug);
  d.set("headline", page->article.fields.headline);
  d.set("csrf", context.csrf);
  d.set("tab", tab_key);
  Data tabs{Data::type::list};
  for (auto [key, label] : {std::pair{"unanswered", "Unanswered"}, std::pair{"answered", "Answered"},
                            std::pair{"all", "All"}}) {
    Data item;
    item.set("key", key);
    item.set("label", label);
    item.set("order", order_key);
    if (tab_key == key) item.set("current", true);
    tabs.push_back(item);
  }
  d.set("tabs", tabs);
  Data orders{Data::type::list};
  for (auto [key, label] : {std::pair{"votes", "Most votes"}, std::pair{"oldest", "Oldest"},
                            std::pair{"newest", "Newest"}}) {
    Data item;
    item.set("key", key);
    item.set("label", label);
    item.set("tab", tab_key);
    if (order_key == key) item.set("current", true);
    orders.push_back(item);
  }
  d.set("orders", orders);
  Data open_questions{Data::type::list};
  for (const auto& line : page->open_questions) {
    Data item;
    item.set("id", std::to_string(line.id));
    item.set("body", line.body);
    item.set("slug", slug);
    item.set("csrf", context.csrf);
    if (page->can_edit) item.set("can_remove", true);
    open_questions.push_back(item);
  }
  if (!page->open_questions.empty()) d.set("has_open_questions", true);
  d.set("open_questions", open_questions);
  if (page->can_edit) d.set("can_edit", true);
  if (page->discussion_open) d.set("open", true);
  if (viewer) {
    d.set("viewer", true);
    d.set("viewer_name", viewer->user.display_name);
    d.set("max_bytes", std::to_string(comments_.options().max_body_bytes));
    d.set("idempotency_key", draft && !draft->key.empty() ? draft->key : accounts::RandomToken());
    d.set("form_stamp", draft && !draft->stamp.empty() ? draft->stamp : comments_.IssueFormStamp(viewer->user.id));
    if (draft) {
      d.set("draft", ReplaceInvalidUtf8(draft->body));
      if (!draft->error.empty()) d.set("form_error", draft->error);
      if (!draft->nudge.empty()) d.set("nudge", draft->nudge);
    }
  }
  if (const std::string notice = Get(query, "notice"); notice == "held") {
    d.set("form_notice", "Your question waits for a moderator before it is shown to others.");
  }
  std::vector<const store::Question*> merge_targets;
  for (const auto& q : page->questions) {
    if (q.status == store::CommentStatus::kPublished && q.state != "declined") merge_targets.push_back(&q);
  }
  Data list{Data::type::list};
  for (const auto& q : page->questions) list.push_back(QuestionData(q, &*page, &context, merge_targets, tab_key));
  d.set("questions", list);
  if (page->questions.empty()) d.set("none", true);
  Data layout = site_.LayoutData("Reader questions: " + page->article.fields.headline + " · " + site_.options().title,
                                 page->article.fields.section_slug);
  if (viewer) SitePages::AddViewer(layout, viewer->user.display_name, context.csrf);
  http::Response response = http::Response::Html(status, RenderPage("questions", d, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

http::Response QuestionPages::View(const http::Request& request, const std::string& slug) {
  WebContext context = web_.Load(request);
  return Render(request, context, slug, nullptr, 200);
}

http::Response QuestionPages::Ask(const http::Request& request, const std::string& slug) {
  WebContext context = web_.Load(request);
  const std::string here = "/articles/" + slug + "/questions";
  if (!context.viewer) return http::Response::Redirect(303, "/login?next=" + here + "%23ask");
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) {
    Draft draft{Get(input, "body"),
                "For your safety the form could not be accepted (it expired or came from another site). Your "
                "question is below: please post it again.",
                "", "", "", ""};
    return Render(request, context, slug, &draft, 403);
  }
  discussion::PostRequest post;
  post.article_slug = slug;
  post.body = Get(input, "body");
  post.idempotency_key = Get(input, "idempotency_key");
  post.network = NetworkOf(request.remote_address);
  post.honeypot = Get(input, "website");
  post.form_stamp = Get(input, "form_stamp");
  post.rephrased = Get(input, "rephrased") == "1";
  auto asked = questions_.Ask(*context.viewer, post);
  if (!asked) {
    const Error& error = asked.error();
    if (error.field == "terms") return account_pages_.TermsBeforePosting(context, here, input);
    if (error.code == ErrorCode::kAlreadyExists) return http::Response::Redirect(303, here + "?tab=all");
    if (error.code == ErrorCode::kNotFound && error.field.empty()) return site_.NotFound();
    Draft draft{post.body, error.message, post.idempotency_key, "", "", ""};
    if (!(error.field == "form_stamp" && error.code != ErrorCode::kRateLimited)) draft.stamp = *post.form_stamp;
    if (error.field == "nudge") {
      draft.error.clear();
      draft.nudge = error.message;
      return Render(request, context, slug, &draft, 200);
    }
    return Render(request, context, slug, &draft, http::StatusOfError(error.code));
  }
  const bool held = asked->comment.status != store::CommentStatus::kPublished;
  http::Response response = http::Response::Redirect(
      303, here + "?tab=unanswered&order=newest" + (held ? "&notice=held" : "") + "#q" +
               std::to_string(asked->comment.id));
  web_.Finish(response, context);
  return response;
}

http::Response QuestionPages::BackTo(const WebContext& context, std::int64_t question_id, const std::string& tab) {
  auto question = questions_.Find(question_id);
  std::string location = "/";
  if (question) {
    location = "/articles/" + question->article_slug + "/questions?tab=" + (tab.empty() ? "all" : tab) + "#q" +
               std::to_string(question_id);
  }
  http::Response response = http::Response::Redirect(303, location);
  web_.Finish(response, context);
  return response;
}

http::Response QuestionPages::Vote(const http::Request& request, std::int64_t id) {
  WebContext context;
  Form input;
  if (auto refused = OpenReaderForm(web_, site_, request, context, input)) return *refused;
  auto voted = questions_.Vote(*context.viewer, id, Get(input, "add") != "0");
  if (!voted) return Refused(voted.error(), "Your vote was not counted");
  return BackTo(context, id, Get(input, "tab"));
}

http::Response QuestionPages::Act(const http::Request& request, std::int64_t id, const std::string& action) {
  WebContext context;
  Form input;
  if (auto refused = OpenReaderForm(web_, site_, request, context, input)) return *refused;
  const accounts::Viewer& viewer = *context.viewer;
  Result<store::Question> done = MakeError(ErrorCode::kNotFound, "no such action");
  std::string tab = "all";
  if (action == "answer") {
    done = questions_.Answer(viewer, id, Get(input, "answer"));
    tab = "answered";
  } else if (action == "decline") {
    done = questions_.Decline(viewer, id, Get(input, "reason"));
  } else if (action == "merge") {
    auto into = ParseId(Get(input, "into"));
    done = into ? questions_.Merge(viewer, id, *into)
                : Result<store::Question>(MakeError(ErrorCode::kInvalidArgument, "choose the question to merge into", "into"));
    if (into) id = *into;
  } else if (action == "followup") {
    done = questions_.LinkFollowUp(viewer, id, std::string(TrimWhitespace(Get(input, "article"))));
    tab = "answered";
  }
  if (!done) return Refused(done.error(), "That did not work");
  return BackTo(context, id, tab);
}

http::Response QuestionPages::AddOpenQuestion(const http::Request& request, const std::string& slug) {
  WebContext context;
  Form input;
  if (auto refused = OpenReaderForm(web_, site_, request, context, input)) return *refused;
  auto added = questions_.AddOpenQuestion(*context.viewer, slug, Get(input, "body"));
  if (!added) return Refused(added.error(), "The open question was not added");
  http::Response response = http::Response::Redirect(303, "/articles/" + slug + "/questions#open-questions");
  web_.Finish(response, context);
  return response;
}

http::Response QuestionPages::RemoveOpenQuestion(const http::Request& request, const std::string& slug,
                                                 std::int64_t id) {
  WebContext context;
  Form input;
  if (auto refused = OpenReaderForm(web_, site_, request, context, input)) return *refused;
  auto removed = questions_.RemoveOpenQuestion(*context.viewer, slug, id);
  if (!removed) return Refused(removed.error(), "The open question was not removed");
  http::Response response = http::Response::Redirect(303, "/articles/" + slug + "/questions#open-questions");
  web_.Finish(response, context);
  return response;
}

http::Response QuestionPages::SetExpert(const http::Request& request, const std::string& slug) {
  WebContext context;
  Form input;
  if (auto refused = OpenReaderForm(web_, site_, request, context, input)) return *refused;
  auto set = questions_.SetExpert(*context.viewer, slug, Get(input, "email"), Get(input, "assigned") != "0");
  if (!set) return Refused(set.error(), "The expert was not assigned");
  http::Response response = http::Response::Redirect(303, "/articles/" + slug + "/questions#experts");
  web_.Finish(response, context);
  return response;
}

http::Response QuestionPages::Queue(const http::Request& request) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return http::Response::Redirect(303, "/login?next=/staff/questions");
  const store::QuestionOrder order =
      Get(http::ParseForm(request.query), "order") == "votes" ? store::QuestionOrder::kVotes
                                                              : store::QuestionOrder::kOldest;
  auto queue = questions_.Queue(*context.viewer, order);
  if (!queue) return Refused(queue.error(), "Something went wrong");
  Data d;
  d.set("by_votes", order == store::QuestionOrder::kVotes);
  d.set("by_age", order != store::QuestionOrder::kVotes);
  Data list{Data::type::list};
  for (const auto& q : *queue) list.push_back(QuestionData(q, nullptr, nullptr, {}, "unanswered"));
  d.set("questions", list);
  d.set("has_questions", !queue->empty());
  Data layout = site_.LayoutData("Unanswered questions · " + site_.options().title, "");
  SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  http::Response response = http::Response::Html(200, RenderPage("staff_questions", d, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

}  // namespace masthead::pages
