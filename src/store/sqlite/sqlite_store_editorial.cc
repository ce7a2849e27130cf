// The SQLite engine's newsroom tools: the editor's list, notes at unpublished
// articles, publication announcements, desks, imported items, webhook queue.
#include <map>

#include "store/sqlite/statements_editorial.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {
namespace {

EditorArticle ReadEditorArticle(const Statement& s) {
  EditorArticle row;
  ArticleSummary& a = row.article;
  a.id = s.Int(0);
  a.slug = s.Text(1);
  a.section_slug = s.Text(2);
  a.section_name = s.Text(3);
  a.headline = s.Text(4);
  a.deck = s.Text(5);
  a.credit = s.Text(6);
  a.byline = s.Text(7);
  const auto published = s.OptionalInt(8);
  a.published_at = published.value_or(0);
  row.draft = !published.has_value();
  a.updated_at = s.Int(9);
  row.revision = static_cast<int>(s.Int(10));
  row.withdrawn = s.Int(11) != 0;
  return row;
}

WebhookDelivery ReadWebhook(const Statement& s) {
  WebhookDelivery w;
  w.id = s.Int(0);
  w.url = s.Text(1);
  w.event = s.Text(2);
  w.payload = s.Text(3);
  w.status = s.Text(4);
  w.attempts = static_cast<int>(s.Int(5));
  w.next_attempt_at = s.Int(6);
  w.last_code = static_cast<int>(s.Int(7));
  w.last_error = s.Text(8);
  w.created_at = s.Int(9);
  w.delivered_at = s.OptionalInt(10);
  return w;
}

// The id a one-column lookup finds, or kNotFound naming `field`.
Result<std::int64_t> LookUpId(Connection& connection, const char* sql, const std::string& key,
                              const std::string& what, const char* field) {
  auto statement = connection.Prepare(sql);
  if (!statement) return tl::unexpected(statement.error());
  (*statement)->Bind(1, key);
  auto row = (*statement)->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no " + what + " '" + key + "'", field);
  return (*statement)->Int(0);
}

}  // namespace

Result<std::vector<EditorArticle>> SqliteStore::ListEditorArticles(const ListEditorArticlesRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<EditorArticle>> {
    auto statement = connection.Prepare(sql::kListEditorArticles);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.section_slug);
    s.Bind(2, request.state);
    s.Bind(3, request.now);
    s.Bind(4, static_cast<std::int64_t>(std::clamp(request.limit, 1, 1000)));
    return ReadAll<EditorArticle>(s, ReadEditorArticle);
  });
}

Status SqliteStore::WithdrawArticle(const WithdrawArticleRequest& request) {
  return WithWrite([&](Connection& connection) -> Status {
    auto exists = ReadOne<std::int64_t>(connection, sql::kArticleExists, request.article_id,
                                        [](const Statement& s) { return s.Int(0); }, "article");
    if (!exists) return tl::unexpected(exists.error());
    auto statement = connection.Prepare(sql::kUpsertWithdrawal);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.article_id);
    s.Bind(2, request.note);
    s.Bind(3, request.withdrawn_by);
    s.Bind(4, request.now);
    return s.Run();
  });
}

Status SqliteStore::ClearWithdrawal(std::int64_t article_id) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kDeleteWithdrawal);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, article_id);
    return (*statement)->Run();
  });
}

Result<ArticleWithdrawal> SqliteStore::FindWithdrawal(const std::string& slug) {
  return WithConnection([&](Connection& connection) -> Result<ArticleWithdrawal> {
    auto statement = connection.Prepare(sql::kFindWithdrawal);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, slug);
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "no note at this address");
    ArticleWithdrawal w;
    w.article_id = s.Int(0);
    w.slug = s.Text(1);
    w.headline = s.Text(2);
    w.note = s.Text(3);
    w.withdrawn_by = s.OptionalInt(4);
    w.withdrawn_at = s.Int(5);
    return w;
  });
}

Result<std::vector<std::int64_t>> SqliteStore::ClaimDuePublications(const ClaimPublicationsRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<std::vector<std::int64_t>> {
    auto statement = connection.Prepare(sql::kClaimDuePublications);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.now);
    s.Bind(2, request.published_since);
    s.Bind(3, static_cast<std::int64_t>(std::clamp(request.limit, 1, 1000)));
    auto ids = ReadAll<std::int64_t>(s, [](const Statement& row) { return row.Int(0); });
    if (ids) std::sort(ids->begin(), ids->end());
    return ids;
  });
}

Status SqliteStore::MarkPublicationAnnounced(std::int64_t article_id, UnixSeconds published_at, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kMarkAnnounced);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, article_id);
    s.Bind(2, published_at);
    s.Bind(3, now);
    return s.Run();
  });
}

Result<Desk> SqliteStore::PutDesk(const PutDeskRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Desk> {
    auto statement = connection.Prepare(sql::kUpsertDesk);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.slug);
    s.Bind(2, request.name);
    s.Bind(3, request.email);
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    Desk desk{s.Int(0), s.Text(1), s.Text(2), s.Text(3), {}};
    auto done = s.Step();
    if (!done) return tl::unexpected(done.error());
    return desk;
  });
}

Result<std::vector<Desk>> SqliteStore::ListDesks() {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Desk>> {
    auto statement = connection.Prepare(sql::kListDesks);
    if (!statement) return tl::unexpected(statement.error());
    auto desks = ReadAll<Desk>(**statement, [](const Statement& s) {
      return Desk{s.Int(0), s.Text(1), s.Text(2), s.Text(3), {}};
    });
    if (!desks) return desks;
    auto sections = connection.Prepare(sql::kListDeskSections);
    if (!sections) return tl::unexpected(sections.error());
    auto pairs = ReadAll<std::pair<std::int64_t, std::string>>(
        **sections, [](const Statement& s) { return std::make_pair(s.Int(0), s.Text(1)); });
    if (!pairs) return tl::unexpected(pairs.error());
    std::map<std::int64_t, Desk*> by_id;
    for (auto& desk : *desks) by_id[desk.id] = &desk;
    for (const auto& [desk_id, slug] : *pairs) {
      if (auto found = by_id.find(desk_id); found != by_id.end()) found->second->section_slugs.push_back(slug);
    }
    return desks;
  });
}

Status SqliteStore::SetSectionDesk(const std::string& section_slug, const std::string& desk_slug) {
  return WithWrite([&](Connection& connection) -> Status {
    auto section = LookUpId(connection, sql::kSectionIdBySlug, section_slug, "section", "section");
    if (!section) return tl::unexpected(section.error());
    if (desk_slug.empty()) {
      auto statement = connection.Prepare(sql::kClearSectionDesk);
      if (!statement) return tl::unexpected(statement.error());
      (*statement)->Bind(1, *section);
      return (*statement)->Run();
    }
    auto desk = LookUpId(connection, sql::kDeskIdBySlug, desk_slug, "desk", "desk");
    if (!desk) return tl::unexpected(desk.error());
    auto statement = connection.Prepare(sql::kSetSectionDesk);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, *section);
    (*statement)->Bind(2, *desk);
    return (*statement)->Run();
  });
}

Result<std::int64_t> SqliteStore::FindImportedItem(const ImportedItemKey& key) {
  return WithConnection([&](Connection& connection) -> Result<std::int64_t> {
    auto statement = connection.Prepare(sql::kFindImportedItem);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, key.source);
    s.Bind(2, key.kind);
    s.Bind(3, key.external_id);
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "not imported before");
    return s.Int(0);
  });
}

Status SqliteStore::RecordImportedItem(const ImportedItemKey& key, std::int64_t local_id, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kRecordImportedItem);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, key.source);
    s.Bind(2, key.kind);
    s.Bind(3, key.external_id);
    s.Bind(4, local_id);
    s.Bind(5, now);
    return s.Run();
  });
}

Result<std::int64_t> SqliteStore::EnqueueWebhook(const EnqueueWebhookRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<std::int64_t> {
    auto statement = connection.Prepare(sql::kEnqueueWebhook);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.url);
    s.Bind(2, request.event);
    s.Bind(3, request.payload);
    s.Bind(4, request.now);
    auto ids = ReadAll<std::int64_t>(s, [](const Statement& row) { return row.Int(0); });
    if (!ids) return tl::unexpected(ids.error());
    return ids->at(0);
  });
}

Result<std::vector<WebhookDelivery>> SqliteStore::ClaimDueWebhooks(const ClaimWebhooksRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<std::vector<WebhookDelivery>> {
    auto statement = connection.Prepare(sql::kClaimWebhooks);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.now);
    s.Bind(2, static_cast<std::int64_t>(std::clamp(request.limit, 1, 1000)));
    s.Bind(3, static_cast<std::int64_t>(request.lease_seconds));
    auto rows = ReadAll<WebhookDelivery>(s, ReadWebhook);
    if (rows) {
      std::sort(rows->begin(), rows->end(), [](const auto& a, const auto& b) {
        return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
      });
    }
    return rows;
  });
}

Status SqliteStore::RecordWebhookAttempt(const WebhookAttemptRequest& request) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(request.delivered ? sql::kWebhookDelivered : sql::kWebhookNotDelivered);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.id);
    s.Bind(2, static_cast<std::int64_t>(request.code));
    if (request.delivered) {
      s.Bind(3, request.now);
    } else {
      s.Bind(3, request.error);
      s.Bind(4, request.next_attempt_at);
      s.Bind(5, static_cast<std::int64_t>(request.give_up ? 1 : 0));
    }
    auto ids = ReadAll<std::int64_t>(s, [](const Statement& row) { return row.Int(0); });
    if (!ids) return tl::unexpected(ids.error());
    if (ids->empty()) return MakeError(ErrorCode::kNotFound, "no webhook delivery " + std::to_string(request.id));
    return Ok();
  });
}

Result<std::vector<WebhookDelivery>> SqliteStore::ListWebhooks(const std::string& status, int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<WebhookDelivery>> {
    auto statement = connection.Prepare(sql::kListWebhooks);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, status);
    s.Bind(2, static_cast<std::int64_t>(std::clamp(limit, 1, 1000)));
    return ReadAll<WebhookDelivery>(s, ReadWebhook);
  });
}

}  // namespace masthead::store::sqlite
