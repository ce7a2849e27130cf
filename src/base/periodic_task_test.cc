#include "base/periodic_task.h"

#include <atomic>

#include <gtest/gtest.h>

namespace masthead {
namespace {

TEST(PeriodicTaskTest, RunsRepeatedlyUntilStopped) {
  std::atomic<int> runs{0};
  PeriodicTask task;
  task.Start(std::chrono::milliseconds(1), [&runs] { ++runs; });
  while (runs.load() < 3) std::this_thread::yield();
  task.Stop();
  const int after_stop = runs.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(runs.load(), after_stop);
  task.Stop();  // idempotent
}

TEST(PeriodicTaskTest, StopWakesALongSleepAndNeverRuns) {
  std::atomic<int> runs{0};
  PeriodicTask task;
  task.Start(std::chrono::hours(1), [&runs] { ++runs; });
  task.Stop();  // returns without waiting an hour
  EXPECT_EQ(runs.load(), 0);
}

TEST(PeriodicTaskTest, CanRunOnceAtStart) {
  std::atomic<int> runs{0};
  PeriodicTask task;
  task.Start(std::chrono::hours(1), [&runs] { ++runs; }, PeriodicTask::FirstRun::kAtStart);
  while (runs.load() < 1) std::this_thread::yield();
  task.Stop();
  EXPECT_EQ(runs.load(), 1);
}

TEST(PeriodicTaskTest, WakeRunsEarlyAndWakesDuringARunCoalesce) {
  std::atomic<int> runs{0};
  std::atomic<bool> release{false};
  PeriodicTask task;
  task.Start(std::chrono::hours(1), [&] {
    ++runs;
    while (!release.load()) std::this_thread::yield();
  });
  task.Wake();  // an hour early
  while (runs.load() < 1) std::this_thread::yield();
  // Three wakes during the run: one more run, not three.
  task.Wake();
  task.Wake();
  task.Wake();
  release = true;
  while (runs.load() < 2) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  task.Stop();
  EXPECT_EQ(runs.load(), 2);
}

TEST(PeriodicTaskTest, AWakeWaitsTheSettlingTimeAndABurstOfWakesIsOneRun) {
  std::atomic<int> runs{0};
  PeriodicTask task;
  // A burst of a thousand wakes while the first one settles: one run, once the
  // settling time (longer than any burst here could take) is over.
  task.Start(std::chrono::hours(1), [&runs] { ++runs; }, PeriodicTask::FirstRun::kAfterInterval,
             std::chrono::seconds(2));
  for (int i = 0; i < 1000; ++i) task.Wake();
  while (runs.load() < 1) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  task.Stop();
  EXPECT_EQ(runs.load(), 1);
}

TEST(PeriodicTaskTest, StopDoesNotWaitForASettlingRun) {
  std::atomic<int> runs{0};
  PeriodicTask task;
  task.Start(std::chrono::hours(1), [&runs] { ++runs; }, PeriodicTask::FirstRun::kAfterInterval,
             std::chrono::hours(1));
  task.Wake();
  task.Stop();  // returns without waiting an hour; the work is left for the next start
  EXPECT_EQ(runs.load(), 0);
}

}  // namespace
}  // namespace masthead
