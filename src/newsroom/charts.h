// Bar charts as server-rendered SVG: no script, readable by screen readers
// (role="img" with a <title> and a <desc> that states every value), and styled
// by classes in site.css (the strict CSP allows no inline style).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace masthead::newsroom {

struct ChartBar {
  std::string label;
  std::int64_t value = 0;
};

struct BarChart {
  std::string id;           // unique on the page: ids of the title and description
  std::string title;        // e.g. "Comments per hour"
  std::string description;  // what is counted; the values are added to it
  std::string unit;         // "comments", said after each value
  std::vector<ChartBar> bars;
  // Columns over time (labels under every label_every-th bar) or, for
  // categories with longer names, rows with the label in front.
  bool horizontal = false;
  int label_every = 1;
};

// The <svg> element, every text in it escaped.
std::string RenderBarChart(const BarChart& chart);

// "label: value unit; ..." as the chart's description ends.
std::string DescribeValues(const BarChart& chart);

}  // namespace masthead::newsroom
