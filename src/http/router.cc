#include "http/router.h"

namespace masthead::http {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool IsCapture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(Route route) {
  Compiled compiled;
  for (std::string_view segment : SplitPath(route.pattern)) compiled.segments.emplace_back(segment);
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(compiled));
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch match;
  const auto segments = SplitPath(path);
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& pattern = compiled_[i].segments;
    if (pattern.size() != segments.size()) continue;
    // Compared first, captured only for the route taken: most routes are
    // looked at only to be passed over, and capturing allocates.
    bool ok = true;
    for (std::size_t k = 0; k < pattern.size() && ok; ++k) {
      ok = IsCapture(pattern[k]) ? !segments[k].empty() : pattern[k] == segments[k];
    }
    if (!ok) continue;
    match.path_matched = true;
    match.allowed_methods.push_back(routes_[i].method);
    if (routes_[i].method == wanted && match.route == nullptr) {
      match.route = &routes_[i];
      for (std::size_t k = 0; k < pattern.size(); ++k) {
        if (IsCapture(pattern[k])) match.params.emplace(pattern[k].substr(1, pattern[k].size() - 2), segments[k]);
      }
    }
  }
  if (match.route == nullptr && match.path_matched) {
    for (const auto& allowed : match.allowed_methods) {
      if (allowed == "GET") {
        match.allowed_methods.push_back("HEAD");
        break;
      }
    }
  }
  return match;
}

}  // namespace masthead::http
