#include "pages/site_pages.h"

#include <nlohmann/json.hpp>

#include <span>

#include "accuracy/accuracy_service.h"
#include "articles/markdown.h"
#include "base/embedded.h"
#include "base/html.h"
#include "base/text.h"
#include "http/status.h"
#include "pages/feeds.h"

namespace masthead {
std::span<const EmbeddedFile> StaticAssets();
}

namespace masthead::pages {
namespace {

constexpr char kPageCacheControl[] = "public, max-age=60";

void SetIfPresent(Data& data, const std::string& key, const std::string& value) {
  if (!value.empty()) data.set(key, value);
}

Data SummaryData(const store::ArticleSummary& summary, int comments = -1) {
  Data item;
  if (comments > 0) item.set("comments", std::to_string(comments) + (comments == 1 ? " comment" : " comments"));
  item.set("slug", summary.slug);
  item.set("headline", summary.headline);
  SetIfPresent(item, "deck", summary.deck);
  SetIfPresent(item, "credit", summary.credit);
  SetIfPresent(item, "byline", summary.byline);
  item.set("section_name", summary.section_name);
  item.set("published_iso", FormatRfc3339(summary.published_at));
  item.set("published_long", FormatLongDate(summary.published_at));
  return item;
}

// JSON for a <script type="application/ld+json"> block: '<', '>' and '&' can only
// occur inside JSON strings, where their \u escapes mean the same, and so no
// "</script>" can end the block early.
std::string JsonForScriptBlock(const nlohmann::json& value) {
  const std::string dumped = value.dump();
  std::string out;
  out.reserve(dumped.size());
  for (char c : dumped) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += c;
    }
  }
  return out;
}

std::string SnippetHtml(const std::string& snippet) {
  std::string html = EscapeHtml(snippet);
  std::string out;
  for (char c : html) {
    if (c == store::kHighlightStart) {
      out += "<mark>";
    } else if (c == store::kHighlightEnd) {
      out += "</mark>";
    } else {
      out += c;
    }
  }
  return out;
}

std::string ContentTypeOf(const std::string& file) {
  if (file.ends_with(".css")) return "text/css; charset=utf-8";
  if (file.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (file.ends_with(".svg")) return "image/svg+xml";
  if (file.ends_with(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

}  // namespace

SitePages::SitePages(articles::ArticleService& articles, SiteOptions options)
    : articles_(articles), options_(std::move(options)) {
  std::string all_assets;
  for (const auto& file : StaticAssets()) {
    all_assets.append(file.data);
    static_bodies_.emplace(std::string(file.path),
                           StaticBody{http::SealedBody::From(std::string(file.data)), http::EtagOf(file.data)});
  }
  asset_version_ = http::EtagOf(all_assets).substr(1, 8);
}

template <typename Render>
http::Response SitePages::Cached(const std::string& key, Render&& render) {
  const std::uint64_t version = articles_.version();
  if (auto hit = cache_.Find(key, version)) {
    http::Response response;
    response.status = hit->status;
    response.content_type = hit->content_type;
    response.shared_body = hit->body;
    response.etag = hit->etag;
    response.SetHeader("Cache-Control", kPageCacheControl);
    return response;
  }
  http::Response response = render();
  if (response.status == 200) {
    response.etag = http::EtagOf(response.body);
    auto body = http::SealedBody::From(std::move(response.body));
    response.body.clear();
    response.shared_body = body;
    cache_.Store(key, version, {body, response.etag, response.content_type, response.status});
    response.SetHeader("Cache-Control", kPageCacheControl);
  }
  return response;
}

Data SitePages::LayoutData(const std::string& title, const std::string& current_section) {
  Data layout;
  layout.set("title", title);
  layout.set("site_title", options_.title);
  layout.set("asset_version", asset_version_);
  Data nav{Data::type::list};
  if (auto sections = articles_.Sections()) {
    for (const auto& section : *sections) {
      Data item;
      item.set("slug", section.slug);
      item.set("name", section.name);
      if (section.slug == current_section) item.set("current", true);
      nav.push_back(item);
    }
  }
  layout.set("nav", nav);
  return layout;
}

http::Response SitePages::FromError(const masthead::Error& error) {
  if (error.code == ErrorCode::kNotFound) return NotFound();
  const int status = http::StatusOfError(error.code);
  if (status >= 500) return Error(status, "Something went wrong", "Please try again in a moment.");
  return Error(status, "That did not work", error.message);
}

http::Response SitePages::ArticleMissing(const std::string& slug) {
  auto withdrawal = articles_.Withdrawal(slug);
  if (!withdrawal) return NotFound();
  Data page;
  page.set("note", withdrawal->note);
  page.set("withdrawn_iso", FormatRfc3339(withdrawal->withdrawn_at));
  page.set("withdrawn_long", FormatLongDate(withdrawal->withdrawn_at));
  Data layout = LayoutData("Editor's note · " + options_.title, "");
  http::Response response = http::Response::Html(410, RenderPage("withdrawn", page, layout));
  response.SetHeader("Cache-Control", "no-cache");
  return response;
}

http::Response SitePages::Front() {
  return Cached("front:" + std::to_string(articles_.discussion_epoch()), [&]() -> http::Response {
    auto front = articles_.FrontPage(options_.front_per_section);
    if (!front) return FromError(front.error());
    std::vector<std::int64_t> ids;
    for (const auto& entry : *front) {
      for (const auto& summary : entry.articles) ids.push_back(summary.id);
    }
    auto counts = articles_.CommentCounts(ids);
    if (!counts) return FromError(counts.error());
    Data page;
    page.set("site_title", options_.title);
    Data sections{Data::type::list};
    for (const auto& entry : *front) {
      Data section;
      section.set("slug", entry.section.slug);
      section.set("name", entry.section.name);
      Data list{Data::type::list};
      for (const auto& summary : entry.articles) {
        auto count = counts->find(summary.id);
        list.push_back(SummaryData(summary, count == counts->end() ? 0 : count->second));
      }
      section.set("articles", list);
      sections.push_back(section);
    }
    page.set("sections", sections);
    Data layout = LayoutData(options_.title, "");
    layout.set("description", options_.description);
    layout.set("canonical", options_.base_url + "/");
    return http::Response::Html(200, RenderPage("front", page, layout));
  });
}

http::Response SitePages::Section(const std::string& slug, const std::string& query) {
  const auto form = http::ParseForm(query);
  std::optional<store::ArticleCursor> after;
  if (auto before = form.find("before"); before != form.end()) {
    // "before=<published_at>.<id>" from the previous page's link.
    const std::size_t dot = before->second.find('.');
    try {
      after = store::ArticleCursor{std::stoll(before->second.substr(0, dot)),
                                   std::stoll(before->second.substr(dot + 1))};
    } catch (const std::exception&) {
      return Error(400, "Bad page link", "The page position in this link is not valid.");
    }
  }
  return Cached("section:" + slug + "?" + query + ":" + std::to_string(articles_.discussion_epoch()),
                [&]() -> http::Response {
    auto section = articles_.Section(slug, options_.section_page_size, after);
    if (!section) return FromError(section.error());
    std::vector<std::int64_t> ids;
    for (const auto& summary : section->articles) ids.push_back(summary.id);
    auto counts = articles_.CommentCounts(ids);
    if (!counts) return FromError(counts.error());
    Data page;
    page.set("name", section->section.name);
    page.set("slug", section->section.slug);
    Data list{Data::type::list};
    for (const auto& summary : section->articles) {
      auto count = counts->find(summary.id);
      list.push_back(SummaryData(summary, count == counts->end() ? 0 : count->second));
    }
    page.set("articles", list);
    if (section->next) {
      page.set("next_url", "/sections/" + slug + "?before=" + std::to_string(section->next->published_at) +
                               "." + std::to_string(section->next->id));
    }
    Data layout = LayoutData(section->section.name + " · " + options_.title, slug);
    layout.set("canonical", options_.base_url + "/sections/" + slug);
    Data feed;
    feed.set("slug", slug);
    feed.set("name", section->section.name);
    layout.set("section_feed", feed);
    return http::Response::Html(200, RenderPage("section", page, layout));
  });
}

void SitePages::AddViewer(Data& layout, const std::string& name, const std::string& csrf) {
  layout.set("viewer_name", name);
  layout.set("csrf", csrf);
}

http::Response SitePages::Article(const std::string& slug,
                                  const std::function<std::string()>& discussion_html,
                                  const std::string& cache_variant, const Data* viewer_layout) {
  if (cache_variant.empty()) return RenderArticle(slug, discussion_html, viewer_layout);
  return Cached("article:" + slug + ":" + cache_variant,
                [&]() { return RenderArticle(slug, discussion_html, viewer_layout); });
}

http::Response SitePages::RenderArticle(const std::string& slug,
                                        const std::function<std::string()>& discussion_html,
                                        const Data* viewer_layout) {
  {
    auto article = articles_.Published(slug);
    if (!article && article.error().code == ErrorCode::kNotFound) return ArticleMissing(slug);
    if (!article) return FromError(article.error());
    const store::ArticleFields& f = article->fields;
    const UnixSeconds published = f.published_at.value_or(0);
    const std::string url = options_.base_url + "/articles/" + f.slug;
    const auto body = articles::RenderArticleBody(f.body_markdown, f.dateline);

    Data page;
    page.set("slug", f.slug);
    page.set("site_title", options_.title);
    page.set("headline", f.headline);
    SetIfPresent(page, "deck", f.deck);
    SetIfPresent(page, "credit", f.credit);
    SetIfPresent(page, "byline", f.byline);
    page.set("published_iso", FormatRfc3339(published));
    page.set("published_long", FormatLongDate(published));
    page.set("body_html", body.html);
    page.set("discussion_html", discussion_html());
    nlohmann::json ld_corrections = nlohmann::json::array();
    if (corrections_) {
      auto corrections = corrections_(article->id);
      if (!corrections) return FromError(corrections.error());
      Data top{Data::type::list};
      Data bottom{Data::type::list};
      for (const auto& correction : *corrections) {
        Data notice;
        notice.set("label", accuracy::NoticeLabel(correction.kind));
        notice.set("text", correction.notice);
        notice.set("published_iso", FormatRfc3339(correction.published_at));
        notice.set("published_long", FormatLongDate(correction.published_at));
        (correction.placement == "top" ? top : bottom).push_back(notice);
        ld_corrections.push_back({{"@type", "CorrectionComment"},
                                  {"text", correction.notice},
                                  {"datePublished", FormatRfc3339(correction.published_at)}});
      }
      if (!top.is_empty_list()) page.set("notices_top", top);
      if (!bottom.is_empty_list()) page.set("notices_bottom", bottom);
    }

    if (questions_) {
      auto questions = questions_(article->id);
      if (!questions) return FromError(questions.error());
      auto links = [](const std::vector<store::ArticleLink>& articles) {
        Data list{Data::type::list};
        for (const auto& linked : articles) {
          Data item;
          item.set("slug", linked.slug);
          item.set("headline", linked.headline);
          list.push_back(item);
        }
        return list;
      };
      page.set("followups", links(questions->followups));
      page.set("follows_up_on", links(questions->follows_up_on));
      Data open_questions{Data::type::list};
      for (const auto& line : questions->open_questions) {
        Data item;
        item.set("body", line.body);
        open_questions.push_back(item);
      }
      if (!questions->open_questions.empty()) page.set("has_open_questions", true);
      page.set("open_questions", open_questions);
      page.set("questions_unanswered", std::to_string(questions->unanswered));
      page.set("questions_answered", std::to_string(questions->answered));
    }

    nlohmann::json ld = {
        {"@context", "https://schema.org"},
        {"@type", "NewsArticle"},
        {"headline", f.headline},
        {"datePublished", FormatRfc3339(published)},
        {"dateModified", FormatRfc3339(article->updated_at)},
        {"mainEntityOfPage", url},
        {"url", url},
        {"articleSection", article->section_name},
        {"publisher", {{"@type", "Organization"}, {"name", options_.title}}},
    };
    if (!ld_corrections.empty()) ld["correction"] = ld_corrections;
    if (!f.deck.empty()) ld["description"] = f.deck;
    if (!f.dateline.empty()) ld["dateline"] = f.dateline;
    if (!f.byline.empty()) {
      ld["author"] = {{"@type", "Person"}, {"name", f.byline}};
    } else {
      ld["author"] = {{"@type", "Organization"}, {"name", f.credit}};
    }

    Data layout = LayoutData(f.headline + " · " + options_.title, f.section_slug);
    SetIfPresent(layout, "description", f.deck);
    layout.set("canonical", url);
    Data og;
    og.set("type", "article");
    og.set("title", f.headline);
    og.set("url", url);
    SetIfPresent(og, "description", f.deck);
    og.set("published_time", FormatRfc3339(published));
    og.set("modified_time", FormatRfc3339(article->updated_at));
    og.set("section", article->section_name);
    layout.set("og", og);
    layout.set("json_ld", JsonForScriptBlock(ld));
    if (viewer_layout) {
      layout.set("viewer_name", viewer_layout->get("viewer_name") ? *viewer_layout->get("viewer_name") : Data(""));
      layout.set("csrf", viewer_layout->get("csrf") ? *viewer_layout->get("csrf") : Data(""));
    }
    http::Response response = http::Response::Html(200, RenderPage("article", page, layout));
    if (viewer_layout) response.SetHeader("Cache-Control", "private, no-store");
    return response;
  }
}

http::Response SitePages::Search(const std::string& query_string) {
  const auto form = http::ParseForm(query_string);
  const std::string query = form.count("q") ? form.at("q") : std::string();
  Data page;
  Data layout = LayoutData("Search · " + options_.title, "");
  int status = 200;
  if (!std::string(TrimWhitespace(query)).empty()) {
    auto hits = articles_.Search(query, 30);
    if (!hits) {
      status = http::StatusOfError(hits.error().code);
      page.set("error", hits.error().message);
    } else {
      page.set("has_query", true);
      page.set("query", query);
      layout.set("query", query);
      page.set("count", std::to_string(hits->size()));
      if (hits->size() == 1) page.set("one", true);
      Data list{Data::type::list};
      for (const auto& hit : *hits) {
        Data item = SummaryData(hit.article);
        item.set("snippet_html", SnippetHtml(hit.snippet));
        list.push_back(item);
      }
      page.set("hits", list);
    }
  }
  http::Response response = http::Response::Html(status, RenderPage("search", page, layout));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::Response SitePages::Feed(const std::string& kind, const std::string& section) {
  return Cached("feed:" + kind + ":" + section, [&]() -> http::Response {
    FeedInfo info{options_.title, options_.base_url, options_.base_url + "/", "", section};
    if (!section.empty()) {
      auto found = articles_.Section(section, 1, std::nullopt);
      if (!found) return FromError(found.error());
      info.title = found->section.name + " · " + options_.title;
      info.page_url = options_.base_url + "/sections/" + section;
    }
    auto latest = articles_.Latest(options_.feed_size, section);
    if (!latest) return FromError(latest.error());
    http::Response response;
    if (kind == "atom") {
      info.self_url = info.page_url == options_.base_url + "/"
                          ? options_.base_url + "/feed.atom"
                          : info.page_url + "/feed.atom";
      response = http::Response::Html(200, RenderAtom(info, *latest));
      response.content_type = "application/atom+xml; charset=utf-8";
    } else {
      info.self_url = info.page_url == options_.base_url + "/"
                          ? options_.base_url + "/feed.rss"
                          : info.page_url + "/feed.rss";
      response = http::Response::Html(200, RenderRss(info, *latest));
      response.content_type = "application/rss+xml; charset=utf-8";
    }
    return response;
  });
}

http::Response SitePages::Sitemap() {
  return Cached("sitemap", [&]() -> http::Response {
    auto sections = articles_.Sections();
    auto latest = articles_.Latest(50000);
    if (!sections) return FromError(sections.error());
    if (!latest) return FromError(latest.error());
    http::Response response = http::Response::Html(200, RenderSitemap(options_.base_url, *sections, *latest));
    response.content_type = "application/xml; charset=utf-8";
    return response;
  });
}

http::Response SitePages::Robots() {
  http::Response response = http::Response::Text(
      200, "User-agent: *\nDisallow: /staff/\nDisallow: /api/\nAllow: /\n\nSitemap: " +
               options_.base_url + "/sitemap.xml\n");
  response.SetHeader("Cache-Control", "public, max-age=3600");
  return response;
}

http::Response SitePages::Document(const std::string& title, int version, const std::string& markdown) {
  Data page;
  page.set("html", articles::RenderMarkdown(markdown, false));
  page.set("version", std::to_string(version));
  Data layout = LayoutData(title + " · " + options_.title, "");
  http::Response response = http::Response::Html(200, RenderPage("document", page, layout));
  response.SetHeader("Cache-Control", "public, max-age=60");
  return response;
}

http::Response SitePages::Static(const std::string& file) {
  const auto asset = static_bodies_.find(file);
  if (asset == static_bodies_.end()) return NotFound();
  http::Response response;
  response.content_type = ContentTypeOf(file);
  response.shared_body = asset->second.body;
  response.etag = asset->second.etag;
  // Pages link assets with ?v=<hash>, so a new binary changes the URL.
  response.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
  return response;
}

http::Response SitePages::Error(int status, const std::string& heading, const std::string& message) {
  Data page;
  page.set("heading", heading);
  page.set("message", message);
  Data layout = LayoutData(heading + " · " + options_.title, "");
  http::Response response = http::Response::Html(status, RenderPage("error", page, layout));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::Response SitePages::NotFound() {
  return Error(404, "Page not found", "There is no page at this address. It may have moved or never existed.");
}

http::Response SitePages::MethodNotAllowed(const std::vector<std::string>& allowed) {
  std::string allow;
  for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
  http::Response response =
      Error(405, "Method not allowed", "This address does not accept that kind of request.");
  response.SetHeader("Allow", allow);
  return response;
}

}  // namespace masthead::pages
