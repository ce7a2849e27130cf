// The newsroom's side of ArticleService: the editor's list and saves, unpublishing
// with a note, sections and desks, and the one "article published" event.
#include "articles/article_service.h"
#include "base/text.h"
#include "base/utf8.h"

namespace masthead::articles {

void ArticleService::OnPublished(PublishedHook hook) {
  std::lock_guard lock(published_hooks_mutex_);
  published_hooks_.push_back(std::move(hook));
}

Result<int> ArticleService::AnnounceDuePublications(UnixSeconds look_back_seconds) {
  const UnixSeconds now = now_();
  std::vector<PublishedHook> hooks;
  {
    std::lock_guard lock(published_hooks_mutex_);
    hooks = published_hooks_;
  }
  int announced = 0;
  auto done = store_.Transact([&](store::Store& tx) -> Status {
    auto ids = tx.ClaimDuePublications({.now = now, .published_since = now - look_back_seconds, .limit = 100});
    if (!ids) return tl::unexpected(ids.error());
    for (const std::int64_t id : *ids) {
      auto article = tx.FindArticle({.id = id, .include_unpublished = true, .now = now});
      if (!article) return tl::unexpected(article.error());
      for (const auto& hook : hooks) MASTHEAD_RETURN_IF_ERROR(hook(tx, *article));
    }
    announced = static_cast<int>(ids->size());
    return Ok();
  });
  if (!done) return tl::unexpected(done.error());
  // A scheduled article just became visible: cached lists must show it.
  if (announced > 0) NotifyChange();
  return announced;
}

Result<std::vector<store::EditorArticle>> ArticleService::EditorList(const std::string& state,
                                                                     const std::string& section) const {
  return store_.ListEditorArticles({.state = state, .section_slug = section, .limit = 200, .now = now_()});
}

Result<store::Article> ArticleService::ForEditor(std::int64_t id) const {
  return store_.FindArticle({.id = id, .include_unpublished = true, .now = now_()});
}

Result<store::Article> ArticleService::Save(std::int64_t id, int expected_revision, store::ArticleFields fields,
                                            const std::string& note) {
  MASTHEAD_RETURN_IF_ERROR(Validate(fields));
  const UnixSeconds now = now_();
  store::Article saved;
  auto done = store_.Transact([&](store::Store& tx) -> Status {
    auto result = id == 0 ? tx.CreateArticle({fields, note, now})
                          : tx.UpdateArticle({id, expected_revision, fields, note, now});
    if (!result) return tl::unexpected(result.error());
    saved = std::move(*result);
    if (saved.fields.published_at) return tx.ClearWithdrawal(saved.id);
    return Ok();
  });
  if (!done) return tl::unexpected(done.error());
  NotifyChange();
  return saved;
}

Result<store::Article> ArticleService::Unpublish(std::int64_t id, int expected_revision, const std::string& note,
                                                 std::optional<std::int64_t> by_user) {
  std::string text = note;
  if (!IsValidUtf8(text)) return MakeError(ErrorCode::kInvalidArgument, "the note is not valid UTF-8", "note");
  text = std::string(TrimWhitespace(StripControlCharacters(text)));
  if (text.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "write the editor's note readers will see at the article's address", "note");
  }
  if (text.size() > 2000) return MakeError(ErrorCode::kTooLarge, "the note is longer than 2000 bytes", "note");
  const UnixSeconds now = now_();
  store::Article saved;
  auto done = store_.Transact([&](store::Store& tx) -> Status {
    auto article = tx.FindArticle({.id = id, .include_unpublished = true, .now = now});
    if (!article) return tl::unexpected(article.error());
    store::ArticleFields fields = article->fields;
    fields.published_at.reset();
    auto updated = tx.UpdateArticle({id, expected_revision, fields, "unpublished: " + text, now});
    if (!updated) return tl::unexpected(updated.error());
    saved = std::move(*updated);
    return tx.WithdrawArticle({id, text, by_user, now});
  });
  if (!done) return tl::unexpected(done.error());
  NotifyChange();
  return saved;
}

Result<store::ArticleWithdrawal> ArticleService::Withdrawal(const std::string& slug) const {
  if (!IsValidSlug(slug)) return MakeError(ErrorCode::kNotFound, "no such article");
  return store_.FindWithdrawal(slug);
}

Result<store::Section> ArticleService::PutSection(store::PutSectionRequest request) {
  if (!IsValidUtf8(request.name) || !IsValidUtf8(request.slug)) {
    return MakeError(ErrorCode::kInvalidArgument, "the section is not valid UTF-8", "name");
  }
  request.name = std::string(TrimWhitespace(StripControlCharacters(request.name)));
  request.slug = std::string(TrimWhitespace(request.slug));
  if (request.slug.empty()) request.slug = Slugify(request.name);
  if (!IsValidSlug(request.slug) || request.slug.size() > 100) {
    return MakeError(ErrorCode::kInvalidArgument, "a section's address may hold only a-z, 0-9 and single hyphens",
                     "slug");
  }
  if (request.name.empty() || request.name.size() > 100) {
    return MakeError(ErrorCode::kInvalidArgument, "a section needs a name of at most 100 bytes", "name");
  }
  auto section = store_.PutSection(request);
  if (section) NotifyChange();  // navigation shows sections on every page
  return section;
}

Result<store::Desk> ArticleService::PutDesk(store::PutDeskRequest request) {
  if (!IsValidUtf8(request.name) || !IsValidUtf8(request.email) || !IsValidUtf8(request.slug)) {
    return MakeError(ErrorCode::kInvalidArgument, "the desk is not valid UTF-8", "name");
  }
  request.name = std::string(TrimWhitespace(StripControlCharacters(request.name)));
  request.email = std::string(TrimWhitespace(StripControlCharacters(request.email)));
  request.slug = std::string(TrimWhitespace(request.slug));
  if (request.slug.empty()) request.slug = Slugify(request.name);
  if (!IsValidSlug(request.slug) || request.slug.size() > 100) {
    return MakeError(ErrorCode::kInvalidArgument, "a desk's key may hold only a-z, 0-9 and single hyphens", "slug");
  }
  if (request.name.empty() || request.name.size() > 100) {
    return MakeError(ErrorCode::kInvalidArgument, "a desk needs a name of at most 100 bytes", "name");
  }
  const auto at = request.email.find('@');
  if (!request.email.empty() &&
      (at == std::string::npos || at == 0 || at + 1 == request.email.size() || request.email.size() > 254 ||
       request.email.find_first_of(" ,;<>\"") != std::string::npos)) {
    return MakeError(ErrorCode::kInvalidArgument, "the desk's e-mail address is not valid", "email");
  }
  return store_.PutDesk(request);
}

Result<std::vector<store::Desk>> ArticleService::Desks() const { return store_.ListDesks(); }

Status ArticleService::SetSectionDesk(const std::string& section_slug, const std::string& desk_slug) {
  return store_.SetSectionDesk(section_slug, desk_slug);
}

}  // namespace masthead::articles
