#include "api/api.h"

#include <nlohmann/json.hpp>

#include "articles/markdown.h"
#include "base/network.h"
#include "http/status.h"

namespace masthead::api {
using nlohmann::json;

http::Response JsonResponse(int status, const json& body) {
  http::Response response = http::Response::Json(status, body.dump() + "\n");
  response.SetHeader("Cache-Control", "private, no-store");
  return response;
}

Result<json> ParseBody(const http::Request& request) {
  if (request.body.empty()) return json::object();
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "the request body must be a JSON object", "body");
  }
  return body;
}

std::string Text(const json& body, const char* key) {
  auto found = body.find(key);
  return found != body.end() && found->is_string() ? found->get<std::string>() : std::string();
}

namespace {

std::string StatusName(store::CommentStatus status) {
  switch (status) {
    case store::CommentStatus::kPublished: return "published";
    case store::CommentStatus::kHeld: return "held";
    case store::CommentStatus::kRejected: return "rejected";
    case store::CommentStatus::kDeleted: return "deleted";
  }
  return "held";
}

json CommentJson(const store::Comment& c) {
  json out = {{"id", c.id}, {"thread_id", c.thread_id}, {"depth", c.depth},
              {"parent_id", c.parent_id ? json(*c.parent_id) : json()},
              {"status", StatusName(c.status)}, {"created_at", FormatRfc3339(c.created_at)},
              {"edited_at", c.edited_at ? json(FormatRfc3339(*c.edited_at)) : json()},
              {"respect", c.respect_count}, {"featured", c.featured_at.has_value()}};
  if (c.status != store::CommentStatus::kDeleted) {
    out["author"] = {{"id", c.author_id}, {"name", c.author_name}};
    out["body_markdown"] = c.body_markdown;
    out["body_html"] = articles::RenderMarkdown(c.body_markdown, true);
  }
  return out;
}

json ViewerJson(const std::optional<accounts::Viewer>& viewer) {
  if (!viewer) return json();
  return {{"id", viewer->user.id}, {"name", viewer->user.display_name}, {"email", viewer->user.email},
          {"role", std::string(accounts::RoleName(viewer->role))},
          {"email_confirmed", viewer->user.email_confirmed_at.has_value()}};
}

json SummaryJson(const store::ArticleSummary& a) {
  return {{"slug", a.slug}, {"headline", a.headline}, {"deck", a.deck}, {"credit", a.credit},
          {"byline", a.byline}, {"section", a.section_slug}, {"published_at", FormatRfc3339(a.published_at)}};
}

}  // namespace

http::Response ErrorResponse(const Error& error) {
  return JsonResponse(http::StatusOfError(error.code),
                      {{"code", std::string(ErrorCodeName(error.code))},
                       {"message", error.code == ErrorCode::kInternal ? "internal error" : error.message},
                       {"field", error.field}});
}

std::optional<http::Response> Api::Guard(const http::Request& request, pages::WebContext& context,
                                         bool needs_viewer) {
  return GuardRequest(web_, request, context, needs_viewer);
}

std::optional<http::Response> GuardRequest(const pages::WebSession& web_, const http::Request& request,
                                           pages::WebContext& context, bool needs_viewer) {
  context = web_.Load(request);
  if (needs_viewer && !context.viewer) {
    return ErrorResponse({ErrorCode::kUnauthenticated, "log in first (POST /api/v1/session)", ""});
  }
  if (request.method != "GET" && !web_.IsGenuine(request, context, {})) {
    return ErrorResponse({ErrorCode::kPermissionDenied,
                          "missing or stale X-CSRF-Token header (GET /api/v1/session gives one)", "csrf"});
  }
  return std::nullopt;
}

http::Response Api::Session(const http::Request& request) {
  pages::WebContext context = web_.Load(request);
  web_.EnsureCsrf(context);
  http::Response response = JsonResponse(200, {{"viewer", ViewerJson(context.viewer)}, {"csrf", context.csrf}});
  web_.Finish(response, context);
  return response;
}

http::Response Api::Login(const http::Request& request) {
  pages::WebContext context;
  if (auto refused = Guard(request, context, false)) return *refused;
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  auto login = accounts_.Login({Text(*body, "email"), Text(*body, "password"), NetworkOf(request.remote_address),
                                std::string(request.Header("user-agent"))});
  if (!login) return ErrorResponse(login.error());
  http::Response response(JsonResponse(200, {}));
  web_.StartSession(response, context, *login);
  response.body = json({{"viewer", ViewerJson(context.viewer)}, {"csrf", context.csrf}}).dump() + "\n";
  web_.Finish(response, context);
  return response;
}

http::Response Api::Logout(const http::Request& request) {
  pages::WebContext context;
  if (auto refused = Guard(request, context, false)) return *refused;
  http::Response response = JsonResponse(200, {{"viewer", nullptr}});
  web_.EndSession(response, context);
  web_.Finish(response, context);
  return response;
}

http::Response Api::Register(const http::Request& request) {
  pages::WebContext context;
  if (auto refused = Guard(request, context, false)) return *refused;
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  auto user = accounts_.Register({Text(*body, "email"), Text(*body, "display_name"), Text(*body, "password"),
                                  NetworkOf(request.remote_address)});
  if (!user) return ErrorResponse(user.error());
  return JsonResponse(201, {{"id", user->id}, {"email", user->email}, {"name", user->display_name},
                            {"email_confirmed", false}});
}

http::Response Api::Terms(const http::Request&) {
  auto current = policies_.Current();
  if (!current) return ErrorResponse(current.error());
  return JsonResponse(200, {{"terms", {{"version", current->terms.version}, {"summary", current->terms.summary}}},
                            {"guidelines", {{"version", current->guidelines.version},
                                            {"summary", current->guidelines.summary}}}});
}

http::Response Api::AcceptTerms(const http::Request& request) {
  pages::WebContext context;
  if (auto refused = Guard(request, context, true)) return *refused;
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  const int terms = body->value("terms_version", 0);
  const int guidelines = body->value("guidelines_version", 0);
  if (auto accepted = policies_.Accept(context.viewer->user.id, terms, guidelines); !accepted) {
    return ErrorResponse(accepted.error());
  }
  return JsonResponse(200, {{"accepted", {{"terms_version", terms}, {"guidelines_version", guidelines}}}});
}

http::Response Api::Articles(const http::Request& request) {
  const auto query = http::ParseForm(request.query);
  auto section = query.find("section");
  auto list = articles_.Latest(50, section == query.end() ? std::string() : section->second);
  if (!list) return ErrorResponse(list.error());
  json items = json::array();
  for (const auto& a : *list) items.push_back(SummaryJson(a));
  return JsonResponse(200, {{"articles", items}});
}

http::Response Api::Article(const http::Request&, const std::string& slug) {
  auto article = articles_.Published(slug);
  if (!article) return ErrorResponse(article.error());
  const auto& f = article->fields;
  return JsonResponse(200, {{"slug", f.slug}, {"headline", f.headline}, {"deck", f.deck}, {"credit", f.credit},
                            {"byline", f.byline}, {"dateline", f.dateline}, {"section", f.section_slug},
                            {"published_at", FormatRfc3339(f.published_at.value_or(0))},
                            {"body_markdown", f.body_markdown}, {"revision", article->revision}});
}

http::Response Api::Comments(const http::Request& request, const std::string& slug) {
  pages::WebContext context = web_.Load(request);
  const auto query = http::ParseForm(request.query);
  store::ThreadOrder order = store::ThreadOrder::kOldest;
  if (auto o = query.find("order"); o != query.end()) {
    if (o->second == "newest") order = store::ThreadOrder::kNewest;
    if (o->second == "respected") order = store::ThreadOrder::kMostRespected;
  }
  std::optional<store::ThreadCursor> after;
  if (auto a = query.find("after"); a != query.end()) {
    const auto dot = a->second.find('.');
    try {
      after = store::ThreadCursor{std::stoll(a->second.substr(0, dot)), std::stoll(a->second.substr(dot + 1))};
    } catch (const std::exception&) {
      return ErrorResponse({ErrorCode::kInvalidArgument, "after must be KEY.ID from a previous page", "after"});
    }
  }
  auto page = comments_.Threads(slug, order, after, context.viewer ? &*context.viewer : nullptr);
  if (!page) return ErrorResponse(page.error());
  json threads = json::array();
  for (const auto& thread : page->threads) {
    json t = CommentJson(thread.top);
    t["replies"] = json::array();
    for (const auto& reply : thread.replies) t["replies"].push_back(CommentJson(reply));
    threads.push_back(t);
  }
  return JsonResponse(200, {{"article", slug}, {"open", page->open},
                            {"comment_count", page->discussion.comment_count}, {"threads", threads},
                            {"next", page->next ? json(std::to_string(page->next->key) + "." +
                                                       std::to_string(page->next->id))
                                                : json()}});
}

http::Response Api::PostComment(const http::Request& request, const std::string& slug) {
  pages::WebContext context;
  if (auto refused = Guard(request, context, true)) return *refused;
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  std::optional<std::int64_t> parent;
  if (auto p = body->find("parent_id"); p != body->end() && p->is_number_integer()) parent = p->get<std::int64_t>();
  discussion::PostRequest post{slug, parent, Text(*body, "body"), Text(*body, "idempotency_key")};
  post.network = NetworkOf(request.remote_address);
  post.honeypot = Text(*body, "website");
  // Programs using the API have no form to wait on; a stamp is checked when sent.
  if (body->contains("form_stamp")) post.form_stamp = Text(*body, "form_stamp");
  if (auto r = body->find("rephrased"); r != body->end() && r->is_boolean()) post.rephrased = r->get<bool>();
  auto posted = comments_.Post(*context.viewer, post);
  if (!posted) return ErrorResponse(posted.error());
  json out = CommentJson(posted->comment);
  if (!posted->notice.empty()) out["notice"] = posted->notice;
  return JsonResponse(201, out);
}

http::Response Api::EditComment(const http::Request& request, std::int64_t id) {
  pages::WebContext context;
  if (auto refused = Guard(request, context, true)) return *refused;
  auto body = ParseBody(request);
  if (!body) return ErrorResponse(body.error());
  auto edited = comments_.Edit(*context.viewer, id, Text(*body, "body"));
  if (!edited) return ErrorResponse(edited.error());
  return JsonResponse(200, CommentJson(*edited));
}

http::Response Api::DeleteComment(const http::Request& request, std::int64_t id) {
  pages::WebContext context;
  if (auto refused = Guard(request, context, true)) return *refused;
  auto deleted = comments_.Delete(*context.viewer, id);
  if (!deleted) return ErrorResponse(deleted.error());
  return JsonResponse(200, CommentJson(*deleted));
}

http::Response Api::Respect(const http::Request& request, std::int64_t id, bool add) {
  pages::WebContext context;
  if (auto refused = Guard(request, context, true)) return *refused;
  auto count = comments_.Respect(*context.viewer, id, add);
  if (!count) return ErrorResponse(count.error());
  return JsonResponse(200, {{"id", id}, {"respect", *count}, {"respected", add}});
}

http::Response Api::Comment(const http::Request& request, std::int64_t id) {
  pages::WebContext context = web_.Load(request);
  auto comment = comments_.Find(id);
  const bool visible = comment && (comment->status == store::CommentStatus::kPublished ||
                                   comment->status == store::CommentStatus::kDeleted ||
                                   (context.viewer && comment->author_id == context.viewer->user.id));
  if (!visible) return ErrorResponse({ErrorCode::kNotFound, "no such comment", ""});
  return JsonResponse(200, CommentJson(*comment));
}

}  // namespace masthead::api
