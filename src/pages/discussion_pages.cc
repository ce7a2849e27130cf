#include "pages/discussion_pages.h"

#include "pages/reader_form.h"

#include <nlohmann/json.hpp>

#include "accounts/crypto.h"
#include "articles/markdown.h"
#include "base/network.h"
#include "http/status.h"

namespace masthead::pages {
namespace {

using Form = std::map<std::string, std::string, std::less<>>;
using store::CommentStatus;

std::string Get(const Form& form, const std::string& key) {
  auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(text);
}

store::ThreadOrder OrderOf(const std::string& key) {
  if (key == "newest") return store::ThreadOrder::kNewest;
  if (key == "respected") return store::ThreadOrder::kMostRespected;
  return store::ThreadOrder::kOldest;
}

std::string OrderKey(store::ThreadOrder order) {
  switch (order) {
    case store::ThreadOrder::kNewest: return "newest";
    case store::ThreadOrder::kMostRespected: return "respected";
    case store::ThreadOrder::kOldest: return "oldest";
  }
  return "oldest";
}

std::string TimeText(UnixSeconds t) {
  std::string rfc = FormatRfc3339(t);
  return FormatLongDate(t) + " at " + rfc.substr(11, 5) + " UTC";
}

struct CommentContext {
  const WebContext* web = nullptr;
  const discussion::CommentService* service = nullptr;
  const std::set<std::int64_t>* reacted = nullptr;
  const std::set<std::int64_t>* ignored = nullptr;
  std::string slug;
  bool open = true;
};

Data CommentData(const store::Comment& c, const CommentContext& ctx) {
  Data d;
  d.set("id", std::to_string(c.id));
  d.set("depth", std::to_string(c.depth));
  d.set("author", c.author_name);
  d.set("author_id", std::to_string(c.author_id));
  d.set("slug", ctx.slug);
  d.set("created_iso", FormatRfc3339(c.created_at));
  d.set("created_text", TimeText(c.created_at));
  d.set("respect", std::to_string(c.respect_count));
  if (c.status == CommentStatus::kDeleted) {
    d.set("deleted", true);
    return d;
  }
  d.set("body_html", articles::RenderMarkdown(c.body_markdown, true));
  if (c.edited_at) d.set("edited", true);
  if (c.featured_at) d.set("featured", true);
  if (c.status == CommentStatus::kHeld) d.set("held", true);
  const accounts::Viewer* viewer = ctx.web && ctx.web->viewer ? &*ctx.web->viewer : nullptr;
  if (viewer && ctx.ignored && ctx.ignored->count(c.author_id)) d.set("ignored", true);
  if (viewer) {
    const bool own = c.author_id == viewer->user.id;
    const bool respected = ctx.reacted && ctx.reacted->count(c.id);
    d.set("can_act", true);
    d.set("csrf", ctx.web->csrf);
    if (!own && c.status == CommentStatus::kPublished) {
      d.set("can_respect", true);
      d.set("respected", respected ? "true" : "false");
      d.set("respect_add", respected ? "0" : "1");
    }
    if (ctx.open && c.status == CommentStatus::kPublished) d.set("can_reply", true);
    if (ctx.service->CanEdit(*viewer, c)) d.set("can_edit", true);
    if (own || accounts::HasRole(viewer->role, accounts::Role::kModerator)) d.set("can_delete", true);
    if (!own) d.set("can_ignore", true);
    if (accounts::HasRole(viewer->role, accounts::Role::kModerator) && c.status == CommentStatus::kPublished) {
      d.set("can_feature", true);
      d.set("feature_value", c.featured_at ? "0" : "1");
      d.set("feature_label", c.featured_at ? "Unfeature" : "Feature");
    }
    if (!own && c.status == CommentStatus::kPublished) d.set("can_report", true);
  }
  return d;
}

http::Response SeeOther(const std::string& location) { return http::Response::Redirect(303, location); }

}  // namespace

std::optional<http::Response> DiscussionPages::ReaderForm(const http::Request& request, WebContext& context,
                                                         Form& input) {
  return OpenReaderForm(web_, site_, request, context, input);
}

http::Response DiscussionPages::RenderArticle(const http::Request& request, WebContext& context,
                                              const std::string& slug, const Draft* draft, int status) {
  const Form query = http::ParseForm(request.query);
  const store::ThreadOrder order = OrderOf(Get(query, "order"));
  std::optional<store::ThreadCursor> after;
  if (const std::string cursor = Get(query, "after"); !cursor.empty()) {
    const auto dot = cursor.find('.');
    auto key = ParseId(cursor.substr(0, dot));
    auto id = dot == std::string::npos ? std::nullopt : ParseId(cursor.substr(dot + 1));
    if (!key || !id) return site_.Error(400, "Bad page link", "The page position in this link is not valid.");
    after = store::ThreadCursor{*key, *id};
  }
  const accounts::Viewer* viewer = context.viewer ? &*context.viewer : nullptr;
  // Anonymous readers without a draft all see the same page: cached per
  // discussion version, so a cache hit touches no database.
  std::string cache_variant;
  if (!viewer && !draft) {
    auto version = articles_.DiscussionVersionOfSlug(slug);
    if (!version) return site_.ArticleMissing(slug);
    cache_variant = OrderKey(order) + ":" + Get(query, "after") + ":" + std::to_string(*version);
  }
  std::optional<Error> failure;
  auto render_discussion = [&]() -> std::string {
    auto page = comments_.Threads(slug, order, after, viewer);
    if (!page) {
      failure = page.error();
      return std::string();
    }
    Data d;
    d.set("slug", slug);
    d.set("site_title", site_.options().title);
    auto current = policies_.Current();
    d.set("guidelines_summary", current ? current->guidelines.summary : std::string());
    d.set("comment_count", std::to_string(page->discussion.comment_count));
    if (page->discussion.comment_count == 1) d.set("one_comment", true);
    d.set("order", OrderKey(order));
    std::int64_t latest = comments_.live().Latest(page->article.id);
    for (const auto& thread : page->threads) {
      latest = std::max(latest, thread.top.id);
      for (const auto& reply : thread.replies) latest = std::max(latest, reply.id);
    }
    d.set("latest_id", std::to_string(latest));
    if (page->open) d.set("open", true);
    if (viewer) {
      d.set("viewer", true);
      d.set("viewer_name", viewer->user.display_name);
      d.set("csrf", context.csrf);
      d.set("max_bytes", std::to_string(comments_.options().max_body_bytes));
      d.set("idempotency_key", draft && !draft->key.empty() ? draft->key : accounts::RandomToken());
      d.set("form_stamp", draft && !draft->stamp.empty() ? draft->stamp
                                                         : comments_.IssueFormStamp(viewer->user.id));
      std::string reply_to = draft ? draft->parent_id : Get(query, "reply");
      if (ParseId(reply_to)) d.set("reply_to", reply_to);
      if (draft) {
        d.set("draft", draft->body);
        if (!draft->error.empty()) d.set("form_error", draft->error);
        if (!draft->notice.empty()) d.set("form_notice", draft->notice);
        if (!draft->nudge.empty()) d.set("nudge", draft->nudge);
      }
    }
    Data orders{Data::type::list};
    for (auto [key, label] : {std::pair{"oldest", "Oldest"}, std::pair{"newest", "Newest"},
                              std::pair{"respected", "Most Respected"}}) {
      Data item;
      item.set("key", key);
      item.set("label", label);
      if (OrderKey(order) == key) item.set("current", true);
      orders.push_back(item);
    }
    d.set("orders", orders);
    CommentContext ctx{&context, &comments_, &page->reacted, &page->ignored, slug, page->open};
    Data threads{Data::type::list};
    for (const auto& thread : page->threads) {
      Data t = CommentData(thread.top, ctx);
      Data replies{Data::type::list};
      for (const auto& reply : thread.replies) replies.push_back(CommentData(reply, ctx));
      if (!thread.replies.empty()) t.set("has_replies", true);
      t.set("replies", replies);
      threads.push_back(t);
    }
    d.set("threads", threads);
    if (page->next) {
      d.set("next_url", "/articles/" + slug + "?order=" + OrderKey(order) + "&after=" +
                            std::to_string(page->next->key) + "." + std::to_string(page->next->id) +
                            "#discussion");
    }
    return RenderTemplate("discussion", d);
  };
  Data viewer_layout;
  if (viewer) SitePages::AddViewer(viewer_layout, viewer->user.display_name, context.csrf);
  http::Response response = site_.Article(slug, render_discussion, cache_variant,
                                          viewer ? &viewer_layout : nullptr);
  if (failure) {
    if (failure->code == ErrorCode::kNotFound) return site_.NotFound();
    return site_.Error(http::StatusOfError(failure->code), "Something went wrong", "Please try again in a moment.");
  }
  if (response.status == 200 && status != 200) response.status = status;
  if (viewer) web_.Finish(response, context);
  return response;
}

http::Response DiscussionPages::Article(const http::Request& request, const std::string& slug) {
  WebContext context = web_.Load(request);
  return RenderArticle(request, context, slug, nullptr, 200);
}

http::Response DiscussionPages::Post(const http::Request& request, const std::string& slug) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=/articles/" + slug + "%23discussion");
  const Form input = http::ParseForm(request.body);
  if (!web_.IsGenuine(request, context, input)) {
    Draft draft{Get(input, "body"), "For your safety the form could not be accepted (it expired or came from another site). Your text is below: please post it again.", "", Get(input, "parent_id"), ""};
    return RenderArticle(request, context, slug, &draft, 403);
  }
  discussion::PostRequest post{slug, ParseId(Get(input, "parent_id")), Get(input, "body"), Get(input, "idempotency_key")};
  post.network = NetworkOf(request.remote_address);
  post.honeypot = Get(input, "website");
  post.form_stamp = Get(input, "form_stamp");  // an HTML form always carries one
  post.rephrased = Get(input, "rephrased") == "1";
  auto result = comments_.Post(*context.viewer, post);
  if (!result) {
    const Error& error = result.error();
    if (error.field == "terms") {
      return account_pages_.TermsBeforePosting(context, "/articles/" + slug + "/comments", input);
    }
    if (error.code == ErrorCode::kAlreadyExists) return SeeOther("/articles/" + slug + "#discussion");
    if (error.code == ErrorCode::kNotFound && error.field.empty()) return site_.NotFound();
    Draft draft{Get(input, "body"), error.message, "", Get(input, "parent_id"), Get(input, "idempotency_key")};
    // A stamp that was only too young stays: once its time has passed, the same
    // form goes through. A missing or forged one is replaced.
    if (!(error.field == "form_stamp" && error.code != ErrorCode::kRateLimited)) draft.stamp = post.form_stamp.value_or("");
    if (error.field == "nudge") {
      // Not an error: the writer reads why and may rephrase; the next post decides.
      draft.error.clear();
      draft.nudge = error.message;
      return RenderArticle(request, context, slug, &draft, 200);
    }
    return RenderArticle(request, context, slug, &draft, http::StatusOfError(error.code));
  }
  return SeeOther("/articles/" + slug + "#c" + std::to_string(result->comment.id));
}

http::Response DiscussionPages::EditForm(const http::Request& request, std::int64_t comment_id) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login");
  auto comment = comments_.Find(comment_id);
  if (!comment) return site_.NotFound();
  Data form;
  form.set("heading", "Edit your comment");
  form.set("csrf", context.csrf);
  if (!comments_.CanEdit(*context.viewer, *comment)) {
    form.set("error", "This comment can no longer be edited.");
  } else {
    form.set("show_form", true);
    form.set("action", "/comments/" + std::to_string(comment_id) + "/edit");
    form.set("submit", "Save");
    Data fields{Data::type::list};
    Data body;
    body.set("name", "body");
    body.set("label", "Your comment");
    body.set("value", comment->body_markdown);
    body.set("textarea", true);
    fields.push_back(body);
    form.set("fields", fields);
  }
  Data layout = site_.LayoutData("Edit your comment · " + site_.options().title, "");
  SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  http::Response response = http::Response::Html(200, RenderPage("form_page", form, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

http::Response DiscussionPages::Edit(const http::Request& request, std::int64_t comment_id) {
  WebContext context;
  Form input;
  if (auto refused = ReaderForm(request, context, input)) return *refused;
  auto edited = comments_.Edit(*context.viewer, comment_id, Get(input, "body"));
  if (!edited) {
    return site_.Error(http::StatusOfError(edited.error().code), "Your edit was not saved", edited.error().message);
  }
  return Permalink(request, comment_id);
}

http::Response DiscussionPages::Delete(const http::Request& request, std::int64_t comment_id) {
  WebContext context;
  Form input;
  if (auto refused = ReaderForm(request, context, input)) return *refused;
  auto deleted = comments_.Delete(*context.viewer, comment_id);
  if (!deleted) return site_.Error(http::StatusOfError(deleted.error().code), "Not deleted", deleted.error().message);
  return Permalink(request, comment_id);
}

http::Response DiscussionPages::Respect(const http::Request& request, std::int64_t comment_id) {
  WebContext context;
  Form input;
  if (auto refused = ReaderForm(request, context, input)) return *refused;
  auto count = comments_.Respect(*context.viewer, comment_id, Get(input, "add") != "0");
  if (!count) return site_.Error(http::StatusOfError(count.error().code), "That did not work", count.error().message);
  return Permalink(request, comment_id);
}

http::Response DiscussionPages::Feature(const http::Request& request, std::int64_t comment_id) {
  WebContext context;
  Form input;
  if (auto refused = ReaderForm(request, context, input)) return *refused;
  auto featured = comments_.Feature(*context.viewer, comment_id, Get(input, "featured") != "0");
  if (!featured) {
    return site_.Error(http::StatusOfError(featured.error().code), "That did not work", featured.error().message);
  }
  return Permalink(request, comment_id);
}

http::Response DiscussionPages::Ignore(const http::Request& request, std::int64_t author_id) {
  WebContext context;
  Form input;
  if (auto refused = ReaderForm(request, context, input)) return *refused;
  auto done = comments_.Ignore(*context.viewer, author_id, Get(input, "undo") != "1");
  if (!done) return site_.Error(http::StatusOfError(done.error().code), "That did not work", done.error().message);
  return SeeOther(SafeNext(Get(input, "back")));
}

http::Response DiscussionPages::IgnoredReaders(const http::Request& request) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=/account/ignored");
  auto readers = comments_.IgnoredReaders(*context.viewer);
  if (!readers) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data page;
  page.set("csrf", context.csrf);
  Data list{Data::type::list};
  for (const store::User& reader : *readers) {
    Data item;
    item.set("id", std::to_string(reader.id));
    item.set("name", reader.display_name);
    list.push_back(item);
  }
  page.set("readers", list);
  page.set("none", readers->empty());
  Data layout = site_.LayoutData("Readers you ignore · " + site_.options().title, "");
  SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  http::Response response = http::Response::Html(200, RenderPage("ignored", page, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

http::Response DiscussionPages::Permalink(const http::Request&, std::int64_t comment_id) {
  auto comment = comments_.Find(comment_id);
  if (!comment) return site_.NotFound();
  auto article = articles_.PublishedById(comment->article_id);
  if (!article) return site_.NotFound();
  // Oldest-first pages start after a cursor: start just before this thread.
  return SeeOther("/articles/" + article->fields.slug + "?order=oldest&after=" + std::to_string(comment->thread_id - 1) +
                  "." + std::to_string(comment->thread_id - 1) + "#c" + std::to_string(comment_id));
}

namespace {

// Server-Sent Events for one article: polls the hub, fetches what is new.
class LiveComments final : public http::StreamSource {
 public:
  LiveComments(DiscussionPages& pages, discussion::CommentService& comments, std::int64_t article_id,
               std::string slug, std::int64_t after)
      : pages_(pages), comments_(comments), article_id_(article_id), slug_(std::move(slug)), after_(after) {}
  std::optional<std::string> Poll() override {
    if (comments_.live().Latest(article_id_) <= after_) return std::string();
    auto fresh = comments_.NewSince(article_id_, after_, 50);
    if (!fresh) return std::string();
    std::string out;
    for (const auto& c : *fresh) {
      nlohmann::json event = {{"id", c.id}, {"thread_id", c.thread_id}, {"depth", c.depth},
                              {"parent_id", c.parent_id ? nlohmann::json(*c.parent_id) : nlohmann::json()},
                              {"html", pages_.CommentHtml(c, slug_)}};
      out += "id: " + std::to_string(c.id) + "\nevent: comment\ndata: " + event.dump() + "\n\n";
      after_ = std::max(after_, c.id);
    }
    return out;
  }

 private:
  DiscussionPages& pages_;
  discussion::CommentService& comments_;
  std::int64_t article_id_;
  std::string slug_;
  std::int64_t after_;
};

}  // namespace

std::string DiscussionPages::CommentHtml(const store::Comment& comment, const std::string& slug) {
  CommentContext ctx{nullptr, &comments_, nullptr, nullptr, slug, true};
  Data d = CommentData(comment, ctx);
  return RenderTemplate("comment", d);
}

http::Response DiscussionPages::Live(const http::Request& request, const std::string& slug) {
  auto article = articles_.Published(slug);
  if (!article) return site_.NotFound();
  std::int64_t after = ParseId(Get(http::ParseForm(request.query), "after")).value_or(0);
  if (auto last = ParseId(std::string(request.Header("last-event-id")))) after = std::max(after, *last);
  http::Response response;
  response.content_type = "text/event-stream; charset=utf-8";
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("X-Accel-Buffering", "no");  // nginx: pass events through at once
  response.body = "retry: 3000\n\n";
  response.stream = std::make_shared<LiveComments>(*this, comments_, article->id, slug, after);
  return response;
}

http::Response DiscussionPages::SetClosed(const http::Request& request, const std::string& slug, bool closed) {
  WebContext context;
  Form input;
  if (auto refused = ReaderForm(request, context, input)) return *refused;
  auto done = comments_.SetClosed(*context.viewer, slug, closed);
  if (!done) return site_.Error(http::StatusOfError(done.error().code), "That did not work", done.error().message);
  return SeeOther("/articles/" + slug + "#discussion");
}

}  // namespace masthead::pages
