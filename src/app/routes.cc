// Every route of Masthead, in one table, grouped by who may call them.
#include "app/app.h"

namespace masthead::app {

void App::BuildRoutes() {
  using http::Access;
  using http::Request;
  using http::Response;
  using http::RouteParams;
  auto& pages = *pages_;
  auto add = [this](const char* method, const char* pattern, const char* name, Access access,
                    http::Handler handler) {
    router_.Add({method, pattern, name, access, std::move(handler)});
  };

  // --- Public: readers, crawlers, feed readers, monitoring ---------------------
  add("GET", "/", "front", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Front(); });
  add("GET", "/sections/{slug}/feed.atom", "section_atom", Access::kPublic,
      [&pages](const Request&, const RouteParams& p) { return pages.Feed("atom", p.find("slug")->second); });
  add("GET", "/sections/{slug}/feed.rss", "section_rss", Access::kPublic,
      [&pages](const Request&, const RouteParams& p) { return pages.Feed("rss", p.find("slug")->second); });
  add("GET", "/sections/{slug}", "section", Access::kPublic,
      [&pages](const Request& r, const RouteParams& p) { return pages.Section(p.find("slug")->second, r.query); });
  add("GET", "/articles/{slug}", "article", Access::kPublic,
      [&pages](const Request&, const RouteParams& p) { return pages.Article(p.find("slug")->second); });
  add("GET", "/search", "search", Access::kPublic,
      [&pages](const Request& r, const RouteParams&) { return pages.Search(r.query); });
  add("GET", "/feed.atom", "atom", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Feed("atom", ""); });
  add("GET", "/feed.rss", "rss", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Feed("rss", ""); });
  add("GET", "/sitemap.xml", "sitemap", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Sitemap(); });
  add("GET", "/robots.txt", "robots", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Robots(); });
  add("GET", "/terms", "terms", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Document("terms"); });
  add("GET", "/guidelines", "guidelines", Access::kPublic,
      [&pages](const Request&, const RouteParams&) { return pages.Document("guidelines"); });
  add("GET", "/static/{file}", "static", Access::kPublic,
      [&pages](const Request&, const RouteParams& p) { return pages.Static(p.find("file")->second); });

  // --- Operations: health and metrics (bind to loopback or protect at the proxy) -
  add("GET", "/healthz", "healthz", Access::kPublic, [this](const Request&, const RouteParams&) {
    auto version = store_->SchemaVersion();
    Response response = version ? Response::Json(200, "{\"status\":\"ok\",\"schema\":" +
                                                          std::to_string(*version) + "}\n")
                                : Response::Json(503, "{\"status\":\"unavailable\"}\n");
    response.SetHeader("Cache-Control", "no-store");
    return response;
  });
  add("GET", "/metrics", "metrics", Access::kPublic, [this](const Request&, const RouteParams&) {
    Response response = Response::Text(200, metrics_->Render());
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.SetHeader("Cache-Control", "no-store");
    return response;
  });
}

}  // namespace masthead::app
