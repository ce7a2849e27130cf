#include "newsroom/charts.h"

#include <algorithm>

#include "base/html.h"

namespace masthead::newsroom {
namespace {

constexpr int kWidth = 640;

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

std::string ValueText(const BarChart& chart, const ChartBar& bar) {
  return bar.label + ": " + std::to_string(bar.value) + (chart.unit.empty() ? "" : " " + chart.unit);
}

}  // namespace

std::string DescribeValues(const BarChart& chart) {
  if (chart.bars.empty()) return "No data yet.";
  std::string text;
  for (const auto& bar : chart.bars) {
    if (!text.empty()) text += "; ";
    text += ValueText(chart, bar);
  }
  return text + ".";
}

std::string RenderBarChart(const BarChart& chart) {
  std::int64_t largest = 1;
  for (const auto& bar : chart.bars) largest = std::max(largest, bar.value);
  const int count = std::max<int>(1, static_cast<int>(chart.bars.size()));
  const int row = 28;
  const int height = chart.horizontal ? 16 + count * row : 240;
  std::string svg;
  svg += "<svg class=\"chart\" id=\"" + EscapeHtml(chart.id) + "\" role=\"img\" viewBox=\"0 0 " +
         std::to_string(kWidth) + " " + std::to_string(height) + "\" aria-labelledby=\"" + EscapeHtml(chart.id) +
         "-title " + EscapeHtml(chart.id) + "-desc\" xmlns=\"http://www.w3.org/2000/svg\">";
  svg += "<title id=\"" + EscapeHtml(chart.id) + "-title\">" + EscapeHtml(chart.title) + "</title>";
  svg += "<desc id=\"" + EscapeHtml(chart.id) + "-desc\">" +
         EscapeHtml((chart.description.empty() ? "" : chart.description + " ") + DescribeValues(chart)) + "</desc>";
  if (chart.bars.empty()) {
    svg += "<text class=\"chart-empty\" x=\"" + std::to_string(kWidth / 2) + "\" y=\"" +
           std::to_string(height / 2) + "\" text-anchor=\"middle\">No data yet</text></svg>";
    return svg;
  }
  if (chart.horizontal) {
    const double left = 220, right = kWidth - 60;
    for (int i = 0; i < count; ++i) {
      const ChartBar& bar = chart.bars[static_cast<std::size_t>(i)];
      const double y = 8 + i * row;
      const double length = (right - left) * static_cast<double>(bar.value) / static_cast<double>(largest);
      svg += "<g class=\"chart-bar\" data-label=\"" + EscapeHtml(bar.label) + "\" data-value=\"" +
             std::to_string(bar.value) + "\"><title>" + EscapeHtml(ValueText(chart, bar)) + "</title>";
      svg += "<text class=\"chart-label\" x=\"" + Number(left - 8) + "\" y=\"" + Number(y + 15) +
             "\" text-anchor=\"end\">" + EscapeHtml(bar.label) + "</text>";
      svg += "<rect x=\"" + Number(left) + "\" y=\"" + Number(y + 2) + "\" width=\"" +
             Number(std::max(length, 1.0)) + "\" height=\"" + std::to_string(row - 8) + "\"></rect>";
      svg += "<text class=\"chart-value\" x=\"" + Number(left + length + 6) + "\" y=\"" + Number(y + 15) + "\">" +
             std::to_string(bar.value) + "</text></g>";
    }
  } else {
    const double top = 20, bottom = 200, left = 10, right = kWidth - 10;
    const double slot = (right - left) / count;
    const double width = std::max(2.0, slot * 0.75);
    svg += "<line class=\"chart-axis\" x1=\"" + Number(left) + "\" y1=\"" + Number(bottom) + "\" x2=\"" +
           Number(right) + "\" y2=\"" + Number(bottom) + "\"></line>";
    for (int i = 0; i < count; ++i) {
      const ChartBar& bar = chart.bars[static_cast<std::size_t>(i)];
      const double length = (bottom - top) * static_cast<double>(bar.value) / static_cast<double>(largest);
      const double x = left + i * slot + (slot - width) / 2;
      svg += "<g class=\"chart-bar\" data-label=\"" + EscapeHtml(bar.label) + "\" data-value=\"" +
             std::to_string(bar.value) + "\"><title>" + EscapeHtml(ValueText(chart, bar)) + "</title>";
      svg += "<rect x=\"" + Number(x) + "\" y=\"" + Number(bottom - length) + "\" width=\"" + Number(width) +
             "\" height=\"" + Number(length) + "\"></rect>";
      if (bar.value > 0) {
        svg += "<text class=\"chart-value\" x=\"" + Number(x + width / 2) + "\" y=\"" + Number(bottom - length - 4) +
               "\" text-anchor=\"middle\">" + std::to_string(bar.value) + "</text>";
      }
      if (chart.label_every <= 1 || i % chart.label_every == 0) {
        svg += "<text class=\"chart-label\" x=\"" + Number(x + width / 2) + "\" y=\"" + Number(bottom + 18) +
               "\" text-anchor=\"middle\">" + EscapeHtml(bar.label) + "</text>";
      }
      svg += "</g>";
    }
  }
  svg += "</svg>";
  return svg;
}

}  // namespace masthead::newsroom
