#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace meshcore::control {

// RSS and CPU of the supervised processes, sampled about once a second from /proc, with the
// last five minutes kept per process to tell a workload whose memory keeps growing (the
// "phantom resource leak") from one that merely uses a lot. Thread: the control thread's.
class ResourceSampler {
public:
    struct Usage {
        pid_t pid = 0;
        std::uint64_t rssKib = 0;
        double cpuPercent = 0; // of one core, over the last sample interval
        double rssSlopeKibPerMin = 0; // least-squares trend over the kept samples
        double spanSeconds = 0; // how long the kept samples cover
        std::uint64_t firstRssKib = 0; // the oldest kept sample
        double risingShare = 0; // share of sample-to-sample steps that did not go down
    };

    // Samples every process of `pids` (pod -> pid; 0 for not running). A pod whose pid changed
    // (restarted) starts a new series.
    void sample(const std::map<std::string, pid_t> &pids, TimePoint now);
    std::optional<Usage> usage(const std::string &pod) const;

    // Whether a series says "keeps growing": at least `minSpan` of samples, growth of at least
    // `minGrowthKib`, a trend of at least `minSlopeKibPerMin`, and mostly rising.
    static bool keepsGrowing(const Usage &usage,
                             std::chrono::seconds minSpan = std::chrono::seconds(15),
                             std::uint64_t minGrowthKib = std::uint64_t {8} * 1024,
                             double minSlopeKibPerMin = 5 * 1024);

private:
    struct Sample {
        TimePoint at;
        std::uint64_t rssKib = 0;
        std::uint64_t cpuTicks = 0;
    };
    struct Series {
        pid_t pid = 0;
        std::deque<Sample> samples;
        double cpuPercent = 0;
    };
    std::map<std::string, Series> m_series;
};

} // namespace meshcore::control
