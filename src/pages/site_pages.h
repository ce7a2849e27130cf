// The reader-facing pages: front, sections, articles, search, feeds, sitemap,
// robots.txt, policy documents and error pages. Each method is one route's
// handler body; app/routes.cc binds them to paths.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "articles/article_service.h"
#include "http/request.h"
#include "pages/page_cache.h"
#include "pages/templates.h"
#include "questions/question_service.h"

namespace masthead::pages {

struct SiteOptions {
  std::string title = "Masthead";
  std::string description = "News and a civil reader community";
  std::string base_url = "http://127.0.0.1:8080";  // absolute URLs in feeds, sitemap, og:url
  int front_per_section = 5;
  int section_page_size = 20;
  int feed_size = 30;
};

class SitePages {
 public:
  SitePages(articles::ArticleService& articles, SiteOptions options);

  http::Response Front();
  http::Response Section(const std::string& slug, const std::string& query);
  // The article page with `discussion_html` (rendered by DiscussionPages) in
  // place. Pages with the same `cache_variant` (empty: do not cache) share one
  // cached rendering while the article and its discussion are unchanged.
  http::Response Article(const std::string& slug, const std::function<std::string()>& discussion_html,
                         const std::string& cache_variant, const Data* viewer_layout = nullptr);
  http::Response Search(const std::string& query);
  // kind: "atom" or "rss"; empty section: the whole site.
  http::Response Feed(const std::string& kind, const std::string& section);
  http::Response Sitemap();
  http::Response Robots();
  // A policy document: its current version's Markdown, with the version shown.
  http::Response Document(const std::string& title, int version, const std::string& markdown);
  http::Response Static(const std::string& file);

  http::Response Error(int status, const std::string& heading, const std::string& message);

  // Layout fields every page shares (title, site name, section navigation).
  Data LayoutData(const std::string& title, const std::string& current_section);
  // Adds the logged-in reader's name and a CSRF token (for the log-out button).
  static void AddViewer(Data& layout, const std::string& name, const std::string& csrf);
  const SiteOptions& options() const { return options_; }
  // Where the article page finds its published corrections (newest first); set
  // once at start-up, before serving.
  using CorrectionsOf = std::function<Result<std::vector<store::Correction>>(std::int64_t article_id)>;
  void SetCorrections(CorrectionsOf corrections) { corrections_ = std::move(corrections); }
  // Where the article page finds its follow-up links, "Open questions" box and
  // question counts; set once at start-up, before serving.
  using QuestionsOf = std::function<Result<questions::ArticleQuestions>(std::int64_t article_id)>;
  void SetQuestions(QuestionsOf questions) { questions_ = std::move(questions); }
  http::Response NotFound();
  // What an article's address shows when no published article is there: the
  // editor's note of an unpublished one (410 Gone), else the 404 page.
  http::Response ArticleMissing(const std::string& slug);
  http::Response MethodNotAllowed(const std::vector<std::string>& allowed);

 private:
  // Serves from the page cache, rendering with `render` on a miss.
  template <typename Render>
  http::Response Cached(const std::string& key, Render&& render);
  http::Response FromError(const masthead::Error& error);

  http::Response RenderArticle(const std::string& slug,
                               const std::function<std::string()>& discussion_html,
                               const Data* viewer_layout);

  articles::ArticleService& articles_;
  SiteOptions options_;
  PageCache cache_;
  std::string asset_version_;
  // The static files, sealed once at start: every request shares them.
  struct StaticBody {
    std::shared_ptr<const http::SealedBody> body;
    std::string etag;
  };
  std::unordered_map<std::string, StaticBody> static_bodies_;
  CorrectionsOf corrections_;
  QuestionsOf questions_;
};

}  // namespace masthead::pages
