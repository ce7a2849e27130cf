// The composition root: reads the config, opens the store engine, builds the
// services and pages, and binds them to routes. Nothing below app/ reads config
// or chooses an engine.
#pragma once

#include <memory>

#include "app/config.h"
#include "articles/article_service.h"
#include "http/access_log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "pages/site_pages.h"
#include "store/store.h"

namespace masthead::app {

class App {
 public:
  // Opens and migrates the store. Does not listen yet.
  static Result<std::unique_ptr<App>> Open(const Config& config);
  ~App();

  articles::ArticleService& articles() { return *articles_; }
  store::Store& store() { return *store_; }

  // Starts serving; port() tells where (useful with port 0).
  Status Start();
  std::uint16_t port() const { return server_ ? server_->port() : 0; }
  // Graceful: requests in flight finish.
  void Shutdown();

  // One request through routing, access checks and error pages. Public so tests
  // can call it without a socket; the server calls it for every request.
  http::Response Handle(const http::Request& request, int& route_index);

 private:
  explicit App(const Config& config) : config_(config) {}
  void BuildRoutes();

  Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<articles::ArticleService> articles_;
  std::unique_ptr<pages::SitePages> pages_;
  http::Router router_;
  std::unique_ptr<http::Metrics> metrics_;
  std::unique_ptr<http::AccessLog> access_log_;
  std::unique_ptr<http::Server> server_;
};

// The headers every response carries. The CSP allows no inline script and no
// third-party origin; JSON-LD blocks are data, not script, and are unaffected.
std::vector<std::pair<std::string, std::string>> SecurityHeaders();

}  // namespace masthead::app
