#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <span>

#include "base/embedded.h"
#include "base/utf8.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {

namespace {

ArticleFields ReadFields(const Statement& row, int first) {
  ArticleFields fields;
  fields.slug = row.Text(first);
  fields.section_slug = row.Text(first + 1);
  return fields;
}

Article ReadArticle(const Statement& row) {
  Article article;
  article.id = row.Int(0);
  article.fields = ReadFields(row, 1);
  article.section_name = row.Text(3);
  article.fields.headline = row.Text(4);
  article.fields.deck = row.Text(5);
  article.fields.credit = row.Text(6);
  article.fields.byline = row.Text(7);
  article.fields.dateline = row.Text(8);
  article.fields.body_markdown = row.Text(9);
  article.fields.published_at = row.OptionalInt(10);
  article.revision = static_cast<int>(row.Int(11));
  article.created_at = row.Int(12);
  article.updated_at = row.Int(13);
  return article;
}

ArticleSummary ReadSummary(const Statement& row) {
  ArticleSummary summary;
  summary.id = row.Int(0);
  summary.slug = row.Text(1);
  summary.section_slug = row.Text(2);
  summary.section_name = row.Text(3);
  summary.headline = row.Text(4);
  summary.deck = row.Text(5);
  summary.credit = row.Text(6);
  summary.byline = row.Text(7);
  summary.published_at = row.OptionalInt(8).value_or(0);
  summary.updated_at = row.Int(9);
  return summary;
}

Result<std::int64_t> SectionId(Connection& connection, const std::string& slug) {
  auto statement = connection.Prepare(sql::kSectionIdBySlug);
  if (!statement) return tl::unexpected(statement.error());
  (*statement)->Bind(1, slug);
  auto row = (*statement)->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no section '" + slug + "'", "section");
  return (*statement)->Int(0);
}

Status InsertRevision(Connection& connection, std::int64_t article_id, int number,
                      const ArticleFields& fields, const std::string& note, UnixSeconds now) {
  auto statement = connection.Prepare(sql::kInsertRevision);
  if (!statement) return tl::unexpected(statement.error());
  Statement& s = **statement;
  s.Bind(1, article_id);
  s.Bind(2, static_cast<std::int64_t>(number));
  s.Bind(3, fields.slug);
  s.Bind(4, fields.section_slug);
  s.Bind(5, fields.headline);
  s.Bind(6, fields.deck);
  s.Bind(7, fields.credit);
  s.Bind(8, fields.byline);
  s.Bind(9, fields.dateline);
  s.Bind(10, fields.body_markdown);
  s.Bind(11, fields.published_at);
  s.Bind(12, note);
  s.Bind(13, now);
  return s.Run();
}

// Binds ?1..?10 of kInsertArticle / kUpdateArticle and runs the statement; a
// taken slug becomes kAlreadyExists naming the field.
Status WriteArticleRow(Statement& s, const ArticleFields& f, std::int64_t section_id, UnixSeconds now) {
  s.Bind(1, f.slug);
  s.Bind(2, section_id);
  s.Bind(3, f.headline);
  s.Bind(4, f.deck);
  s.Bind(5, f.credit);
  s.Bind(6, f.byline);
  s.Bind(7, f.dateline);
  s.Bind(8, f.body_markdown);
  s.Bind(9, f.published_at);
  s.Bind(10, now);
  if (auto written = s.Run(); !written) {
    Error error = written.error();
    if (error.code == ErrorCode::kAlreadyExists) {
      error.message = "an article with slug '" + f.slug + "' already exists";
      error.field = "slug";
    }
    return tl::unexpected(error);
  }
  return Ok();
}

Result<Article> FindArticleOn(Connection& connection, const FindArticleRequest& request) {
  auto statement =
      connection.Prepare(request.id ? sql::kFindArticleById : sql::kFindArticleBySlug);
  if (!statement) return tl::unexpected(statement.error());
  if (request.id) {
    (*statement)->Bind(1, *request.id);
  } else {
    (*statement)->Bind(1, request.slug);
  }
  auto row = (*statement)->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no such article");
  Article article = ReadArticle(**statement);
  const bool visible = article.fields.published_at && *article.fields.published_at <= request.now;
  if (!visible && !request.include_unpublished) {
    return MakeError(ErrorCode::kNotFound, "no such article");
  }
  return article;
}

// Turns reader words into an FTS5 query in which nothing is an operator: each
// word becomes a quoted string, the last one a prefix.
std::string BuildMatchExpression(std::string_view query) {
  std::vector<std::string> words;
  std::string current;
  const auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  // Broken UTF-8 matches nothing; PostgreSQL would refuse it as a parameter.
  const std::string text = ReplaceInvalidUtf8(query);
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    const bool word_char = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') ||
                           (u >= 'A' && u <= 'Z') || u >= 0x80;
    if (word_char) {
      current += c;
    } else {
      flush();
    }
  }
  flush();
  if (words.size() > 16) words.resize(16);
  std::string expression;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) expression += ' ';
    expression += '"' + words[i] + '"';
    if (i + 1 == words.size()) expression += '*';
  }
  return expression;
}

std::optional<int> MigrationVersion(std::string_view path) {
  int version = 0;
  const auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), version);
  if (ec != std::errc() || end == path.data() || *end != '_') return std::nullopt;
  return version;
}

}  // namespace

SqlStore::SqlStore(std::shared_ptr<ConnectionPool> pool, std::span<const EmbeddedFile> migrations)
    : SqlStore(std::move(pool), migrations, nullptr) {}

SqlStore::SqlStore(std::shared_ptr<ConnectionPool> pool, std::span<const EmbeddedFile> migrations,
                   Connection* bound)
    : pool_(std::move(pool)), migrations_(migrations), bound_(bound) {}

SqlStore::~SqlStore() = default;

Result<int> SqliteStore::Migrate() {
  std::lock_guard write_lock(pool_->write_mutex());
  return WithConnection([&](Connection& connection) -> Result<int> {
    // In a write transaction: nodes starting together create it once.
    MASTHEAD_RETURN_IF_ERROR(InTransaction(
        connection, [&] { return connection.ExecScript(sql::kCreateMigrationsTable); }));
    std::vector<EmbeddedFile> migrations(migrations_.begin(), migrations_.end());
    std::sort(migrations.begin(), migrations.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    int reached = 0;
    for (const auto& migration : migrations) {
      const auto version = MigrationVersion(migration.path);
      if (!version) {
        return MakeError(ErrorCode::kInternal, "bad migration name " + std::string(migration.path));
      }
      // Re-read inside the transaction: another process may have migrated meanwhile.
      auto applied = InTransaction(connection, [&]() -> Status {
        auto current = connection.Prepare(sql::kSchemaVersion);
        if (!current) return tl::unexpected(current.error());
        auto row = (*current)->Step();
        if (!row) return tl::unexpected(row.error());
        const int current_version = static_cast<int>((*current)->Int(0));
        current->reset();
        if (current_version >= *version) return Ok();
        MASTHEAD_RETURN_IF_ERROR(connection.ExecScript(std::string(migration.data)));
        auto record = connection.Prepare(sql::kRecordMigration);
        if (!record) return tl::unexpected(record.error());
        (*record)->Bind(1, static_cast<std::int64_t>(*version));
        (*record)->Bind(2, migration.path);
        (*record)->Bind(3, NowSeconds());
        return (*record)->Run();
      });
      if (!applied) {
        Error error = applied.error();
        error.message = "migration " + std::string(migration.path) + ": " + error.message;
        return tl::unexpected(error);
      }
      reached = *version;
    }
    return reached;
  });
}

Result<int> SqliteStore::SchemaVersion() {
  return WithConnection([&](Connection& connection) -> Result<int> {
    MASTHEAD_RETURN_IF_ERROR(connection.ExecScript(sql::kCreateMigrationsTable));
    auto statement = connection.Prepare(sql::kSchemaVersion);
    if (!statement) return tl::unexpected(statement.error());
    auto row = (*statement)->Step();
    if (!row) return tl::unexpected(row.error());
    return static_cast<int>((*statement)->Int(0));
  });
}

Status SqliteStore::Transact(const std::function<Status(Store&)>& fn) {
  if (bound_ != nullptr) return fn(*this);
  return pool_->group_commit().Run(*pool_, [&](Connection& connection) -> Status {
    SqlStore bound_view(pool_, migrations_, &connection);
    return fn(bound_view);
  });
}

Result<Section> SqliteStore::PutSection(const PutSectionRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Section> {
    auto statement = connection.Prepare(sql::kUpsertSection);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.slug);
    s.Bind(2, request.name);
    s.Bind(3, static_cast<std::int64_t>(request.position));
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    Section section{s.Int(0), s.Text(1), s.Text(2), static_cast<int>(s.Int(3))};
    statement->reset();  // finish the RETURNING statement before COMMIT
    return section;
  });
}

Result<std::vector<Section>> SqliteStore::ListSections() {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Section>> {
    auto statement = connection.Prepare(sql::kListSections);
    if (!statement) return tl::unexpected(statement.error());
    std::vector<Section> sections;
    for (;;) {
      auto row = (*statement)->Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      Statement& s = **statement;
      sections.push_back({s.Int(0), s.Text(1), s.Text(2), static_cast<int>(s.Int(3))});
    }
    return sections;
  });
}

Result<Article> SqliteStore::CreateArticle(const CreateArticleRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Article> {
    const ArticleFields& f = request.fields;
    auto section_id = SectionId(connection, f.section_slug);
    if (!section_id) return tl::unexpected(section_id.error());
    auto statement = connection.Prepare(sql::kInsertArticle);
    if (!statement) return tl::unexpected(statement.error());
    MASTHEAD_RETURN_IF_ERROR(WriteArticleRow(**statement, f, *section_id, request.now));
    const std::int64_t id = connection.LastInsertId();
    MASTHEAD_RETURN_IF_ERROR(InsertRevision(connection, id, 1, f, request.revision_note, request.now));
    return FindArticleOn(connection, {.id = id, .include_unpublished = true});
  });
}

Result<Article> SqliteStore::UpdateArticle(const UpdateArticleRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Article> {
    auto current = connection.Prepare(sql::kArticleRevision);
    if (!current) return tl::unexpected(current.error());
    (*current)->Bind(1, request.id);
    auto row = (*current)->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "no such article");
    const int revision = static_cast<int>((*current)->Int(0));
    current->reset();
    if (request.expected_revision != 0 && request.expected_revision != revision) {
      return MakeError(ErrorCode::kConflict,
                       "the article was changed meanwhile (now revision " +
                           std::to_string(revision) + ")",
                       "revision");
    }
    const ArticleFields& f = request.fields;
    auto section_id = SectionId(connection, f.section_slug);
    if (!section_id) return tl::unexpected(section_id.error());
    auto statement = connection.Prepare(sql::kUpdateArticle);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(11, request.id);
    MASTHEAD_RETURN_IF_ERROR(WriteArticleRow(**statement, f, *section_id, request.now));
    MASTHEAD_RETURN_IF_ERROR(
        InsertRevision(connection, request.id, revision + 1, f, request.revision_note, request.now));
    return FindArticleOn(connection, {.id = request.id, .include_unpublished = true});
  });
}

Result<Article> SqliteStore::FindArticle(const FindArticleRequest& request) {
  return WithConnection([&](Connection& connection) { return FindArticleOn(connection, request); });
}

Result<std::vector<ArticleSummary>> SqliteStore::ListArticles(const ListArticlesRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<ArticleSummary>> {
    const bool in_section = !request.section_slug.empty();
    auto statement =
        connection.Prepare(in_section ? sql::kListArticlesInSection : sql::kListArticles);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.now);
    s.Bind(2, static_cast<std::int64_t>(std::clamp(request.limit, 1, 500)));
    s.Bind(3, request.after ? request.after->published_at
                            : std::numeric_limits<std::int64_t>::max());
    s.Bind(4, request.after ? request.after->id : std::numeric_limits<std::int64_t>::max());
    if (in_section) s.Bind(5, request.section_slug);
    std::vector<ArticleSummary> summaries;
    for (;;) {
      auto row = s.Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      summaries.push_back(ReadSummary(s));
    }
    return summaries;
  });
}

Result<std::vector<SearchHit>> SqliteStore::SearchArticles(const SearchArticlesRequest& request) {
  const std::string expression = BuildMatchExpression(request.query);
  if (expression.empty()) return std::vector<SearchHit>{};
  return WithConnection([&](Connection& connection) -> Result<std::vector<SearchHit>> {
    auto statement = connection.Prepare(sql::kSearchArticles);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, expression);
    s.Bind(2, request.now);
    s.Bind(3, static_cast<std::int64_t>(std::clamp(request.limit, 1, 100)));
    std::vector<SearchHit> hits;
    for (;;) {
      auto row = s.Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      hits.push_back({ReadSummary(s), s.Text(10)});
    }
    return hits;
  });
}

Result<std::vector<Revision>> SqliteStore::ListRevisions(std::int64_t article_id) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Revision>> {
    auto statement = connection.Prepare(sql::kListRevisions);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, article_id);
    std::vector<Revision> revisions;
    for (;;) {
      auto row = s.Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      Revision revision;
      revision.article_id = s.Int(0);
      revision.number = static_cast<int>(s.Int(1));
      revision.fields.slug = s.Text(2);
      revision.fields.section_slug = s.Text(3);
      revision.fields.headline = s.Text(4);
      revision.fields.deck = s.Text(5);
      revision.fields.credit = s.Text(6);
      revision.fields.byline = s.Text(7);
      revision.fields.dateline = s.Text(8);
      revision.fields.body_markdown = s.Text(9);
      revision.fields.published_at = s.OptionalInt(10);
      revision.note = s.Text(11);
      revision.created_at = s.Int(12);
      revisions.push_back(std::move(revision));
    }
    return revisions;
  });
}

Result<std::int64_t> SqliteStore::CountArticles() {
  return WithConnection([&](Connection& connection) -> Result<std::int64_t> {
    auto statement = connection.Prepare(sql::kCountArticles);
    if (!statement) return tl::unexpected(statement.error());
    auto row = (*statement)->Step();
    if (!row) return tl::unexpected(row.error());
    return (*statement)->Int(0);
  });
}

}  // namespace masthead::store::sqlite
