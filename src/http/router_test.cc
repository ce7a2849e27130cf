#include "http/router.h"

#include <gtest/gtest.h>

namespace masthead::http {
namespace {

Response Named(const std::string& name) { return Response::Text(200, name); }

Router MakeRouter() {
  Router router;
  router.Add({"GET", "/", "front", Access::kPublic, [](const Request&, const RouteParams&) { return Named("front"); }});
  router.Add({"GET", "/sections/{slug}/feed.atom", "section_atom", Access::kPublic,
              [](const Request&, const RouteParams& p) { return Named("atom " + p.at("slug")); }});
  router.Add({"GET", "/articles/{slug}", "article", Access::kPublic,
              [](const Request&, const RouteParams& p) { return Named(p.at("slug")); }});
  router.Add({"POST", "/articles/{slug}", "article_post", Access::kReader,
              [](const Request&, const RouteParams&) { return Named("post"); }});
  return router;
}

TEST(RouterTest, MatchesLiteralsAndCaptures) {
  const Router router = MakeRouter();
  auto match = router.Match("GET", "/articles/russia");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->name, "article");
  EXPECT_EQ(match.params.at("slug"), "russia");
  match = router.Match("GET", "/sections/world/feed.atom");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.params.at("slug"), "world");
  EXPECT_NE(router.Match("GET", "/").route, nullptr);
}

TEST(RouterTest, HeadUsesGetRoutes) {
  const Router router = MakeRouter();
  auto match = router.Match("HEAD", "/articles/x");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->method, "GET");
}

TEST(RouterTest, TellsNotFoundFromMethodNotAllowed) {
  const Router router = MakeRouter();
  auto missing = router.Match("GET", "/nowhere");
  EXPECT_EQ(missing.route, nullptr);
  EXPECT_FALSE(missing.path_matched);
  auto wrong_method = router.Match("DELETE", "/articles/x");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_TRUE(wrong_method.path_matched);
  EXPECT_EQ(wrong_method.allowed_methods, (std::vector<std::string>{"GET", "POST", "HEAD"}));
  EXPECT_EQ(router.Match("GET", "/articles/").route, nullptr);  // empty capture
  EXPECT_EQ(router.Match("GET", "/articles/x/y").route, nullptr);
}

}  // namespace
}  // namespace masthead::http
