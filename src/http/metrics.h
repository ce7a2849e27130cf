// Prometheus metrics: request counts by route and status class, and a latency
// histogram per route. Lock-free on the request path (relaxed atomics).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace masthead::http {

class Metrics {
 public:
  // Route names are fixed at start-up; index kUnmatched counts 404s and errors
  // that matched no route.
  explicit Metrics(std::vector<std::string> route_names);

  int RouteIndex(const std::string& name) const;
  const std::string& RouteName(int index) const;
  int unmatched_index() const { return static_cast<int>(routes_.size()) - 1; }

  void Record(int route_index, int status, double seconds);
  void ConnectionOpened() { connections_open_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { connections_open_.fetch_sub(1, std::memory_order_relaxed); }

  // The text exposition format (version 0.0.4).
  std::string Render() const;

  static constexpr std::array<double, 12> kBucketSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

 private:
  struct RouteStats {
    std::string name;
    std::array<std::atomic<std::uint64_t>, 5> by_class{};  // 1xx..5xx
    std::array<std::atomic<std::uint64_t>, kBucketSeconds.size() + 1> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_microseconds{0};
  };
  std::vector<std::unique_ptr<RouteStats>> routes_;
  std::atomic<std::int64_t> connections_open_{0};
};

}  // namespace masthead::http
