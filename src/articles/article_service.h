// Every product rule about articles, above the storage engines: validation,
// slugs, sections created on import, publication visibility, change notices.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "articles/importer.h"
#include "base/result.h"
#include "store/store.h"

namespace masthead::articles {

struct FrontPageSection {
  store::Section section;
  std::vector<store::ArticleSummary> articles;
};

struct ImportSummary {
  int created = 0;
  int updated = 0;
  int sections_created = 0;
};

struct SectionPage {
  store::Section section;
  std::vector<store::ArticleSummary> articles;
  std::optional<store::ArticleCursor> next;  // set when there may be more
};

// Limits on what an editor or an import may store.
struct ArticleLimits {
  std::size_t max_headline = 300;
  std::size_t max_deck = 600;
  std::size_t max_credit = 200;
  std::size_t max_dateline = 100;
  std::size_t max_body = 512 * 1024;
};

class ArticleService {
 public:
  // `now` is injectable so tests can move time (scheduled publication).
  ArticleService(store::Store& store, std::function<UnixSeconds()> now = NowSeconds,
                 ArticleLimits limits = {});

  // Checks and normalises fields in place: control characters stripped, slug
  // derived from the headline when empty. Errors name the field.
  Status Validate(store::ArticleFields& fields) const;

  Result<store::Article> Create(store::ArticleFields fields, const std::string& note);
  Result<store::Article> Update(std::int64_t id, int expected_revision, store::ArticleFields fields,
                                const std::string& note);

  // Stores all articles in one transaction: an existing slug gets a new revision,
  // a missing section is created. On any error nothing is stored, and the error
  // names the article's origin (file and line).
  Result<ImportSummary> Import(std::span<const ImportedArticle> articles);
  // Imports the demo articles compiled into the binary when the store has none.
  // Returns the number imported (0 when there were articles already).
  Result<int> LoadDemoContentIfEmpty();

  // Reader views: only published articles.
  Result<store::Article> Published(const std::string& slug) const;
  Result<store::Article> PublishedById(std::int64_t id) const;
  Result<std::vector<FrontPageSection>> FrontPage(int per_section) const;
  Result<SectionPage> Section(const std::string& slug, int limit,
                              std::optional<store::ArticleCursor> after) const;
  Result<std::vector<store::ArticleSummary>> Latest(int limit, const std::string& section = {}) const;
  Result<std::vector<store::SearchHit>> Search(const std::string& query, int limit) const;
  Result<std::vector<store::Section>> Sections() const;
  Result<std::vector<store::Revision>> Revisions(const std::string& slug) const;

  // For changes committed in a caller's own transaction (a correction published
  // together with its text change): pages drop their caches as after Update.
  void MarkChanged() { NotifyChange(); }

  // Called after every change committed on this node (the app tells the other
  // nodes). Listeners are called on the writing thread and must be quick and
  // thread-safe; set them before serving.
  void OnChange(std::function<void()> listener);
  void OnDiscussionTouched(std::function<void(std::int64_t article_id)> listener);
  // Changes another node committed (heard on the cluster bus): the same
  // staleness as after a local change, without telling the listeners again.
  void ChangedElsewhere();
  void DiscussionTouchedElsewhere(std::int64_t article_id);
  // Marks one article's cached pages stale after a change in its discussion,
  // without touching every other page (comments arrive far more often than edits).
  void TouchDiscussion(std::int64_t article_id);
  // Changes with every TouchDiscussion of this article.
  std::uint64_t DiscussionVersion(std::int64_t article_id) const;
  // Published-comment counts for list pages, by article id (absent: none).
  Result<std::unordered_map<std::int64_t, int>> CommentCounts(const std::vector<std::int64_t>& ids) const;
  // Changes with every TouchDiscussion of any article (list pages show counts).
  std::uint64_t discussion_epoch() const { return discussion_epoch_.load(std::memory_order_acquire); }
  // The same by slug, answered from memory after the first look-up, so cached
  // pages can be checked without a query; nullopt when no such article is published.
  std::optional<std::uint64_t> DiscussionVersionOfSlug(const std::string& slug) const;
  // Increases with every change; cache entries remember the version they saw.
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

  // --- The newsroom's editor (article_editorial.cc) ---------------------------------
  // The one "article published" event. Subscribers are called once per article
  // ever, inside the transaction that records the announcement, when the article
  // first becomes visible to readers: published at once from the editor, or its
  // scheduled time came. Mail or webhooks queued through `tx` commit with the
  // announcement; an error rolls the whole batch back and it is tried again at the
  // next check. Imports of already-public articles are recorded without an event.
  // Register subscribers before the server starts.
  using PublishedHook = std::function<Status(store::Store& tx, const store::Article& article)>;
  void OnPublished(PublishedHook hook);
  // Announces the articles whose publication time has come and that were never
  // announced (published in the last `look_back_seconds`); returns how many. The
  // server calls it periodically and the editor right after publishing.
  Result<int> AnnounceDuePublications(UnixSeconds look_back_seconds = 30 * 86400);

  // Every article whatever its state (state: "", "draft", "scheduled",
  // "published", "withdrawn"), most recently changed first.
  Result<std::vector<store::EditorArticle>> EditorList(const std::string& state, const std::string& section) const;
  // Any article by id, drafts and scheduled ones included.
  Result<store::Article> ForEditor(std::int64_t id) const;
  // Creates (id 0) or updates an article from the editor; publishing it again
  // removes a note left by an earlier unpublishing, in the same transaction.
  // `expected_revision` guards against overwriting a colleague's edit (kConflict).
  Result<store::Article> Save(std::int64_t id, int expected_revision, store::ArticleFields fields,
                              const std::string& note);
  // Takes an article off the site and leaves `note` at its address, in one step.
  Result<store::Article> Unpublish(std::int64_t id, int expected_revision, const std::string& note,
                                   std::optional<std::int64_t> by_user);
  // The note at the address of an unpublished article; kNotFound when the slug
  // has none (or the article is public again).
  Result<store::ArticleWithdrawal> Withdrawal(const std::string& slug) const;
  // Sections (created or renamed and moved) and the desks that own them.
  Result<store::Section> PutSection(store::PutSectionRequest request);
  Result<store::Desk> PutDesk(store::PutDeskRequest request);
  Result<std::vector<store::Desk>> Desks() const;
  Status SetSectionDesk(const std::string& section_slug, const std::string& desk_slug);

  UnixSeconds Now() const { return now_(); }

 private:
  void NotifyChange();

  store::Store& store_;
  std::function<UnixSeconds()> now_;
  ArticleLimits limits_;
  std::atomic<std::uint64_t> version_{1};
  std::atomic<std::uint64_t> discussion_epoch_{0};
  mutable std::mutex discussion_mutex_;
  std::unordered_map<std::int64_t, std::uint64_t> discussion_versions_;
  mutable std::unordered_map<std::string, std::int64_t> published_ids_;  // slug -> id
  std::mutex listeners_mutex_;
  std::vector<std::function<void()>> listeners_;
  std::vector<std::function<void(std::int64_t)>> discussion_listeners_;
  mutable std::mutex published_hooks_mutex_;
  std::vector<PublishedHook> published_hooks_;
};

}  // namespace masthead::articles
