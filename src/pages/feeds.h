// Atom 1.0, RSS 2.0 and sitemap XML. Every value is XML-escaped here.
#pragma once

#include <string>
#include <vector>

#include "store/types.h"

namespace masthead::pages {

struct FeedInfo {
  std::string title;
  std::string base_url;
  std::string page_url;  // the HTML page the feed mirrors
  std::string self_url;
  std::string section;   // empty for the whole site
};

std::string RenderAtom(const FeedInfo& info, const std::vector<store::ArticleSummary>& articles);
std::string RenderRss(const FeedInfo& info, const std::vector<store::ArticleSummary>& articles);
std::string RenderSitemap(const std::string& base_url, const std::vector<store::Section>& sections,
                          const std::vector<store::ArticleSummary>& articles);

}  // namespace masthead::pages
