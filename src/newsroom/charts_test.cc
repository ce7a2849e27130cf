#include <gtest/gtest.h>

#include "newsroom/charts.h"

namespace masthead::newsroom {
namespace {

TEST(BarChartTest, NamesItselfAndStatesEveryValueForScreenReaders) {
  BarChart chart{.id = "c1", .title = "Reports", .description = "Reports by reason.", .unit = "reports",
                 .bars = {{"Spam", 3}, {"Hate", 1}}, .horizontal = true};
  const std::string svg = RenderBarChart(chart);
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("aria-labelledby=\"c1-title c1-desc\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"c1-title\">Reports</title>"), std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"c1-desc\">Reports by reason. Spam: 3 reports; Hate: 1 reports.</desc>"),
            std::string::npos);
  EXPECT_NE(svg.find("data-label=\"Spam\" data-value=\"3\""), std::string::npos);
  EXPECT_EQ(svg.find("style"), std::string::npos);  // the CSP allows no inline style
}

TEST(BarChartTest, EscapesLabelsAndTitles) {
  BarChart chart{.id = "c2", .title = "<script>", .bars = {{"\"><script>alert(1)</script>", 2}}};
  const std::string svg = RenderBarChart(chart);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
}

TEST(BarChartTest, SaysSoWhenThereIsNoData) {
  BarChart chart{.id = "c3", .title = "Empty"};
  const std::string svg = RenderBarChart(chart);
  EXPECT_NE(svg.find("No data yet"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

TEST(BarChartTest, BarsGrowWithTheirValues) {
  BarChart chart{.id = "c4", .title = "T", .bars = {{"a", 1}, {"b", 4}}};
  const std::string svg = RenderBarChart(chart);
  // The largest value fills the plot height (180 units); the other a quarter of it.
  EXPECT_NE(svg.find("height=\"180.0\""), std::string::npos);
  EXPECT_NE(svg.find("height=\"45.0\""), std::string::npos);
}

}  // namespace
}  // namespace masthead::newsroom
