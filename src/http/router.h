// The route table: method + path pattern -> handler. Patterns are literal
// segments and "{name}" captures of one segment ("/articles/{slug}"). All routes
// are registered in one place (app/routes.cc), grouped by who may call them.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace masthead::http {

using Handler = std::function<Response(const Request&, const RouteParams&)>;

// Who may call a route; enforced by the app before the handler runs.
enum class Access { kPublic, kReader, kStaff, kAdmin };

struct Route {
  std::string method;
  std::string pattern;
  std::string name;  // label in metrics and logs, e.g. "article"
  Access access = Access::kPublic;
  Handler handler;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this path
  RouteParams params;
  bool path_matched = false;     // some route has this path (so 405, not 404)
  std::vector<std::string> allowed_methods;
};

class Router {
 public:
  void Add(Route route);
  // HEAD matches GET routes. Thread-safe after the table is built.
  RouteMatch Match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{x}" marks a capture
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace masthead::http
