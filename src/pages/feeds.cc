#include "pages/feeds.h"

#include <algorithm>

#include "base/html.h"
#include "base/time.h"

namespace masthead::pages {
namespace {

std::string X(const std::string& text) { return EscapeHtml(text); }

std::string ArticleUrl(const std::string& base_url, const std::string& slug) {
  return base_url + "/articles/" + slug;
}

}  // namespace

std::string RenderAtom(const FeedInfo& info, const std::vector<store::ArticleSummary>& articles) {
  UnixSeconds updated = 0;
  for (const auto& a : articles) updated = std::max(updated, a.updated_at);
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  xml += "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  xml += "  <title>" + X(info.title) + "</title>\n";
  xml += "  <id>" + X(info.page_url) + "</id>\n";
  xml += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + X(info.page_url) + "\"/>\n";
  xml += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + X(info.self_url) + "\"/>\n";
  xml += "  <updated>" + FormatRfc3339(updated) + "</updated>\n";
  for (const auto& a : articles) {
    const std::string url = ArticleUrl(info.base_url, a.slug);
    xml += "  <entry>\n";
    xml += "    <title>" + X(a.headline) + "</title>\n";
    xml += "    <id>" + X(url) + "</id>\n";
    xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + X(url) + "\"/>\n";
    xml += "    <published>" + FormatRfc3339(a.published_at) + "</published>\n";
    xml += "    <updated>" + FormatRfc3339(std::max(a.updated_at, a.published_at)) + "</updated>\n";
    xml += "    <author><name>" + X(a.byline.empty() ? a.credit : a.byline) + "</name></author>\n";
    xml += "    <category term=\"" + X(a.section_slug) + "\" label=\"" + X(a.section_name) + "\"/>\n";
    if (!a.deck.empty()) xml += "    <summary>" + X(a.deck) + "</summary>\n";
    xml += "  </entry>\n";
  }
  xml += "</feed>\n";
  return xml;
}

std::string RenderRss(const FeedInfo& info, const std::vector<store::ArticleSummary>& articles) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  xml += "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n";
  xml += "  <title>" + X(info.title) + "</title>\n";
  xml += "  <link>" + X(info.page_url) + "</link>\n";
  xml += "  <description>" + X(info.title) + "</description>\n";
  xml += "  <atom:link href=\"" + X(info.self_url) + "\" rel=\"self\" type=\"application/rss+xml\"/>\n";
  for (const auto& a : articles) {
    const std::string url = ArticleUrl(info.base_url, a.slug);
    xml += "  <item>\n";
    xml += "    <title>" + X(a.headline) + "</title>\n";
    xml += "    <link>" + X(url) + "</link>\n";
    xml += "    <guid isPermaLink=\"true\">" + X(url) + "</guid>\n";
    xml += "    <pubDate>" + FormatRfc1123(a.published_at) + "</pubDate>\n";
    xml += "    <category>" + X(a.section_name) + "</category>\n";
    if (!a.deck.empty()) xml += "    <description>" + X(a.deck) + "</description>\n";
    xml += "  </item>\n";
  }
  xml += "</channel>\n</rss>\n";
  return xml;
}

std::string RenderSitemap(const std::string& base_url, const std::vector<store::Section>& sections,
                          const std::vector<store::ArticleSummary>& articles) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  xml += "  <url><loc>" + X(base_url + "/") + "</loc></url>\n";
  for (const auto& s : sections) {
    xml += "  <url><loc>" + X(base_url + "/sections/" + s.slug) + "</loc></url>\n";
  }
  for (const auto& a : articles) {
    xml += "  <url><loc>" + X(ArticleUrl(base_url, a.slug)) + "</loc><lastmod>" +
           FormatIsoDate(std::max(a.updated_at, a.published_at)) + "</lastmod></url>\n";
  }
  xml += "</urlset>\n";
  return xml;
}

}  // namespace masthead::pages
