#include "app/app.h"

#include <filesystem>

#include "store/sqlite/sqlite_store.h"

namespace masthead::app {

std::vector<std::pair<std::string, std::string>> SecurityHeaders() {
  return {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "strict-origin-when-cross-origin"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
  };
}

Result<std::unique_ptr<App>> App::Open(const Config& config) {
  std::unique_ptr<App> app(new App(config));
  const auto parent = std::filesystem::path(config.database_path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  auto store = store::sqlite::SqliteStore::Open(
      {.path = config.database_path, .synchronous = config.database_synchronous});
  if (!store) return tl::unexpected(store.error());
  app->store_ = std::move(*store);
  auto migrated = app->store_->Migrate();
  if (!migrated) return tl::unexpected(migrated.error());
  app->articles_ = std::make_unique<articles::ArticleService>(*app->store_);
  app->pages_ = std::make_unique<pages::SitePages>(*app->articles_, config.site);
  app->BuildRoutes();
  std::vector<std::string> names;
  for (const auto& route : app->router_.routes()) names.push_back(route.name);
  app->metrics_ = std::make_unique<http::Metrics>(names);
  return app;
}

App::~App() { Shutdown(); }

Status App::Start() {
  http::ServerOptions options = config_.server;
  options.default_headers = SecurityHeaders();
  if (config_.access_log) access_log_ = std::make_unique<http::AccessLog>(stdout);
  server_ = std::make_unique<http::Server>(
      options,
      [this](const http::Request& request, int& route_index) { return Handle(request, route_index); },
      metrics_.get(), access_log_.get());
  return server_->Start();
}

void App::Shutdown() {
  if (server_) server_->Shutdown();
}

http::Response App::Handle(const http::Request& request, int& route_index) {
  const http::RouteMatch match = router_.Match(request.method, request.path);
  if (match.route == nullptr) {
    route_index = metrics_ ? metrics_->unmatched_index() : -1;
    if (match.path_matched) return pages_->MethodNotAllowed(match.allowed_methods);
    return pages_->NotFound();
  }
  route_index = static_cast<int>(match.route - router_.routes().data());
  if (match.route->access != http::Access::kPublic) {
    // Accounts arrive with the discussion; until then nothing non-public exists.
    return pages_->Error(401, "Please log in", "This page is for signed-in readers and staff.");
  }
  try {
    return match.route->handler(request, match.params);
  } catch (const std::exception& error) {
    // Handlers return errors as values; an exception here is a bug, not an answer.
    std::fprintf(stderr, "masthead: handler %s threw: %s\n", match.route->name.c_str(), error.what());
    return pages_->Error(500, "Something went wrong", "Please try again in a moment.");
  }
}

}  // namespace masthead::app
