// The storage interface. Every engine (SQLite now, PostgreSQL later) implements
// exactly this and passes store_conformance_test. Product rules (validation,
// sanitising, permissions) live above, in the domain services; an engine stores
// and fetches, and reports constraint failures as ErrorCode values.
//
// Thread-safety: a Store is safe to call from many threads at once. A Store&
// handed to a Transact callback is bound to that transaction and must only be used
// on the calling thread, inside the callback.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/types.h"

namespace masthead::store {

struct PutSectionRequest {
  std::string slug;
  std::string name;
  int position = 0;
};

struct CreateArticleRequest {
  ArticleFields fields;
  std::string revision_note;
  UnixSeconds now = 0;
};

struct UpdateArticleRequest {
  std::int64_t id = 0;
  // Optimistic concurrency: when non-zero, the update fails with kConflict unless
  // the stored revision equals this.
  int expected_revision = 0;
  ArticleFields fields;
  std::string revision_note;
  UnixSeconds now = 0;
};

struct FindArticleRequest {
  std::optional<std::int64_t> id;  // set either id or slug
  std::string slug;
  // When false, drafts and articles scheduled after `now` are kNotFound.
  bool include_unpublished = false;
  UnixSeconds now = 0;
};

// Keyset position: lists are ordered by (published_at DESC, id DESC).
struct ArticleCursor {
  UnixSeconds published_at = 0;
  std::int64_t id = 0;
};

struct ListArticlesRequest {
  std::string section_slug;  // empty: every section
  int limit = 20;
  std::optional<ArticleCursor> after;  // next page starts after this article
  UnixSeconds now = 0;                 // only articles published at or before now
};

struct SearchArticlesRequest {
  // Plain words as a reader typed them; the engine builds its own query syntax, so
  // no operator in here has a meaning. Every word must match (prefix match on the last).
  std::string query;
  int limit = 20;
  UnixSeconds now = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Brings the schema to the newest migration. Safe to run repeatedly and from
  // several processes; returns the schema version reached.
  virtual Result<int> Migrate() = 0;
  virtual Result<int> SchemaVersion() = 0;

  // Runs `fn` in one transaction with a Store bound to it: every write made
  // through that Store commits when `fn` returns ok and rolls back otherwise.
  virtual Status Transact(const std::function<Status(Store&)>& fn) = 0;

  // Sections: insert, or update name and position of an existing slug.
  virtual Result<Section> PutSection(const PutSectionRequest& request) = 0;
  virtual Result<std::vector<Section>> ListSections() = 0;

  // Articles. Create stores revision 1; Update stores the next revision, both in
  // the same transaction as the article. kAlreadyExists on a taken slug,
  // kNotFound on an unknown section or id.
  virtual Result<Article> CreateArticle(const CreateArticleRequest& request) = 0;
  virtual Result<Article> UpdateArticle(const UpdateArticleRequest& request) = 0;
  virtual Result<Article> FindArticle(const FindArticleRequest& request) = 0;
  virtual Result<std::vector<ArticleSummary>> ListArticles(const ListArticlesRequest& request) = 0;
  virtual Result<std::vector<SearchHit>> SearchArticles(const SearchArticlesRequest& request) = 0;
  // Oldest first.
  virtual Result<std::vector<Revision>> ListRevisions(std::int64_t article_id) = 0;
  virtual Result<std::int64_t> CountArticles() = 0;
};

}  // namespace masthead::store
