#include "articles/article_service.h"

#include <map>

#include "base/embedded.h"
#include "base/text.h"
#include "base/utf8.h"

namespace masthead {
std::span<const EmbeddedFile> DemoArticles();
}

namespace masthead::articles {
namespace {

Status CheckText(std::string& value, std::string_view field, std::size_t max_bytes, bool required,
                 bool single_line) {
  if (!IsValidUtf8(value)) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(field) + " is not valid UTF-8",
                     std::string(field));
  }
  value = StripControlCharacters(value);
  if (single_line) {
    for (char& c : value) {
      if (c == '\n' || c == '\t') c = ' ';
    }
    value = std::string(TrimWhitespace(value));
  }
  if (required && TrimWhitespace(value).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(field) + " is required",
                     std::string(field));
  }
  if (value.size() > max_bytes) {
    return MakeError(ErrorCode::kTooLarge,
                     std::string(field) + " is longer than " + std::to_string(max_bytes) + " bytes",
                     std::string(field));
  }
  return Ok();
}

std::string TitleFromSlug(const std::string& slug) {
  std::string name = slug;
  bool start = true;
  for (char& c : name) {
    if (c == '-') {
      c = ' ';
      start = true;
    } else if (start && c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
      start = false;
    } else {
      start = false;
    }
  }
  return name;
}

}  // namespace

ArticleService::ArticleService(store::Store& store, std::function<UnixSeconds()> now,
                               ArticleLimits limits)
    : store_(store), now_(std::move(now)), limits_(limits) {}

Status ArticleService::Validate(store::ArticleFields& f) const {
  MASTHEAD_RETURN_IF_ERROR(CheckText(f.headline, "headline", limits_.max_headline, true, true));
  MASTHEAD_RETURN_IF_ERROR(CheckText(f.deck, "deck", limits_.max_deck, false, true));
  MASTHEAD_RETURN_IF_ERROR(CheckText(f.credit, "credit", limits_.max_credit, false, true));
  MASTHEAD_RETURN_IF_ERROR(CheckText(f.byline, "byline", limits_.max_credit, false, true));
  MASTHEAD_RETURN_IF_ERROR(CheckText(f.dateline, "dateline", limits_.max_dateline, false, true));
  MASTHEAD_RETURN_IF_ERROR(CheckText(f.body_markdown, "body", limits_.max_body, true, false));
  MASTHEAD_RETURN_IF_ERROR(CheckText(f.slug, "slug", 200, false, true));
  MASTHEAD_RETURN_IF_ERROR(CheckText(f.section_slug, "section", 100, true, true));
  if (f.credit.empty() && f.byline.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "an article needs a credit (wire service) or a staff byline", "credit");
  }
  if (f.slug.empty()) f.slug = Slugify(f.headline);
  if (!IsValidSlug(f.slug)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "slug may hold only a-z, 0-9 and single hyphens", "slug");
  }
  if (!IsValidSlug(f.section_slug)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "section may hold only a-z, 0-9 and single hyphens", "section");
  }
  return Ok();
}

Result<store::Article> ArticleService::Create(store::ArticleFields fields, const std::string& note) {
  MASTHEAD_RETURN_IF_ERROR(Validate(fields));
  auto created = store_.CreateArticle({std::move(fields), note, now_()});
  if (created) NotifyChange();
  return created;
}

Result<store::Article> ArticleService::Update(std::int64_t id, int expected_revision,
                                              store::ArticleFields fields, const std::string& note) {
  MASTHEAD_RETURN_IF_ERROR(Validate(fields));
  auto updated = store_.UpdateArticle({id, expected_revision, std::move(fields), note, now_()});
  if (updated) NotifyChange();
  return updated;
}

Result<ImportSummary> ArticleService::Import(std::span<const ImportedArticle> articles) {
  // Validate everything first, so the common errors name the file before any write.
  std::vector<ImportedArticle> checked(articles.begin(), articles.end());
  for (auto& article : checked) {
    if (auto valid = Validate(article.fields); !valid) {
      Error error = valid.error();
      error.message = article.origin + ": " + error.message;
      return tl::unexpected(error);
    }
  }
  ImportSummary summary;
  const UnixSeconds now = now_();
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto sections = tx.ListSections();
    if (!sections) return tl::unexpected(sections.error());
    std::map<std::string, bool> known;
    int next_position = 0;
    for (const auto& section : *sections) {
      known[section.slug] = true;
      next_position = std::max(next_position, section.position);
    }
    for (const auto& article : checked) {
      const auto fail = [&](Error error) -> Status {
        error.message = article.origin + ": " + error.message;
        return tl::unexpected(error);
      };
      const std::string& section_slug = article.fields.section_slug;
      if (!known.count(section_slug)) {
        const std::string name =
            article.section_name.empty() ? TitleFromSlug(section_slug) : article.section_name;
        if (auto put = tx.PutSection({section_slug, name, ++next_position}); !put) {
          return fail(put.error());
        }
        known[section_slug] = true;
        ++summary.sections_created;
      }
      auto existing = tx.FindArticle({.slug = article.fields.slug, .include_unpublished = true, .now = now});
      if (existing) {
        auto updated = tx.UpdateArticle({existing->id, 0, article.fields, "import", now});
        if (!updated) return fail(updated.error());
        ++summary.updated;
      } else if (existing.error().code == ErrorCode::kNotFound) {
        auto created = tx.CreateArticle({article.fields, "import", now});
        if (!created) return fail(created.error());
        ++summary.created;
      } else {
        return fail(existing.error());
      }
      // An imported article already public is not news: no "published" event.
      if (const auto& at = article.fields.published_at; at && *at <= now) {
        auto stored_article = tx.FindArticle({.slug = article.fields.slug, .include_unpublished = true, .now = now});
        if (!stored_article) return fail(stored_article.error());
        if (auto marked = tx.MarkPublicationAnnounced(stored_article->id, *at, now); !marked) {
          return fail(marked.error());
        }
      }
    }
    return Ok();
  });
  if (!stored) return tl::unexpected(stored.error());
  NotifyChange();
  return summary;
}

Result<int> ArticleService::LoadDemoContentIfEmpty() {
  auto count = store_.CountArticles();
  if (!count) return tl::unexpected(count.error());
  if (*count > 0) return 0;
  std::vector<ImportedArticle> articles;
  for (const auto& file : DemoArticles()) {
    if (!file.path.ends_with(".md") || file.path == "README.md") continue;
    auto parsed = ParseArticleFile(file.path, file.data);
    if (!parsed) return tl::unexpected(parsed.error());
    for (auto& article : *parsed) articles.push_back(std::move(article));
  }
  auto summary = Import(articles);
  if (!summary) return tl::unexpected(summary.error());
  return summary->created;
}

Result<store::Article> ArticleService::Published(const std::string& slug) const {
  if (!IsValidSlug(slug)) return MakeError(ErrorCode::kNotFound, "no such article");
  return store_.FindArticle({.slug = slug, .now = now_()});
}

Result<store::Article> ArticleService::PublishedById(std::int64_t id) const {
  return store_.FindArticle({.id = id, .now = now_()});
}

std::optional<std::uint64_t> ArticleService::DiscussionVersionOfSlug(const std::string& slug) const {
  std::int64_t id = 0;
  {
    std::lock_guard lock(discussion_mutex_);
    if (auto found = published_ids_.find(slug); found != published_ids_.end()) id = found->second;
  }
  if (id == 0) {
    auto article = Published(slug);
    if (!article) return std::nullopt;
    id = article->id;
    std::lock_guard lock(discussion_mutex_);
    // Bounded: a flood of unknown slugs never gets here (they are not published).
    if (published_ids_.size() > 100000) published_ids_.clear();
    published_ids_[slug] = id;
  }
  // Content changes (an edit, unpublishing) also invalidate, through version().
  return DiscussionVersion(id) ^ (version() << 32);
}

Result<std::vector<FrontPageSection>> ArticleService::FrontPage(int per_section) const {
  auto sections = store_.ListSections();
  if (!sections) return tl::unexpected(sections.error());
  std::vector<FrontPageSection> page;
  const UnixSeconds now = now_();
  for (auto& section : *sections) {
    auto articles = store_.ListArticles({.section_slug = section.slug, .limit = per_section, .now = now});
    if (!articles) return tl::unexpected(articles.error());
    if (articles->empty()) continue;
    page.push_back({std::move(section), std::move(*articles)});
  }
  return page;
}

Result<SectionPage> ArticleService::Section(const std::string& slug, int limit,
                                            std::optional<store::ArticleCursor> after) const {
  auto sections = store_.ListSections();
  if (!sections) return tl::unexpected(sections.error());
  for (auto& section : *sections) {
    if (section.slug != slug) continue;
    // One extra row tells whether a next page exists without a COUNT.
    auto articles = store_.ListArticles(
        {.section_slug = slug, .limit = limit + 1, .after = after, .now = now_()});
    if (!articles) return tl::unexpected(articles.error());
    SectionPage page{std::move(section), std::move(*articles), std::nullopt};
    if (static_cast<int>(page.articles.size()) > limit) {
      page.articles.resize(static_cast<std::size_t>(limit));
      page.next = store::ArticleCursor{page.articles.back().published_at, page.articles.back().id};
    }
    return page;
  }
  return MakeError(ErrorCode::kNotFound, "no such section");
}

Result<std::vector<store::ArticleSummary>> ArticleService::Latest(int limit,
                                                                  const std::string& section) const {
  return store_.ListArticles({.section_slug = section, .limit = limit, .now = now_()});
}

Result<std::vector<store::SearchHit>> ArticleService::Search(const std::string& query,
                                                             int limit) const {
  if (!IsValidUtf8(query)) {
    return MakeError(ErrorCode::kInvalidArgument, "the search text is not valid UTF-8", "q");
  }
  if (query.size() > 200) {
    return MakeError(ErrorCode::kInvalidArgument, "the search text is longer than 200 bytes", "q");
  }
  return store_.SearchArticles({.query = query, .limit = limit, .now = now_()});
}

Result<std::vector<store::Section>> ArticleService::Sections() const { return store_.ListSections(); }

Result<std::vector<store::Revision>> ArticleService::Revisions(const std::string& slug) const {
  auto article = Published(slug);
  if (!article) return tl::unexpected(article.error());
  return store_.ListRevisions(article->id);
}

void ArticleService::TouchDiscussion(std::int64_t article_id) {
  DiscussionTouchedElsewhere(article_id);
  std::lock_guard lock(listeners_mutex_);
  for (const auto& listener : discussion_listeners_) listener(article_id);
}

void ArticleService::DiscussionTouchedElsewhere(std::int64_t article_id) {
  std::lock_guard lock(discussion_mutex_);
  ++discussion_versions_[article_id];
  discussion_epoch_.fetch_add(1, std::memory_order_acq_rel);
}

Result<std::unordered_map<std::int64_t, int>> ArticleService::CommentCounts(
    const std::vector<std::int64_t>& ids) const {
  auto discussions = store_.ListDiscussions(ids);
  if (!discussions) return tl::unexpected(discussions.error());
  std::unordered_map<std::int64_t, int> counts;
  for (const auto& d : *discussions) counts[d.article_id] = d.comment_count;
  return counts;
}

std::uint64_t ArticleService::DiscussionVersion(std::int64_t article_id) const {
  std::lock_guard lock(discussion_mutex_);
  auto found = discussion_versions_.find(article_id);
  return found == discussion_versions_.end() ? 0 : found->second;
}

void ArticleService::OnChange(std::function<void()> listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(std::move(listener));
}

void ArticleService::OnDiscussionTouched(std::function<void(std::int64_t)> listener) {
  std::lock_guard lock(listeners_mutex_);
  discussion_listeners_.push_back(std::move(listener));
}

void ArticleService::ChangedElsewhere() {
  version_.fetch_add(1, std::memory_order_acq_rel);
  std::lock_guard lock(discussion_mutex_);
  published_ids_.clear();
  // Every discussion too: the message may stand for several missed ones.
  discussion_epoch_.fetch_add(1, std::memory_order_acq_rel);
  for (auto& [id, version] : discussion_versions_) ++version;
}

void ArticleService::NotifyChange() {
  version_.fetch_add(1, std::memory_order_acq_rel);
  {
    std::lock_guard lock(discussion_mutex_);
    published_ids_.clear();
  }
  std::lock_guard lock(listeners_mutex_);
  for (const auto& listener : listeners_) listener();
}

}  // namespace masthead::articles
