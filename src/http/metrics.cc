#include "http/metrics.h"

#include <algorithm>
#include <cstdio>

namespace masthead::http {

Metrics::Metrics(std::vector<std::string> route_names) {
  route_names.push_back("unmatched");
  for (auto& name : route_names) {
    auto stats = std::make_unique<RouteStats>();
    stats->name = std::move(name);
    routes_.push_back(std::move(stats));
  }
}

int Metrics::RouteIndex(const std::string& name) const {
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i]->name == name) return static_cast<int>(i);
  }
  return unmatched_index();
}

const std::string& Metrics::RouteName(int index) const {
  if (index < 0 || index >= static_cast<int>(routes_.size())) index = unmatched_index();
  return routes_[static_cast<std::size_t>(index)]->name;
}

void Metrics::Record(int route_index, int status, double seconds) {
  if (route_index < 0 || route_index >= static_cast<int>(routes_.size())) {
    route_index = unmatched_index();
  }
  RouteStats& stats = *routes_[static_cast<std::size_t>(route_index)];
  const int status_class = std::clamp(status / 100, 1, 5) - 1;
  stats.by_class[static_cast<std::size_t>(status_class)].fetch_add(1, std::memory_order_relaxed);
  std::size_t bucket = 0;
  while (bucket < kBucketSeconds.size() && seconds > kBucketSeconds[bucket]) ++bucket;
  stats.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  stats.count.fetch_add(1, std::memory_order_relaxed);
  stats.sum_microseconds.fetch_add(static_cast<std::uint64_t>(seconds * 1e6),
                                   std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out;
  char line[256];
  out += "# HELP masthead_http_requests_total HTTP requests by route and status class.\n";
  out += "# TYPE masthead_http_requests_total counter\n";
  for (const auto& stats : routes_) {
    for (std::size_t c = 0; c < stats->by_class.size(); ++c) {
      const auto value = stats->by_class[c].load(std::memory_order_relaxed);
      if (value == 0) continue;
      std::snprintf(line, sizeof line,
                    "masthead_http_requests_total{route=\"%s\",status=\"%zuxx\"} %llu\n",
                    stats->name.c_str(), c + 1, static_cast<unsigned long long>(value));
      out += line;
    }
  }
  out += "# HELP masthead_http_request_duration_seconds Time from request read to response written.\n";
  out += "# TYPE masthead_http_request_duration_seconds histogram\n";
  for (const auto& stats : routes_) {
    const auto count = stats->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBucketSeconds.size(); ++b) {
      cumulative += stats->buckets[b].load(std::memory_order_relaxed);
      std::snprintf(line, sizeof line,
                    "masthead_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    stats->name.c_str(), kBucketSeconds[b], static_cast<unsigned long long>(cumulative));
      out += line;
    }
    cumulative += stats->buckets.back().load(std::memory_order_relaxed);
    std::snprintf(line, sizeof line,
                  "masthead_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                  "masthead_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "masthead_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  stats->name.c_str(), static_cast<unsigned long long>(cumulative),
                  stats->name.c_str(),
                  static_cast<double>(stats->sum_microseconds.load(std::memory_order_relaxed)) / 1e6,
                  stats->name.c_str(), static_cast<unsigned long long>(count));
    out += line;
  }
  out += "# HELP masthead_http_connections_open Open client connections.\n";
  out += "# TYPE masthead_http_connections_open gauge\n";
  out += "masthead_http_connections_open " +
         std::to_string(connections_open_.load(std::memory_order_relaxed)) + "\n";
  return out;
}

}  // namespace masthead::http
