#include "newsroom/dashboard.h"

#include <algorithm>
#include <array>
#include <map>

#include "moderation/moderation_desk.h"

namespace masthead::newsroom {
namespace {

std::int64_t CountOf(const std::vector<store::KeyCount>& counts, const std::string& key) {
  for (const auto& c : counts) {
    if (c.key == key) return c.count;
  }
  return 0;
}

std::string Percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "0%";
  return std::to_string((part * 100 + whole / 2) / whole) + "%";
}

std::string ReportReasonLabel(const std::string& slug) {
  for (const auto& info : moderation::ReportReasons()) {
    if (info.slug == slug) return std::string(info.label);
  }
  return slug;
}

}  // namespace

std::vector<ChartBar> DecisionTimeBuckets(const std::vector<std::int64_t>& seconds) {
  struct Bucket {
    const char* label;
    std::int64_t below;
  };
  static constexpr std::array<Bucket, 5> kBuckets = {{{"under 15 min", 15 * 60},
                                                      {"15–60 min", 3600},
                                                      {"1–4 hours", 4 * 3600},
                                                      {"4–24 hours", 24 * 3600},
                                                      {"over a day", INT64_MAX}}};
  std::vector<ChartBar> bars;
  for (const auto& bucket : kBuckets) bars.push_back({bucket.label, 0});
  for (std::int64_t wait : seconds) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      if (wait < kBuckets[i].below) {
        ++bars[i].value;
        break;
      }
    }
  }
  return bars;
}

Result<std::vector<BarChart>> BuildDashboard(store::Store& store, UnixSeconds now, int days) {
  const UnixSeconds this_hour = (now / 3600) * 3600;
  auto figures = store.CountNewsroomFigures(
      {.since = now - static_cast<UnixSeconds>(days) * 86400, .hours_since = this_hour - 23 * 3600});
  if (!figures) return tl::unexpected(figures.error());
  const std::string period = "in the last " + std::to_string(days) + " days";
  std::vector<BarChart> charts;

  BarChart per_hour{.id = "chart-comments-per-hour",
                    .title = "Comments per hour",
                    .description = "Comments posted in each of the last 24 hours (UTC), whatever became of them.",
                    .unit = "comments",
                    .label_every = 3};
  for (int i = 0; i < 24; ++i) {
    const UnixSeconds hour = this_hour - (23 - i) * 3600;
    char label[8];
    std::snprintf(label, sizeof label, "%02d:00", static_cast<int>((hour % 86400) / 3600));
    per_hour.bars.push_back({label, CountOf(figures->comments_per_hour, std::to_string(hour))});
  }
  charts.push_back(std::move(per_hour));

  std::int64_t total = 0;
  for (const auto& c : figures->comments_by_status) total += c.count;
  const std::int64_t held = CountOf(figures->comments_by_status, "held");
  const std::int64_t rejected = CountOf(figures->comments_by_status, "rejected");
  BarChart shares{.id = "chart-held-rejected",
                  .title = "Held and rejected comments",
                  .description = "What became of the " + std::to_string(total) + " comments posted " + period +
                                 ": " + Percent(held, total) + " wait held for a moderator, " +
                                 Percent(rejected, total) + " were rejected.",
                  .unit = "comments",
                  .horizontal = true};
  for (const char* status : {"published", "held", "rejected", "deleted"}) {
    const std::int64_t count = CountOf(figures->comments_by_status, status);
    std::string label = status;
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
    shares.bars.push_back({label + " (" + Percent(count, total) + ")", count});
  }
  charts.push_back(std::move(shares));

  BarChart reasons{.id = "chart-rejection-reasons",
                   .title = "Reasons for rejections",
                   .description = "The rule of the Community Guidelines each rejection " + period + " cited.",
                   .unit = "rejections",
                   .horizontal = true};
  for (const auto& c : figures->rejections_by_reason) {
    reasons.bars.push_back({c.key.empty() ? std::string("no rule given") : moderation::ClauseCitation(c.key), c.count});
  }
  charts.push_back(std::move(reasons));

  BarChart reports{.id = "chart-reports",
                   .title = "Readers' reports",
                   .description = "Reports readers sent " + period + ", by the reason they gave.",
                   .unit = "reports",
                   .horizontal = true};
  for (const auto& c : figures->reports_by_reason) reports.bars.push_back({ReportReasonLabel(c.key), c.count});
  charts.push_back(std::move(reports));

  std::vector<std::int64_t> waits = figures->seconds_to_first_decision;
  std::string median = "no decisions yet";
  if (!waits.empty()) {
    std::sort(waits.begin(), waits.end());
    const std::int64_t middle = waits[waits.size() / 2];
    median = middle < 3600 ? std::to_string(middle / 60) + " minutes" : std::to_string(middle / 3600) + " hours";
  }
  BarChart first_decision{.id = "chart-first-decision",
                          .title = "Time to the first decision",
                          .description = "How long comments posted " + period +
                                         " waited for a moderator's first approval or rejection (median: " + median +
                                         ").",
                          .unit = "comments",
                          .horizontal = true};
  first_decision.bars = DecisionTimeBuckets(figures->seconds_to_first_decision);
  charts.push_back(std::move(first_decision));

  BarChart cases{.id = "chart-accuracy",
                 .title = "Accuracy cases by state",
                 .description = "Every accuracy case readers opened, by where it stands now.",
                 .unit = "cases",
                 .horizontal = true};
  for (const char* state : {"new", "triaged", "investigating", "resolved"}) {
    cases.bars.push_back({state, CountOf(figures->accuracy_cases_by_state, state)});
  }
  charts.push_back(std::move(cases));
  return charts;
}

}  // namespace masthead::newsroom
