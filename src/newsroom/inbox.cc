#include "newsroom/inbox.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "base/text.h"

namespace masthead::newsroom {

Result<std::map<std::string, int, std::less<>>> ParseResponseHours(const std::string& text) {
  std::map<std::string, int, std::less<>> hours;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string part(TrimWhitespace(std::string_view(text).substr(start, end - start)));
    start = end + 1;
    if (part.empty()) continue;
    const std::size_t equals = part.find('=');
    const std::string key(TrimWhitespace(std::string_view(part).substr(0, equals)));
    const std::string value =
        equals == std::string::npos ? "" : std::string(TrimWhitespace(std::string_view(part).substr(equals + 1)));
    const bool digits = !value.empty() && value.size() <= 5 && value.find_first_not_of("0123456789") == std::string::npos;
    if (key.empty() || !digits || std::stoi(value) == 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "\"" + part + "\" is not queue=hours (hours a whole number from 1)", "response_hours");
    }
    hours[key] = std::stoi(value);
  }
  return hours;
}

InboxFilter InboxFilterFrom(const std::map<std::string, std::string, std::less<>>& fields) {
  auto field = [&](const char* key, std::size_t max_bytes) {
    auto found = fields.find(key);
    return found == fields.end() ? std::string() : found->second.substr(0, max_bytes);
  };
  return {.queue = field("queue", 40),
          .section = field("section", 100),
          .desk = field("desk", 100),
          .unclaimed_only = field("unclaimed", 2) == "1"};
}

void Inbox::Register(InboxQueue queue) {
  for (const auto& existing : queues_) {
    if (existing.key == queue.key) throw std::logic_error("inbox queue registered twice: " + queue.key);
  }
  queues_.push_back(std::move(queue));
}

const InboxQueue* Inbox::Find(const std::string& key, const accounts::Viewer& viewer) const {
  for (const auto& queue : queues_) {
    if (queue.key == key && accounts::HasRole(viewer.role, queue.role)) return &queue;
  }
  return nullptr;
}

Result<std::vector<InboxQueueView>> Inbox::Load(const accounts::Viewer& viewer, const InboxFilter& filter,
                                                UnixSeconds now) {
  auto claims = store_.ListInboxClaims(now);
  if (!claims) return tl::unexpected(claims.error());
  auto sections = store_.ListSections();
  if (!sections) return tl::unexpected(sections.error());
  std::map<std::string, std::string> section_names;
  for (const auto& section : *sections) section_names[section.slug] = section.name;
  std::set<std::string, std::less<>> desk_sections;
  if (!filter.desk.empty()) {
    auto desks = store_.ListDesks();
    if (!desks) return tl::unexpected(desks.error());
    auto desk = std::find_if(desks->begin(), desks->end(), [&](const store::Desk& d) { return d.slug == filter.desk; });
    if (desk == desks->end()) return MakeError(ErrorCode::kNotFound, "there is no such desk", "desk");
    desk_sections.insert(desk->section_slugs.begin(), desk->section_slugs.end());
  }
  // Many items share an article: look each one up once per page.
  struct ArticleFacts {
    std::string section_slug;
    std::string headline;
  };
  std::map<std::string, std::optional<ArticleFacts>> articles;
  auto article_facts = [&](const InboxItem& item) -> std::optional<ArticleFacts> {
    if (item.article_id == 0 && item.article_slug.empty()) return std::nullopt;
    const std::string key = item.article_id != 0 ? "#" + std::to_string(item.article_id) : item.article_slug;
    auto cached = articles.find(key);
    if (cached != articles.end()) return cached->second;
    store::FindArticleRequest request{.slug = item.article_slug, .include_unpublished = true, .now = now};
    if (item.article_id != 0) request.id = item.article_id;
    auto article = store_.FindArticle(request);
    std::optional<ArticleFacts> facts;
    if (article) facts = ArticleFacts{article->fields.section_slug, article->fields.headline};
    articles[key] = facts;
    return facts;
  };

  std::vector<InboxQueueView> views;
  for (const auto& queue : queues_) {
    if (!accounts::HasRole(viewer.role, queue.role)) continue;
    InboxQueueView view;
    view.queue = &queue;
    auto configured = options_.response_hours.find(queue.key);
    view.response_hours =
        configured == options_.response_hours.end() ? options_.default_response_hours : configured->second;
    auto items = queue.items(options_.items_per_queue);
    if (!items) return tl::unexpected(items.error());
    for (auto& item : *items) {
      InboxEntry entry;
      entry.section_slug = item.section_slug;
      if (auto facts = article_facts(item)) {
        if (entry.section_slug.empty()) entry.section_slug = facts->section_slug;
        entry.article_headline = facts->headline;
      }
      if (auto name = section_names.find(entry.section_slug); name != section_names.end()) {
        entry.section_name = name->second;
      }
      for (const auto& claim : *claims) {
        if (claim.queue == queue.key && claim.item_id == item.id) entry.claim = claim;
      }
      const bool in_scope = (filter.section.empty() || filter.section == entry.section_slug) &&
                            (filter.desk.empty() || desk_sections.contains(entry.section_slug));
      if (!in_scope) continue;
      entry.age_seconds = std::max<UnixSeconds>(0, now - item.waiting_since);
      entry.due_in_seconds = static_cast<UnixSeconds>(view.response_hours) * 3600 - entry.age_seconds;
      ++view.waiting;
      if (entry.due_in_seconds < 0) ++view.overdue;
      if (entry.claim) ++view.claimed;
      entry.item = std::move(item);
      const bool shown = (filter.queue.empty() || filter.queue == queue.key) && !(filter.unclaimed_only && entry.claim);
      if (shown) view.entries.push_back(std::move(entry));
    }
    views.push_back(std::move(view));
  }
  return views;
}

Result<store::InboxClaim> Inbox::Claim(const accounts::Viewer& viewer, const std::string& queue_key,
                                       std::int64_t item_id, UnixSeconds now) {
  const InboxQueue* queue = Find(queue_key, viewer);
  if (queue == nullptr) return MakeError(ErrorCode::kNotFound, "there is no such queue", "queue");
  auto items = queue->items(options_.items_per_queue);
  if (!items) return tl::unexpected(items.error());
  const bool waiting = std::any_of(items->begin(), items->end(), [&](const InboxItem& i) { return i.id == item_id; });
  if (!waiting) return MakeError(ErrorCode::kNotFound, "this item no longer waits in " + queue->label, "item");
  auto claim = store_.ClaimInboxItem(
      {queue_key, item_id, viewer.user.id, now, now + static_cast<UnixSeconds>(options_.claim_minutes) * 60});
  if (!claim && claim.error().code == ErrorCode::kConflict) {
    auto claims = store_.ListInboxClaims(now);
    if (claims) {
      for (const auto& held : *claims) {
        if (held.queue == queue_key && held.item_id == item_id) {
          return MakeError(ErrorCode::kConflict, held.user_name + " is working on this item already", "claim");
        }
      }
    }
  }
  return claim;
}

Status Inbox::Release(const accounts::Viewer& viewer, const std::string& queue, std::int64_t item_id) {
  if (Find(queue, viewer) == nullptr) return MakeError(ErrorCode::kNotFound, "there is no such queue", "queue");
  return store_.ReleaseInboxClaim(queue, item_id, viewer.user.id);
}

}  // namespace masthead::newsroom
