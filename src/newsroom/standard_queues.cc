// The queues Masthead has by itself. Each reads what its own staff page
// reads, so the inbox and that page agree on what waits.
#include <algorithm>

#include "base/text.h"
#include "newsroom/inbox.h"

namespace masthead::newsroom {
namespace {

// The first words of a text on one line, cut at a UTF-8 character boundary.
std::string Excerpt(std::string_view text, std::size_t max_bytes = 160) {
  std::string line;
  for (char c : text) {
    const bool space = c == '\n' || c == '\r' || c == '\t';
    if (space && (line.empty() || line.back() == ' ')) continue;
    line += space ? ' ' : c;
  }
  if (line.size() <= max_bytes) return line;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return line.substr(0, cut) + "…";
}

InboxItem CommentEntry(const store::Comment& comment, const std::string& href) {
  InboxItem item;
  item.id = comment.id;
  item.title = "Comment by " + comment.author_name;
  item.detail = Excerpt(comment.body_markdown);
  item.href = href;
  item.waiting_since = comment.created_at;
  item.article_id = comment.article_id;
  return item;
}

}  // namespace

std::vector<InboxQueue> StandardQueues(store::Store& store) {
  using accounts::Role;
  std::vector<InboxQueue> queues;
  queues.push_back({"held", "Held comments", "/staff/moderation?queue=pending", Role::kModerator,
                    [&store](int limit) -> Result<std::vector<InboxItem>> {
                      auto held = store.ListCommentsWithStatus(store::CommentStatus::kHeld, limit);
                      if (!held) return tl::unexpected(held.error());
                      std::vector<InboxItem> items;
                      for (const auto& c : *held) {
                        items.push_back(CommentEntry(c, "/staff/moderation?queue=pending#q" + std::to_string(c.id)));
                      }
                      return items;
                    }});
  queues.push_back({"reported", "Reported comments", "/staff/moderation?queue=reported", Role::kModerator,
                    [&store](int limit) -> Result<std::vector<InboxItem>> {
                      auto reported = store.ListReportedComments(limit);
                      if (!reported) return tl::unexpected(reported.error());
                      std::vector<InboxItem> items;
                      for (const auto& r : *reported) {
                        InboxItem item = CommentEntry(
                            r.comment, "/staff/moderation?queue=reported#q" + std::to_string(r.comment.id));
                        item.title += " · " + std::to_string(r.open_reports) + " report(s): " + r.reasons;
                        item.waiting_since = r.last_reported_at;
                        items.push_back(std::move(item));
                      }
                      return items;
                    }});
  queues.push_back({"appeals", "Appeals", "/staff/moderation?queue=appeals", Role::kModerator,
                    [&store](int limit) -> Result<std::vector<InboxItem>> {
                      auto appeals = store.ListOpenAppeals(limit);
                      if (!appeals) return tl::unexpected(appeals.error());
                      std::vector<InboxItem> items;
                      for (const auto& appeal : *appeals) {
                        InboxItem item;
                        item.id = appeal.id;
                        item.title = "Appeal #" + std::to_string(appeal.id);
                        item.detail = Excerpt(appeal.body);
                        item.href = "/staff/moderation?queue=appeals#qa" + std::to_string(appeal.id);
                        item.waiting_since = appeal.created_at;
                        if (auto action = store.FindModerationAction(appeal.action_id)) {
                          item.title += " against a " + action->action;
                          if (action->comment_id) {
                            if (auto comment = store.FindComment(*action->comment_id)) {
                              item.article_id = comment->article_id;
                            }
                          }
                        }
                        items.push_back(std::move(item));
                      }
                      return items;
                    }});
  queues.push_back({"accuracy", "Accuracy cases", "/staff/accuracy", Role::kEditor,
                    [&store](int limit) -> Result<std::vector<InboxItem>> {
                      auto cases = store.ListAccuracyCases({.state = "", .limit = limit});
                      if (!cases) return tl::unexpected(cases.error());
                      std::vector<InboxItem> items;
                      for (const auto& c : *cases) {
                        if (c.state == "resolved") continue;
                        InboxItem item;
                        item.id = c.id;
                        item.title = "Case #" + std::to_string(c.id) + " (" + c.state + ")" +
                                     (c.owner_name.empty() ? "" : ", owner " + c.owner_name);
                        item.detail = Excerpt(c.wrong_text.empty() ? c.quote : c.wrong_text);
                        item.href = "/staff/accuracy/" + std::to_string(c.id);
                        item.waiting_since = c.state_changed_at;
                        item.article_id = c.article_id;
                        item.section_slug = c.section_slug;
                        items.push_back(std::move(item));
                      }
                      // Oldest wait first, like the other queues.
                      std::reverse(items.begin(), items.end());
                      return items;
                    }});
  queues.push_back({"messages", "Messages to the editors", "/staff/messages", Role::kEditor,
                    [&store](int limit) -> Result<std::vector<InboxItem>> {
                      auto messages = store.ListEditorMessages("open", limit, "");
                      if (!messages) return tl::unexpected(messages.error());
                      std::vector<InboxItem> items;
                      for (auto m = messages->rbegin(); m != messages->rend(); ++m) {
                        InboxItem item;
                        item.id = m->id;
                        item.title = "Message from " + m->sender_name;
                        item.detail = Excerpt(m->body);
                        item.href = "/staff/messages/" + std::to_string(m->id);
                        item.waiting_since = m->created_at;
                        item.article_id = m->article_id;
                        items.push_back(std::move(item));
                      }
                      return items;
                    }});
  queues.push_back({"support", "Technical problems", "/staff/support", Role::kModerator,
                    [&store](int limit) -> Result<std::vector<InboxItem>> {
                      auto tickets = store.ListSupportTickets({.status = "open", .limit = limit});
                      if (!tickets) return tl::unexpected(tickets.error());
                      std::vector<InboxItem> items;
                      for (auto t = tickets->rbegin(); t != tickets->rend(); ++t) {
                        InboxItem item;
                        item.id = t->id;
                        item.title = "Ticket #" + std::to_string(t->id);
                        item.detail = Excerpt(t->problem);
                        item.href = "/staff/support/" + std::to_string(t->id);
                        item.waiting_since = t->created_at;
                        item.article_slug = t->article;
                        items.push_back(std::move(item));
                      }
                      return items;
                    }});
  return queues;
}

}  // namespace masthead::newsroom
