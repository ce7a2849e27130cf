// The newsroom dashboard: what happened in the discussion and the accuracy
// desk lately, as charts a person looks at rather than tables to read.
#pragma once

#include <vector>

#include "base/result.h"
#include "newsroom/charts.h"
#include "store/store.h"

namespace masthead::newsroom {

// Comments per hour over the last 24 hours; held and rejected shares,
// rejection reasons, report reasons and the time to a first decision over the
// last `days`; accuracy cases by state (every case).
Result<std::vector<BarChart>> BuildDashboard(store::Store& store, UnixSeconds now, int days);

// The buckets of the time-to-first-decision chart, for waits in seconds.
std::vector<ChartBar> DecisionTimeBuckets(const std::vector<std::int64_t>& seconds);

}  // namespace masthead::newsroom
