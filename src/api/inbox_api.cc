#include "api/inbox_api.h"

#include "api/api.h"
#include "base/time.h"

namespace masthead::api {
namespace {

using nlohmann::json;

json EntryJson(const newsroom::InboxEntry& entry) {
  json claim;
  if (entry.claim) {
    claim = {{"user", {{"id", entry.claim->user_id}, {"name", entry.claim->user_name}}},
             {"expires_at", FormatRfc3339(entry.claim->expires_at)}};
  }
  return {{"id", entry.item.id},
          {"title", entry.item.title},
          {"detail", entry.item.detail},
          {"href", entry.item.href},
          {"section", entry.section_slug.empty() ? json() : json(entry.section_slug)},
          {"section_name", entry.section_name.empty() ? json() : json(entry.section_name)},
          {"article_headline", entry.article_headline.empty() ? json() : json(entry.article_headline)},
          {"waiting_since", FormatRfc3339(entry.item.waiting_since)},
          {"age_seconds", entry.age_seconds},
          {"due_in_seconds", entry.due_in_seconds},
          {"claim", claim}};
}

}  // namespace

http::Response InboxApi::List(const http::Request& request) {
  pages::WebContext context;
  if (auto refused = GuardRequest(web_, request, context, true)) return *refused;
  if (!accounts::HasRole(context.viewer->role, accounts::Role::kModerator)) {
    return ErrorResponse({ErrorCode::kPermissionDenied, "the inbox is for moderators, editors and admins", ""});
  }
  auto views = inbox_.Load(*context.viewer, newsroom::InboxFilterFrom(http::ParseForm(request.query)), NowSeconds());
  if (!views) return ErrorResponse(views.error());
  json queues = json::array();
  for (const auto& view : *views) {
    json items = json::array();
    for (const auto& entry : view.entries) items.push_back(EntryJson(entry));
    queues.push_back({{"key", view.queue->key},
                      {"label", view.queue->label},
                      {"page", view.queue->page},
                      {"response_hours", view.response_hours},
                      {"waiting", view.waiting},
                      {"overdue", view.overdue},
                      {"claimed", view.claimed},
                      {"items", std::move(items)}});
  }
  return JsonResponse(200, {{"queues", std::move(queues)}});
}

}  // namespace masthead::api
