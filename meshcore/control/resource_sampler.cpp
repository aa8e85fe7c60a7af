#include "control/resource_sampler.h"

#include <unistd.h>

#include "core/proc_stat.h"
#include "core/proc_status.h"

namespace meshcore::control {
namespace {

constexpr auto Kept = std::chrono::minutes(5);

// The CPU time of `pid` so far, user and system, in clock ticks.
std::optional<std::uint64_t> cpuTicks(pid_t pid)
{
    const auto stat = readProcStat(pid);
    if (!stat)
        return std::nullopt;
    return stat->userTicks + stat->systemTicks;
}

} // namespace

void ResourceSampler::sample(const std::map<std::string, pid_t> &pids, TimePoint now)
{
    static const double ticksPerSecond = static_cast<double>(::sysconf(_SC_CLK_TCK));
    for (const auto &[pod, pid] : pids) {
        auto &series = m_series[pod];
        if (series.pid != pid) {
            series = Series {pid, {}, 0};
        }
        if (pid <= 0)
            continue;
        const auto rss = residentKib(pid);
        const auto ticks = cpuTicks(pid);
        if (!rss || !ticks)
            continue;
        if (!series.samples.empty()) {
            const auto &last = series.samples.back();
            const std::chrono::duration<double> elapsed = now - last.at;
            if (elapsed.count() > 0)
                series.cpuPercent = 100.0 * static_cast<double>(*ticks - last.cpuTicks)
                    / ticksPerSecond / elapsed.count();
        }
        series.samples.push_back({now, *rss, *ticks});
        while (!series.samples.empty() && now - series.samples.front().at > Kept)
            series.samples.pop_front();
    }
}

std::optional<ResourceSampler::Usage> ResourceSampler::usage(const std::string &pod) const
{
    const auto it = m_series.find(pod);
    if (it == m_series.end() || it->second.samples.empty())
        return std::nullopt;
    const auto &samples = it->second.samples;
    Usage usage;
    usage.pid = it->second.pid;
    usage.rssKib = samples.back().rssKib;
    usage.firstRssKib = samples.front().rssKib;
    usage.cpuPercent = it->second.cpuPercent;
    usage.spanSeconds
        = std::chrono::duration<double>(samples.back().at - samples.front().at).count();
    if (samples.size() >= 2 && usage.spanSeconds > 0) {
        // Least squares: RSS against minutes since the first sample.
        double sumX = 0, sumY = 0, sumXX = 0, sumXY = 0;
        unsigned rising = 0;
        for (std::size_t i = 0; i < samples.size(); ++i) {
            const double x
                = std::chrono::duration<double>(samples[i].at - samples.front().at).count() / 60.0;
            const double y = static_cast<double>(samples[i].rssKib);
            sumX += x;
            sumY += y;
            sumXX += x * x;
            sumXY += x * y;
            if (i > 0 && samples[i].rssKib >= samples[i - 1].rssKib)
                ++rising;
        }
        const double n = static_cast<double>(samples.size());
        const double denominator = n * sumXX - sumX * sumX;
        usage.rssSlopeKibPerMin = denominator > 0 ? (n * sumXY - sumX * sumY) / denominator : 0;
        usage.risingShare = static_cast<double>(rising) / (n - 1);
    }
    return usage;
}

bool ResourceSampler::keepsGrowing(const Usage &usage, std::chrono::seconds minSpan,
                                   std::uint64_t minGrowthKib, double minSlopeKibPerMin)
{
    return usage.spanSeconds >= static_cast<double>(minSpan.count())
        && usage.rssKib >= usage.firstRssKib + minGrowthKib
        && usage.rssSlopeKibPerMin >= minSlopeKibPerMin && usage.risingShare >= 0.8;
}

} // namespace meshcore::control
