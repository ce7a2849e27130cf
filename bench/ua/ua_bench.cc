// Throughput of masthead::ua::Parser over the user agents of uap-core's
// tests/test_ua.yaml: user agent + OS + device per string, cache disabled, one
// thread. The reference is uap-core's own JavaScript implementation, run by
// run.sh over the same strings; this program prints the line run.sh reads:
//   masthead_ua strings_per_second=<rate> strings=<n>
//
// Usage: ua_bench [--test_ua=PATH] [--regexes=PATH] [--passes=N] [benchmark flags]
//
// --passes=N parses every string N times (after one warming pass) and exits
// without timing: a fixed amount of work for a simulator such as
//   valgrind --tool=cachegrind ua_bench --passes=3
// whose instruction and cache-miss counts, unlike times on a shared machine,
// do not vary from run to run.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "ua/parser.h"

namespace {

std::string g_test_ua = "/usr/share/uap-core/tests/test_ua.yaml";
std::string g_regexes(masthead::ua::kDefaultRegexesPath);
std::vector<std::string> g_strings;
const masthead::ua::Parser* g_parser = nullptr;

void BM_ParseAllUncached(benchmark::State& state) {
  std::size_t parsed = 0;
  for (auto _ : state) {
    for (const std::string& ua : g_strings) {
      masthead::ua::ParsedUa result = g_parser->Parse(ua);  // the cache is off
      benchmark::DoNotOptimize(result);
    }
    parsed += g_strings.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(parsed));
  state.counters["strings_per_second"] =
      benchmark::Counter(static_cast<double>(parsed), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseAllUncached)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// The same, the three lists one after another instead of side by side.
void BM_ParseAllListAfterList(benchmark::State& state) {
  for (auto _ : state) {
    for (const std::string& ua : g_strings) {
      masthead::ua::ParsedUa result{g_parser->ParseUserAgent(ua), g_parser->ParseOs(ua),
                                    g_parser->ParseDevice(ua)};
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_strings.size()));
}
BENCHMARK(BM_ParseAllListAfterList)->Unit(benchmark::kMillisecond);

// Each list alone, to see where the time of the whole goes.
template <typename Parse>
void ParseOneList(benchmark::State& state, Parse parse) {
  for (auto _ : state) {
    for (const std::string& ua : g_strings) benchmark::DoNotOptimize(parse(ua));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_strings.size()));
}
void BM_UserAgentList(benchmark::State& state) {
  ParseOneList(state, [](const std::string& ua) { return g_parser->ParseUserAgent(ua); });
}
void BM_OsList(benchmark::State& state) {
  ParseOneList(state, [](const std::string& ua) { return g_parser->ParseOs(ua); });
}
void BM_DeviceList(benchmark::State& state) {
  ParseOneList(state, [](const std::string& ua) { return g_parser->ParseDevice(ua); });
}
BENCHMARK(BM_UserAgentList)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OsList)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DeviceList)->Unit(benchmark::kMillisecond);

// Prints the rate in the plain form run.sh parses.
class RateReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      auto it = run.counters.find("strings_per_second");
      if (it == run.counters.end()) continue;
      std::printf("masthead_ua strings_per_second=%.0f strings=%zu\n", it->second.value,
                  g_strings.size());
      std::fflush(stdout);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  long passes = -1;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--passes=", 9) == 0) {
      passes = std::strtol(argv[i] + 9, nullptr, 10);
    } else if (std::strncmp(argv[i], "--test_ua=", 10) == 0) {
      g_test_ua = argv[i] + 10;
    } else if (std::strncmp(argv[i], "--regexes=", 10) == 0) {
      g_regexes = argv[i] + 10;
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());

  try {
    for (const YAML::Node& test_case : YAML::LoadFile(g_test_ua)["test_cases"]) {
      g_strings.push_back(test_case["user_agent_string"].as<std::string>());
    }
  } catch (const YAML::Exception& e) {
    std::fprintf(stderr, "ua_bench: cannot read %s: %s\n", g_test_ua.c_str(), e.what());
    return 2;
  }
  auto parser = masthead::ua::Parser::Load(g_regexes, {.cache_capacity = 0});
  if (!parser) {
    std::fprintf(stderr, "ua_bench: %s\n", parser.error().ToString().c_str());
    return 2;
  }
  g_parser = parser->get();

  if (passes >= 0) {
    for (long pass = 0; pass <= passes; ++pass) {
      for (const std::string& ua : g_strings) {
        masthead::ua::ParsedUa result = g_parser->Parse(ua);
        benchmark::DoNotOptimize(result);
      }
    }
    return 0;
  }

  RateReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
